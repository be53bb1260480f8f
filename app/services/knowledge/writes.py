"""What every knowledge write shares: strict bodies, http(s) links, If-Match, the read-back
check, and the one way a relationship is written (generation 'written', so a load keeps it)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from app.graph.schema import NODE_PROPERTIES, WRITTEN, RelationshipShape, node_columns
from app.graph.store import WriteTx
from app.i18n import gettext as _
from app.services.errors import Conflict, InvalidParameter, NotFound, PreconditionFailed, PreconditionRequired
from app.services.names import NodeRef
from app.services.read_model import ReadModel
from app.services.text import NAME_PATTERN, SLUG_NAME_PATTERN, shorten


class WriteVerificationError(Exception):
    """What the store holds after a write differs from what was written (the write is rolled back)."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def http_url(value: str) -> str:
    # Anything else (javascript:, data:, file:) would become a live link in the views.
    if not re.match(URL_PATTERN, value):
        raise ValueError(_("a link is an http:// or https:// address"))
    return value


def not_in_future(value: dt.date) -> dt.date:
    if value > dt.date.today():
        raise ValueError(_("the date cannot be in the future"))
    return value


def _iso_date_text(value: object) -> object:
    # FastAPI validates the parsed body in Python mode, where a number would pass as a timestamp and
    # `2024-03-01T00:00` or `20240301` as a date: the schema's `format: date` is YYYY-MM-DD only
    if isinstance(value, dt.date) or (isinstance(value, str) and re.fullmatch("[0-9]{4}-[0-9]{2}-[0-9]{2}", value)):
        return value
    raise ValueError(_("a date is written YYYY-MM-DD"))


# Every constraint below is one the schema states (tests/hardening/test_schemathesis.py checks the
# whole schema against the server): a name or text holds a letter or digit (so stripping cannot
# empty it), a new name gives a slug, dates are ISO strings, a list item names something, a link is
# http(s) by its pattern (not stripped, so that the pattern is the whole rule). A date after today
# is the one rule JSON Schema cannot state (it moves with the clock).
URL_PATTERN = "^[Hh][Tt][Tt][Pp][Ss]?://[^/\\x00-\\x20]"
HttpLink = Annotated[
    str,
    # The pattern is the schema's (clients see it); the check is http_url's, whose message says what fits.
    StringConstraints(strip_whitespace=False, max_length=2000),
    AfterValidator(http_url),
    Field(description="an http:// or https:// address", json_schema_extra={"pattern": URL_PATTERN}),
]
Date = Annotated[dt.date, BeforeValidator(_iso_date_text)]
PastDate = Annotated[Date, AfterValidator(not_in_future), Field(description="the day it happened: today or before")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=5000, pattern=NAME_PATTERN)]
NodeName = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=NAME_PATTERN)]
SolutionName = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=SLUG_NAME_PATTERN)]


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)  # "default": null would tell clients that null is a value to send


def absent(**constraints: Any) -> Any:
    """A PATCH field that may be left out but not set to null."""
    return Field(None, json_schema_extra=_no_default, **constraints)


class SourceLink(Strict):
    title: str = Field(min_length=1, max_length=300, pattern=NAME_PATTERN)
    url: HttpLink


def record_fields(node: dict[str, Any]) -> dict[str, Any]:
    """What every written kind's body says of the record itself: its version (for If-Match),
    whether people wrote it (not the seed), its source, and when it was created and last changed."""
    return {
        "version": node.get("version") or 1,
        "written": node.get("generation") == WRITTEN,
        "provenance": node.get("source"),
        "created_at": node.get("created_at"),
        "updated_at": node.get("updated_at"),
    }


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def slugify(name: str) -> str:
    text = name.casefold().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:80]


def etag(version: int) -> str:
    return f'"{version}"'


def check_if_match(if_match: str | None, current: int, what: str = "solution") -> None:
    if if_match is None:
        raise PreconditionRequired(
            _("this change needs If-Match with the current version"), expected=f"If-Match: {etag(current)}"
        )
    wanted = [part.strip().removeprefix("W/").strip('"') for part in if_match.split(",")]
    if "*" not in wanted and str(current) not in wanted:
        raise PreconditionFailed(
            _("the {what} was changed in between: it is at version {version}").format(what=_(what), version=current),
            expected=f"If-Match: {etag(current)}",
        )


def link(title: str | None, url: str | None) -> dict[str, str] | None:
    return {"title": title or "", "url": url} if url else None


def link_one(tx: WriteTx, rel: RelationshipShape, source_id: str, target_id: str, provenance: str) -> None:
    row = {"source_id": source_id, "target_id": target_id, "role": None, "detail": None, "source": provenance}
    tx.run("merge_relationships", {"rows": [row], "generation": WRITTEN}, rel=rel)


def resolve_all(model: ReadModel, names: list[str], kinds: tuple[str, ...], what: str) -> list[NodeRef]:
    return list({n.id: n for n in (model.resolve(name, kinds, what=what) for name in names)}.values())


def find(model: ReadModel, key: str, label: str, what: str) -> tuple[NodeRef, dict[str, Any]]:
    """The node `key` names (id, slug or name, any spelling), as the index knows it and as stored."""
    node = model.resolve(key, (label,), what=what)
    rows = model.store.read("node_by_id", {"id": node.id}, label=label)
    if not rows:
        raise NotFound(
            _("no {what} called '{name}'").format(what=_(what), name=shorten(key)),
            expected=_("the id, slug or name of a {what}").format(what=_(what)),
        )
    return node, rows[0]["node"]


def current(tx: WriteTx, label: str, node_id: str, what: str, if_match: str | None, seed_file: str) -> dict[str, Any]:
    """The stored node inside the write's transaction, once it may be changed at the version asked for."""
    stored = tx.run("node_by_id", {"id": node_id}, label=label)
    if not stored:
        raise NotFound(
            _("no {what} '{id}'").format(what=_(what), id=node_id), expected=_("the id of a {what}").format(what=_(what))
        )
    node = stored[0]["node"]
    # The precondition first: a request without If-Match is a 428 whatever it names
    check_if_match(if_match, int(node.get("version") or 1), what)
    if node.get("generation") != WRITTEN:
        raise Conflict(
            _("'{name}' comes from the seed; change it in {file}").format(name=node.get("name"), file=seed_file),
            expected=_("a {what} written through the API").format(what=_(what)),
        )
    return node


def delete_verified(tx: WriteTx, label: str, node_id: str) -> None:
    tx.run("delete_node", {"id": node_id}, label=label)
    if tx.run("node_by_id", {"id": node_id}, label=label):
        raise WriteVerificationError(f"the store did not delete {node_id}")


def blank_row(label: str) -> dict[str, Any]:
    """Every column of the label: one MERGE text fits seed and written rows."""
    return {"property_sources": None, **dict.fromkeys(NODE_PROPERTIES[label])}


def stored_row(label: str, node: dict[str, Any]) -> dict[str, Any]:
    """A stored node as a row of its merge query (every column but those the query sets itself)."""
    return {column: node.get(column) for column in node_columns(label) if column not in ("kind", "generation")}


def empty_not_allowed(changes: dict[str, Any], fields: tuple[str, ...]) -> None:
    for field_name in fields:
        if field_name in changes and changes[field_name] is None:
            raise InvalidParameter(
                _("{field} cannot be emptied").format(field=field_name),
                expected=_("a value for {field}").format(field=field_name),
            )
