"""Schools: a school information system (SIS/MIS) export of pupil events, one CSV row per event.

The agency is the sender's (normally "school"); a file may hold several schools' rows, told
apart by `school_urn`. The header is line 1; every column below must be in it (in any order,
any case), though many values may be blank, except `recorded_by_role`, which is optional. An
optional `agency` column, when present and not blank, must name the sending agency
("wrong_agency" otherwise).

| column             | value                                                                    |
|--------------------|--------------------------------------------------------------------------|
| upn                | Unique Pupil Number, 13 characters with a valid check letter — required  |
| school_urn         | the school's 6-digit Unique Reference Number — required                   |
| pupil_ref          | the SIS's own pupil id (admission number), unique within the school — req. |
| legal_surname      | required                                                                 |
| preferred_surname  | the surname the pupil is known by at school, if different                 |
| forename           | legal forename — required                                                |
| middle_names       | legal middle names                                                       |
| preferred_forename | the forename the pupil is known by, if different ("Ollie")                |
| dob                | date of birth — required                                                 |
| sex                | M, F, U, Male, Female, Unknown, Not known or blank                       |
| year_group         | as the SIS writes it (N1, R, 1–13, …); shown in the summary              |
| address            | one line, e.g. "12 Mill Lane, Leeds"                                     |
| postcode           | UK postcode                                                              |
| local_authority    | ONS code of the pupil's home LA area, e.g. E08000025                     |
| event_type         | attendance_below_threshold, persistent_absence, child_missing_education,  |
|                    | suspension, permanent_exclusion, dsl_concern — required                  |
| event_date         | the date of the event, optionally with a time — required                 |
| attendance_pct     | 0–100 (a trailing % is allowed) — required for the two attendance events  |
| sessions_missed    | whole number of half-day sessions missed (or suspended for)              |
| dsl_category       | for dsl_concern (required there): neglect, emotional, physical, sexual,   |
|                    | online, domestic_abuse, child_on_child, self_harm, exploitation,          |
|                    | radicalisation, fgm, mental_health, other                                |
| summary            | the school's free text                                                   |
| record_status      | new, amended or withdrawn (blank = new)                                  |
| revision           | 1, 2, … (blank = 1; an amendment must give 2 or more)                     |
| event_ref          | the SIS's id of this event, unique within the school — required           |
| recorded_by_role   | optional column: the role of the member of staff who recorded it, e.g.    |
|                    | "Designated safeguarding lead", "Attendance officer" — never a name       |

Dates are YYYY-MM-DD or DD/MM/YYYY. An event date without a time becomes 09:00 UK time
(Europe/London) on that day — the school day, and never a different calendar day in UTC.

The mapping, and why:

- One row is one concern about one pupil, role "child".
- person.source_ref = f"{school_urn}:{pupil_ref}" and concern.ref = f"{school_urn}:{event_ref}":
  every school under the "school" agency has its own SIS, whose ids are only unique within that
  school; un-prefixed, two schools' "EV0001" would share one event id and the second would be
  taken for a repeat of the first. pupil_ref (not the UPN) names the record because it is the
  SIS's stable key: a mistyped UPN corrected later still updates the same record.
- Names: the legal forename, middle names and surname go to given_name / middle_names /
  family_name, because other agencies (health, police, social care) record legal names and the
  matching engine compares like with like (it already knows common nicknames such as Ollie for
  Oliver). A preferred name — often a step-parent's surname — goes in the summary ("Known at
  school as …") so the practitioner sees it, rather than being guessed into a name field.
- category = event_type, except dsl_concern, which becomes f"dsl_concern_{dsl_category}" (e.g.
  "dsl_concern_sexual") so risk rules and the chronology can tell the kinds of concern apart.
- severity:
    attendance_below_threshold: attendance < 50% high (severe absence: half the sessions
      missed), < 90% medium (the DfE persistent absence threshold), otherwise low (the school's
      own, higher, threshold);
    persistent_absence: < 50% high, otherwise medium (a persistent_absence row with 90% or more
      contradicts itself and is rejected);
    child_missing_education high; permanent_exclusion high; suspension medium;
    dsl_concern high for sexual, physical, exploitation, fgm, radicalisation and self_harm,
      medium for the rest.
- sensitivity "standard" for every row: it is what schools share with the MASH as a matter of
  course.
- summary = a headline from the numbers ("Attendance 72.4% (41 sessions missed).", "DSL concern:
  physical abuse."), then the school's free text, then year group, preferred name and school
  URN. Over 4,000 characters in all is rejected, naming the summary column.
- record_status/revision: amended → the given revision (2 or more), withdrawn → withdrawn=True.
- recorded_by = recorded_by_role as written (blank or no column → none). It is a role: a name
  of staff is personal data and does not belong in it. Over 120 characters is rejected, naming
  the column, as other over-long text is.

Rejected rows name the CSV column ("invalid_value"): blank required values, unknown codes (the
message lists the allowed ones), impossible or future dates, an event before the date of birth,
invalid UPNs, percentages outside 0–100, non-numeric counts, bad postcodes or ONS codes. The
file-level and row-structure rejects come from `connectors.csvrows`.
"""

