"""Synthetic police incident exports (CSV and JSON) about invented families, and broken ones.

The families come from `hub.synthetic.population` (`iter_households`: invented mothers,
fathers, step-fathers, children and visiting men, with made-up addresses under plausible
postcodes). Each incident involves several people of one household — a mother, her partner or
a visiting man, the children present — written as a police system would export them: one row
per person per incident (CSV), or incidents each with a `persons` list (JSON). Surnames are
upper case, dates of birth mix DD/MM/YYYY and YYYY-MM-DD, incident times mix UK local
`DD/MM/YYYY HH:MM` and ISO 8601 with an offset, and some summaries hold commas, quotes and line
breaks. Most incidents give the recording officer's rank (never a name). Every tenth incident
record is an amendment (revision 2, risk raised) or a withdrawal of an earlier one.
Deterministic for a seed. Nothing here is real.

`bad_rows()` and `bad_files()` give malformed content with the reject each must produce.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

from hub.synthetic.population import TrueHousehold, TruePerson, iter_households

LONDON = ZoneInfo("Europe/London")

COLUMNS = (
    "incident_ref",
    "ppn_ref",
    "record_status",
    "revision",
    "incident_type",
    "occurred_at",
    "reported_at",
    "risk_level",
    "person_ref",
    "role_in_incident",
    "surname",
    "forenames",
    "date_of_birth",
    "sex",
    "address",
    "postcode",
    "local_authority",
    "summary",
    "action_taken",
    "recorded_by_role",
    "relationship_to_child",
)
INCIDENT_KEYS = (
    "incident_ref",
    "ppn_ref",
    "record_status",
    "revision",
    "incident_type",
    "occurred_at",
    "reported_at",
    "risk_level",
    "summary",
    "action_taken",
    "recorded_by_role",
)
PERSON_KEYS = tuple(c for c in COLUMNS if c not in INCIDENT_KEYS)

FIRST_DAY = dt.date(2025, 1, 6)
LAST_DAY = dt.date(2025, 12, 19)
TYPE_WEIGHTS = {
    "domestic_abuse": 45,
    "missing_episode": 14,
    "child_neglect": 10,
    "sexual_exploitation": 7,
    "online_harm": 8,
    "assault": 9,
    "other": 7,
}
SUMMARIES = {
    "domestic_abuse": (
        "Officers attended after a 999 call from a neighbour reporting shouting and a smashed "
        "window. Victim disclosed previous incidents, not reported.",
        'Verbal argument escalated; suspect said "it won\'t happen again". Children were '
        "upstairs, the eldest heard it.\nVictim declined to make a statement.",
        "Third call this quarter. Victim has a visible injury to the forearm, says she fell.",
    ),
    "missing_episode": (
        "Reported missing by mother at 23:00, found next day at a friend's address, in a "
        "distressed state. Return home interview requested.",
        "Missing overnight; located by officers in the town centre with older males.",
    ),
    "child_neglect": (
        "Welfare check: no food in the property, children unkempt, dog faeces on the floor.",
        "Children found home alone at night, the youngest aged under 5; mother returned at 02:10.",
    ),
    "sexual_exploitation": (
        "Young person seen getting into cars with adult males; phone holds explicit messages.",
        "Intelligence: child given alcohol, cannabis and gifts by an adult male at his flat.",
    ),
    "online_harm": (
        "Child sent indecent images to an unknown online contact who is now demanding money.",
        "Report of grooming through a gaming platform; devices seized.",
    ),
    "assault": (
        "Assault at the family home; visitor punched the victim, children witnessed it.",
        "Victim assaulted in the street outside the address; children in the car.",
    ),
    "other": (
        "Concern for welfare call; the property is in poor condition and mother appeared "
        "intoxicated.",
        "Anti-social behaviour at the address, large gathering, children present late at night.",
    ),
}
ACTIONS = (
    "DASH completed; PPN submitted to MASH.",
    "Suspect arrested, released on bail with conditions.",
    "Safeguarding advice given; PPN submitted.",
    "Referred to children's social care; Operation Encompass notification to school.",
    "",
)
RISKS = {"standard": 5, "medium": 4, "high": 2}
# The recording officer's rank, never a name; some exports leave it blank.
RECORDED_BY = ("Police constable", "Detective constable", "Police sergeant", "")
AMENDMENT = " UPDATE: further disclosure on follow-up visit; risk reassessed as high."
WITHDRAWAL = "Withdrawn: recorded against the wrong family in error."


class BadRow(NamedTuple):
    """One CSV data row (it may span lines) that must be rejected, and how."""

    content: bytes
    reason: str
    field: str  # a key the Rejected's fields must hold


class BadFile(NamedTuple):
    """A whole payload (CSV or JSON) with one problem, and the reject it must produce."""

    name: str
    content: bytes
    line: int  # CSV/JSON Lines: physical line; JSON array: incident position
    reason: str
    field: str  # a key the Rejected's fields must hold
    events: int  # how many events must still come through


# --------------------------------------------------------------------------------------------
# Invented incidents
# --------------------------------------------------------------------------------------------


def _age(dob: dt.date | None, day: dt.date) -> int:
    if dob is None:
        return -1
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


class _Writer:
    """Turns invented people into the police system's person entries, with stable refs."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"police:{seed}")
        self.refs: dict[str, str] = {}
        self.seed = seed

    def ref(self, person: TruePerson) -> str:
        if person.person_id not in self.refs:
            self.refs[person.person_id] = f"PN{self.seed % 100:02d}-{len(self.refs) + 1:06d}"
        return self.refs[person.person_id]

    def person(
        self, person: TruePerson, role: str, relationship: str = "", iso_dob: bool = False
    ) -> dict[str, str]:
        address = person.addresses[-1]
        dob = person.dob
        dob_text = ""
        if dob is not None:
            dob_text = dob.isoformat() if iso_dob else dob.strftime("%d/%m/%Y")
        return {
            "person_ref": self.ref(person),
            "role_in_incident": role,
            "surname": person.family.upper(),
            "forenames": " ".join((person.given, *person.middle)),
            "date_of_birth": dob_text,
            "sex": {"female": "F", "male": "M"}.get(person.sex, "U"),
            "address": f"{address.line}, {address.town}",
            "postcode": address.postcode,
            "local_authority": address.local_authority,
            "relationship_to_child": relationship,
        }


