"""Flat agency exports (CSV or JSON), mapped by a declarative profile per agency.

Housing, probation, adult mental health and substance misuse services export simple tables: one
row per event about one person. One engine reads them all. What differs between agencies lives in
a `Profile`: the agency's column names and the canonical field each one feeds, its event codes
and what each becomes (category, severity, sensitivity, role), the date formats it writes, the
columns its export must have, and a few declared rules (severity from arrears bands or a RoSH
level, role from a relationship column, a household member's relationship to the tenant, facts to
put in the summary). Adding an agency is writing a profile, not code; see the four agency
modules (`housing`, `probation`, `adult_mental_health`, `substance_misuse`), whose `*_profile()`
docstrings document each agency's columns.

`parse` sniffs the payload:

- a JSON array of objects — a reject's `line` is the object's 1-based position in the array;
- JSON Lines (one object per line; a single object is one item) — `line` is the physical line,
  which is the object's position when there are no blank lines;
- anything else is CSV with a header row, read by `connectors.csvrows.read_rows` like every CSV
  feed — `line` is the physical line where the row starts (header = line 1), counting the lines
  inside quoted fields, so a note with line breaks does not shift the numbers of the rows after it.

JSON objects use the same keys as the CSV columns. Column names are matched ignoring case,
surrounding spaces, and spaces or hyphens versus underscores; columns a profile does not know
are ignored. Local times without an offset are UK local time (Europe/London).

Every problem is a `Rejected` naming the column as the agency wrote it, with a short reason:
`no_profile`, `missing_column` (also for an empty file), `duplicate_column`, `invalid_encoding`,
`invalid_csv` (e.g. a wrong number of fields), `invalid_json`, `wrong_agency`, `missing_value`,
`unknown_event_type`, `invalid_date`, `invalid_nhs_number`, `invalid_postcode`,
`invalid_amount`, `invalid_number`, `invalid_value`, or `invalid_event` (the canonical schema
refused the mapped event, e.g. a date in the future); `unexpected_error` would mean a bug here,
caught so that the other items still go through. When a row has several problems, `fields`
lists them all and `reason` is the first, in column order.

The package, one idea per module:

- `engine`: `parse` — picks the profile, sniffs the payload, reads and maps each item;
- `json_reading`: a JSON payload as rows, with their positions (CSV: `connectors.csvrows`);
- `rows`: what a reader yields, and the problems collected for one row;
- `mapping`: one row to a canonical event (severity, sensitivity, role, summary) or a reject;
- `profile`, `fields`, `rules`: the declarative `Profile`, its kinds of field and its rules;
- `text`: how codes are compared and values quoted in messages and cut to size;
- `shared_columns`, `housing`, `probation`, `adult_mental_health`, `substance_misuse`: the
  profiles; `registry`: `PROFILES` and `profile_for`.
"""

from __future__ import annotations

from connectors.profiles.adult_mental_health import (
    ADULT_MENTAL_HEALTH,
    adult_mental_health_profile,
)
from connectors.profiles.engine import parse
from connectors.profiles.fields import Choice, FieldError
from connectors.profiles.housing import HOUSING, housing_profile
from connectors.profiles.probation import PROBATION, probation_profile
from connectors.profiles.profile import EventType, Profile
from connectors.profiles.registry import PROFILES, profile_for
from connectors.profiles.rules import Bands, Fact, Flag, Levels, Relationship, RoleFrom
from connectors.profiles.substance_misuse import SUBSTANCE_MISUSE, substance_misuse_profile

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