from __future__ import annotations

from collections.abc import Iterator

from connectors.base import Rejected, to_event_or_reject
from connectors.csvrows import SEX_CODES, Cells, CsvRow, read_rows, sentence, wrong_agency

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
)
OPTIONAL_COLUMNS = ("recorded_by_role", "agency")

EVENT_TYPES = (
    "attendance_below_threshold",
    "persistent_absence",
    "child_missing_education",
    "suspension",
    "permanent_exclusion",
    "dsl_concern",
)
ATTENDANCE_EVENTS = ("attendance_below_threshold", "persistent_absence")
# DSL (designated safeguarding lead) categories and how the summary names them.
DSL_CATEGORIES = {
    "neglect": "neglect",
    "emotional": "emotional abuse",
    "physical": "physical abuse",
    "sexual": "sexual abuse",
    "online": "online safety",
    "domestic_abuse": "domestic abuse",
    "child_on_child": "child-on-child abuse",
    "self_harm": "self-harm",
    "exploitation": "exploitation (CSE/CCE)",
    "radicalisation": "radicalisation",
    "fgm": "FGM",
    "mental_health": "mental health",
    "other": "other",
}
DSL_HIGH = frozenset({"sexual", "physical", "exploitation", "fgm", "radicalisation", "self_harm"})
SEVERE_ABSENCE = 50.0  # attendance below this: half the sessions missed
PERSISTENT_ABSENCE = 90.0  # DfE: missing 10% or more of sessions


def parse(raw: bytes, agency: str) -> Iterator[dict | Rejected]:
    """Yield, in file order, one canonical event or one `Rejected` per data row."""
    for item in read_rows(raw, COLUMNS, OPTIONAL_COLUMNS):
        if isinstance(item, Rejected):
            yield item
        else:
            yield _row(item, agency)


def severity(event_type: str, attendance: float | None, dsl_category: str | None) -> str:
    if event_type in ATTENDANCE_EVENTS and attendance is not None:
        if attendance < SEVERE_ABSENCE:
            return "high"
        return "medium" if attendance < PERSISTENT_ABSENCE else "low"
    if event_type in ("child_missing_education", "permanent_exclusion"):
        return "high"
    if event_type == "dsl_concern" and dsl_category in DSL_HIGH:
        return "high"
    return "medium"


def _percent(value: float) -> str:
    return f"{value:.1f}%"


