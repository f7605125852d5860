"""Police: public protection notices (PPNs) and incident exports, as CSV or JSON.

A police records system exports one row per *person involved in an incident*: an incident with a
mother, her partner and two children present is four rows sharing one `incident_ref`. Each row
becomes one canonical concern about that person, `concern.ref = "{incident_ref}:{person_ref}"`,
and `person.source_ref` is the police person (nominal) reference, so the same person keeps the
same record across incidents and relationships can point at it.

## CSV layout

The header is line 1; column names are compared without case or surrounding spaces, may come in
any order, and columns not listed here are ignored. The *required* columns must be in the header
(their values may still be blank where the table allows); the optional ones may be left out.

| column                | value                                                                 |
|-----------------------|-----------------------------------------------------------------------|
| incident_ref          | the force's incident (occurrence) reference — required value          |
| ppn_ref               | optional: the PPN's reference (checked as text, not mapped: no field) |
| record_status         | new, amended or withdrawn (blank = new)                               |
| revision              | optional column: 1, 2, … (blank = 1; an amendment must give 2 or more) |
| incident_type         | domestic_abuse, missing_episode, child_neglect, sexual_exploitation,  |
|                       | online_harm, assault, other — required value                          |
| occurred_at           | when it happened — required value, see "Times"                         |
| reported_at           | optional column: when it was reported to police (blank = occurred_at) |
| risk_level            | standard, medium or high (the DASH grading for domestic abuse, the     |
|                       | force's own risk grading otherwise) — required value                  |
| person_ref            | the police person reference — required value                          |
| role_in_incident      | victim, suspect, child_present, missing_person, witness, other_adult  |
| surname               | required value (a person needs a family name: no NHS number here)     |
| forenames             | first forename → given name, the rest → middle names                  |
| date_of_birth         | DD/MM/YYYY or YYYY-MM-DD                                              |
| sex                   | M, F, U (or Male, Female, Unknown, Not known); blank = not recorded    |
| address               | the person's home address as one line                                 |
| postcode              | UK postcode                                                           |
| local_authority       | optional column: ONS code of the LA area of that address (E08000035)  |
| summary               | the officer's account — required value; may hold commas and line breaks |
|                       | inside a quoted field                                                 |
| action_taken          | optional column                                                       |
| recorded_by_role      | optional column: the recording officer's rank or role, e.g. "Police   |
|                       | constable", "Detective sergeant" — never a name or collar number      |
|                       | (at most 120 characters)                                              |
| relationship_to_child | optional column, see "Relationships"                                  |
| agency                | optional column: if not blank it must name the sending agency         |

Quoting is RFC 4180 (a summary with commas, quotes or line breaks is quoted, quotes doubled). A
quoted line break is kept as "\\n" and a row is numbered by the physical line it starts on, so
the rows after a multi-line summary keep their true line numbers (the reading is
`connectors.csvrows.read_rows`, shared with the other CSV connectors).

## JSON layout

The same content as incidents, each with a `persons` list; the incident keys are `agency`,
`incident_ref`, `ppn_ref`, `record_status`, `revision`, `incident_type`, `occurred_at`,
`reported_at`, `risk_level`, `summary`, `action_taken`, `recorded_by_role`; each person's keys
are `person_ref`, `role_in_incident`, `surname`, `forenames`, `date_of_birth`, `sex`, `address`,
`postcode`, `local_authority`, `relationship_to_child`. Values are the CSV's (strings; `revision`
may be a number; null or a missing key = blank). Unknown keys are ignored. Two shapes are read:

- a JSON array of incident objects: `Rejected.line` is the incident's position in the array
  (1-based). If the array breaks off (invalid JSON), the incidents before the break still go
  through and one reject at the position of the broken incident says where the syntax fails;
- JSON Lines, one incident object per line (a single pretty-printed object also reads as one
  incident at position 1): `Rejected.line` is the *physical line number*, which is the
  incident's position when the file has no blank lines. A line that is not valid JSON or not
  UTF-8 is rejected alone.

In both, a problem with the incident itself (its type, time, status…) is one reject for the
incident; a problem with one person is a reject for that person only, its field names prefixed
with `persons[N].` (N counts from 1), and the other persons still go through. A byte that is
not UTF-8 rejects only the incident (array) or line (JSON Lines) it is in.

`parse` sniffs the format: after a byte-order mark and white space, `[` or `{` means JSON,
anything else CSV.

## Times

`occurred_at` / `reported_at`: ISO 8601 with an offset or Z (`2025-03-04T21:15:00+00:00`) is
taken as written. ISO without an offset (`2025-03-04T21:15` or `2025-03-04 21:15`) and
`DD/MM/YYYY HH:MM[:SS]` are UK local time (Europe/London, GMT or BST as on that day). A time is
required: a date alone is refused rather than given an invented hour. A local time that does
not exist (the hour the clocks go forward) is refused; one that happens twice (the clocks go
back) is taken as the first (BST). Future times and a date of birth after the incident are
refused.

## The mapping

- category: `incident_type` (`other` → `other_police_incident`); a `child_present` row of a
  domestic abuse incident → `domestic_abuse_child_present` (the Operation Encompass case).
- severity: risk standard → low, medium → medium, high → high; then raised for children: a
  child in a domestic abuse, neglect, sexual exploitation or online harm incident is at least
  medium; a missing child (`missing_person` under 18) and a child victim of sexual exploitation
  are at least high. Critical is left to MASH triage, never set from a police export.
- sensitivity: `police_intelligence` for suspects and other adults (what police know or suspect
  about an adult's offending and associations, shared on a need-to-know basis); `standard` for
  victims, children present, missing persons and witnesses.
- person.role — "a child" is anyone under 18 on the day (by date of birth), and every
  `child_present` even with no date of birth:
  1. a child → `child`;
  2. `relationship_to_child` mother, parent, carer or a grandparent → `carer`; partner,
     stepfather or stepmother → `partner`; visitor → `visitor`;
  3. an adult victim → `carer` (in a family incident the adult victim is usually the parent);
  4. a suspect or other adult (or a father, by `relationship_to_child`) → `partner` if they live
     at the address: the same postcode and the same first address part (before the first comma,
     ignoring case, spaces and punctuation) as a child or victim in the incident; otherwise, or
     with no address, `visitor`;
  5. anyone else (adult witnesses and missing persons, victims with no date of birth) → no role.
  An adult is 18 or over on the day; a suspect or other adult with no date of birth is taken as
  an adult (police roles for adults), anyone else without one is not given an adult's role.
- address: `address` + `postcode` as one address with no dates (when the person lived there is
  not in the export). "NFA" / "No fixed abode" in either column means no address: it must not
  group everyone of no fixed abode into one household.
- relationships — `relationship_to_child` on a person's row says what that person is to the
  children in the incident: mother, father, parent, stepfather, stepmother, partner (a
  parent's partner), grandparent, grandmother, grandfather, carer, visitor, sibling. Each child's
  event then gets `{"type": …, "source_ref": that person's person_ref}`, with stepfather /
  stepmother / partner → `partner`, grandparents and carer → `carer`. When the person is not that
  to every child (half-siblings), name the children: `father:P123;P124` — each named ref must be
  a person of the same incident and revision in the file, and not one read as an adult, or the
  row is rejected (a named child whose own row was rejected does not get the naming row
  rejected too). Relationships are declared on the children's events only; the hub reads them
  from either side.
- concern: `revision` and `record_status` withdrawn → `withdrawn: True`; `summary`,
  `action_taken`, `reported_at` as given; `recorded_by_role` → `recorded_by` as given (blank or
  absent → none: "Police" is not assumed); `ppn_ref` is not mapped (the canonical event has no
  field for it; the incident ref in `concern.ref` is how MASH asks police for the PPN).

Rejects: the file-level and row-structure rejects ("missing_column", "invalid_csv",
"invalid_encoding") come from `connectors.csvrows`; a value that cannot be mapped gives one
"invalid_value" for the row naming every bad column (allowed values listed); "wrong_agency"; a
person listed twice in the same incident and revision is "duplicate_person" at the second row;
what the canonical schema refuses is "invalid_event". JSON syntax problems are "invalid_json".
Strings such as `'; DROP TABLE x;--` or `<script>` are kept as text.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from connectors.base import Rejected, to_event_or_reject
from connectors.csvrows import LONDON, SEX_CODES, Cells, CsvRow, read_rows, wrong_agency
from hub.schemas import FUTURE_TOLERANCE

INCIDENT_TYPES = (
    "domestic_abuse",
    "missing_episode",
    "child_neglect",
    "sexual_exploitation",
    "online_harm",
    "assault",
    "other",
)
ROLES_IN_INCIDENT = (
    "victim",
    "suspect",
    "child_present",
    "missing_person",
    "witness",
    "other_adult",
)
RISK_LEVELS = ("standard", "medium", "high")
# relationship_to_child as written → the canonical relationship type on the child's event.
RELATIONSHIPS_TO_CHILD = {
    "mother": "mother",
    "father": "father",
    "parent": "parent",
    "stepfather": "partner",
    "stepmother": "partner",
    "partner": "partner",
    "grandparent": "carer",
    "grandmother": "carer",
    "grandfather": "carer",
    "carer": "carer",
    "visitor": "visitor",
    "sibling": "sibling",
}

INCIDENT_FIELDS = (
    "agency",
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
PERSON_FIELDS = (
    "person_ref",
    "role_in_incident",
    "surname",
    "forenames",
    "date_of_birth",
    "sex",
    "address",
    "postcode",
    "local_authority",
    "relationship_to_child",
)
REQUIRED_COLUMNS = (
    "incident_ref",
    "record_status",
    "incident_type",
    "occurred_at",
    "risk_level",
    "person_ref",
    "role_in_incident",
    "surname",
    "forenames",
    "date_of_birth",
    "sex",
    "address",
    "postcode",
    "summary",
)
OPTIONAL_COLUMNS = tuple(c for c in (*INCIDENT_FIELDS, *PERSON_FIELDS) if c not in REQUIRED_COLUMNS)

_CATEGORY = {t: t for t in INCIDENT_TYPES} | {"other": "other_police_incident"}
_SEVERITY = {"standard": "low", "medium": "medium", "high": "high"}
_ORDER = ("low", "medium", "high", "critical")
_CHILD_HARM = ("domestic_abuse", "child_neglect", "sexual_exploitation", "online_harm")
_NO_FIXED_ABODE = re.compile(r"(nfa|n\.f\.a\.?|no fixed (abode|address))", re.IGNORECASE)
_AWARE = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})")
_LOCAL_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2}))?")
_LOCAL_UK = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})[T ]+(\d{1,2}):(\d{2})(?::(\d{2}))?")
_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4}")
# Person refs seen per (incident_ref, revision, withdrawn), read or not.
_Known = dict[tuple[str, int, bool], set[str]]


# --------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------


def parse(raw: bytes, agency: str) -> Iterator[dict | Rejected]:
    """CSV or JSON, by the first byte that is not white space (`[` or `{` → JSON)."""
    start = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    if start.lstrip()[:1] in (b"[", b"{"):
        return parse_json(raw, agency)
    return parse_csv(raw, agency)


def parse_csv(raw: bytes, agency: str) -> Iterator[dict | Rejected]:
    """One canonical event or one `Rejected` per person row, in file order (see the module
    docstring for the columns); line numbers are physical lines, the header is line 1."""
    items: list[_Person | Rejected] = []
    known: _Known = {}
    for row in read_rows(raw, REQUIRED_COLUMNS, OPTIONAL_COLUMNS):
        if isinstance(row, Rejected):
            items.append(row)
            continue
        _remember(known, row)
        refused = wrong_agency(row, agency)
        if refused:
            items.append(refused)
            continue
        cells = Cells(row)
        incident = _read_incident(cells)
        person = _read_person(cells, incident, row.line, "")
        if person is None or cells.errors:
            items.append(cells.rejected() or Rejected(row.line, "invalid_value", {}))
        else:
            items.append(person)
    return _events(items, known, agency)


def parse_json(raw: bytes, agency: str) -> Iterator[dict | Rejected]:
    """One canonical event or one `Rejected` per person of every incident, in order; a bad
    incident is one `Rejected`. `Rejected.line` is the incident's position in a JSON array, or
    its physical line in JSON Lines (see the module docstring)."""
    items: list[_Person | Rejected] = []
    known: _Known = {}
    for position, incident in _json_incidents(raw):
        if isinstance(incident, Rejected):
            items.append(incident)
        else:
            items.extend(_read_json_incident(position, incident, agency, known))
    return _events(items, known, agency)


# --------------------------------------------------------------------------------------------
# Reading values
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Incident:
    ref: str
    revision: int
    withdrawn: bool
    type: str
    occurred: dt.datetime
    reported: dt.datetime | None
    risk: str
    summary: str
    action: str | None
    recorded_by: str | None = None  # a rank or role, never a name


@dataclass
class _Person:
    position: int  # line (CSV, JSON Lines) or incident position (JSON array)
    label: str  # "" (CSV) or "persons[N]" (JSON): where to say a problem is
    incident: _Incident
    ref: str
    role_in_incident: str
    surname: str
    forenames: str | None
    dob: dt.date | None
    age: int | None  # whole years on the day of the incident
    sex: str | None
    address: str | None
    postcode: str | None
    local_authority: str | None
    relationship: str | None  # canonical relationship type to the children
    relationship_to: tuple[str, ...] | None  # only these children (None: every child)
    role: str | None = None
    relationships: list[dict] = field(default_factory=list)

    @property
    def group(self) -> tuple[str, int, bool]:
        return (self.incident.ref, self.incident.revision, self.incident.withdrawn)

    @property
    def is_child(self) -> bool:
        return self.role_in_incident == "child_present" or (self.age is not None and self.age < 18)


def _read_incident(cells: Cells) -> _Incident | None:
    ref = cells.text("incident_ref", required=True, max_len=100)
    cells.text("ppn_ref", max_len=120)
    revision, withdrawn = cells.status_and_revision()
    kind = cells.choice("incident_type", INCIDENT_TYPES, required=True)
    occurred = _moment(cells, "occurred_at", required=True)
    reported = _moment(cells, "reported_at")
    risk = cells.choice("risk_level", RISK_LEVELS, required=True)
    summary = cells.text("summary", required=True)
    action = cells.text("action_taken")
    recorded_by = cells.text("recorded_by_role", max_len=120)
    if cells.errors or not (ref and kind and occurred and risk and summary):
        return None
    return _Incident(
        ref, revision, withdrawn, kind, occurred, reported, risk, summary, action, recorded_by
    )


def _read_person(
    cells: Cells, incident: _Incident | None, position: int, label: str
) -> _Person | None:
    ref = cells.text("person_ref", required=True, max_len=120)
    role_in = cells.choice("role_in_incident", ROLES_IN_INCIDENT, required=True)
    surname = cells.text("surname", required=True, max_len=120)
    forenames = cells.text("forenames", max_len=300)
    dob = cells.date("date_of_birth", birth=True)
    sex = cells.choice("sex", SEX_CODES)
    address, postcode = None, None
    if not any(_NO_FIXED_ABODE.fullmatch(cells.row.get(c)) for c in ("address", "postcode")):
        address = cells.text("address", max_len=300)
        postcode = cells.postcode("postcode")
    local_authority = cells.ons_code("local_authority")
    relationship, relationship_to = _relationship(cells)
    age = None
    if dob and incident:
        day = incident.occurred.astimezone(LONDON).date()
        if dob > day:
            cells.error("date_of_birth", f"Born {dob} — after the incident on {day}.")
        age = day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
        if role_in == "child_present" and age >= 18:
            cells.error(
                "date_of_birth",
                f"A child present must be under 18 on the day; born {dob}, they were {age}.",
            )
    if cells.errors or incident is None or not (ref and role_in and surname):
        return None
    return _Person(
        position=position,
        label=label,
        incident=incident,
        ref=ref,
        role_in_incident=role_in,
        surname=surname,
        forenames=forenames,
        dob=dob,
        age=age,
        sex=sex,
        address=address,
        postcode=postcode,
        local_authority=local_authority,
        relationship=relationship,
        relationship_to=relationship_to,
    )


def _relationship(cells: Cells) -> tuple[str | None, tuple[str, ...] | None]:
    """`mother` (to every child in the incident) or `father:P1;P2` (to the children named)."""
    value = cells.row.get("relationship_to_child")
    if not value:
        return None, None
    written, colon, children = value.partition(":")
    kind = RELATIONSHIPS_TO_CHILD.get(re.sub(r"[\s_-]+", "", written.lower()))
    if kind is None:
        cells.error(
            "relationship_to_child",
            f"Unknown relationship {written.strip()[:40]!r}: expected one of "
            f"{', '.join(RELATIONSHIPS_TO_CHILD)} (optionally ':' and the children's person "
            "refs, separated by ';').",
        )
        return None, None
    if not colon:
        return kind, None
    refs = tuple(ref.strip() for ref in children.split(";") if ref.strip())
    if not refs:
        cells.error("relationship_to_child", f"No children's person refs after ':' in {value!r}.")
        return None, None
    return kind, refs


def _moment(cells: Cells, column: str, required: bool = False) -> dt.datetime | None:
    """An aware datetime from ISO 8601 with an offset, or UK local time (see "Times")."""
    value = cells.row.get(column)
    if not value:
        if required:
            cells.error(column, "Required: the date and time are blank.")
        return None
    shown = repr(value[:40])
    moment: dt.datetime | None = None
    try:
        if _AWARE.fullmatch(value):
            moment = dt.datetime.fromisoformat(value)
        elif match := _LOCAL_ISO.fullmatch(value):
            year, month, day, hour, minute, second = (int(g or 0) for g in match.groups())
            moment = dt.datetime(year, month, day, hour, minute, second, tzinfo=LONDON)
        elif match := _LOCAL_UK.fullmatch(value):
            day, month, year, hour, minute, second = (int(g or 0) for g in match.groups())
            moment = dt.datetime(year, month, day, hour, minute, second, tzinfo=LONDON)
    except ValueError as exc:
        cells.error(column, f"Not a real date and time: {shown} ({exc}).")
        return None
    if moment is None:
        if _DATE_ONLY.fullmatch(value):
            cells.error(column, f"A date without a time: {shown} (give e.g. 04/03/2025 21:15).")
        else:
            cells.error(
                column,
                f"Not a date and time: {shown} (use 2025-03-04T21:15:00+00:00, "
                "2025-03-04 21:15 or 04/03/2025 21:15; without an offset it is UK time).",
            )
        return None
    if moment.tzinfo is LONDON:
        wall = moment.replace(tzinfo=None)
        if moment.astimezone(dt.UTC).astimezone(LONDON).replace(tzinfo=None) != wall:
            cells.error(column, f"{shown} does not exist in UK time (the clocks went forward).")
            return None
    if moment.year < 1900:
        cells.error(column, f"Not a plausible date: {shown}.")
        return None
    if moment > dt.datetime.now(dt.UTC) + FUTURE_TOLERANCE:
        cells.error(column, f"Cannot be in the future: {shown}.")
        return None
    return moment


def _remember(known: _Known, values: CsvRow) -> None:
    """Every person ref seen in an incident (and revision), whether or not its row could be
    read: a relationship naming a child whose own row was rejected is not the naming row's
    fault."""
    incident, person = values.get("incident_ref"), values.get("person_ref")
    if not (incident and person):
        return
    revision = values.get("revision") or "1"
    withdrawn = values.get("record_status").lower() == "withdrawn"
    number = (
        int(revision) if revision.isascii() and revision.isdigit() and len(revision) < 9 else -1
    )
    key = (incident, number, withdrawn)
    known.setdefault(key, set()).add(person)


# --------------------------------------------------------------------------------------------
# JSON
# --------------------------------------------------------------------------------------------

_WS = " \t\r\n"


def _json_incidents(raw: bytes) -> Iterator[tuple[int, object]]:
    """(position, parsed incident or Rejected). Bytes that are not UTF-8 are decoded as lone
    surrogates (surrogateescape) so the structure still parses; an incident whose text holds
    one is rejected as "invalid_encoding" (a JSON escape such as "\\udc80" is text, not a byte,
    and is refused later as a value)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    text = raw.decode("utf-8", "surrogateescape")
    start = len(text) - len(text.lstrip(_WS))
    if start == len(text):
        yield 1, Rejected(1, "invalid_json", {"file": ["The file is empty."]})
        return
    if text[start] == "[":
        yield from _json_array(text, start + 1)
        return
    if text[start] == "{":
        try:
            whole, end = json.JSONDecoder().raw_decode(text, start)
        except (ValueError, RecursionError):
            whole, end = None, -1
        if end >= 0 and not text[end:].strip(_WS):
            yield 1, _encoding_checked(1, text, start, end, whole)
            return
        yield from _json_lines(raw)
        return
    yield (
        1,
        Rejected(
            1,
            "invalid_json",
            {"file": ["Expected a JSON array of incidents ('[') or JSON Lines ('{')."]},
        ),
    )


