"""Writing and reading knowledge (issue 12), one module per kind: solutions, adoptions,
observations, resources, indicators, and the audit trail (changes). Every write runs through
`store.write_transaction` (its change record and the version counter in the same transaction),
is read back before commit, and then updates the name index in place (writes.py holds what
they share)."""

from app.services.knowledge import adoptions, changes, indicators, observations, resources, solutions
from app.services.knowledge.adoptions import AdoptionIn, AdoptionPatch, adopter_ids, current_adopters
from app.services.knowledge.changes import list_changes
from app.services.knowledge.indicators import list_indicators
from app.services.knowledge.solutions import (
    SolutionIn,
    SolutionPatch,
    create_solution,
    delete_solution,
    get_solution,
    list_solutions,
    matching_solutions,
    solution_bodies,
    solution_body,
    solutions_by_ids,
    update_solution,
)
from app.services.knowledge.writes import WriteVerificationError, check_if_match, etag, slugify

add_adoption = adoptions.record  # the name the first API used

__all__ = [
    "AdoptionIn",
    "AdoptionPatch",
    "SolutionIn",
    "SolutionPatch",
    "WriteVerificationError",
    "add_adoption",
    "adopter_ids",
    "adoptions",
    "changes",
    "check_if_match",
    "create_solution",
    "current_adopters",
    "delete_solution",
    "etag",
    "get_solution",
    "indicators",
    "list_changes",
    "list_indicators",
    "list_solutions",
    "matching_solutions",
    "observations",
    "resources",
    "slugify",
    "solution_bodies",
    "solution_body",
    "solutions",
    "solutions_by_ids",
    "update_solution",
]
