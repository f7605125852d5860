"""Synthetic flat exports from housing, probation, adult mental health and substance misuse.

The people are invented households from `hub.synthetic.population` (the truth behind its
agency records: valid NHS numbers that belong to nobody, made-up addresses): the adults as
tenants, carers and partners, the children as household members. Each agency's export is
written the way that agency would write it — its own column names, codes, date formats and
references — and read back by `connectors.profiles`, which this module deliberately does not
import: the file format is the only contract between the two, as with a real agency.

`write_sample` writes a file; `sample_rows` and `render` give the rows and bytes for tests;
`bad_rows` gives rows that must each be rejected, with the reason. Deterministic for a seed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from collections.abc import Iterator
from pathlib import Path

from hub.synthetic.population import TrueHousehold, TruePerson, iter_households

__all__ = ["AGENCIES", "COLUMNS", "bad_rows", "render", "sample_rows", "write_sample"]

AGENCIES = ("housing", "probation", "adult_mental_health", "substance_misuse")

COLUMNS: dict[str, tuple[str, ...]] = {
    "housing": (
        "case_ref",
        "person_ref",
        "tenancy_ref",
        "forename",
        "middle_names",
        "surname",
        "date_of_birth",
        "gender",
        "nhs_number",
        "address",
        "postcode",
        "la_code",
        "tenancy_start",
        "relationship_to_tenant",
        "household_member_of",
        "event_type",
        "event_date",
        "recorded_date",
        "arrears_amount",
        "arrears_weeks",
        "notes",
        "action",
        "record_status",
        "revision",
        "agency",
    ),
    "probation": (
        "crn",
        "event_id",
        "forename",
        "middle_names",
        "surname",
        "date_of_birth",
        "gender",
        "address",
        "postcode",
        "la_code",
        "address_start_date",
        "relationship_to_household",
        "risk_to_children",
        "violence_history",
        "rosh_children",
        "mappa_level",
        "event_type",
        "event_date",
        "recorded_date",
        "notes",
        "action",
        "record_status",
        "revision",
        "agency",
    ),
    "adult_mental_health": (
        "patient_id",
        "nhs_number",
        "contact_id",
        "forename",
        "middle_names",
        "surname",
        "date_of_birth",
        "gender",
        "address",
        "postcode",
        "la_code",
        "is_parent",
        "event_type",
        "event_datetime",
        "recorded_datetime",
        "mha_section",
        "team",
        "notes",
        "action",
        "record_status",
        "revision",
        "agency",
    ),
    "substance_misuse": (
        "client_id",
        "event_ref",
        "nhs_number",
        "first_name",
        "middle_names",
        "last_name",
        "dob",
        "sex",
        "address",
        "postcode",
        "la_code",
        "children_in_household",
        "event_type",
        "event_date",
        "recorded_date",
        "substance",
        "notes",
        "action",
        "record_status",
        "revision",
        "agency",
    ),
}

# Events happen in 2025: after the population's children are born, before its reference date.
_FIRST_DAY = dt.date(2025, 1, 6)
_DAYS = 340

_NOTES = {
    "housing": {
        "eviction_notice": ["Section 21 notice served by post.", "NOSP served in person."],
        "possession_order": ["Outright possession order granted at county court."],
        "rent_arrears": [
            "Arrears escalating; tenant says partner stopped contributing.",
            "Universal Credit deductions not covering arrears.\nReferred to money advice.",
        ],
        "temporary_accommodation": ["Placed in B&B after homelessness assessment."],
        "asb_complaint": ["Neighbours report shouting and banging late at night."],
        "domestic_abuse_disclosure": [
            "Tenant disclosed partner is controlling and has threatened her.",
            "Disclosed during repairs visit.\nChildren present in the home.",
        ],
    },
    "probation": {
        "sentence_start": ["Community order with unpaid work.", "Suspended sentence order."],
        "licence_recall": ["Recalled after breach of licence conditions (contact with victim)."],
        "rosh_assessment": ["OASys review completed.", "Risk reviewed after new intelligence."],
        "mappa_level": ["Level confirmed at MAPPA meeting."],
        "address_change_children": [
            "Reports moving in with new partner who has two children under 10.",
        ],
    },
    "adult_mental_health": {
        "crisis_contact": ["Crisis team home visit; expressed suicidal thoughts."],
        "mha_admission": ["Detained after assessment; children cared for by grandmother."],
        "discharge": ["Discharged home with community team follow-up."],
        "missed_appointment": ["Did not attend outpatient review; no answer by phone."],
    },
    "substance_misuse": {
        "treatment_start": ["Started opiate substitution therapy."],
        "positive_test": ["Positive result on urine screen."],
        "relapse": ["Self-reported relapse after three months abstinent."],
        "dropped_out": ["Not seen for six weeks; discharged as disengaged."],
    },
}
_ACTIONS = ("Referred to MASH.", "Safeguarding lead informed.", "", "", "")
_SUBSTANCES = ("Alcohol", "Opiates", "Crack cocaine", "Cocaine", "Cannabis", "Benzodiazepines")
_TEAMS = (
    "Crisis Resolution and Home Treatment",
    "Community Mental Health Team",
    "Early Intervention",
)


# The households of a seed, generated once per process and shared by every agency's sample:
# the four exports of one seed describe the same invented people, so the hub can link them.
_HOUSEHOLDS: dict[int, tuple[list[TrueHousehold], Iterator[TrueHousehold]]] = {}


def _households(seed: int) -> Iterator[TrueHousehold]:
    made, source = _HOUSEHOLDS.setdefault(seed, ([], iter_households(1_000_000, seed)))
    index = 0
    while True:
        if index == len(made):
            made.append(next(source))
        yield made[index]
        index += 1


def _event_day(rng: random.Random) -> dt.date:
    return _FIRST_DAY + dt.timedelta(days=rng.randrange(_DAYS))


def _visits(
    rng: random.Random, households: Iterator[TrueHousehold], most: int
) -> Iterator[tuple[TrueHousehold, dt.date]]:
    """Each household on one to `most` days, weeks apart: a person has several events."""
    last = _FIRST_DAY + dt.timedelta(days=_DAYS)
    for household in households:
        day = _event_day(rng)
        for _ in range(rng.randint(1, most)):
            if day > last:
                break
            yield household, day
            day += dt.timedelta(days=rng.randrange(7, 60))


def _living(person: TruePerson, on: dt.date) -> bool:
    return person.dob is not None and person.dob < on and not person.unborn


def _children(household: TrueHousehold, on: dt.date) -> list[TruePerson]:
    return [p for p in household.people if p.role == "child" and _living(p, on)]


def _address(person: TruePerson, household: TrueHousehold) -> tuple[str, str, str]:
    address = (person.addresses or household.addresses)[0]
    return f"{address.line}, {address.town}", address.postcode, address.local_authority


class _Refs:
    """Each agency's own references for the invented people and events."""

    def __init__(self, person_format: str, event_format: str) -> None:
        self.person_format, self.event_format = person_format, event_format
        self.people: dict[str, str] = {}
        self.events = 0

    def person(self, person: TruePerson) -> str:
        return self.people.setdefault(
            person.person_id, self.person_format.format(len(self.people) + 1)
        )

    def event(self) -> str:
        self.events += 1
        return self.event_format.format(self.events)


