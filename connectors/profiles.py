"""Flat agency exports (CSV or JSON), mapped by a declarative profile per agency.

Housing, probation, adult mental health and substance misuse services export simple tables: one
row per event about one person. One engine reads them all. What differs between agencies lives in
a `Profile`: the agency's column names and the canonical field each one feeds, its event codes
and what each becomes (category, severity, sensitivity, role), the date formats it writes, the
columns its export must have, and a few declared rules (severity from arrears bands or a RoSH
level, role from a relationship column, a household member's relationship to the tenant, facts to
put in the summary). Adding an agency is writing a profile, not code; see the four
`*_profile()` functions below, whose docstrings document each agency's columns.

`parse` sniffs the payload:

- a JSON array of objects — a reject's `line` is the object's 1-based position in the array;
- JSON Lines (one object per line; a single object is one item) — `line` is the physical line,
  which is the object's position when there are no blank lines;
- anything else is CSV with a header row — `line` is the physical line where the row starts
  (header = line 1), counting the lines inside quoted fields, so a note with line breaks does not
  shift the numbers of the rows after it.

JSON objects use the same keys as the CSV columns. Column names are matched ignoring case,
surrounding spaces, and spaces or hyphens versus underscores; columns a profile does not know
are ignored. Local times without an offset are UK local time (Europe/London).

Every problem is a `Rejected` naming the column as the agency wrote it, with a short reason:
`no_profile`, `empty_file`, `missing_column`, `duplicate_column`, `invalid_encoding`,
`invalid_csv`, `wrong_field_count`, `invalid_json`, `wrong_agency`, `missing_value`,
`unknown_event_type`, `invalid_date`, `invalid_nhs_number`, `invalid_postcode`,
`invalid_amount`, `invalid_number`, `invalid_value`, or `invalid_event` (the canonical schema
refused the mapped event, e.g. a date in the future); `unexpected_error` would mean a bug here,
caught so that the other items still go through. When a row has several problems, `fields`
lists them all and `reason` is the first, in column order.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from stdnum.gb import nhs

from connectors.base import Rejected, decode_lines, to_event_or_reject
from hub.schemas import RELATIONSHIPS, ROLES, SENSITIVITIES, SEVERITIES, UK_POSTCODE

__all__ = [
    "ADULT_MENTAL_HEALTH",
    "HOUSING",
    "PROBATION",
    "PROFILES",
    "SUBSTANCE_MISUSE",
    "Bands",
    "Choice",
    "EventType",
    "Fact",
    "FieldError",
    "Flag",
    "Levels",
    "Profile",
    "Relationship",
    "RoleFrom",
    "adult_mental_health_profile",
    "housing_profile",
    "parse",
    "probation_profile",
    "profile_for",
    "substance_misuse_profile",
]

MAX_TEXT = 4000  # the canonical summary and action_taken limit
EARLIEST_EVENT = dt.date(1900, 1, 1)
_BOM = b"\xef\xbb\xbf"


def _norm(value: str) -> str:
    """How codes and choices are compared: case, spaces, underscores and hyphens don't matter."""
    return re.sub(r"[\s_\-]+", " ", value.strip().lower())


def _column(name: str) -> str:
    """A column name as profiles spell it: lower case, underscores."""
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def _show(value: str, limit: int = 60) -> str:
    """A value quoted for a message, cut short so a huge or hostile value stays readable."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


def _clip(text: str) -> str:
    """Free text longer than the canonical limit is cut, saying so, rather than lost."""
    if len(text) <= MAX_TEXT:
        return text
    marker = f" […cut: {len(text)} characters in the source]"
    return text[: MAX_TEXT - len(marker)] + marker


# --------------------------------------------------------------------------------------------
# Kinds of field: each turns a non-blank cell into a value or raises FieldError
# --------------------------------------------------------------------------------------------


class FieldError(ValueError):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


class Kind:
    def parse(self, value: str, profile: Profile) -> Any:
        raise NotImplementedError


class Text(Kind):
    def parse(self, value: str, profile: Profile) -> str:
        return value


_DATE_TOKENS = {
    "%d": (r"\d{1,2}", "DD"),
    "%m": (r"\d{1,2}", "MM"),
    "%Y": (r"\d{4}", "YYYY"),
    "%b": (r"[A-Za-z]{3}", "Mon"),
    "%H": (r"\d{1,2}", "hh"),
    "%M": (r"\d{2}", "mm"),
    "%S": (r"\d{2}", "ss"),
}


@functools.cache
def _shape(fmt: str) -> tuple[re.Pattern[str], str]:
    """A strptime format as a regular expression of its shape, and as people write it."""
    pattern, human = "", ""
    for part in re.split(r"(%[a-zA-Z])", fmt):
        if part in _DATE_TOKENS:
            pattern += _DATE_TOKENS[part][0]
            human += _DATE_TOKENS[part][1]
        elif part.startswith("%"):
            raise ValueError(f"Unsupported date directive {part} in {fmt!r}.")
        else:
            pattern += re.escape(part)
            human += part
    return re.compile(pattern + r"\Z"), human


def _strptime(value: str, formats: tuple[str, ...], what: str) -> dt.datetime:
    """Read a date in one of the formats; say whether it is no real date or no known format."""
    for fmt in formats:
        pattern, human = _shape(fmt)
        if not pattern.match(value):
            continue
        try:
            return dt.datetime.strptime(value, fmt)
        except ValueError:
            raise FieldError(
                "invalid_date", f"{_show(value)} is not a real {what} (read as {human})."
            ) from None
    expected = " or ".join(_shape(fmt)[1] for fmt in formats)
    raise FieldError(
        "invalid_date", f"{_show(value)} is not a {what} in a known format ({expected})."
    )


class Date(Kind):
    def parse(self, value: str, profile: Profile) -> dt.date:
        return _strptime(value, profile.date_formats, "date").date()


_ISO_MOMENT = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?\Z"
)


class Moment(Kind):
    """A date and time: the profile's formats (UK local time), a bare date (midnight local
    time), or ISO 8601 with or without an offset."""

    def parse(self, value: str, profile: Profile) -> dt.datetime:
        if _ISO_MOMENT.match(value):
            try:
                moment = dt.datetime.fromisoformat(value)
            except ValueError:
                raise FieldError(
                    "invalid_date", f"{_show(value)} is not a real date and time."
                ) from None
        else:
            moment = _strptime(
                value, profile.datetime_formats + profile.date_formats, "date and time"
            )
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ZoneInfo(profile.timezone))
        if moment.date() < EARLIEST_EVENT:
            raise FieldError(
                "invalid_date", f"{_show(value)} is not plausible (before {EARLIEST_EVENT})."
            )
        return moment


class NhsNumber(Kind):
    def parse(self, value: str, profile: Profile) -> str:
        compact = re.sub(r"[\s\-]", "", value)
        if not (len(compact) == 10 and compact.isdigit() and nhs.is_valid(compact)):
            raise FieldError(
                "invalid_nhs_number",
                f"{_show(value)} is not a valid NHS number (10 digits with a modulus-11 check).",
            )
        return compact


class Postcode(Kind):
    _pattern = re.compile(UK_POSTCODE)

    def parse(self, value: str, profile: Profile) -> str:
        if not self._pattern.match(value):
            raise FieldError("invalid_postcode", f"{_show(value)} is not a UK postcode.")
        compact = value.replace(" ", "").upper()
        return f"{compact[:-3]} {compact[-3:]}"


class Amount(Kind):
    """Money in pounds: 1234.50, 1,234.50 or £1,234.50; not negative, at most pence."""

    _pattern = re.compile(r"£?(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?\Z")

    def parse(self, value: str, profile: Profile) -> Decimal:
        if not self._pattern.match(value):
            raise FieldError(
                "invalid_amount",
                f"{_show(value)} is not an amount in pounds (e.g. 1234.50 or £1,234.50).",
            )
        return Decimal(value.lstrip("£").replace(",", ""))


class Number(Kind):
    """A count or measure, not negative; `whole` for integers (a revision, a level)."""

    def __init__(self, whole: bool = False, minimum: int = 0, maximum: int = 100_000) -> None:
        self.whole, self.minimum, self.maximum = whole, minimum, maximum
        self._pattern = re.compile(r"\d{1,9}\Z" if whole else r"\d{1,9}(\.\d{1,3})?\Z")

    def parse(self, value: str, profile: Profile) -> Decimal | int:
        what = "a whole number" if self.whole else "a number"
        if not self._pattern.match(value):
            raise FieldError("invalid_number", f"{_show(value)} is not {what}.")
        number = int(value) if self.whole else Decimal(value)
        if not self.minimum <= number <= self.maximum:
            raise FieldError(
                "invalid_number",
                f"{_show(value)} is out of range ({self.minimum} to {self.maximum}).",
            )
        return number


class Choice(Kind):
    """One of a fixed set of values; `values` maps each accepted spelling to what it means."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self.values = dict(values)
        self._lookup = {_norm(key): meaning for key, meaning in self.values.items()}

    @classmethod
    def of(cls, spellings: Mapping[Any, str]) -> Choice:
        """From meaning -> its accepted spellings separated by "|"."""
        return cls(
            {word: meaning for meaning, words in spellings.items() for word in words.split("|")}
        )

    def parse(self, value: str, profile: Profile) -> Any:
        key = _norm(value)
        if key not in self._lookup:
            allowed = ", ".join(self.values)
            raise FieldError("invalid_value", f"{_show(value)} is not one of: {allowed}.")
        return self._lookup[key]


