"""A simple deterministic matcher: exact identifiers first, then exact name and date of birth.

It is deliberately cautious: it links only on evidence that is hard to get wrong, and two
different NHS numbers always mean two different people. The probabilistic engine replaces it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

MODEL_VERSION = "deterministic-1"


@dataclass(frozen=True)
class RecordKeys:
    """The comparable parts of one source record."""

    given_key: str | None = None
    family_key: str | None = None
    date_of_birth: dt.date | None = None
    nhs_number: str | None = None
    upn: str | None = None


@dataclass(frozen=True)
class Candidate:
    person_id: int
    keys: RecordKeys


@dataclass(frozen=True)
class Decision:
    person_id: int | None
    method: str
    explanation: dict = field(default_factory=dict)

    @property
    def is_new_person(self) -> bool:
        return self.person_id is None


def _conflicting_identifier(a: RecordKeys, b: RecordKeys) -> str | None:
    if a.nhs_number and b.nhs_number and a.nhs_number != b.nhs_number:
        return "nhs_number"
    if a.upn and b.upn and a.upn != b.upn:
        return "upn"
    return None


def _rule_for(record: RecordKeys, other: RecordKeys) -> tuple[str, dict] | None:
    if _conflicting_identifier(record, other):
        return None
    if record.nhs_number and record.nhs_number == other.nhs_number:
        return "nhs_number", {"nhs_number": "exact"}
    if record.upn and record.upn == other.upn:
        return "upn", {"upn": "exact"}
    if (
        record.family_key
        and record.given_key
        and record.date_of_birth
        and (record.family_key, record.given_key, record.date_of_birth)
        == (other.family_key, other.given_key, other.date_of_birth)
    ):
        return "name_dob", {"family_name": "exact", "given_name": "exact", "date_of_birth": "exact"}
    return None


RULE_ORDER = ("nhs_number", "upn", "name_dob")


def decide(record: RecordKeys, candidates: list[Candidate]) -> Decision:
    """Pick the person this record belongs to, or none. Never bridges two persons: if the
    strongest rule points at more than one person, the record starts a new person and the
    explanation says which persons were ambiguous."""
    matches: dict[str, dict[int, dict]] = {}
    for candidate in candidates:
        found = _rule_for(record, candidate.keys)
        if found:
            rule, fields_ = found
            matches.setdefault(rule, {})[candidate.person_id] = fields_
    for rule in RULE_ORDER:
        persons = matches.get(rule)
        if not persons:
            continue
        if len(persons) > 1:
            return Decision(
                None,
                "ambiguous",
                {"rule": rule, "candidates": sorted(persons), "model_version": MODEL_VERSION},
            )
        ((person_id, fields_),) = persons.items()
        return Decision(
            person_id, rule, {"rule": rule, "fields": fields_, "model_version": MODEL_VERSION}
        )
    return Decision(None, "new_person", {"rule": "no_match", "model_version": MODEL_VERSION})