def _json_array(text: str, index: int) -> Iterator[tuple[int, object]]:
    decoder = json.JSONDecoder()
    position = 0

    def skip(i: int) -> int:
        while i < len(text) and text[i] in _WS:
            i += 1
        return i

    index = skip(index)
    if text[index : index + 1] == "]":
        index = skip(index + 1)
        if index < len(text):
            yield 1, _broken(1, text, index, "Unexpected text after the end of the array")
        return
    while True:
        position += 1
        try:
            item, end = decoder.raw_decode(text, index)
        except json.JSONDecodeError as exc:
            yield position, _broken(position, text, exc.pos, exc.msg)
            return
        except (ValueError, RecursionError) as exc:
            message = "Nested too deeply" if isinstance(exc, RecursionError) else str(exc)
            yield position, _broken(position, text, index, message)
            return
        yield position, _encoding_checked(position, text, index, end, item)
        index = skip(end)
        following = text[index : index + 1]
        if following == ",":
            index = skip(index + 1)
            continue
        if following == "]":
            index = skip(index + 1)
            if index < len(text):
                yield (
                    position + 1,
                    _broken(
                        position + 1, text, index, "Unexpected text after the end of the array"
                    ),
                )
            return
        yield position + 1, _broken(position + 1, text, index, "Expecting ',' or ']'")
        return


