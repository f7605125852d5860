"""A synthetic school information system export (see `connectors.schools` for the format).

Invented pupils only: children drawn from `hub.synthetic.population` (their names, dates of
birth, UPNs, addresses and local authorities, as a school records them), with invented events in
the 2024/25 school year. Deterministic for a seed. The sample exercises what real exports do:
both date styles, an occasional time, Windows line endings, preferred names, a summary with a
line break inside quotes, text that looks like code (kept as data), amendments and withdrawals.

`bad_rows()` lists rows that must each be rejected, with the reason the connector must give.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import random
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

from stdnum.gb import nhs, upn

from hub.schemas import UK_POSTCODE
from hub.synthetic.name_variants import NICKNAMES
from hub.synthetic.places import LA_BY_CODE
from hub.synthetic.population import PopulationRecord, iter_population

# The export's columns, in the order the SIS writes them: the connector's required columns,
# then its optional recorded_by_role. (The hub does not import the connectors, so the format is
# written down here too; a test checks the two agree.)
COLUMNS = (
    "upn",
    "school_urn",
    "pupil_ref",
    "legal_surname",
    "preferred_surname",
    "forename",
    "middle_names",
    "preferred_forename",
    "dob",
    "sex",
    "year_group",
    "address",
    "postcode",
    "local_authority",
    "event_type",
    "event_date",
    "attendance_pct",
    "sessions_missed",
    "dsl_category",
    "summary",
    "record_status",
    "revision",
    "event_ref",
    "recorded_by_role",
)
# Who records each kind of event at school, by role (never a name).
RECORDED_BY = {
    "attendance_below_threshold": "Attendance officer",
    "persistent_absence": "Attendance officer",
    "child_missing_education": "Attendance officer",
    "suspension": "Headteacher",
    "permanent_exclusion": "Headteacher",
    "dsl_concern": "Designated safeguarding lead",
}

YEAR_START = dt.date(2024, 9, 2)
YEAR_END = dt.date(2025, 7, 18)
SCHOOL_URNS = ("103412", "103987", "105521", "107044", "131260", "138822", "140156", "144903")
EVENT_WEIGHTS = {
    "attendance_below_threshold": 30,
    "persistent_absence": 15,
    "dsl_concern": 25,
    "suspension": 12,
    "child_missing_education": 8,
    "permanent_exclusion": 4,
}
DSL_CATEGORIES = (
    "neglect",
    "emotional",
    "physical",
    "sexual",
    "online",
    "domestic_abuse",
    "child_on_child",
    "self_harm",
    "exploitation",
    "mental_health",
    "other",
)
SUMMARIES = {
    "attendance_below_threshold": (
        "Attendance letter 1 sent to parents.",
        "Late most mornings; parent says bus unreliable.",
        "Attendance officer home visit arranged.",
        "",
    ),
    "persistent_absence": (
        "Parenting contract offered; not signed.",
        "Repeated unauthorised absence on Mondays and Fridays.",
        "Referral to the education welfare service.",
    ),
    "dsl_concern": (
        "Pupil disclosed to form tutor; logged by DSL.",
        "Bruise on forearm noticed in PE; pupil gave no explanation.",
        "Came to school hungry and in the same clothes all week.",
        "Pupil upset after messages from an older contact online.",
        "Parent heard shouting at pupil at the school gate.",
    ),
    "suspension": (
        "Fixed-term suspension for assault on another pupil.",
        "Suspended for persistent disruptive behaviour.",
    ),
    "child_missing_education": (
        "Not seen since half term; family not answering calls.",
        "Removed from roll; no destination school known.",
    ),
    "permanent_exclusion": ("Permanently excluded after a serious incident; governors informed.",),
}
MULTILINE_SUMMARY = "DSL note:\nPupil said 'Mum's boyfriend shouts, I hide upstairs'.\nTo monitor."
HOSTILE_SUMMARY = "Pupil typed '; DROP TABLE pupils;-- and <script>alert(1)</script> in class chat."


def csv_bytes(columns: tuple[str, ...], rows: list[dict[str, str]]) -> bytes:
    """UTF-8 CSV with Windows line endings, as spreadsheet and MIS exports write it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return out.getvalue().encode("utf-8")


