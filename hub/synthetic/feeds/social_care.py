"""A synthetic children's social care case-management export (format: `connectors.social_care`).

Invented children only: child records that children's social care holds in
`hub.synthetic.population` (names, dates of birth, NHS numbers, UPNs, addresses), each given a
plausible case journey between April 2023 and March 2025 — referral, assessment outcome, then
no further action, a child in need plan, or strategy discussion → section 47 → child protection
plan (→ looked after) — ending in a closure with a CIN census reason. Deterministic for a seed.
Rows are in journey order per child, children interleaved; some rows amend or withdraw an
earlier one.

`bad_rows()` lists rows that must each be rejected, with the reason the connector must give.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from hub.synthetic.feeds.schools import address_line, csv_bytes, date_text, invented_children
from hub.synthetic.population import PopulationRecord

# The export's columns, in the order the system writes them (a test checks that the connector
# requires exactly these, besides the optional middle_names and recorded_by_role).
COLUMNS = (
    "person_ref",
    "case_ref",
    "forename",
    "middle_names",
    "surname",
    "dob",
    "sex",
    "nhs_number",
    "upn",
    "address",
    "postcode",
    "local_authority",
    "event_type",
    "event_date",
    "outcome",
    "category_of_abuse",
    "worker_team",
    "summary",
    "record_status",
    "revision",
    "event_ref",
    "recorded_by_role",
)

PERIOD_START = dt.date(2023, 4, 3)
PERIOD_END = dt.date(2025, 3, 31)
TEAMS = {
    "referral": "MASH Team",
    "assessment_outcome": "Assessment Team North",
    "child_in_need_plan_start": "Children in Need Team 2",
    "child_in_need_plan_end": "Children in Need Team 2",
    "child_protection_plan_start": "Child Protection Team",
    "child_protection_plan_end": "Child Protection Team",
    "looked_after_start": "Children Looked After Team",
    "looked_after_end": "Children Looked After Team",
    "case_closure": "Assessment Team North",
}
# Who records each kind of event, by role (never a name); otherwise "Social worker".
RECORDED_BY = {
    "child_protection_plan_start": "Child protection conference chair",
    "child_protection_plan_end": "Child protection conference chair",
    "case_closure": "Team manager",
}
SUMMARIES = {
    "referral": (
        "Referral from school: unexplained bruising.",
        "Police PPN after a domestic incident; child present.",
        "Health visitor concerned about home conditions.",
        "Anonymous referral from a neighbour.",
    ),
    "assessment_outcome": (
        "Single assessment completed.",
        "Assessment completed; parents engaged.",
        "Threshold discussed with team manager.",
    ),
    "child_in_need_plan_start": ("CIN plan agreed at first meeting.",),
    "child_in_need_plan_end": ("Plan goals met; stepping down.",),
    "child_protection_plan_start": ("Initial child protection conference held.",),
    "child_protection_plan_end": ("Review conference: plan no longer needed.",),
    "looked_after_start": ("Accommodated under section 20 with parental agreement.",),
    "looked_after_end": ("Special guardianship order made to grandmother.",),
    "case_closure": ("Case closed.", ""),
}


def _journey(rng: random.Random) -> list[tuple[str, str, str]]:
    """(event_type, outcome, category_of_abuse) of one case, in order."""
    path = rng.choices(("nfa", "cin", "cp", "lac"), weights=(4, 3, 2, 1))[0]
    if path == "nfa":
        return [
            ("referral", "", ""),
            ("assessment_outcome", rng.choice(("nfa", "No further action")), ""),
            ("case_closure", rng.choice(("RC8", "RC9")), ""),
        ]
    if path == "cin":
        return [
            ("referral", rng.choice(("", "Progressed to assessment")), ""),
            ("assessment_outcome", rng.choice(("child_in_need", "CIN")), ""),
            ("child_in_need_plan_start", "", ""),
            ("child_in_need_plan_end", "", ""),
            ("case_closure", "no_longer_in_need", ""),
        ]
    abuse = rng.choice(("neglect", "neglect", "emotional", "physical", "sexual", "multiple"))
    steps = [
        ("referral", "", ""),
        ("assessment_outcome", "strategy_discussion", ""),
        ("assessment_outcome", rng.choice(("section_47", "S47")), ""),
        ("child_protection_plan_start", "", abuse),
    ]
    if path == "lac":
        return [
            *steps,
            ("looked_after_start", "", ""),
            ("child_protection_plan_end", "", abuse),
            ("looked_after_end", "", ""),
            ("case_closure", "RC4", ""),
        ]
    return [*steps, ("child_protection_plan_end", "", ""), ("case_closure", "RC7", "")]


def _person(record: PopulationRecord, rng: random.Random) -> dict[str, str]:
    dob = record.date_of_birth
    return {
        "person_ref": record.source_ref,
        "forename": record.given_name,
        "middle_names": record.middle_names,
        "surname": record.family_name,
        "dob": dob if rng.random() < 0.5 else dt.date.fromisoformat(dob).strftime("%d/%m/%Y"),
        "sex": {"female": "Female", "male": "Male"}.get(record.sex, "Unknown"),
        "nhs_number": record.nhs_number,
        "upn": record.upn,
        "address": address_line(record),
        "postcode": record.postcode,
        "local_authority": record.local_authority,
    }


def _case_rows(
    record: PopulationRecord, rng: random.Random, case_number: int
) -> list[dict[str, str]]:
    person = _person(record, rng)
    born = dt.date.fromisoformat(record.date_of_birth)
    day = max(PERIOD_START, born) + dt.timedelta(days=rng.randint(0, 400))
    rows = []
    for event_type, outcome, abuse in _journey(rng):
        if day > PERIOD_END:
            break
        rows.append(
            {
                **person,
                "case_ref": f"CASE-{case_number:05d}",
                "event_type": event_type,
                "event_date": date_text(rng, day, with_time=0.15),
                "outcome": outcome,
                "category_of_abuse": abuse,
                "worker_team": TEAMS[event_type],
                "recorded_by_role": RECORDED_BY.get(event_type, "Social worker"),
                "summary": rng.choice(SUMMARIES[event_type]),
                "record_status": "new",
                "revision": "1",
            }
        )
        day += dt.timedelta(days=rng.randint(3, 120))
    return rows


def sample_rows(seed: int = 1, rows: int = 60) -> list[dict[str, str]]:
    """`rows` export rows (column → text) about invented children; a few amend or withdraw an
    earlier row's event."""
    rng = random.Random(f"social-care-feed:{seed}")
    born = (dt.date(2007, 4, 1), dt.date(2024, 12, 31))
    pending: list[list[dict[str, str]]] = []
    children = invented_children(seed, "childrens_social_care", born)
    out: list[dict[str, str]] = []
    current: dict[str, dict[str, str]] = {}  # event_ref → its latest row
    number = cases = 0
    while len(out) < rows:
        if len(pending) < 4:
            record = next(children, None)
            if record is not None:
                cases += 1
                case = _case_rows(record, rng, cases)
                if case:
                    pending.append(case)
                continue
        if not pending:
            break
        earlier = [row for row in current.values() if row["record_status"] != "withdrawn"]
        roll = rng.random()
        if earlier and roll < 0.08:
            row = dict(rng.choice(earlier))
            row["record_status"] = "amended"
            row["revision"] = str(int(row["revision"]) + 1)
            row["summary"] = f"Amended: {row['summary'] or 'date corrected.'}"
        elif earlier and roll < 0.1:
            row = dict(rng.choice(earlier))
            row["record_status"] = "withdrawn"
            row["summary"] = "Entered on the wrong child's record."
        else:
            case = rng.choice(pending)
            number += 1
            row = {**case.pop(0), "event_ref": f"EVT-{number:06d}"}
            if not case:
                pending.remove(case)
        out.append(row)
        current[row["event_ref"]] = row
    return out