def _row(row: CsvRow, agency: str) -> dict | Rejected:
    refused = wrong_agency(row, agency)
    if refused:
        return refused
    cells = Cells(row)
    pupil_upn = cells.upn("upn", required=True)
    urn = cells.text("school_urn", required=True)
    if urn and not (urn.isascii() and urn.isdigit() and len(urn) == 6):
        cells.error("school_urn", f"Not a school URN: {urn[:40]!r} (6 digits).")
    pupil_ref = cells.text("pupil_ref", required=True, max_len=100)
    surname = cells.text("legal_surname", required=True, max_len=120)
    forename = cells.text("forename", required=True, max_len=120)
    middle = cells.text("middle_names", max_len=200)
    preferred_forename = cells.text("preferred_forename", max_len=120)
    preferred_surname = cells.text("preferred_surname", max_len=120)
    dob = cells.date("dob", required=True, birth=True)
    sex = cells.choice("sex", SEX_CODES)
    year_group = cells.text("year_group", max_len=20)
    address = cells.text("address", max_len=300)
    postcode = cells.postcode("postcode")
    local_authority = cells.ons_code("local_authority")
    event_type = cells.choice("event_type", EVENT_TYPES, required=True)
    occurred = cells.occurred_at("event_date")
    attendance = cells.number(
        "attendance_pct",
        minimum=0,
        maximum=100,
        unit="%",
        required=event_type in ATTENDANCE_EVENTS,
    )
    sessions = cells.integer("sessions_missed", minimum=0, maximum=99_999)
    dsl_category = cells.choice(
        "dsl_category", tuple(DSL_CATEGORIES), required=event_type == "dsl_concern"
    )
    free_text = cells.text("summary")
    revision, withdrawn = cells.status_and_revision()
    event_ref = cells.text("event_ref", required=True, max_len=100)
    recorded_by = cells.text("recorded_by_role", max_len=120)

    if (
        event_type == "persistent_absence"
        and attendance is not None
        and attendance >= PERSISTENT_ABSENCE
    ):
        cells.error(
            "attendance_pct",
            f"{_percent(attendance)} is not persistent absence (below "
            f"{PERSISTENT_ABSENCE:g}%); send it as attendance_below_threshold.",
        )
    if occurred and dob and occurred.date() < dob:
        cells.error("event_date", f"Before the pupil's date of birth ({dob.isoformat()}).")

    parts = [_headline(event_type, attendance, sessions, dsl_category)]
    if free_text:
        parts.append(sentence(free_text))
    if year_group:
        parts.append(f"Year group {year_group}.")
    if preferred_forename or preferred_surname:
        known_as = f"{preferred_forename or forename} {preferred_surname or surname}"
        parts.append(f"Known at school as {known_as}.")
    if urn:
        parts.append(f"School URN {urn}.")
    summary = " ".join(parts)
    if len(summary) > 4000 and free_text:
        cells.error(
            "summary",
            f"Too long: with the event details the summary would be {len(summary)} characters "
            "(at most 4000).",
        )

    rejected = cells.rejected()
    if rejected or not (event_type and occurred and pupil_upn and urn and event_ref):
        return rejected or Rejected(row.line, "invalid_value", {})
    category = f"dsl_concern_{dsl_category}" if event_type == "dsl_concern" else event_type
    submission = {
        "agency": agency,
        "person": {
            "source_ref": f"{urn}:{pupil_ref}",
            "local_authority": local_authority,
            "given_name": forename,
            "middle_names": middle,
            "family_name": surname,
            "date_of_birth": dob.isoformat() if dob else None,
            "sex": sex,
            "nhs_number": None,
            "upn": pupil_upn,
            "role": "child",
            "addresses": [{"line": address, "postcode": postcode}] if address or postcode else [],
        },
        "concern": {
            "ref": f"{urn}:{event_ref}",
            "occurred_at": occurred.isoformat(),
            "reported_at": None,
            "category": category,
            "severity": severity(event_type, attendance, dsl_category),
            "sensitivity": "standard",
            "summary": summary,
            "action_taken": None,
            "recorded_by": recorded_by,
            "revision": revision,
            "withdrawn": withdrawn,
        },
    }
    return to_event_or_reject(submission, row.line)


def _headline(
    event_type: str | None, attendance: float | None, sessions: int | None, dsl: str | None
) -> str:
    missed = f" ({sessions} sessions missed)" if sessions is not None else ""
    if event_type == "attendance_below_threshold" and attendance is not None:
        return f"Attendance {_percent(attendance)}{missed}."
    if event_type == "persistent_absence" and attendance is not None:
        return f"Persistent absence: attendance {_percent(attendance)}{missed}."
    attended = f" Attendance {_percent(attendance)}." if attendance is not None else ""
    dsl_note = f" DSL category recorded: {DSL_CATEGORIES[dsl]}." if dsl else ""
    if event_type == "child_missing_education":
        return f"Child missing education{missed}.{attended}{dsl_note}"
    if event_type == "suspension":
        length = f" ({sessions} sessions)" if sessions is not None else ""
        return f"Suspension{length}.{attended}{dsl_note}"
    if event_type == "permanent_exclusion":
        return f"Permanent exclusion.{attended}{dsl_note}"
    if event_type == "dsl_concern" and dsl:
        return f"DSL concern: {DSL_CATEGORIES[dsl]}{missed}.{attended}"
    return ""
