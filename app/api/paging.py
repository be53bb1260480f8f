"""The `limit` and `cursor` query parameters of every paged list, and its `Link` header.

`pager("municipalities")` is a dependency declaring both parameters with the list's default
and maximum (so the OpenAPI schema states them exactly) and answering with the page request;
`Pager.send` puts `Link: <…>; rel="next"` on the response when there is a next page."""

from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Request, Response

from app.services.paging import CURSOR_MAX_LENGTH, CURSOR_PATTERN, LIMITS, PageRequest, decode_cursor

T = TypeVar("T")


@dataclass
class Pager:
    request: Request
    response: Response
    page: PageRequest

    def send(self, body: T, next_cursor: str | None = None) -> T:
        """`body` unchanged, with the next page's Link header when it has one (its `next_cursor`)."""
        following = next_cursor if next_cursor is not None else _next_cursor(body)
        if following is not None:
            link_next(self.request, self.response, cursor=following)
        return body


def _next_cursor(body: Any) -> str | None:
    return body.get("next_cursor") if isinstance(body, dict) else getattr(body, "next_cursor", None)


def link_next(request: Request, response: Response, **changed: Any) -> None:
    """`Link: <…>; rel="next"`: this request's URL as an absolute path with `changed` set (the
    cursor) and every other query parameter kept."""
    url = request.url.include_query_params(**changed)
    response.headers["Link"] = f'<{url.path}?{url.query}>; rel="next"'


def pager(list_name: str) -> Any:
    """The dependency of one list's paging parameters."""
    bounds = LIMITS[list_name]

    def dependency(
        request: Request,
        response: Response,
        limit: Annotated[
            int,
            Query(
                ge=1,
                le=bounds.maximum,
                description=f"Items per page: default {bounds.default}, at most {bounds.maximum}",
            ),
        ] = bounds.default,
        cursor: Annotated[
            str | None,
            Query(
                max_length=CURSOR_MAX_LENGTH,
                pattern=CURSOR_PATTERN,
                description='Where the page starts: the previous page\'s `next_cursor` (or its `Link: rel="next"`), '
                "the offset of its first item; past the end, the page is empty",
            ),
        ] = None,
    ) -> Pager:
        return Pager(request, response, PageRequest(limit, decode_cursor(cursor)))

    return Depends(dependency)


MunicipalityPages = Annotated[Pager, pager("municipalities")]
RegionPages = Annotated[Pager, pager("regions")]
WorkPackagePages = Annotated[Pager, pager("work-packages")]
ThemePages = Annotated[Pager, pager("themes")]
ProgrammePages = Annotated[Pager, pager("programmes")]
OrganisationPages = Annotated[Pager, pager("organisations")]
RelationPages = Annotated[Pager, pager("relations")]
OverlapPages = Annotated[Pager, pager("overlaps")]
GapPages = Annotated[Pager, pager("gaps")]
SearchPages = Annotated[Pager, pager("search")]
SolutionPages = Annotated[Pager, pager("solutions")]
IndicatorPages = Annotated[Pager, pager("indicators")]
ResourcePages = Annotated[Pager, pager("resources")]
ObservationPages = Annotated[Pager, pager("observations")]