TEXT = Text()
DATE = Date()
MOMENT = Moment()
YES_NO = Choice.of({True: "yes|y|true", False: "no|n|false"})
SEX = Choice.of(
    {"female": "female|f", "male": "male|m", "unknown": "unknown|u|not known|not stated"}
)
RECORD_STATUS = Choice.of({"new": "new|original", "amended": "amended", "withdrawn": "withdrawn"})

# The fields every profile can map to, and how each is read. Agency-specific fields (arrears,
# RoSH level, ...) are declared with their kinds in the profile's `fields`.
COMMON_FIELDS: dict[str, Kind] = {
    "agency": TEXT,
    "person_ref": TEXT,
    "local_authority": TEXT,
    "given_name": TEXT,
    "middle_names": TEXT,
    "family_name": TEXT,
    "date_of_birth": DATE,
    "sex": SEX,
    "nhs_number": NhsNumber(),
    "address_line": TEXT,
    "postcode": Postcode(),
    "address_from": DATE,
    "concern_ref": TEXT,
    "event_type": TEXT,
    "occurred_at": MOMENT,
    "reported_at": MOMENT,
    "notes": TEXT,
    "action_taken": TEXT,
    "record_status": RECORD_STATUS,
    "revision": Number(whole=True, minimum=1, maximum=10_000),
}
# Every row needs these; a profile must map them.
REQUIRED_VALUES = ("person_ref", "concern_ref", "event_type", "occurred_at")


# --------------------------------------------------------------------------------------------
# Declared rules
# --------------------------------------------------------------------------------------------


def _at_least(severity: str, floor: str) -> str:
    return max(severity, floor, key=SEVERITIES.index)


@dataclass(frozen=True)
class Bands:
    """Severity at least the band a number falls in: `bands` is ((threshold, severity), ...)
    in rising order; the highest threshold the value reaches wins."""

    field: str
    bands: tuple[tuple[Decimal, str], ...]

    def apply(self, severity: str, values: Mapping[str, Any]) -> str:
        value = values.get(self.field)
        if value is None:
            return severity
        for threshold, band in self.bands:
            if value >= threshold:
                severity = _at_least(severity, band)
        return severity


@dataclass(frozen=True)
class Levels:
    """Severity at least the one a level maps to (e.g. RoSH "very high" → critical)."""

    field: str
    levels: Mapping[Any, str]

    def apply(self, severity: str, values: Mapping[str, Any]) -> str:
        value = values.get(self.field)
        if value is None or value not in self.levels:
            return severity
        return _at_least(severity, self.levels[value])


@dataclass(frozen=True)
class Flag:
    """When a yes/no field is yes: severity at least `at_least`, then `steps` levels higher."""

    field: str
    at_least: str | None = None
    steps: int = 0

    def apply(self, severity: str, values: Mapping[str, Any]) -> str:
        if values.get(self.field) is not True:
            return severity
        if self.at_least:
            severity = _at_least(severity, self.at_least)
        return SEVERITIES[min(SEVERITIES.index(severity) + self.steps, len(SEVERITIES) - 1)]


Rule = Bands | Levels | Flag


@dataclass(frozen=True)
class RoleFrom:
    """The person's role from a column: `roles` maps the column's value to a role (or None
    for no role). A blank cell leaves the event type's role."""

    field: str
    roles: Mapping[Any, str | None]


