"""The agencies: which of them know a person, how each records people, and their references."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from hub.synthetic.config import PopulationConfig
from hub.synthetic.households import TrueHousehold, TruePerson, age_on

AGENCIES = (
    "police",
    "health_ae",
    "gp",
    "health_visitor",
    "midwifery",
    "school",
    "childrens_social_care",
    "housing",
    "probation",
    "adult_mental_health",
    "substance_misuse",
)


@dataclass(frozen=True)
class Habits:
    """How an agency tends to record people (multipliers apply to PopulationConfig rates)."""

    prefix: str  # source reference: prefix + digits ('' for probation's CRN)
    digits: int
    middle_kept: float  # share of records that keep a middle name
    nickname: float
    known_as: float
    surname_upper: float  # SMITH
    all_upper: float  # JOHN SMITH
    diacritics: float
    dob_missing: float
    sex_missing: float
    postcode_missing: float


HABITS = {
    "police": Habits("POL-", 7, 0.55, 1.8, 1.4, 0.75, 0.1, 0.2, 1.5, 0.3, 1.5),
    "health_ae": Habits("ED-", 8, 0.5, 0.7, 0.8, 0.2, 0.35, 0.5, 0.3, 0.5, 1.0),
    "gp": Habits("GP-", 7, 0.85, 0.4, 0.5, 0.25, 0.05, 1.2, 0.2, 0.3, 0.5),
    "health_visitor": Habits("HV-", 7, 0.8, 0.6, 1.0, 0.05, 0.0, 1.2, 0.3, 0.5, 0.5),
    "midwifery": Habits("MAT-", 7, 0.8, 0.5, 0.8, 0.1, 0.1, 1.2, 0.3, 0.5, 0.5),
    "school": Habits("SCH-", 7, 0.75, 1.0, 1.6, 0.0, 0.0, 1.5, 0.2, 0.3, 0.5),
    "childrens_social_care": Habits("CSC-", 7, 0.7, 1.0, 1.2, 0.1, 0.0, 1.0, 1.0, 0.8, 0.8),
    "housing": Habits("HSG-", 7, 0.35, 1.3, 1.0, 0.1, 0.2, 0.8, 2.0, 2.0, 0.3),
    "probation": Habits("", 7, 0.7, 0.8, 0.8, 0.6, 0.4, 0.3, 0.3, 0.3, 1.2),
    "adult_mental_health": Habits("AMH-", 7, 0.7, 0.8, 0.8, 0.2, 0.1, 1.0, 0.5, 0.5, 0.8),
    "substance_misuse": Habits("SMS-", 7, 0.4, 1.8, 1.4, 0.1, 0.1, 0.6, 1.5, 1.0, 2.0),
}
_CRN_LETTERS = "ABCDEFGHJKLMNPRSTVWX"
_SCRAMBLE = 7_654_321  # coprime with every power of ten: a permutation of the counter


class Refs:
    """Record ids and agency references: unique, and in no order that gives the truth away."""

    def __init__(self, seed: int) -> None:
        rng = random.Random(f"refs:{seed}")
        self.record = 0
        self.record_offset = rng.randrange(10**7)
        self.counts = dict.fromkeys(AGENCIES, 0)
        self.offsets = {agency: rng.randrange(10**8) for agency in AGENCIES}
        self.formats = {a: f"{h.prefix}{{:0{h.digits}d}}" for a, h in HABITS.items()}
        self.moduli = {a: 10**h.digits for a, h in HABITS.items()}

    def record_id(self) -> str:
        n = self.record
        self.record += 1
        if n < 10**7:
            return f"r{(n * _SCRAMBLE + self.record_offset) % 10**7:07d}"
        return f"r{n + 10**7}"  # beyond ten million records: eight digits, still unique

    def source_ref(self, agency: str) -> str:
        n = self.counts[agency]
        self.counts[agency] = n + 1
        number = (n * _SCRAMBLE + self.offsets[agency]) % self.moduli[agency]
        if agency == "probation":  # case reference number: a letter and six digits
            return f"{_CRN_LETTERS[number // 10**6 % len(_CRN_LETTERS)]}{number % 10**6:06d}"
        return self.formats[agency].format(number)


# --- which agencies know a person ------------------------------------------------------------


def _agency_weights(
    person: TruePerson, household: TrueHousehold, ref: dt.date
) -> list[tuple[str, float]]:
    """(agency, probability) for agencies that plausibly hold a record of this person."""
    if person.unborn:
        weights = [("midwifery", 1.0), ("childrens_social_care", 0.3)]
        if person.dob is not None:
            weights += [("health_visitor", 0.85), ("gp", 0.6), ("health_ae", 0.2)]
        return weights
    age = age_on(person.dob, ref)
    if person.relation == "child":
        weights = [("gp", 0.7), ("health_ae", 0.35), ("childrens_social_care", 0.55)]
        weights.append(("police", 0.25 if age >= 10 else 0.12))
        if age < 5:
            weights.append(("health_visitor", 0.75))
        if person.upn and age < 17:
            weights.append(("school", 0.9))
        if age >= 13:
            weights.append(("substance_misuse", 0.03))
        return weights
    if person.relation == "mother":
        return _mother_weights(household, ref)
    if person.relation in ("grandmother", "grandfather"):
        return [
            ("gp", 0.7),
            ("childrens_social_care", 0.3),
            ("housing", 0.2),
            ("health_ae", 0.2),
            ("police", 0.08),
            ("adult_mental_health", 0.05),
        ]
    if person.relation == "visitor":
        return [
            ("police", 0.85),
            ("probation", 0.35),
            ("gp", 0.1),
            ("substance_misuse", 0.12),
            ("health_ae", 0.1),
            ("childrens_social_care", 0.12),
            ("housing", 0.05),
        ]
    carer = person.role == "carer"  # a father caring alone is known as the children's carer
    return [
        ("gp", 0.5),
        ("police", 0.5),
        ("probation", 0.15),
        ("housing", 0.4 if carer else 0.25),
        ("substance_misuse", 0.12),
        ("adult_mental_health", 0.12),
        ("health_ae", 0.2),
        ("childrens_social_care", 0.45 if carer else 0.3),
    ]


def _mother_weights(household: TrueHousehold, ref: dt.date) -> list[tuple[str, float]]:
    weights = [
        ("gp", 0.75),
        ("police", 0.35),
        ("housing", 0.35),
        ("health_ae", 0.25),
        ("adult_mental_health", 0.2),
        ("substance_misuse", 0.1),
        ("childrens_social_care", 0.45),
        ("probation", 0.03),
    ]
    ages = [age_on(p.dob, ref) for p in household.people if p.relation == "child"]
    pregnant = any(p.unborn for p in household.people)
    if pregnant or any(0 <= a < 1 for a in ages):
        weights.append(("midwifery", 0.85))
    if any(0 <= a < 5 for a in ages):
        weights.append(("health_visitor", 0.3))
    return weights


def choose_agencies(
    person: TruePerson, household: TrueHousehold, rng: random.Random, cfg: PopulationConfig
) -> list[str]:
    """One to six agencies; the unborn are always known to midwifery."""
    weights = _agency_weights(person, household, cfg.reference_date)
    chosen = [agency for agency, p in weights if rng.random() < p]
    if person.unborn and "midwifery" not in chosen:
        chosen.insert(0, "midwifery")
    if not chosen:
        chosen = [rng.choices([a for a, _ in weights], weights=[p for _, p in weights])[0]]
    if len(chosen) > 6:
        chosen = rng.sample(chosen, 6)
    return chosen