def _broken(position: int, text: str, index: int, message: str) -> Rejected:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return Rejected(
        position,
        "invalid_json",
        {
            "file": [
                f"Incident {position}: {message} (line {line}, column {column}); nothing "
                "from there on could be read."
            ]
        },
    )


def _encoding_checked(position: int, text: str, start: int, end: int, item: object) -> object:
    for index in range(start, end):
        if "\udc80" <= text[index] <= "\udcff":
            line = text.count("\n", 0, index) + 1
            column = index - (text.rfind("\n", 0, index) + 1) + 1
            byte = ord(text[index]) - 0xDC00
            return Rejected(
                position,
                "invalid_encoding",
                {"line": [f"Not UTF-8: byte 0x{byte:02x} at line {line}, column {column}."]},
            )
    return item


def _json_lines(raw: bytes) -> Iterator[tuple[int, object]]:
    for number, line in enumerate(raw.splitlines(), start=1):
        text = line.decode("utf-8", "surrogateescape")
        if not text.strip(_WS):
            continue
        try:
            item = json.loads(text)
        except json.JSONDecodeError as exc:
            message = f"{exc.msg} at column {exc.colno}."
            yield number, Rejected(number, "invalid_json", {"line": [message]})
            continue
        except (ValueError, RecursionError) as exc:
            message = "Nested too deeply." if isinstance(exc, RecursionError) else str(exc)
            yield number, Rejected(number, "invalid_json", {"line": [message]})
            continue
        checked = _encoding_checked(number, text, 0, len(text), item)
        if isinstance(checked, Rejected):  # the column is within this one line
            message = checked.fields["line"][0].replace(" at line 1, column", " at column")
            checked = Rejected(number, "invalid_encoding", {"line": [message]})
        yield number, checked