def _father_relationship(writer: _Writer, man: TruePerson, children: list[TruePerson]) -> str:
    own = [c for c in children if c.father_id == man.person_id]
    if len(own) == len(children):
        return "father"
    if own:
        return "father:" + ";".join(writer.ref(c) for c in own)
    return "stepfather" if man.role == "partner" else "visitor"


def _incident(
    writer: _Writer, household: TrueHousehold, number: int, text_times: bool
) -> dict | None:
    rng = writer.rng
    day = FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days))
    local = dt.datetime.combine(day, dt.time(rng.randrange(24), rng.randrange(60)), LONDON)
    local = local.astimezone(dt.UTC).astimezone(LONDON)  # no wall time the clocks skip
    people = household.people
    mother = next((p for p in people if p.relation == "mother"), None)
    children = [
        p
        for p in people
        if p.relation == "child" and not p.unborn and p.dob is not None and p.dob < day
        if _age(p.dob, day) < 18
    ]
    if mother is None or _age(mother.dob, day) < 19 or not children:
        return None
    men = [p for p in people if p.role in ("partner", "visitor") and _age(p.dob, day) >= 18]
    partner = next((p for p in men if p.role == "partner"), None)
    visitor = next((p for p in men if p.role == "visitor"), None)
    kind = rng.choices(list(TYPE_WEIGHTS), weights=list(TYPE_WEIGHTS.values()))[0]
    older = [c for c in children if _age(c.dob, day) >= 11]
    if kind in ("missing_episode", "sexual_exploitation", "online_harm") and not older:
        kind = "domestic_abuse"
    if kind in ("domestic_abuse", "assault") and not men:
        kind = "child_neglect"
    iso = rng.random() < 0.3
    persons: list[dict[str, str]] = []

    def add(person: TruePerson, role: str, relationship: str = "") -> None:
        persons.append(writer.person(person, role, relationship, iso_dob=iso))

    if kind in ("domestic_abuse", "assault"):
        suspect = partner if partner and (kind == "domestic_abuse" or not visitor) else visitor
        assert suspect is not None
        add(mother, "victim", "mother")
        add(suspect, "suspect", _father_relationship(writer, suspect, children))
        for child in children:
            add(child, "child_present")
    elif kind == "child_neglect":
        add(mother, "suspect", "mother")
        if partner:
            add(partner, "other_adult", _father_relationship(writer, partner, children))
        for child in children:
            add(child, "victim")
    elif kind == "missing_episode":
        add(rng.choice(older), "missing_person")
        add(mother, "witness", "mother")
    elif kind == "sexual_exploitation":
        add(rng.choice(older), "victim")
        add(mother, "witness", "mother")
        if visitor:
            add(visitor, "suspect")
    elif kind == "online_harm":
        add(rng.choice(older), "victim")
        add(mother, "witness", "mother")
    else:
        add(mother, "witness", "mother")
        for child in children:
            add(child, "child_present")
    if text_times and rng.random() < 0.6:
        occurred = local.strftime("%d/%m/%Y %H:%M")
    else:
        occurred = local.isoformat()
    reported = ""
    if rng.random() < 0.7:
        later = local.astimezone(dt.UTC) + dt.timedelta(minutes=rng.randrange(5, 2880))
        reported = later.astimezone(LONDON).isoformat()
    risk = rng.choices(list(RISKS), weights=list(RISKS.values()))[0]
    return {
        "incident_ref": f"INC-{day.year}-{number:05d}",
        "ppn_ref": f"PPN-{number:05d}" if rng.random() < 0.8 else "",
        "record_status": "new",
        "revision": "1",
        "incident_type": kind,
        "occurred_at": occurred,
        "reported_at": reported,
        "risk_level": risk,
        "summary": rng.choice(SUMMARIES[kind]),
        "action_taken": rng.choice(ACTIONS),
        "recorded_by_role": RECORDED_BY[number % len(RECORDED_BY)],
        "persons": persons,
    }


