"""A source record prepared for comparison: every field normalised once, up front."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import jellyfish

from matching.normalise import (
    BirthDate,
    Postcode,
    address_key,
    birth_date,
    identifier,
    name_tokens,
    nhs_number,
    postcode,
    pupil_number,
)

INPUT_COLUMNS = (
    "record_id",
    "agency",
    "local_authority",
    "source_ref",
    "given_name",
    "middle_names",
    "family_name",
    "date_of_birth",
    "sex",
    "nhs_number",
    "upn",
    "other_id",
    "postcode",
    "address_line",
    "role",
)


# What maternity and emergency systems write before a child has a name ("Baby", "Unborn",
# "Baby of Smith"): not a name, so two such records must not agree on it.
PLACEHOLDER_NAMES = frozenset(
    {"baby", "unborn", "infant", "newborn", "of", "unnamed", "unknown", "nk", "fetus", "foetus"}
)


@dataclass(frozen=True, slots=True)
class Record:
    record_id: str
    agency: str | None
    role: str | None
    given: str | None
    given_compact: str | None
    middle: tuple[str, ...]
    family: str | None
    family_tokens: tuple[str, ...]
    dob: BirthDate
    sex: str | None
    nhs: str | None
    nhs_valid: bool
    upn: str | None
    upn_valid: bool
    other_id: str | None
    postcode: Postcode
    address: str | None
    house_numbers: frozenset[str]
    given_sound: str | None
    family_sound: str | None


@lru_cache(maxsize=1 << 16)
def _sound(word: str | None) -> str | None:
    if not word:
        return None
    return jellyfish.metaphone(word) or None


def _sex(raw: str | None) -> str | None:
    first = (raw or "").strip()[:1].lower()
    return first if first in ("f", "m") else None


def prepare(raw: Mapping[str, object]) -> Record:
    """Normalise one input row (the batch columns; any may be missing or blank)."""

    def text(name: str) -> str | None:
        value = raw.get(name)
        return str(value).strip() if value not in (None, "") else None

    given_tokens = tuple(w for w in name_tokens(text("given_name")) if w not in PLACEHOLDER_NAMES)
    middle_tokens = name_tokens(text("middle_names"))
    if not given_tokens and middle_tokens:
        given_tokens, middle_tokens = middle_tokens[:1], middle_tokens[1:]
    family_tokens = name_tokens(text("family_name"))
    given = given_tokens[0] if given_tokens else None
    family = " ".join(family_tokens) or None
    nhs, nhs_valid = nhs_number(text("nhs_number"))
    upn, upn_valid = pupil_number(text("upn"))
    dob_raw = raw.get("date_of_birth")
    address = address_key(text("address_line"))
    return Record(
        record_id=str(raw.get("record_id", "")),
        agency=text("agency"),
        role=text("role"),
        given=given,
        given_compact="".join(given_tokens) or None,
        middle=tuple(given_tokens[1:]) + middle_tokens,
        family=family,
        family_tokens=family_tokens,
        dob=birth_date(dob_raw if not isinstance(dob_raw, str) else dob_raw or None),
        sex=_sex(text("sex")),
        nhs=nhs,
        nhs_valid=nhs_valid,
        upn=upn,
        upn_valid=upn_valid,
        other_id=identifier(text("other_id")),
        postcode=postcode(text("postcode")),
        address=address,
        house_numbers=frozenset(w for w in (address or "").split() if w[:1].isdigit()),
        given_sound=_sound(given),
        family_sound=_sound(family_tokens[-1] if family_tokens else None),
    )