def sample_bytes(seed: int = 1, rows: int = 60) -> bytes:
    return csv_bytes(COLUMNS, sample_rows(seed, rows))


def write_sample(path: str | Path, seed: int = 1, rows: int = 60) -> Path:
    """Write a sample export of `rows` rows about invented children; returns the path."""
    path = Path(path)
    path.write_bytes(sample_bytes(seed, rows))
    return path


# A valid row about an invented child; each bad row below breaks it in one way.
_GOOD = {
    "person_ref": "P-990001",
    "case_ref": "CASE-99001",
    "forename": "Kacper",
    "middle_names": "",
    "surname": "Nowak",
    "dob": "2016-02-29",
    "sex": "Male",
    "nhs_number": "4010232137",
    "upn": "B801200005001",
    "address": "12 Mill Lane, Leeds",
    "postcode": "LS6 2AA",
    "local_authority": "E08000035",
    "event_type": "assessment_outcome",
    "event_date": "14/10/2024",
    "outcome": "child_in_need",
    "category_of_abuse": "",
    "worker_team": "Assessment Team North",
    "summary": "Single assessment completed.",
    "record_status": "new",
    "revision": "1",
    "event_ref": "BAD-001",
    "recorded_by_role": "Social worker",
}


def _line(**changes: str) -> bytes:
    """One CSV line (no line ending) of the good row with `changes` applied."""
    return csv_bytes(COLUMNS, [{**_GOOD, **changes}]).split(b"\r\n")[1]


def bad_rows() -> list[tuple[bytes, str]]:
    """(one physical CSV line, the reason it must be rejected with) — each breaks one rule."""
    good = _line()
    return [
        (b",".join(good.split(b",")[:-1]), "invalid_csv"),  # a field short
        (_line(nhs_number="4010232138", event_ref="BAD-002"), "invalid_value"),  # check digit
        (_line(upn="A801200005001", event_ref="BAD-003"), "invalid_value"),  # check letter
        (_line(event_type="contact", event_ref="BAD-004"), "invalid_value"),  # unknown code
        (_line(outcome="early_help", event_ref="BAD-005"), "invalid_value"),  # unknown outcome
        (
            _line(event_type="case_closure", outcome="RC10", event_ref="BAD-006"),
            "invalid_value",
        ),  # unknown closure reason
        (
            _line(event_type="child_protection_plan_start", outcome="", event_ref="BAD-007"),
            "invalid_value",
        ),  # no category of abuse
        (_line(event_date="30/02/2024", event_ref="BAD-008"), "invalid_value"),  # impossible
        (_line(dob="2015-02-29", event_ref="BAD-009"), "invalid_value"),  # not a leap year
        (
            _line(surname="Nowak-Kowalski", event_ref="BAD-010").replace(
                b"Kowalski", "Kowalski Ż".encode("cp1250")
            ),
            "invalid_encoding",
        ),  # a Windows code page, not UTF-8
        (_line(event_date="01/01/2099", event_ref="BAD-011"), "invalid_value"),  # in the future
        (
            _line(surname="", nhs_number="", upn="", event_ref="BAD-012"),
            "invalid_value",
        ),  # nobody to identify
        (_line(record_status="amended", revision="", event_ref="BAD-013"), "invalid_value"),
        (_line(local_authority="Leeds", event_ref="BAD-014"), "invalid_value"),  # not ONS code
        (_line(recorded_by_role="R" * 121, event_ref="BAD-015"), "invalid_value"),  # too long
    ]
