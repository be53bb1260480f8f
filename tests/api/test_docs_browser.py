"""/docs (Swagger UI) and /redoc (ReDoc) render in Debian's chromium under the app's policy, with
every asset from the app: the operation list is drawn, a call can be tried, search works, and no
request leaves the machine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import embedded_settings
from tests.views.browser import PageLog, serve, watch

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def origin(embedded_path: Path) -> Iterator[str]:
    with serve(embedded_settings(embedded_path)) as url:
        yield url


@pytest.fixture
def page_and_log(browser: Any, origin: str) -> Iterator[tuple[Any, PageLog]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log = PageLog()
    watch(page, log, origin)  # records console errors (a CSP refusal is one) and aborts foreign requests
    yield page, log
    context.close()


def operations(page: Any, origin: str) -> list[tuple[str, str]]:
    schema = page.request.get(origin + "/openapi.json").json()
    return sorted((method.upper(), path) for path, item in schema["paths"].items() for method in item)


SWAGGER_READY = ".opblock .opblock-summary-path"
REDOC_READY = "[data-section-id^='operation/']"


def open_docs(page: Any, url: str, ready: str) -> None:
    """Opens a docs page and waits until it has drawn the operations of its schema."""
    assert page.goto(url).status == 200
    page.wait_for_selector(ready, state="attached", timeout=30_000)


def assert_clean(log: PageLog, origin: str) -> None:
    assert log.foreign(origin) == [], f"requests left the machine: {log.foreign(origin)}"
    assert log.errors == [], log.errors


def test_swagger_ui_lists_every_operation_and_runs_one(page_and_log: tuple[Any, PageLog], origin: str) -> None:
    page, log = page_and_log
    assert page.goto(origin + "/docs").status == 200
    page.wait_for_selector(".opblock .opblock-summary-path", timeout=30_000)
    shown = page.eval_on_selector_all(
        ".opblock",
        """blocks => blocks.map(b => [b.querySelector('.opblock-summary-method').textContent.trim(),
                                      b.querySelector('.opblock-summary-path').dataset.path])""",
    )
    assert sorted(map(tuple, shown)) == operations(page, origin)
    # Try it out: GET /health from the page itself (connect-src 'self')
    health = page.locator(".opblock", has=page.locator(".opblock-summary-path[data-path='/health']"))
    health.locator(".opblock-summary").click()
    health.locator("button.try-out__btn").click()
    health.locator("button.execute").click()
    status = health.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for(timeout=15_000)
    assert status.inner_text().strip() == "200"
    assert '"status": "ok"' in health.locator(".live-responses-table .microlight").first.inner_text()
    assert any("/docs/assets/swagger-ui-bundle.js" in url for url in log.requests)
    assert_clean(log, origin)


def test_redoc_renders_every_operation_and_searches(page_and_log: tuple[Any, PageLog], origin: str) -> None:
    page, log = page_and_log
    open_docs(page, origin + "/redoc", REDOC_READY)
    assert page.locator("h1").first.inner_text().startswith("LIFE ACT Knowledge Explorer")
    assert page.locator("[data-section-id^='operation/']").count() == len(operations(page, origin))
    page.fill("input[placeholder='Search...']", "municipalit")
    results = page.locator("[data-role='search:results'] li")  # the index is built in a blob: worker
    results.first.wait_for(timeout=15_000)
    assert "Municipalit" in page.locator("[data-role='search:results']").inner_text()
    assert any("/docs/assets/redoc.standalone.js" in url for url in log.requests)
    assert_clean(log, origin)


def test_swagger_ui_in_danish_and_its_switch_keeps_the_place(page_and_log: tuple[Any, PageLog], origin: str) -> None:
    """Everything our schema says is Danish on the Danish page (Swagger UI's own buttons stay
    English: it has no Danish); the switch opens the English page at the same operation."""
    page, log = page_and_log
    open_docs(page, origin + "/docs?lang=da", SWAGGER_READY)  # chromium asks for en-US by itself
    assert page.locator("html").get_attribute("lang") == "da"
    assert "LIFE ACT Knowledge Explorer: de fem danske regioner" in page.locator(".information-container").inner_text()
    municipalities = page.locator(".opblock", has=page.locator(".opblock-summary-path[data-path='/api/municipalities']"))
    assert municipalities.locator(".opblock-summary-description").inner_text().strip() == "Kommuner"
    assert "De 98 kommuner" in page.locator(".opblock-tag-section", has=municipalities).locator("h3").inner_text()
    municipalities.locator(".opblock-summary").click()
    assert "Kun dem, der deltager" in municipalities.locator(".parameters").inner_text()
    page.wait_for_function("location.hash.length > 1")
    place = page.evaluate("location.hash")
    page.locator("nav.docs-languages a[hreflang='en']").click()
    page.wait_for_url(f"**/docs?lang=en{place}")
    page.wait_for_selector(SWAGGER_READY, timeout=30_000)
    assert page.locator("html").get_attribute("lang") == "en"
    english = page.locator(".opblock", has=page.locator(".opblock-summary-path[data-path='/api/municipalities']"))
    assert english.locator(".opblock-summary-description").inner_text().strip() == "List Municipalities"
    assert "Only those that take part" in english.locator(".parameters").inner_text()  # opened again at the same place
    assert any("/openapi.json?lang=da" in url for url in log.requests)
    assert any("/openapi.json?lang=en" in url for url in log.requests)
    assert_clean(log, origin)


def test_redoc_in_danish(page_and_log: tuple[Any, PageLog], origin: str) -> None:
    page, log = page_and_log
    open_docs(page, origin + "/redoc?lang=da", REDOC_READY)
    text = page.locator(".api-content").inner_text()
    assert "LIFE ACT Knowledge Explorer: de fem danske regioner" in text
    assert "De 98 kommuner" in text and "Kommunerne efter kode, én side ad gangen" in text
    assert "The municipalities by code" not in text
    assert page.locator("nav.docs-languages a[hreflang='en']").get_attribute("href") == "/redoc?lang=en"
    assert_clean(log, origin)