def _json_values(obj: dict, keys: Iterable[str], errors: dict[str, list[str]]) -> dict[str, str]:
    """The object's values as the CSV's text; anything that is not text is an error."""
    values: dict[str, str] = {}
    for key in keys:
        value = obj.get(key)
        if value is None:
            values[key] = ""
        elif isinstance(value, str):
            bad = next((ch for ch in value if _unstorable(ch)), None)
            if bad is not None:
                errors.setdefault(key, []).append(
                    f"Contains U+{ord(bad):04X}, which is not text (a NUL or a lone surrogate)."
                )
            values[key] = value.strip()
        elif isinstance(value, int) and not isinstance(value, bool):
            values[key] = str(value)
        else:
            kind = {
                bool: "true/false",
                float: "a decimal number",
                list: "a list",
                dict: "an object",
            }
            errors.setdefault(key, []).append(
                f"Expected text, found {kind.get(type(value), type(value).__name__)}."
            )
            values[key] = ""
    return values


def _unstorable(ch: str) -> bool:
    return ch == "\x00" or unicodedata.category(ch) == "Cs"


def _read_json_incident(
    position: int, data: object, agency: str, known: _Known
) -> list[_Person | Rejected]:
    if not isinstance(data, dict):
        found = type(data).__name__.replace("dict", "object")
        return [
            Rejected(
                position, "invalid_json", {"incident": [f"Expected an object, found {found}."]}
            )
        ]
    errors: dict[str, list[str]] = {}
    values = _json_values(data, INCIDENT_FIELDS, errors)
    row = CsvRow(position, values)
    refused = wrong_agency(row, agency)
    if refused:
        return [refused]
    cells = Cells(row)
    cells.errors.update(errors)
    incident = _read_incident(cells)
    persons = data.get("persons")
    if not isinstance(persons, list) or not persons:
        cells.error("persons", "An incident needs a non-empty list of persons.")
    if incident is None or cells.errors:
        return [cells.rejected() or Rejected(position, "invalid_value", {})]
    assert isinstance(persons, list)
    out: list[_Person | Rejected] = []
    for number, person in enumerate(persons, start=1):
        label = f"persons[{number}]"
        if not isinstance(person, dict):
            out.append(Rejected(position, "invalid_json", {label: ["Expected a person object."]}))
            continue
        person_errors: dict[str, list[str]] = {}
        person_row = CsvRow(position, _json_values(person, PERSON_FIELDS, person_errors))
        _remember(known, CsvRow(position, {**values, **person_row.values}))
        person_cells = Cells(person_row)
        person_cells.errors.update(person_errors)
        mapped = _read_person(person_cells, incident, position, label)
        if person_cells.errors or mapped is None:
            fields = {f"{label}.{key}": messages for key, messages in person_cells.errors.items()}
            out.append(Rejected(position, "invalid_value", fields))
        else:
            out.append(mapped)
    return out