@dataclass(frozen=True)
class Relationship:
    """A row naming another person's record at the same agency (`ref_field`) declares how that
    person is related to this one: `types` maps the value of `type_field` to a canonical
    relationship type ("the person at ref is this person's <type>")."""

    ref_field: str
    type_field: str
    types: Mapping[Any, str]


@dataclass(frozen=True)
class Fact:
    """A value worth saying in the summary: `template` is formatted with `value` (yes/no for
    flags)."""

    field: str
    template: str


@dataclass(frozen=True)
class EventType:
    """What one of the agency's event codes becomes."""

    category: str
    severity: str
    sensitivity: str = "standard"
    role: str | None = None  # the person's role unless the profile's RoleFrom says otherwise
    label: str = ""  # the summary's opening words
    rules: tuple[Rule, ...] = ()  # severity rules for this event type only
    needs: tuple[str, ...] = ()  # fields that must have a value for this event type


# Health and police sensitivities are not above one another; restricted is above both.
_SENSITIVITY_RANK = {"standard": 0, "health_confidential": 1, "police_intelligence": 1}


@dataclass(frozen=True)
class Profile:
    """How one agency's flat export maps to canonical concern events."""

    agency: str
    columns: Mapping[str, str]  # the agency's column name -> field
    events: Mapping[str, EventType]  # the agency's event code -> what it becomes
    required: tuple[str, ...]  # columns the export must have (cells may still be blank)
    fields: Mapping[str, Kind] = field(default_factory=dict)  # agency-specific fields
    date_formats: tuple[str, ...] = ("%d/%m/%Y", "%Y-%m-%d")
    datetime_formats: tuple[str, ...] = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S")
    timezone: str = "Europe/London"
    rules: tuple[Rule, ...] = ()  # severity rules for every event type
    role: RoleFrom | None = None
    relationship: Relationship | None = None
    sensitive_fields: Mapping[str, str] = field(default_factory=dict)  # field -> sensitivity
    facts: tuple[Fact, ...] = ()
    ref_per_person: bool = False  # one event lists several people: ref = "{ref}:{person_ref}"

    def __post_init__(self) -> None:
        problems = self._problems()
        if problems:
            raise ValueError(f"Profile {self.agency!r}: " + " ".join(problems))

    def _problems(self) -> list[str]:
        out = []
        mapped = set(self.columns.values())
        for name in self.columns:
            if name != _column(name):
                out.append(f"Column {name!r} should be written {_column(name)!r}.")
        for name, target in self.columns.items():
            if target not in COMMON_FIELDS and target not in self.fields:
                out.append(f"Column {name!r} feeds {target!r}, which has no kind.")
        out += [
            f"Required column {c!r} is not mapped." for c in self.required if c not in self.columns
        ]
        out += [f"Field {f!r} must be mapped." for f in REQUIRED_VALUES if f not in mapped]
        if len({_norm(code) for code in self.events}) != len(self.events):
            out.append("Two event codes are the same when case and spacing are ignored.")
        rules = list(self.rules)
        for code, event in self.events.items():
            if not re.fullmatch(r"[a-z][a-z0-9_]{1,59}", event.category):
                out.append(f"Event {code!r}: category {event.category!r} is not snake_case.")
            if event.severity not in SEVERITIES or event.sensitivity not in SENSITIVITIES:
                out.append(f"Event {code!r}: unknown severity or sensitivity.")
            if event.role is not None and event.role not in ROLES:
                out.append(f"Event {code!r}: unknown role {event.role!r}.")
            out += [f"Event {code!r} needs unmapped {n!r}." for n in event.needs if n not in mapped]
            rules += event.rules
        used = [rule.field for rule in rules] + [fact.field for fact in self.facts]
        used += list(self.sensitive_fields)
        if self.role:
            used.append(self.role.field)
            out += [
                f"Unknown role {r!r}." for r in self.role.roles.values() if r and r not in ROLES
            ]
        if self.relationship:
            used += [self.relationship.ref_field, self.relationship.type_field]
            types = self.relationship.types.values()
            out += [f"Unknown relationship {t!r}." for t in types if t not in RELATIONSHIPS]
        out += [f"A rule uses unmapped field {f!r}." for f in used if f not in mapped]
        for fmt in self.date_formats + self.datetime_formats:
            try:
                _shape(fmt)
            except ValueError as exc:
                out.append(str(exc))
        try:
            ZoneInfo(self.timezone)
        except Exception:  # noqa: BLE001 - any failure means the same: no such zone
            out.append(f"Unknown time zone {self.timezone!r}.")
        return out

    def kind(self, name: str) -> Kind:
        return self.fields.get(name) or COMMON_FIELDS[name]

    def column_for(self, name: str) -> str | None:
        return next((col for col, target in self.columns.items() if target == name), None)

    def event(self, code: str) -> EventType | None:
        key = _norm(code)
        return next((ev for c, ev in self.events.items() if _norm(c) == key), None)


# --------------------------------------------------------------------------------------------
# The profiles
# --------------------------------------------------------------------------------------------

# Columns most agencies share, under their usual names.
_PERSON_COLUMNS = {
    "forename": "given_name",
    "middle_names": "middle_names",
    "surname": "family_name",
    "date_of_birth": "date_of_birth",
    "gender": "sex",
    "address": "address_line",
    "postcode": "postcode",
    "la_code": "local_authority",
}
_RECORD_COLUMNS = {
    "notes": "notes",
    "action": "action_taken",
    "record_status": "record_status",
    "revision": "revision",
    "agency": "agency",
}