def sample_incidents(seed: int = 1, incidents: int = 40, text_times: bool = True) -> list[dict]:
    """`incidents` incident records (JSON shape, string values). Every tenth record (the 10th,
    20th, …) re-sends an earlier incident: alternately amended (revision 2, risk high, summary
    extended) and withdrawn. `text_times`: some times as UK local DD/MM/YYYY HH:MM."""
    writer = _Writer(seed)
    out: list[dict] = []
    originals: list[dict] = []
    households = iter_households(incidents * 10 + 10, seed)
    number = 0
    while len(out) < incidents:
        if len(out) % 10 == 9 and originals:
            original = originals.pop(0)
            again = json.loads(json.dumps(original))
            if len(out) % 20 == 9:
                again.update(record_status="amended", revision="2", risk_level="high")
                again["summary"] += AMENDMENT
            else:
                again.update(record_status="withdrawn", summary=WITHDRAWAL)
            out.append(again)
            continue
        household = next(households, None)
        if household is None:
            break
        number += 1
        incident = _incident(writer, household, number, text_times)
        if incident is not None:
            out.append(incident)
            originals.append(incident)
    return out


def csv_bytes(incidents: list[dict], columns: tuple[str, ...] = COLUMNS) -> bytes:
    """The incidents as the CSV export: one row per person, header first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for incident in incidents:
        for person in incident["persons"]:
            row = {**incident, **person}
            writer.writerow([row.get(column, "") for column in columns])
    return buffer.getvalue().encode("utf-8")


def json_bytes(incidents: list[dict], lines: bool = False) -> bytes:
    """A JSON array of the incidents, or JSON Lines (one incident per line)."""
    if lines:
        return "".join(json.dumps(i) + "\n" for i in incidents).encode("utf-8")
    return json.dumps(incidents, indent=2).encode("utf-8")


def write_sample_csv(path: str | Path, seed: int = 1, incidents: int = 40) -> Path:
    path = Path(path)
    path.write_bytes(csv_bytes(sample_incidents(seed, incidents)))
    return path


def write_sample_json(
    path: str | Path, seed: int = 1, incidents: int = 20, lines: bool = False
) -> Path:
    """A JSON array of incidents (or JSON Lines with `lines=True`); times in ISO 8601."""
    path = Path(path)
    path.write_bytes(json_bytes(sample_incidents(seed, incidents, text_times=False), lines))
    return path


# --------------------------------------------------------------------------------------------
# Broken content
# --------------------------------------------------------------------------------------------

GOOD_INCIDENT = {
    "incident_ref": "INC-2025-90001",
    "ppn_ref": "PPN-90001",
    "record_status": "new",
    "revision": "1",
    "incident_type": "domestic_abuse",
    "occurred_at": "14/06/2025 22:40",
    "reported_at": "2025-06-14T23:05:00+01:00",
    "risk_level": "medium",
    "summary": "Shouting heard by neighbours, victim has a cut lip, children in the next room.",
    "action_taken": "DASH completed; PPN submitted.",
    "recorded_by_role": "Police constable",
}
GOOD_PERSONS = (
    {
        "person_ref": "PN99-000001",
        "role_in_incident": "victim",
        "surname": "HARGREAVES",
        "forenames": "Leanne Marie",
        "date_of_birth": "03/02/1994",
        "sex": "F",
        "address": "27 Cobden Street, Leeds",
        "postcode": "LS12 1QX",
        "local_authority": "E08000035",
        "relationship_to_child": "mother",
    },
    {
        "person_ref": "PN99-000002",
        "role_in_incident": "suspect",
        "surname": "KOWALCZYK",
        "forenames": "Mateusz",
        "date_of_birth": "1989-11-30",
        "sex": "M",
        "address": "Flat 2, 80 Tong Road, Leeds",
        "postcode": "LS12 4NQ",
        "local_authority": "E08000035",
        "relationship_to_child": "visitor",
    },
    {
        "person_ref": "PN99-000003",
        "role_in_incident": "child_present",
        "surname": "HARGREAVES",
        "forenames": "Mason",
        "date_of_birth": "22/08/2016",
        "sex": "M",
        "address": "27 Cobden Street, Leeds",
        "postcode": "LS12 1QX",
        "local_authority": "E08000035",
        "relationship_to_child": "",
    },
)


def _fields(number: int, **changes: str) -> list[str]:
    """One row's values (a victim alone in her own incident INC-2025-9xxxx), some changed."""
    values = {**GOOD_INCIDENT, **GOOD_PERSONS[0]}
    values["incident_ref"] = f"INC-2025-9{number:04d}"
    values["person_ref"] = f"PN99-9{number:05d}"
    values.update(changes)
    return [values[c] for c in COLUMNS]