# --------------------------------------------------------------------------------------------
# From persons to events: roles and relationships need the whole incident
# --------------------------------------------------------------------------------------------


def _events(
    items: list[_Person | Rejected], known: _Known, agency: str
) -> Iterator[dict | Rejected]:
    seen: dict[tuple[str, int, bool, str], _Person] = {}
    groups: dict[tuple[str, int, bool], list[_Person]] = {}
    for index, item in enumerate(items):
        if isinstance(item, Rejected):
            continue
        key = (*item.group, item.ref)
        first = seen.get(key)
        if first is not None:
            items[index] = _rejected(
                item,
                "duplicate_person",
                {
                    "person_ref": [
                        f"{item.ref} is already in incident {item.incident.ref} (revision "
                        f"{item.incident.revision}) at {_where(first)}."
                    ]
                },
            )
            continue
        seen[key] = item
        groups.setdefault(item.group, []).append(item)
    for group in groups.values():
        _roles_and_relationships(group)
    for item in items:
        if isinstance(item, Rejected):
            yield item
            continue
        problem = _relationship_problem(item, groups[item.group], known)
        if problem:
            yield _rejected(item, "invalid_value", {"relationship_to_child": [problem]})
            continue
        event = to_event_or_reject(_submission(item, agency), item.position)
        if isinstance(event, Rejected) and item.label:
            event = Rejected(event.line, event.reason, {item.label: event.fields})
        yield event