def housing_profile() -> Profile:
    """Housing management system: tenancy events, one row per person the event concerns.

    An event about a tenancy lists the tenant and, on further rows with the same `case_ref`,
    the household members; each row becomes its own concern, ref `"{case_ref}:{person_ref}"`.

    Columns (required marked *):
      case_ref*            the housing case / event id (e.g. HC-000123)
      person_ref*          the housing system's id of this person
      tenancy_ref          tenancy agreement id (said in the summary)
      forename*, middle_names, surname*, date_of_birth* (DD/MM/YYYY or YYYY-MM-DD),
      gender (F/M/U, female/male/unknown), nhs_number (if held), la_code (ONS code),
      address, postcode*   the tenancy address
      tenancy_start        the date the person's tenancy (address) began
      relationship_to_tenant  tenant (default when blank), joint tenant, partner, child, lodger:
                           role carer (tenant, joint tenant), partner, child, visitor (lodger)
      household_member_of the tenant's person_ref, on a household member's row; needs
                           relationship_to_tenant child (→ tenant is this person's "parent")
                           or partner (→ "partner")
      event_type*          eviction_notice, possession_order, rent_arrears (needs
                           arrears_amount), temporary_accommodation, asb_complaint,
                           domestic_abuse_disclosure (to a housing officer; restricted)
      event_date*          date, or date and time (DD/MM/YYYY hh:mm), UK local time
      recorded_date        when it was recorded
      arrears_amount       £, e.g. 1234.50 or £1,234.50: severity medium from £500, high from
                           £2,000 (rent arrears)
      arrears_weeks        weeks of rent owed: severity medium from 4, high from 8 (the mandatory
                           possession ground)
      notes, action        free text: summary and action taken
      record_status        new (default), amended (needs revision ≥ 2), withdrawn
      revision             1, 2, ... (amendments)
      agency               optional; if present must say housing
    """
    arrears = (
        Bands("arrears_amount", ((Decimal(500), "medium"), (Decimal(2000), "high"))),
        Bands("arrears_weeks", ((Decimal(4), "medium"), (Decimal(8), "high"))),
    )
    return Profile(
        agency="housing",
        columns={
            "case_ref": "concern_ref",
            "person_ref": "person_ref",
            "tenancy_ref": "tenancy_ref",
            **_PERSON_COLUMNS,
            "nhs_number": "nhs_number",
            "tenancy_start": "address_from",
            "relationship_to_tenant": "relationship_to_tenant",
            "household_member_of": "household_member_of",
            "event_type": "event_type",
            "event_date": "occurred_at",
            "recorded_date": "reported_at",
            "arrears_amount": "arrears_amount",
            "arrears_weeks": "arrears_weeks",
            **_RECORD_COLUMNS,
        },
        required=(
            "case_ref",
            "person_ref",
            "forename",
            "surname",
            "date_of_birth",
            "postcode",
            "event_type",
            "event_date",
        ),
        fields={
            "tenancy_ref": TEXT,
            "relationship_to_tenant": Choice.of(
                {
                    "tenant": "tenant|lead tenant",
                    "joint_tenant": "joint tenant",
                    "partner": "partner|spouse",
                    "child": "child|son|daughter",
                    "lodger": "lodger",
                }
            ),
            "household_member_of": TEXT,
            "arrears_amount": Amount(),
            "arrears_weeks": Number(),
        },
        events={
            "eviction_notice": EventType(
                "eviction_notice", "medium", role="carer", label="Eviction notice served"
            ),
            "possession_order": EventType(
                "possession_order", "high", role="carer", label="Possession order granted"
            ),
            "rent_arrears": EventType(
                "rent_arrears",
                "low",
                role="carer",
                label="Rent arrears",
                rules=arrears,
                needs=("arrears_amount",),
            ),
            "temporary_accommodation": EventType(
                "temporary_accommodation_placement",
                "medium",
                role="carer",
                label="Placed in temporary accommodation",
            ),
            "asb_complaint": EventType(
                "anti_social_behaviour_complaint",
                "low",
                role="carer",
                label="Anti-social behaviour complaint",
            ),
            "domestic_abuse_disclosure": EventType(
                "domestic_abuse",
                "high",
                "restricted",
                role="carer",
                label="Domestic abuse disclosed to a housing officer",
            ),
        },
        role=RoleFrom(
            "relationship_to_tenant",
            {
                "tenant": "carer",
                "joint_tenant": "carer",
                "partner": "partner",
                "child": "child",
                "lodger": "visitor",
            },
        ),
        relationship=Relationship(
            "household_member_of",
            "relationship_to_tenant",
            {"child": "parent", "partner": "partner"},
        ),
        facts=(
            Fact("arrears_amount", "arrears £{value:,.2f}"),
            Fact("arrears_weeks", "{value} weeks owed"),
            Fact("tenancy_ref", "tenancy {value}"),
        ),
        ref_per_person=True,
    )


def probation_profile() -> Profile:
    """Probation case management: adults under supervision who live with or visit children.

    Columns (required marked *):
      crn*                 case reference number: the person's probation id (e.g. X123456)
      event_id*            the event's id
      forename, middle_names, surname*, date_of_birth* (YYYY-MM-DD or DD/MM/YYYY),
      gender, la_code, address, postcode, address_start_date (when they moved there)
      relationship_to_household*  how they relate to the household with children:
                           partner (also: resident partner, spouse, boyfriend, girlfriend) →
                           role partner; visitor (also: regular visitor, ex-partner, family
                           friend, relative, lodger) → role visitor; none → no role
      risk_to_children*    Y/N: flagged as a risk to children → severity at least high
      violence_history     Y/N: history of violence → severity at least medium
      rosh_children        RoSH to children: low, medium, high, very high → severity low,
                           medium, high, critical (any event carrying it; restricted)
      mappa_level          1, 2 or 3 → severity medium, high, critical (restricted)
      event_type*          sentence_start, licence_recall, rosh_assessment (needs
                           rosh_children), mappa_level (needs mappa_level),
                           address_change_children (moved into a household with children)
      event_date*          date or date and time (YYYY-MM-DD hh:mm[:ss], ISO 8601)
      recorded_date, notes, action, record_status, revision, agency   as for housing
    """
    rosh = Levels(
        "rosh_children", {"low": "low", "medium": "medium", "high": "high", "very high": "critical"}
    )
    mappa = Levels("mappa_level", {1: "medium", 2: "high", 3: "critical"})
    return Profile(
        agency="probation",
        columns={
            "crn": "person_ref",
            "event_id": "concern_ref",
            **_PERSON_COLUMNS,
            "address_start_date": "address_from",
            "relationship_to_household": "relationship_to_household",
            "risk_to_children": "risk_to_children",
            "violence_history": "violence_history",
            "rosh_children": "rosh_children",
            "mappa_level": "mappa_level",
            "event_type": "event_type",
            "event_date": "occurred_at",
            "recorded_date": "reported_at",
            **_RECORD_COLUMNS,
        },
        required=(
            "crn",
            "event_id",
            "surname",
            "date_of_birth",
            "relationship_to_household",
            "risk_to_children",
            "event_type",
            "event_date",
        ),
        fields={
            "relationship_to_household": Choice.of(
                {
                    "partner": "partner|resident partner|spouse|boyfriend|girlfriend",
                    "visitor": "visitor|regular visitor|ex-partner|family friend|relative|lodger",
                    "none": "none",
                }
            ),
            "risk_to_children": YES_NO,
            "violence_history": YES_NO,
            "rosh_children": Choice.of(
                {
                    "low": "low|L",
                    "medium": "medium|M",
                    "high": "high|H",
                    "very high": "very high|VH",
                }
            ),
            "mappa_level": Choice.of({1: "1|level 1", 2: "2|level 2", 3: "3|level 3"}),
        },
        date_formats=("%Y-%m-%d", "%d/%m/%Y"),
        datetime_formats=("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"),
        events={
            "sentence_start": EventType("sentence_start", "medium", label="Sentence started"),
            "licence_recall": EventType(
                "licence_recall", "high", label="Recalled to custody from licence"
            ),
            "rosh_assessment": EventType(
                "risk_to_children_assessment",
                "low",
                "restricted",
                label="Risk of serious harm to children assessed",
                needs=("rosh_children",),
            ),
            "mappa_level": EventType(
                "mappa_management",
                "low",
                "restricted",
                label="MAPPA management level set",
                needs=("mappa_level",),
            ),
            "address_change_children": EventType(
                "moved_into_household_with_children",
                "high",
                label="Moved into a household with children",
            ),
        },
        rules=(
            rosh,
            mappa,
            Flag("risk_to_children", at_least="high"),
            Flag("violence_history", at_least="medium"),
        ),
        role=RoleFrom(
            "relationship_to_household", {"partner": "partner", "visitor": "visitor", "none": None}
        ),
        sensitive_fields={"rosh_children": "restricted", "mappa_level": "restricted"},
        facts=(
            Fact("relationship_to_household", "relationship to the household: {value}"),
            Fact("risk_to_children", "risk to children flagged: {value}"),
            Fact("violence_history", "history of violence: {value}"),
            Fact("rosh_children", "RoSH to children: {value}"),
            Fact("mappa_level", "MAPPA level {value}"),
        ),
    )