def _encode(fields: list[str]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(fields)
    return buffer.getvalue().encode("utf-8")


def _row(number: int, **changes: str) -> bytes:
    return _encode(_fields(number, **changes))


def good_row(number: int) -> bytes:
    """A valid data row for the CSV `COLUMNS`, numbered so rows do not collide."""
    return _row(number)


def header() -> bytes:
    return (",".join(COLUMNS) + "\r\n").encode()


def bad_rows() -> list[BadRow]:
    """CSV data rows for the `COLUMNS` header that must each be rejected, each breaking one
    rule, and none touching another row's incident."""
    return [
        BadRow(_encode(_fields(99)[:-3]), "invalid_csv", "line"),  # three fields short
        BadRow(_encode([*_fields(100), "extra"]), "invalid_csv", "line"),  # one too many
        BadRow(_row(101, incident_type="burglary"), "invalid_value", "incident_type"),
        BadRow(_row(102, role_in_incident="bystander"), "invalid_value", "role_in_incident"),
        BadRow(_row(103, risk_level="very high"), "invalid_value", "risk_level"),
        BadRow(_row(104, date_of_birth="31/02/2024"), "invalid_value", "date_of_birth"),
        BadRow(_row(105, occurred_at="30/02/2025 10:00"), "invalid_value", "occurred_at"),
        BadRow(_row(106, occurred_at="14/06/2025"), "invalid_value", "occurred_at"),  # no time
        BadRow(_row(107, occurred_at="30/03/2025 01:30"), "invalid_value", "occurred_at"),  # BST
        BadRow(_row(108, occurred_at="2099-01-01T10:00:00Z"), "invalid_value", "occurred_at"),
        BadRow(_row(109, postcode="LS12 1QXX"), "invalid_value", "postcode"),
        BadRow(_row(110, local_authority="Leeds"), "invalid_value", "local_authority"),
        BadRow(_row(111, sex="X"), "invalid_value", "sex"),
        BadRow(_row(112, surname=""), "invalid_value", "surname"),
        BadRow(_row(113, record_status="amended", revision=""), "invalid_value", "revision"),
        BadRow(_row(114, record_status="deleted"), "invalid_value", "record_status"),
        BadRow(_row(115, relationship_to_child="uncle"), "invalid_value", "relationship_to_child"),
        BadRow(
            _row(116, relationship_to_child="father:PN99-NOBODY"),
            "invalid_value",
            "relationship_to_child",
        ),
        BadRow(
            _row(117, role_in_incident="child_present", date_of_birth="01/01/1990"),
            "invalid_value",
            "date_of_birth",
        ),
        BadRow(_row(118, date_of_birth="01/07/2025"), "invalid_value", "date_of_birth"),
        BadRow(
            _row(119, surname="MÜLLER").replace("Ü".encode(), b"\xdc"), "invalid_encoding", "line"
        ),
        BadRow(_row(120, surname="NUL").replace(b"NUL", b"N\x00L"), "invalid_encoding", "line"),
        BadRow(_row(121, reported_at="2025-06-14T20:00:00+01:00"), "invalid_event", "concern"),
        BadRow(_row(122, summary="x" * 4001), "invalid_value", "summary"),
        BadRow(_row(124, recorded_by_role="R" * 121), "invalid_value", "recorded_by_role"),
        BadRow(
            _row(123, surname="OBRIEN").replace(b"OBRIEN", b'"O"BRIEN'),  # text after a quote
            "invalid_csv",
            "line",
        ),
    ]


def bad_files() -> list[BadFile]:
    """Whole payloads, CSV and JSON, each with one problem."""
    incident = {**GOOD_INCIDENT, "persons": [dict(p) for p in GOOD_PERSONS]}
    two = [incident, {**incident, "incident_ref": "INC-2025-90002"}]
    rows = csv_bytes([incident])
    data = rows.split(b"\r\n", 1)[1]  # the three data rows
    missing = tuple(c for c in COLUMNS if c not in ("date_of_birth", "risk_level"))
    json_line = json.dumps(incident).encode()

    def person_changed(**changes: object) -> bytes:
        changed = json.loads(json_line)
        changed["persons"][1].update(changes)
        return json.dumps(changed).encode()

    return [
        BadFile("csv: no header", b"", 1, "missing_column", "header", 0),
        BadFile(
            "csv: columns missing",
            csv_bytes([incident], missing),
            1,
            "missing_column",
            "header",
            0,
        ),
        BadFile(
            "csv: UTF-16 export",
            rows.decode().encode("utf-16"),
            1,
            "invalid_encoding",
            "header",
            0,
        ),
        BadFile(
            "csv: a quoted summary never closes",
            rows + _row(130, summary="UNCLOSED").replace(b",UNCLOSED,", b',"UNCLOSED,'),
            5,
            "invalid_csv",
            "line",
            3,
        ),
        BadFile(
            "csv: the same person twice in one incident",
            rows + data.split(b"\r\n")[0] + b"\r\n",
            5,
            "duplicate_person",
            "person_ref",
            3,
        ),
        BadFile(
            "json: the array breaks off in the second incident",
            json.dumps(two).encode()[:-40],
            2,
            "invalid_json",
            "file",
            3,
        ),
        BadFile(
            "json lines: one line is not JSON",
            json_line + b"\n{not json\n" + json_line.replace(b"90001", b"90002") + b"\n",
            2,
            "invalid_json",
            "line",
            6,
        ),
        BadFile(
            "json lines: one line is not UTF-8",
            json_line
            + b"\n"
            + json_line.replace(b"Mateusz", b"Mateusz \xe9").replace(b"90001", b"90002"),
            2,
            "invalid_encoding",
            "line",
            3,
        ),
        BadFile(
            "json: an incident without persons",
            json.dumps([{**GOOD_INCIDENT, "persons": []}]).encode(),
            1,
            "invalid_value",
            "persons",
            0,
        ),
        BadFile(
            "json: an impossible date of birth for one person",
            b"[" + person_changed(date_of_birth="31/02/1990") + b"]",
            1,
            "invalid_value",
            "persons[2].date_of_birth",
            2,
        ),
        BadFile(
            "json: a NUL inside a value",
            b"[" + person_changed(surname="KOWAL\u0000CZYK") + b"]",
            1,
            "invalid_value",
            "persons[2].surname",
            2,
        ),
        BadFile(
            "json: a list where text belongs",
            b"[" + person_changed(forenames=["Mateusz"]) + b"]",
            1,
            "invalid_value",
            "persons[2].forenames",
            2,
        ),
        BadFile(
            "json: another agency named in the incident",
            json.dumps([{**incident, "agency": "school"}]).encode(),
            1,
            "wrong_agency",
            "agency",
            0,
        ),
    ]