def _where(person: _Person) -> str:
    if person.label:
        return f"incident {person.position}, {person.label}"
    return f"line {person.position}"


def _rejected(person: _Person, reason: str, fields: dict) -> Rejected:
    if person.label:
        fields = {f"{person.label}.{key}": value for key, value in fields.items()}
    return Rejected(person.position, reason, fields)


def _address_key(person: _Person) -> tuple[str, str] | None:
    if not (person.address and person.postcode):
        return None
    first_part = person.address.split(",", 1)[0]
    return (
        re.sub(r"\s+", "", person.postcode.upper()),
        re.sub(r"[^0-9a-z]+", "", first_part.lower()),
    )


def _roles_and_relationships(group: list[_Person]) -> None:
    home = {
        key
        for p in group
        if p.is_child or p.role_in_incident == "victim"
        if (key := _address_key(p)) is not None
    }
    for person in group:
        person.role = _role(person, home)
    for child in (p for p in group if p.is_child):
        for other in group:
            if other is child or other.relationship is None:
                continue
            if other.relationship_to is not None and child.ref not in other.relationship_to:
                continue
            declared = {"type": other.relationship, "source_ref": other.ref}
            if declared not in child.relationships:
                child.relationships.append(declared)


def _role(person: _Person, home: set[tuple[str, str]]) -> str | None:
    if person.is_child:
        return "child"
    if person.relationship in ("mother", "parent", "carer"):
        return "carer"
    if person.relationship in ("partner", "visitor"):
        return person.relationship
    adult = person.age is not None
    if person.role_in_incident == "victim" and adult:
        return "carer"
    if person.role_in_incident in ("suspect", "other_adult") or person.relationship == "father":
        return "partner" if _address_key(person) in home else "visitor"
    return None