_MHA_SECTIONS = ("2", "3", "4", "5(2)", "5(4)", "135", "136", "37", "37/41", "CTO")


def adult_mental_health_profile() -> Profile:
    """Adult mental health trust: contacts with adults who may be parents (parental mental
    health). Everything is health_confidential.

    Columns (required marked *):
      patient_id*          the trust's patient id
      nhs_number*          column must exist; a cell may be blank, a value must be valid
      contact_id*          the contact / episode event id
      forename, middle_names, surname*, date_of_birth* (DD/MM/YYYY), gender, la_code,
      address, postcode
      is_parent*           yes/no: a parent or carer of children → role carer (blank or no:
                           no role)
      event_type*          crisis_contact (crisis team), mha_admission (admitted under the
                           Mental Health Act), discharge, missed_appointment
      event_datetime*      DD/MM/YYYY hh:mm (UK local time), a date, or ISO 8601
      recorded_datetime    when it was recorded
      mha_section          2, 3, 4, 5(2), 5(4), 135, 136, 37, 37/41, CTO ("s2", "section 3"
                           also read)
      team                 the team (said in the summary)
      notes, action, record_status, revision, agency   as for housing
    """
    sections: dict[str, str] = {}
    for sec in _MHA_SECTIONS:
        sections.update({sec: sec, f"s{sec}": sec, f"section {sec}": sec})
    return Profile(
        agency="adult_mental_health",
        columns={
            "patient_id": "person_ref",
            "nhs_number": "nhs_number",
            "contact_id": "concern_ref",
            **_PERSON_COLUMNS,
            "is_parent": "is_parent",
            "event_type": "event_type",
            "event_datetime": "occurred_at",
            "recorded_datetime": "reported_at",
            "mha_section": "mha_section",
            "team": "team",
            **_RECORD_COLUMNS,
        },
        required=(
            "patient_id",
            "nhs_number",
            "contact_id",
            "surname",
            "date_of_birth",
            "is_parent",
            "event_type",
            "event_datetime",
        ),
        fields={"is_parent": YES_NO, "mha_section": Choice(sections), "team": TEXT},
        date_formats=("%d/%m/%Y", "%Y-%m-%d"),
        events={
            "crisis_contact": EventType(
                "mental_health_crisis", "high", "health_confidential", label="Crisis team contact"
            ),
            "mha_admission": EventType(
                "mental_health_act_admission",
                "high",
                "health_confidential",
                label="Admitted under the Mental Health Act",
            ),
            "discharge": EventType(
                "mental_health_discharge",
                "medium",
                "health_confidential",
                label="Discharged from mental health inpatient care",
            ),
            "missed_appointment": EventType(
                "missed_mental_health_appointment",
                "low",
                "health_confidential",
                label="Did not attend a mental health appointment",
            ),
        },
        role=RoleFrom("is_parent", {True: "carer", False: None}),
        facts=(
            Fact("mha_section", "Mental Health Act section {value}"),
            Fact("team", "team: {value}"),
            Fact("is_parent", "parent or carer of children: {value}"),
        ),
    )


def substance_misuse_profile() -> Profile:
    """Drug and alcohol treatment service: adults in treatment, role carer; health_confidential.

    Columns (required marked *):
      client_id*           the service's client id
      event_ref*           the event's id
      nhs_number           if held
      first_name, middle_names, last_name*, dob* (DD/MM/YYYY, DD-Mon-YYYY or YYYY-MM-DD), sex,
      la_code, address, postcode
      children_in_household*  yes/no: children live with the client → severity one level higher
      event_type*          treatment_start, positive_test, relapse, dropped_out (of treatment)
      event_date*          a date (formats as dob) or DD/MM/YYYY hh:mm, UK local time
      recorded_date        when it was recorded
      substance            e.g. alcohol, opiates, crack cocaine (said in the summary)
      notes, action, record_status, revision, agency   as for housing
    """
    return Profile(
        agency="substance_misuse",
        columns={
            "client_id": "person_ref",
            "event_ref": "concern_ref",
            "nhs_number": "nhs_number",
            "first_name": "given_name",
            "middle_names": "middle_names",
            "last_name": "family_name",
            "dob": "date_of_birth",
            "sex": "sex",
            "address": "address_line",
            "postcode": "postcode",
            "la_code": "local_authority",
            "children_in_household": "children_in_household",
            "event_type": "event_type",
            "event_date": "occurred_at",
            "recorded_date": "reported_at",
            "substance": "substance",
            **_RECORD_COLUMNS,
        },
        required=(
            "client_id",
            "event_ref",
            "last_name",
            "dob",
            "children_in_household",
            "event_type",
            "event_date",
        ),
        fields={"children_in_household": YES_NO, "substance": TEXT},
        date_formats=("%d/%m/%Y", "%d-%b-%Y", "%Y-%m-%d"),
        events={
            "treatment_start": EventType(
                "substance_misuse_treatment_start",
                "low",
                "health_confidential",
                role="carer",
                label="Started drug or alcohol treatment",
            ),
            "positive_test": EventType(
                "positive_substance_test",
                "medium",
                "health_confidential",
                role="carer",
                label="Positive drug or alcohol test",
            ),
            "relapse": EventType(
                "substance_misuse_relapse",
                "medium",
                "health_confidential",
                role="carer",
                label="Relapse",
            ),
            "dropped_out": EventType(
                "dropped_out_of_treatment",
                "medium",
                "health_confidential",
                role="carer",
                label="Dropped out of treatment",
            ),
        },
        rules=(Flag("children_in_household", steps=1),),
        facts=(
            Fact("substance", "substance: {value}"),
            Fact("children_in_household", "children in the household: {value}"),
        ),
    )