def invented_children(
    seed: int, agency: str, born_between: tuple[dt.date, dt.date]
) -> Iterator[PopulationRecord]:
    """Child records that `agency` holds in the synthetic population, born in the window, with
    usable names and date of birth; identifiers the population garbled (its keying errors) are
    blanked, so a sample row is wrong only where a test means it to be."""
    seen: set[str] = set()
    for record in iter_population(100_000, seed=seed):
        if record.role != "child" or record.agency != agency or record.true_person_id in seen:
            continue
        if not (record.given_name and record.family_name and len(record.date_of_birth) == 10):
            continue
        dob = dt.date.fromisoformat(record.date_of_birth)
        if not born_between[0] <= dob <= born_between[1]:
            continue
        seen.add(record.true_person_id)
        yield dataclasses.replace(
            record,
            upn=record.upn if upn.is_valid(record.upn) else "",
            nhs_number=record.nhs_number if nhs.is_valid(record.nhs_number) else "",
            postcode=record.postcode if re.fullmatch(UK_POSTCODE, record.postcode) else "",
        )


def address_line(record: PopulationRecord) -> str:
    la = LA_BY_CODE.get(record.local_authority)
    if not record.address_line:
        return ""
    return f"{record.address_line}, {la.name}" if la else record.address_line


def school_day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    while True:
        day = start + dt.timedelta(days=rng.randint(0, (end - start).days))
        if day.weekday() < 5:
            return day


def date_text(rng: random.Random, day: dt.date, with_time: float = 0.1) -> str:
    text = day.isoformat() if rng.random() < 0.6 else day.strftime("%d/%m/%Y")
    if rng.random() < with_time:
        text += f" {rng.randint(8, 15):02d}:{rng.choice((0, 10, 25, 40, 55)):02d}"
    return text


def _year_group(dob: dt.date) -> str:
    age = YEAR_START.year - dob.year - ((dob.month, dob.day) > (8, 31))
    return "R" if age <= 4 else str(age - 4)


def _pupil(record: PopulationRecord, rng: random.Random, surnames: list[str]) -> dict[str, str]:
    dob = dt.date.fromisoformat(record.date_of_birth)
    short = NICKNAMES.get(record.given_name, ())
    return {
        "upn": record.upn,
        "school_urn": SCHOOL_URNS[zlib.crc32(record.source_ref.encode()) % len(SCHOOL_URNS)],
        "pupil_ref": record.source_ref,
        "legal_surname": record.family_name,
        "preferred_surname": rng.choice(surnames) if surnames and rng.random() < 0.08 else "",
        "forename": record.given_name,
        "middle_names": record.middle_names,
        "preferred_forename": short[0] if short and rng.random() < 0.5 else "",
        "dob": record.date_of_birth if rng.random() < 0.7 else dob.strftime("%d/%m/%Y"),
        "sex": {"female": "F", "male": "M"}.get(record.sex, ""),
        "year_group": _year_group(dob),
        "address": address_line(record),
        "postcode": record.postcode,
        "local_authority": record.local_authority,
    }


def _event(rng: random.Random, pupil: dict[str, str], number: int) -> dict[str, str]:
    event_type = rng.choices(list(EVENT_WEIGHTS), weights=list(EVENT_WEIGHTS.values()))[0]
    row = {
        **pupil,
        "event_type": event_type,
        "event_date": date_text(rng, school_day(rng, YEAR_START, YEAR_END)),
        "attendance_pct": "",
        "sessions_missed": "",
        "dsl_category": "",
        "summary": rng.choice(SUMMARIES[event_type]),
        "record_status": "new",
        "revision": "1",
        "event_ref": f"EV{number:06d}",
        "recorded_by_role": RECORDED_BY[event_type],
    }
    if event_type in ("attendance_below_threshold", "persistent_absence"):
        top = 94.9 if event_type == "attendance_below_threshold" else 89.9
        pct = round(rng.uniform(35.0, top), 1)
        possible = rng.randint(60, 380)
        row["attendance_pct"] = f"{pct}" if rng.random() < 0.8 else f"{pct}%"
        row["sessions_missed"] = str(round(possible * (100 - pct) / 100))
    elif event_type == "suspension":
        row["sessions_missed"] = str(rng.choice((2, 4, 6, 10)))
    elif event_type == "child_missing_education":
        row["sessions_missed"] = str(rng.randint(10, 60))
    elif event_type == "dsl_concern":
        row["dsl_category"] = rng.choice(DSL_CATEGORIES)
    return row


