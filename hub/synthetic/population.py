"""A labelled synthetic population: agency records of invented people, with the truth attached.

Each row is one agency's record of one person. The truth columns (`true_person_id`,
`true_household_id`) say which invented person and household the record belongs to, so a
record-linkage engine can be scored against them. Nothing here is real: names are drawn from
frequency-weighted lists, NHS numbers (modulus 11) and UPNs (check letter) are generated to be
valid and belong to nobody, and addresses are made-up streets under plausible postcode districts.

What makes linkage hard in real multi-agency data is modelled, each at a configurable rate
(`PopulationConfig`): men in the household (partners, step-fathers, visitors known to police and
probation), unborn children later born, twins and siblings close in age, fathers and sons (and
mothers and daughters) sharing a name, families moving between local authorities, very common
names, names transliterated from other scripts, naming customs (patronymics, gendered surnames,
Kaur/Singh, Begum, Akan day names, English names alongside Chinese ones), nicknames, married and
maiden names, children recorded under either parent's surname, double-barrelled surnames cut
short, keying errors in names, dates, postcodes and identifiers, duplicate registrations, and
each agency's recording habits (upper-case surnames, dropped middle names, missing identifiers).

Standard library and python-stdnum only. Deterministic for a seed; generation streams household
by household (`iter_population`), and `generate_population(n)` is a prefix of
`generate_population(n + k)` for the same seed and config.

This module is the public face: the output row, the entry points and CSV input and output, with
everything other code needs re-exported. The parts live beside it: `config` (the rates),
`households` (the truth: invented people and households), `backgrounds`, `name_lists` and
`name_variants` (names and naming customs), `places` (local authorities and made-up addresses),
`identifiers` (NHS numbers and UPNs), `agencies` (who knows whom, and each agency's habits) and
`corruption` (the recording errors).
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from pathlib import Path

from hub.synthetic.agencies import AGENCIES, HABITS, Refs, choose_agencies
from hub.synthetic.config import PopulationConfig
from hub.synthetic.corruption import (
    record_address,
    record_address_line,
    record_dob,
    record_names,
    record_nhs,
    record_postcode,
    record_role,
    record_sex,
    record_upn,
)
from hub.synthetic.households import TrueHousehold, TruePerson, iter_households
from hub.synthetic.places import LOCAL_AUTHORITIES, Address

__all__ = [
    "AGENCIES",
    "COLUMNS",
    "LOCAL_AUTHORITIES",
    "ROLES",
    "Address",
    "PopulationConfig",
    "PopulationRecord",
    "TrueHousehold",
    "TruePerson",
    "generate_population",
    "iter_households",
    "iter_population",
    "read_population_csv",
    "write_population_csv",
]

# Values of the `role` column.
ROLES = ("child", "unborn", "carer", "partner", "visitor")


# --------------------------------------------------------------------------------------------
# The output row
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PopulationRecord:
    """One agency's record of one person; '' means the agency did not record the value."""

    record_id: str
    agency: str
    local_authority: str
    source_ref: str
    given_name: str
    middle_names: str
    family_name: str
    date_of_birth: str  # YYYY-MM-DD, YYYY or ''
    sex: str  # female, male or ''
    nhs_number: str
    upn: str
    postcode: str
    address_line: str
    role: str
    true_person_id: str
    true_household_id: str


COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(PopulationRecord))


# --------------------------------------------------------------------------------------------
# Agencies' records of the people
# --------------------------------------------------------------------------------------------


def _record(
    person: TruePerson,
    household: TrueHousehold,
    agency: str,
    duplicate: bool,
    rng: random.Random,
    cfg: PopulationConfig,
    refs: Refs,
) -> PopulationRecord:
    habits = HABITS[agency]
    prenatal = person.unborn and (
        person.dob is None
        or agency == "midwifery"
        or (agency == "childrens_social_care" and rng.random() < 0.5)
    )
    address, la = record_address(person, household, agency, rng, cfg)
    if rng.random() < cfg.local_authority_missing_rate:
        la = ""
    given, middle, family = record_names(person, household, agency, prenatal, rng, cfg)
    return PopulationRecord(
        record_id=refs.record_id(),
        agency=agency,
        local_authority=la,
        source_ref=refs.source_ref(agency),
        given_name=given,
        middle_names=middle,
        family_name=family,
        date_of_birth="" if prenatal else record_dob(person, habits, rng, cfg),
        sex=record_sex(person, prenatal, habits, rng, cfg),
        nhs_number="" if prenatal else record_nhs(person, household, agency, duplicate, rng, cfg),
        upn=record_upn(person, agency, duplicate, rng, cfg),
        postcode=record_postcode(address.postcode, habits, rng, cfg),
        address_line=record_address_line(address, rng, cfg),
        role=record_role(person, agency, prenatal, rng, cfg),
        true_person_id=person.person_id,
        true_household_id=person.household_id,
    )


def _household_records(
    household: TrueHousehold, rng: random.Random, cfg: PopulationConfig, refs: Refs
) -> list[PopulationRecord]:
    """Every agency record of the household's people, in no particular order."""
    plan: list[tuple[TruePerson, str, bool]] = []
    for person in household.people:
        for agency in choose_agencies(person, household, rng, cfg):
            plan.append((person, agency, False))
            if rng.random() < cfg.duplicate_record_rate:
                plan.append((person, agency, True))
    rng.shuffle(plan)
    return [_record(p, household, agency, dup, rng, cfg, refs) for p, agency, dup in plan]


# --------------------------------------------------------------------------------------------
# Public entry points
# --------------------------------------------------------------------------------------------


def iter_population(
    households: int, seed: int = 0, config: PopulationConfig | None = None
) -> Iterator[PopulationRecord]:
    """Stream the records of `households` synthetic households, one household at a time."""
    cfg = config or PopulationConfig()
    rng = random.Random(f"records:{seed}")
    refs = Refs(seed)
    for household in iter_households(households, seed, cfg):
        yield from _household_records(household, rng, cfg, refs)


def generate_population(
    households: int, seed: int = 0, config: PopulationConfig | None = None
) -> list[PopulationRecord]:
    """All records of `households` synthetic households (deterministic for the seed)."""
    return list(iter_population(households, seed, config))


def write_population_csv(records: Iterable[PopulationRecord], path: str | Path) -> None:
    """UTF-8 CSV: a header of COLUMNS, then one row per record (streams an iterator)."""
    with Path(path).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for record in records:
            writer.writerow([getattr(record, column) for column in COLUMNS])


def read_population_csv(path: str | Path) -> list[PopulationRecord]:
    with Path(path).open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = tuple(next(reader, ()))
        if header != COLUMNS:
            raise ValueError(f"{path}: expected columns {COLUMNS}, found {header}")
        return [PopulationRecord(*row) for row in reader]