HOUSING = housing_profile()
PROBATION = probation_profile()
ADULT_MENTAL_HEALTH = adult_mental_health_profile()
SUBSTANCE_MISUSE = substance_misuse_profile()
PROFILES: dict[str, Profile] = {
    p.agency: p for p in (HOUSING, PROBATION, ADULT_MENTAL_HEALTH, SUBSTANCE_MISUSE)
}


def profile_for(agency: str) -> Profile | None:
    return PROFILES.get(agency)


# --------------------------------------------------------------------------------------------
# parse: sniff the format, read items, map each
# --------------------------------------------------------------------------------------------

Item = tuple[int, "dict[str, Any] | Rejected"]


def parse(raw: bytes, agency: str, profile: Profile | None = None) -> Iterator[dict | Rejected]:
    """Yield, in input order, one canonical event or one `Rejected` per row / object.

    `agency` is who is sending; `profile` overrides the registered profile for it (it must be
    a profile for that agency). Never raises on any input bytes."""
    chosen = profile if profile is not None else PROFILES.get(agency)
    if chosen is None or chosen.agency != agency:
        known = ", ".join(PROFILES)
        message = (
            f"No profile for agency {agency!r}; profiles exist for: {known}."
            if chosen is None
            else f"The profile given is for {chosen.agency!r}, not {agency!r}."
        )
        yield Rejected(1, "no_profile", {"agency": [message]})
        return
    data = bytes(raw)
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    start = data.lstrip()[:1]
    if start == b"[":
        items = _json_array(data, chosen)
    elif start == b"{":
        items = _json_objects(data, chosen)
    else:
        items = _csv_rows(data, chosen)
    for position, item in items:
        if isinstance(item, Rejected):
            yield item
        else:
            yield _map_guarded(item, position, chosen, agency)


# ---- CSV ------------------------------------------------------------------------------------