def sample_rows(seed: int = 1, rows: int = 60) -> list[dict[str, str]]:
    """`rows` export rows (column → text) about invented pupils; some amend or withdraw an
    earlier row's event."""
    rng = random.Random(f"schools-feed:{seed}")
    born = (dt.date(2007, 9, 1), dt.date(2020, 8, 31))  # Reception to Year 13 in 2024/25
    children = []
    for record in invented_children(seed, "school", born):
        if record.upn:
            children.append(record)
        if len(children) >= max(1, (rows + 1) // 2):
            break
    surnames = [c.family_name for c in children]
    pupils = [_pupil(child, rng, surnames) for child in children]
    out: list[dict[str, str]] = []
    current: dict[str, dict[str, str]] = {}  # event_ref → its latest row
    for index in range(rows):
        earlier = [row for row in current.values() if row["record_status"] != "withdrawn"]
        roll = rng.random()
        if earlier and roll < 0.1:  # an amendment: a corrected event, one revision up
            row = dict(rng.choice(earlier))
            row["record_status"] = "amended"
            row["revision"] = str(int(row["revision"]) + 1)
            row["summary"] = f"Amended: {row['summary'] or 'details corrected.'}"
        elif earlier and roll < 0.13:  # a withdrawal: sent in error
            row = dict(rng.choice(earlier))
            row["record_status"] = "withdrawn"
            row["summary"] = "Recorded against the wrong pupil."
        else:
            row = _event(rng, rng.choice(pupils), index + 1)
        if index == 2:
            row["summary"] = MULTILINE_SUMMARY
        elif index == 4:
            row["summary"] = HOSTILE_SUMMARY
        out.append(row)
        current[row["event_ref"]] = row
    return out


def sample_bytes(seed: int = 1, rows: int = 60) -> bytes:
    return csv_bytes(COLUMNS, sample_rows(seed, rows))


def write_sample(path: str | Path, seed: int = 1, rows: int = 60) -> Path:
    """Write a sample export of `rows` rows about invented pupils; returns the path."""
    path = Path(path)
    path.write_bytes(sample_bytes(seed, rows))
    return path


# A valid row about an invented pupil; each bad row below breaks it in one way.
_GOOD = {
    "upn": "B801200005001",
    "school_urn": "103412",
    "pupil_ref": "ADM-0099",
    "legal_surname": "Nowak",
    "preferred_surname": "",
    "forename": "Zofia",
    "middle_names": "",
    "preferred_forename": "",
    "dob": "2013-04-12",
    "sex": "F",
    "year_group": "7",
    "address": "12 Mill Lane, Leeds",
    "postcode": "LS6 2AA",
    "local_authority": "E08000035",
    "event_type": "attendance_below_threshold",
    "event_date": "2024-11-04",
    "attendance_pct": "81.5",
    "sessions_missed": "22",
    "dsl_category": "",
    "summary": "Attendance letter 1 sent.",
    "record_status": "new",
    "revision": "1",
    "event_ref": "BAD-001",
    "recorded_by_role": "Attendance officer",
}


def _line(**changes: str) -> bytes:
    """One CSV line (no line ending) of the good row with `changes` applied."""
    return csv_bytes(COLUMNS, [{**_GOOD, **changes}]).split(b"\r\n")[1]


def bad_rows() -> list[tuple[bytes, str]]:
    """(one physical CSV line, the reason it must be rejected with) — each breaks one rule."""
    good = _line()
    return [
        (b",".join(good.split(b",")[:-3]), "invalid_csv"),  # three fields short
        (good + b",extra", "invalid_csv"),  # one field too many
        (_line(upn="A801200005001", event_ref="BAD-002"), "invalid_value"),  # wrong check letter
        (_line(event_type="truancy", event_ref="BAD-003"), "invalid_value"),  # unknown code
        (_line(event_date="2024-02-30", event_ref="BAD-004"), "invalid_value"),  # impossible date
        (_line(dob="31/04/2013", event_ref="BAD-005"), "invalid_value"),  # impossible date
        (_line(attendance_pct="104.2", event_ref="BAD-006"), "invalid_value"),  # over 100%
        (_line(attendance_pct="-3", event_ref="BAD-007"), "invalid_value"),  # below 0%
        (
            _line(legal_surname="Nowak-Kowalska", event_ref="BAD-008").replace(
                b"Kowalska", "Kowalska Ł".encode("cp1250")
            ),
            "invalid_encoding",
        ),  # a Windows code page, not UTF-8
        (_line(event_type="dsl_concern", dsl_category="", event_ref="BAD-009"), "invalid_value"),
        (_line(event_date="2099-01-01", event_ref="BAD-010"), "invalid_value"),  # in the future
        (_line(record_status="amended", revision="1", event_ref="BAD-011"), "invalid_value"),
        (_line(legal_surname="", event_ref="BAD-012"), "invalid_value"),  # required value blank
        (_line(postcode="LS6 2AAA", event_ref="BAD-013"), "invalid_value"),  # not a postcode
        (
            _line(summary="QUOTED", event_ref="BAD-014").replace(b"QUOTED", b'"Letter" sent'),
            "invalid_csv",
        ),  # text after a closing quote
        (_line(recorded_by_role="R" * 121, event_ref="BAD-015"), "invalid_value"),  # too long
    ]