def _relationship_problem(person: _Person, group: list[_Person], known: _Known) -> str | None:
    if not person.relationship_to:
        return None
    by_ref = {p.ref: p for p in group}
    for ref in person.relationship_to:
        if ref == person.ref:
            return f"{ref} is this person's own ref: name the children it applies to."
        named = by_ref.get(ref)
        if named is None and ref not in known.get(person.group, set()):
            return (
                f"{ref} is not a person in incident {person.incident.ref} (revision "
                f"{person.incident.revision}) in this file."
            )
        if named is not None and not named.is_child:
            return f"{ref} is not a child in incident {person.incident.ref}."
    return None


def _severity(person: _Person) -> str:
    severity = _SEVERITY[person.incident.risk]
    floor = "low"
    if person.is_child:
        if person.incident.type in _CHILD_HARM:
            floor = "medium"
        if person.role_in_incident == "missing_person" or (
            person.incident.type == "sexual_exploitation" and person.role_in_incident == "victim"
        ):
            floor = "high"
    return max(severity, floor, key=_ORDER.index)


def _category(person: _Person) -> str:
    if person.incident.type == "domestic_abuse" and person.role_in_incident == "child_present":
        return "domestic_abuse_child_present"
    return _CATEGORY[person.incident.type]


def _submission(person: _Person, agency: str) -> dict:
    incident = person.incident
    given, _, middle = (person.forenames or "").partition(" ")
    addresses = []
    if person.address or person.postcode:
        addresses.append({"line": person.address, "postcode": person.postcode})
    return {
        "agency": agency,
        "person": {
            "source_ref": person.ref,
            "local_authority": person.local_authority,
            "given_name": given or None,
            "middle_names": " ".join(middle.split()) or None,
            "family_name": person.surname,
            "date_of_birth": person.dob.isoformat() if person.dob else None,
            "sex": person.sex,
            "role": person.role,
            "addresses": addresses,
            "relationships": person.relationships,
        },
        "concern": {
            "ref": f"{incident.ref}:{person.ref}",
            "occurred_at": incident.occurred.isoformat(),
            "reported_at": incident.reported.isoformat() if incident.reported else None,
            "category": _category(person),
            "severity": _severity(person),
            "sensitivity": (
                "police_intelligence"
                if person.role_in_incident in ("suspect", "other_adult")
                else "standard"
            ),
            "summary": incident.summary,
            "action_taken": incident.action,
            "recorded_by": incident.recorded_by,
            "revision": incident.revision,
            "withdrawn": incident.withdrawn,
        },
    }