class _Lines:
    """The physical lines of a file, fed to csv.reader one at a time, so we always know how
    many lines a row took and can start again on any line."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.pos = 0  # lines consumed

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.pos >= len(self.lines):
            raise StopIteration
        self.pos += 1
        return self.lines[self.pos - 1]


def _not_utf8(line: bytes, exc: UnicodeDecodeError) -> str:
    return f"Not UTF-8: byte 0x{line[exc.start]:02x} at column {exc.start + 1}."


def _csv_rows(data: bytes, profile: Profile) -> Iterator[Item]:
    lines: list[str] = []
    bad_lines: dict[int, str] = {}  # line number -> what is wrong with its encoding
    for number, line in enumerate(data.splitlines(keepends=True), start=1):
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError as exc:
            bad_lines[number] = _not_utf8(line, exc)
            lines.append(line.decode("utf-8", "surrogateescape"))
    src = _Lines(lines)
    reader = csv.reader(src)
    header: list[str] | None = None
    header_line = 1
    while True:
        start = src.pos + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            message = (
                f"Line {start} cannot be read as CSV: {exc}. Reading resumes at line {start + 1}."
            )
            yield start, Rejected(start, "invalid_csv", {"row": [message]})
            src.pos, reader = start, csv.reader(src)
            continue
        end = src.pos
        width = len(header) if header is not None else len(row)
        if end > start and _broken_quote(lines, start, end, width, len(row)):
            message = (
                f"A quoted field opened on line {start} does not close where the row should end "
                f"(lines {start}-{end} read as one row of {len(row)} fields; the header has "
                f"{width}). Reading resumes at line {start + 1}."
            )
            yield start, Rejected(start, "invalid_csv", {"row": [message]})
            src.pos, reader = start, csv.reader(src)
            continue
        encoding = [f"Line {n}: {bad_lines[n]}" for n in range(start, end + 1) if n in bad_lines]
        if header is None:
            if not any(cell.strip() for cell in row):
                continue
            if encoding:
                yield start, Rejected(start, "invalid_encoding", {"header": encoding})
                return
            header_line, header = start, [_column(cell) for cell in row]
            problem = _header_problem(header, profile)
            if problem:
                yield start, problem
                return
            continue
        if encoding:
            yield start, Rejected(start, "invalid_encoding", {"row": encoding})
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            message = (
                f"The row has {len(row)} fields; the header (line {header_line}) has {len(header)}."
            )
            yield start, Rejected(start, "wrong_field_count", {"row": [message]})
            continue
        yield start, dict(zip(header, row, strict=True))
    if header is None:
        expected = ", ".join(profile.required)
        message = f"The file has no header row. Expected at least: {expected}."
        yield 1, Rejected(1, "empty_file", {"header": [message]})


def _broken_quote(lines: list[str], start: int, end: int, width: int, found: int) -> bool:
    """A row spanning several lines is a broken quote, not a note with line breaks, when it
    ran to the end of the file inside quotes, or when it has the wrong number of fields and a
    line it swallowed is a complete row by itself."""
    if end == len(lines):
        try:
            list(csv.reader(io.StringIO("".join(lines[start - 1 : end])), strict=True))
        except csv.Error:
            return True
    if found == width:
        return False
    for text in lines[start:end]:
        try:
            if len(next(csv.reader([text]), [])) == width:
                return True
        except csv.Error:
            continue
    return False


def _header_problem(header: list[str], profile: Profile) -> Rejected | None:
    named = [name for name in header if name]
    duplicates = sorted({name for name in named if named.count(name) > 1})
    if duplicates:
        return Rejected(
            1,
            "duplicate_column",
            {"header": [f"Columns named more than once: {', '.join(duplicates)}."]},
        )
    missing = [name for name in profile.required if name not in header]
    if missing:
        return _missing_columns(1, missing, named)
    return None


def _missing_columns(position: int, missing: list[str], found: list[str]) -> Rejected:
    return Rejected(
        position,
        "missing_column",
        {
            "header": [
                f"Missing required columns: {', '.join(missing)}.",
                f"Found: {', '.join(found) or 'none'}.",
            ]
        },
    )


# ---- JSON -----------------------------------------------------------------------------------


_NOT_UTF8 = re.compile("[\udc80-\udcff]")  # bytes kept by the surrogateescape error handler


def _surrogate(text: str, start: int, end: int) -> str | None:
    """Where, if anywhere, a byte that was not UTF-8 sits in text[start:end]."""
    match = _NOT_UTF8.search(text, start, end)
    if not match:
        return None
    at = match.start()
    line = text.count("\n", 0, at) + 1
    column = at - text.rfind("\n", 0, at)
    byte = ord(match.group()) - 0xDC00
    return f"Not UTF-8: byte 0x{byte:02x} at line {line}, character {column} of the file."


def _json_error(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at line {exc.lineno} column {exc.colno}."
    if isinstance(exc, RecursionError):
        return "Nested too deeply to read."
    return f"{exc}."


def _skip_ws(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t\r\n":
        at += 1
    return at


def _json_array(data: bytes, profile: Profile) -> Iterator[Item]:
    text = data.decode("utf-8", "surrogateescape")
    decoder = json.JSONDecoder()
    at = _skip_ws(text, text.index("[") + 1)
    if at < len(text) and text[at] == "]":
        yield from _json_trailing(text, at + 1, 1)
        return
    position = 0
    while True:
        position += 1
        try:
            item, end = decoder.raw_decode(text, at)
        except (ValueError, RecursionError) as exc:
            where = getattr(exc, "pos", at)
            bad = _surrogate(text, where, where + 1)
            reason, message = ("invalid_encoding", bad) if bad else ("invalid_json", None)
            message = message or (
                f"{_json_error(exc)} Item {position} and any after it cannot be read."
            )
            yield position, Rejected(position, reason, {"item": [message]})
            return
        bad = _surrogate(text, at, end)
        if bad:
            yield position, Rejected(position, "invalid_encoding", {"item": [bad]})
        else:
            yield position, _json_item(item, position, profile)
        at = _skip_ws(text, end)
        if at < len(text) and text[at] == ",":
            at = _skip_ws(text, at + 1)
            continue
        if at < len(text) and text[at] == "]":
            yield from _json_trailing(text, at + 1, position + 1)
            return
        found = f"found {text[at]!r}" if at < len(text) else "the file ends (truncated?)"
        message = f"Expected ',' or ']' after item {position}; {found}."
        yield position + 1, Rejected(position + 1, "invalid_json", {"file": [message]})
        return


def _json_trailing(text: str, at: int, position: int) -> Iterator[Item]:
    if text[at:].strip():
        message = "Text after the closing ']' of the array was not read."
        yield position, Rejected(position, "invalid_json", {"file": [message]})


def _json_objects(data: bytes, profile: Profile) -> Iterator[Item]:
    """One JSON object (possibly over several lines), or JSON Lines."""
    text = data.decode("utf-8", "surrogateescape")
    try:
        whole = json.loads(text)
    except (ValueError, RecursionError):
        whole = None
    if isinstance(whole, dict):
        bad = _surrogate(text, 0, len(text))
        if bad:
            yield 1, Rejected(1, "invalid_encoding", {"item": [bad]})
        else:
            yield 1, _json_item(whole, 1, profile)
        return
    for number, line in decode_lines(data):
        if isinstance(line, Rejected):
            yield number, line
            continue
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except (ValueError, RecursionError) as exc:
            yield number, Rejected(number, "invalid_json", {"line": [_json_error(exc)]})
            continue
        yield number, _json_item(item, number, profile)


def _json_item(item: Any, position: int, profile: Profile) -> dict[str, str] | Rejected:
    """A JSON object as a row: keys as column names, scalar values as the text they'd be in
    a CSV cell (null → blank, true/false → yes/no)."""
    if not isinstance(item, dict):
        found = type(item).__name__.replace("dict", "object").replace("list", "array")
        return Rejected(position, "invalid_json", {"item": [f"Expected an object, found {found}."]})
    row: dict[str, str] = {}
    problems = _Problems()
    for key, value in item.items():
        name = _column(key)
        if name in row:
            problems.add("duplicate_column", key, f"Another key is the same column ({name}).")
        if value is None:
            row[name] = ""
        elif isinstance(value, bool):
            row[name] = "yes" if value else "no"
        elif isinstance(value, str | int | float):
            row[name] = str(value)
        elif name in profile.columns:
            kind = "an object" if isinstance(value, dict) else "an array"
            message = f"Expected text, a number, true/false or null; found {kind}."
            problems.add("invalid_value", key, message)
        else:
            row[name] = ""  # a column the profile does not read
    if problems.reasons:
        return Rejected(position, problems.reasons[0], problems.fields)
    return row


# ---- mapping one row ------------------------------------------------------------------------


def _map_guarded(
    row: dict[str, str], position: int, profile: Profile, agency: str
) -> dict | Rejected:
    try:
        return _map(row, position, profile, agency)
    except Exception as exc:  # noqa: BLE001 - one bad item must never stop the others
        message = f"{type(exc).__name__} while mapping this item; please report it."
        return Rejected(position, "unexpected_error", {"item": [message]})


class _Problems:
    def __init__(self) -> None:
        self.reasons: list[str] = []
        self.fields: dict[str, list[str]] = {}

    def add(self, reason: str, column: str | None, message: str) -> None:
        self.reasons.append(reason)
        self.fields.setdefault(column or "row", []).append(message)

    def has(self, column: str | None) -> bool:
        return (column or "row") in self.fields


def _map(row: dict[str, str], position: int, profile: Profile, agency: str) -> dict | Rejected:
    missing = [name for name in profile.required if name not in row]
    if missing:
        return _missing_columns(position, missing, [name for name in row if name])
    agency_column = profile.column_for("agency")
    claimed = (row.get(agency_column) or "").strip() if agency_column else ""
    if claimed and _column(claimed) != agency:
        message = f"This feed is {agency}; the row says {_show(claimed)}."
        return Rejected(position, "wrong_agency", {agency_column or "agency": [message]})

    problems = _Problems()
    values: dict[str, Any] = {}
    for column, name in profile.columns.items():
        text = (row.get(column) or "").strip()
        values[name] = None
        if text:
            try:
                values[name] = profile.kind(name).parse(text, profile)
            except FieldError as exc:
                problems.add(exc.reason, column, exc.message)
    col = profile.column_for
    for name in REQUIRED_VALUES:
        if values[name] is None and not problems.has(col(name)):
            problems.add("missing_value", col(name), "Empty; every row needs it.")

    event = None
    if values["event_type"] is not None:
        event = profile.event(values["event_type"])
        if event is None:
            allowed = ", ".join(profile.events)
            message = (
                f"{_show(values['event_type'])} is not a {agency} event type; allowed: {allowed}."
            )
            problems.add("unknown_event_type", col("event_type"), message)
        else:
            for name in event.needs:
                if values[name] is None and not problems.has(col(name)):
                    message = f"Needed for a {values['event_type']} event."
                    problems.add("missing_value", col(name), message)

    revision, withdrawn = _revision(values, profile, problems)
    relationships = _relationships(values, profile, problems)
    if problems.reasons or event is None:
        return Rejected(position, problems.reasons[0], problems.fields)
    _recorded_same_day(values)
    return to_event_or_reject(
        _submission(values, event, profile, agency, revision, withdrawn, relationships), position
    )


def _recorded_same_day(values: dict[str, Any]) -> None:
    """A recorded date without a time, on the day of an event with a time, means "recorded
    that day", not "recorded at midnight before it happened"."""
    occurred, reported = values["occurred_at"], values.get("reported_at")
    if (
        reported is not None
        and reported < occurred
        and reported.date() == occurred.date()
        and reported.time() == dt.time(0, 0)
    ):
        values["reported_at"] = occurred