def _note(rng: random.Random, agency: str, event_type: str) -> str:
    return rng.choice(_NOTES[agency][event_type])


def _with_history(rng: random.Random, row: dict[str, str]) -> list[dict]:
    """The row, sometimes followed by its amendment or its withdrawal."""
    roll = rng.random()
    if roll < 0.12:
        amended = dict(row, record_status="amended", revision="2")
        amended["notes"] = (row["notes"] + " Updated after review.").strip()
        return [row, amended]
    if roll < 0.17:
        return [row, dict(row, record_status="withdrawn", revision="1")]
    return [row]


# ---- one generator per agency ---------------------------------------------------------------


def _housing(rng: random.Random, households: Iterator[TrueHousehold]) -> Iterator[dict]:
    refs = _Refs("HP{:06d}", "HC-{:06d}")
    weights = {
        "rent_arrears": 4,
        "eviction_notice": 2,
        "possession_order": 1,
        "temporary_accommodation": 1,
        "asb_complaint": 2,
        "domestic_abuse_disclosure": 1,
    }
    for household in households:
        day = _event_day(rng)
        adults = [p for p in household.people if p.role in ("carer", "partner") and _living(p, day)]
        if not adults:
            continue
        tenant = adults[0]
        line, postcode, la = _address(tenant, household)
        event_type = rng.choices(list(weights), list(weights.values()))[0]
        case_ref = refs.event()
        tenancy_ref = f"TEN-{rng.randrange(10_000, 99_999)}"
        tenancy_start = day - dt.timedelta(days=rng.randrange(200, 3000))
        amount = weeks = ""
        if event_type == "rent_arrears" or (event_type != "asb_complaint" and rng.random() < 0.3):
            pounds = round(min(40 + rng.expovariate(1 / 900), 6000), 2)  # mostly small
            amount = rng.choice([f"{pounds:.2f}", f"£{pounds:,.2f}"])
            weeks = str(min(1 + int(pounds // 110), 30))  # about £110 a week
        members = [("tenant", tenant)]
        members += [
            ("partner", p)
            for p in adults[1:]
            if p.role == "partner" and _address(p, household)[1] == postcode
        ]
        members += [("child", child) for child in _children(household, day)]
        recorded = day + dt.timedelta(days=rng.choice([0, 0, 1, 3]))
        note = _note(rng, "housing", event_type)
        action = rng.choice(_ACTIONS)
        for relation, person in members:
            row = {
                "case_ref": case_ref,
                "person_ref": refs.person(person),
                "tenancy_ref": tenancy_ref,
                "forename": person.given,
                "middle_names": " ".join(person.middle),
                "surname": person.family,
                "date_of_birth": person.dob.strftime("%d/%m/%Y") if person.dob else "",
                "gender": {"female": "F", "male": "M"}.get(person.sex, "U"),
                "nhs_number": person.nhs if rng.random() < 0.3 else "",
                "address": line,
                "postcode": postcode,
                "la_code": la,
                "tenancy_start": tenancy_start.strftime("%d/%m/%Y"),
                "relationship_to_tenant": relation,
                "household_member_of": "" if relation == "tenant" else refs.person(tenant),
                "event_type": event_type,
                "event_date": day.strftime("%d/%m/%Y"),
                "recorded_date": recorded.strftime("%d/%m/%Y"),
                "arrears_amount": amount,
                "arrears_weeks": weeks,
                "notes": note if relation == "tenant" else "",
                "action": action,
                "record_status": "",
                "revision": "",
                "agency": "housing",
            }
            yield from _with_history(rng, row)


def _probation(rng: random.Random, households: Iterator[TrueHousehold]) -> Iterator[dict]:
    refs = _Refs("X{:06d}", "EV{:07d}")
    rosh_levels = ("Low", "Medium", "High", "Very High")
    for household, day in _visits(rng, households, most=3):
        men = [
            p
            for p in household.people
            if p.role in ("partner", "visitor") and p.sex == "male" and _living(p, day)
        ]
        for person in men:
            event_type = rng.choice(
                [
                    "sentence_start",
                    "licence_recall",
                    "rosh_assessment",
                    "mappa_level",
                    "address_change_children",
                ]
            )
            line, postcode, la = _address(person, household)
            when = dt.datetime.combine(day, dt.time(rng.randrange(8, 18), rng.randrange(60)))
            row = {
                "crn": refs.person(person),
                "event_id": refs.event(),
                "forename": person.given,
                "middle_names": " ".join(person.middle),
                "surname": person.family,
                "date_of_birth": person.dob.isoformat() if person.dob else "",
                "gender": person.sex.title(),
                "address": line,
                "postcode": postcode,
                "la_code": la,
                "address_start_date": (day - dt.timedelta(days=rng.randrange(30, 900))).isoformat(),
                "relationship_to_household": "Partner" if person.role == "partner" else "Visitor",
                "risk_to_children": rng.choice(["Y", "N", "N"]),
                "violence_history": rng.choice(["Y", "N"]),
                "rosh_children": rng.choice(rosh_levels) if event_type == "rosh_assessment" else "",
                "mappa_level": str(rng.randrange(1, 4)) if event_type == "mappa_level" else "",
                "event_type": event_type.upper(),
                "event_date": when.strftime("%Y-%m-%d %H:%M:%S"),
                "recorded_date": (when + dt.timedelta(hours=rng.randrange(1, 48))).isoformat(),
                "notes": _note(rng, "probation", event_type),
                "action": rng.choice(_ACTIONS),
                "record_status": "",
                "revision": "",
                "agency": "probation",
            }
            yield from _with_history(rng, row)


def _adult_mental_health(rng: random.Random, households: Iterator[TrueHousehold]) -> Iterator[dict]:
    refs = _Refs("RIO{:07d}", "C{:08d}")
    for household, day in _visits(rng, households, most=3):
        has_children = bool(_children(household, day))
        adults = [
            p
            for p in household.people
            if p.role in ("carer", "partner", "visitor") and _living(p, day)
        ]
        for person in adults:
            if rng.random() < 0.5:
                continue
            event_type = rng.choice(
                ["crisis_contact", "mha_admission", "discharge", "missed_appointment"]
            )
            line, postcode, la = _address(person, household)
            when = dt.datetime.combine(day, dt.time(rng.randrange(24), rng.randrange(60)))
            is_parent = has_children and person.role != "visitor"
            row = {
                "patient_id": refs.person(person),
                "nhs_number": person.nhs,
                "contact_id": refs.event(),
                "forename": person.given,
                "middle_names": " ".join(person.middle),
                "surname": person.family.upper(),
                "date_of_birth": person.dob.strftime("%d/%m/%Y") if person.dob else "",
                "gender": {"female": "F", "male": "M"}.get(person.sex, "U"),
                "address": line,
                "postcode": postcode,
                "la_code": la,
                "is_parent": "Yes" if is_parent else "No",
                "event_type": event_type,
                "event_datetime": when.strftime("%d/%m/%Y %H:%M"),
                "recorded_datetime": (when + dt.timedelta(hours=2)).strftime("%d/%m/%Y %H:%M"),
                "mha_section": rng.choice(["2", "3", "136"])
                if event_type == "mha_admission"
                else "",
                "team": rng.choice(_TEAMS),
                "notes": _note(rng, "adult_mental_health", event_type),
                "action": rng.choice(_ACTIONS),
                "record_status": "",
                "revision": "",
                "agency": "adult_mental_health",
            }
            yield from _with_history(rng, row)


def _substance_misuse(rng: random.Random, households: Iterator[TrueHousehold]) -> Iterator[dict]:
    refs = _Refs("SMS-{:05d}", "EP{:06d}")
    for household, day in _visits(rng, households, most=3):
        children = bool(_children(household, day))
        adults = [p for p in household.people if p.role in ("carer", "partner") and _living(p, day)]
        for person in adults[:1] if rng.random() < 0.7 else adults:
            event_type = rng.choice(["treatment_start", "positive_test", "relapse", "dropped_out"])
            line, postcode, la = _address(person, household)
            row = {
                "client_id": refs.person(person),
                "event_ref": refs.event(),
                "nhs_number": person.nhs if rng.random() < 0.8 else "",
                "first_name": person.given,
                "middle_names": " ".join(person.middle),
                "last_name": person.family,
                "dob": person.dob.strftime("%d-%b-%Y") if person.dob else "",
                "sex": person.sex.title(),
                "address": line,
                "postcode": postcode,
                "la_code": la,
                "children_in_household": "Yes" if children else "No",
                "event_type": event_type,
                "event_date": day.strftime("%d-%b-%Y"),
                "recorded_date": (day + dt.timedelta(days=rng.randrange(3))).strftime("%d/%m/%Y"),
                "substance": rng.choice(_SUBSTANCES),
                "notes": _note(rng, "substance_misuse", event_type),
                "action": rng.choice(_ACTIONS),
                "record_status": "",
                "revision": "",
                "agency": "substance_misuse",
            }
            yield from _with_history(rng, row)


_GENERATORS = {
    "housing": _housing,
    "probation": _probation,
    "adult_mental_health": _adult_mental_health,
    "substance_misuse": _substance_misuse,
}


# ---- public ---------------------------------------------------------------------------------


def sample_rows(agency: str, seed: int = 1, rows: int = 40) -> list[dict[str, str]]:
    """`rows` rows of the agency's export (every column, '' for blank), from invented
    households; a few rows are amendments (revision 2) or withdrawals of the row before."""
    if agency not in _GENERATORS:
        raise ValueError(f"No sample writer for {agency!r}; there are: {', '.join(AGENCIES)}.")
    rng = random.Random(f"profiles:{agency}:{seed}")
    households = _households(seed)
    out: list[dict[str, str]] = []
    for row in _GENERATORS[agency](rng, households):
        if len(out) >= rows:
            break
        out.append(row)
    return out


def render(rows: list[dict[str, str]], agency: str, fmt: str = "csv") -> bytes:
    """Rows as the agency sends them: "csv" (header, CRLF), "json" (an array of objects,
    blanks as null) or "jsonl" (one object per line)."""
    columns = COLUMNS[agency]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue().encode("utf-8")
    objects = [{c: (row.get(c) or None) for c in columns} for row in rows]
    if fmt == "json":
        return json.dumps(objects, indent=1, ensure_ascii=False).encode("utf-8")
    if fmt == "jsonl":
        return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects).encode("utf-8")
    raise ValueError(f"Unknown format {fmt!r}: use csv, json or jsonl.")


def write_sample(
    path: str | Path, agency: str, seed: int = 1, rows: int = 40, fmt: str = "csv"
) -> Path:
    """Write an invented export of `rows` rows for the agency; returns the path."""
    target = Path(path)
    target.write_bytes(render(sample_rows(agency, seed, rows), agency, fmt))
    return target


def _bad(base: dict[str, str], reason: str, **changes: str) -> tuple[dict[str, str], str]:
    return dict(base, **changes), reason


def bad_rows(agency: str) -> list[tuple[dict[str, str], str]]:
    """Rows that must each be rejected, each with the reason it must produce: every one is a
    good sample row with exactly one thing wrong."""
    rows = sample_rows(agency, seed=7, rows=30)
    base = next(r for r in rows if not r["record_status"] and not r.get("household_member_of"))
    date_column = {
        "housing": "event_date",
        "probation": "event_date",
        "adult_mental_health": "event_datetime",
        "substance_misuse": "event_date",
    }[agency]
    ref_column = COLUMNS[agency][0]
    dob_column = "dob" if agency == "substance_misuse" else "date_of_birth"
    impossible = {
        "housing": "30/02/2025",
        "probation": "2025-02-30 10:00:00",
        "adult_mental_health": "31/04/2025 09:15",
        "substance_misuse": "29-Feb-2025",
    }[agency]
    future = {
        "housing": "01/01/2099",
        "probation": "2099-01-01 10:00:00",
        "adult_mental_health": "01/01/2099 09:15",
        "substance_misuse": "01-Jan-2099",
    }[agency]
    out = [
        _bad(base, "unknown_event_type", event_type="alien_abduction"),
        _bad(base, "invalid_date", **{date_column: impossible}),
        _bad(base, "invalid_date", **{dob_column: "31/31/1990"}),
        _bad(base, "invalid_postcode", postcode="LS99 ZZZZ"),
        _bad(base, "missing_value", **{ref_column: ""}),
        _bad(base, "wrong_agency", agency="police"),
        _bad(base, "missing_value", record_status="amended", revision=""),
        _bad(base, "invalid_number", revision="two"),
        _bad(base, "invalid_value", record_status="archived"),
        _bad(base, "invalid_event", **{date_column: future}),
        # Hostile text is data: this row is bad only because of its postcode.
        _bad(base, "invalid_postcode", notes="'; DROP TABLE x;-- <script>", postcode="<b>"),
    ]
    if agency != "probation":
        out.append(_bad(base, "invalid_nhs_number", nhs_number="1234567890"))
    if agency == "housing":
        member = next(r for r in rows if r["household_member_of"])
        out += [
            _bad(base, "invalid_amount", event_type="rent_arrears", arrears_amount="about 300"),
            _bad(base, "invalid_amount", arrears_amount="-50.00"),
            _bad(base, "invalid_number", arrears_weeks="six"),
            _bad(base, "missing_value", event_type="rent_arrears", arrears_amount=""),
            _bad(member, "invalid_value", relationship_to_tenant="lodger"),
            _bad(base, "invalid_value", relationship_to_tenant="landlord"),
        ]
    elif agency == "probation":
        out += [
            _bad(base, "invalid_value", rosh_children="extreme"),
            _bad(base, "invalid_value", mappa_level="4"),
            _bad(base, "missing_value", event_type="ROSH_ASSESSMENT", rosh_children=""),
            _bad(base, "invalid_value", relationship_to_household="neighbour"),
            _bad(base, "invalid_value", risk_to_children="maybe"),
        ]
    elif agency == "adult_mental_health":
        out += [
            _bad(base, "invalid_value", is_parent="sometimes"),
            _bad(base, "invalid_value", mha_section="99"),
            _bad(base, "invalid_value", gender="Q"),
        ]
    else:
        out += [
            _bad(base, "invalid_value", children_in_household="perhaps"),
            _bad(base, "invalid_value", sex="Q"),
        ]
    return out
