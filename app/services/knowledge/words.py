"""The words a reader sees for the values written knowledge keeps in English (statuses, resource
kinds, the provenance of what was written through the API). The API answers with the values;
pages, briefs and replication reasons show these words in the reader's language."""

from __future__ import annotations

import re

from app.i18n import N_
from app.i18n import gettext as _

STATUS_WORDS = {
    "idea": N_("idea"),
    "developing": N_("developing"),
    "piloting": N_("piloting"),
    "implemented": N_("implemented"),
    "considering": N_("considering"),
    "planning": N_("planning"),
    "adopted": N_("adopted"),
    "dropped": N_("dropped"),
}
RESOURCE_KIND_WORDS = {
    "guide": N_("guide"),
    "tool": N_("tool"),
    "method": N_("method"),
    "course": N_("course"),
    "seminar": N_("seminar"),
    "report": N_("report"),
    "data-set": N_("data set"),
}
# What the knowledge services store as the provenance of a fact written through the API.
WRITTEN_THROUGH_API = re.compile(r"written by (?P<who>.+) through the API")


def status_word(status: str) -> str:
    return _(STATUS_WORDS[status]) if status in STATUS_WORDS else status


def resource_kind_word(kind: str) -> str:
    return _(RESOURCE_KIND_WORDS[kind]) if kind in RESOURCE_KIND_WORDS else kind


def provenance_text(provenance: str | None) -> str:
    """A stored provenance as the reader reads it: the API's own phrase translated, a source's title as written."""
    if not provenance:
        return ""
    written = WRITTEN_THROUGH_API.fullmatch(provenance)
    if written is None:
        return provenance
    return _("written by {who} through the API").format(who=written["who"])