def _revision(values: dict[str, Any], profile: Profile, problems: _Problems) -> tuple[int, bool]:
    status = values.get("record_status") or "new"
    revision = values.get("revision")
    column = profile.column_for("revision") or profile.column_for("record_status")
    if status == "amended" and not problems.has(column):
        if revision is None:
            message = "An amended record needs its revision number (2 or more)."
            problems.add("missing_value", column, message)
        elif revision < 2:
            message = f"An amended record has revision 2 or more; found {revision}."
            problems.add("invalid_value", column, message)
    return revision or 1, status == "withdrawn"


def _relationships(values: dict[str, Any], profile: Profile, problems: _Problems) -> list[dict]:
    rule = profile.relationship
    if rule is None or values.get(rule.ref_field) is None:
        return []
    column = profile.column_for(rule.type_field)
    kind = rule.types.get(values.get(rule.type_field))
    if kind is None:
        if not problems.has(column):
            allowed = ", ".join(str(key) for key in rule.types)
            ref_column = profile.column_for(rule.ref_field)
            message = (
                f"{ref_column} names another person, so {column} must say how they are "
                f"related: one of {allowed}."
            )
            blank = values.get(rule.type_field) is None
            problems.add("missing_value" if blank else "invalid_value", column, message)
        return []
    return [{"type": kind, "source_ref": values[rule.ref_field]}]


def _severity(event: EventType, profile: Profile, values: Mapping[str, Any]) -> str:
    severity = event.severity
    for rule in event.rules + profile.rules:
        severity = rule.apply(severity, values)
    return severity


def _sensitivity(event: EventType, profile: Profile, values: Mapping[str, Any]) -> str:
    """The event type's sensitivity, raised when the row carries a sensitive value (a RoSH
    level said in a summary is restricted whatever the event)."""
    sensitivity = event.sensitivity
    for name, level in profile.sensitive_fields.items():
        if values.get(name) is not None and _rank(level) > _rank(sensitivity):
            sensitivity = level
    return sensitivity


def _rank(sensitivity: str) -> int:
    return _SENSITIVITY_RANK.get(sensitivity, 2)


def _summary(event: EventType, profile: Profile, values: Mapping[str, Any]) -> str:
    facts = []
    for fact in profile.facts:
        value = values.get(fact.field)
        if value is None:
            continue
        if isinstance(value, bool):
            value = "yes" if value else "no"
        facts.append(fact.template.format(value=value))
    text = f"{event.label}."
    if facts:
        joined = "; ".join(facts)
        text += f" {joined[0].upper()}{joined[1:]}."
    if values.get("notes"):
        text += f" {values['notes']}"
    return _clip(text)


def _role(event: EventType, profile: Profile, values: Mapping[str, Any]) -> str | None:
    if profile.role is not None:
        value = values.get(profile.role.field)
        if value is not None and value in profile.role.roles:
            return profile.role.roles[value]
    return event.role


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _submission(
    values: dict[str, Any],
    event: EventType,
    profile: Profile,
    agency: str,
    revision: int,
    withdrawn: bool,
    relationships: list[dict],
) -> dict:
    ref = values["concern_ref"]
    if profile.ref_per_person:
        ref = f"{ref}:{values['person_ref']}"
    addresses = []
    if values.get("address_line") or values.get("postcode"):
        addresses.append(
            {
                "line": values.get("address_line"),
                "postcode": values.get("postcode"),
                "valid_from": _iso(values.get("address_from")),
                "valid_to": None,
            }
        )
    action = values.get("action_taken")
    return {
        "agency": agency,
        "person": {
            "source_ref": values["person_ref"],
            "local_authority": values.get("local_authority"),
            "given_name": values.get("given_name"),
            "middle_names": values.get("middle_names"),
            "family_name": values.get("family_name"),
            "date_of_birth": _iso(values.get("date_of_birth")),
            "sex": values.get("sex"),
            "nhs_number": values.get("nhs_number"),
            "upn": None,
            "role": _role(event, profile, values),
            "addresses": addresses,
            "relationships": relationships,
        },
        "concern": {
            "ref": ref,
            "occurred_at": values["occurred_at"].isoformat(),
            "reported_at": _iso(values.get("reported_at")),
            "category": event.category,
            "severity": _severity(event, profile, values),
            "sensitivity": _sensitivity(event, profile, values),
            "summary": _summary(event, profile, values),
            "action_taken": _clip(action) if action else None,
            "revision": revision,
            "withdrawn": withdrawn,
        },
    }
