"""A `Profile`: how one agency's flat export maps to canonical concern events, checked when it
is made; and `EventType`, what one of the agency's event codes becomes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from connectors.csvrows import column_name
from connectors.profiles.fields import COMMON_FIELDS, REQUIRED_VALUES, Kind, date_shape
from connectors.profiles.rules import Fact, Relationship, RoleFrom, Rule
from connectors.profiles.text import norm_code
from hub.schemas import RELATIONSHIPS, ROLES, SENSITIVITIES, SEVERITIES


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
            if name != column_name(name):
                out.append(f"Column {name!r} should be written {column_name(name)!r}.")
        for name, target in self.columns.items():
            if target not in COMMON_FIELDS and target not in self.fields:
                out.append(f"Column {name!r} feeds {target!r}, which has no kind.")
        out += [
            f"Required column {c!r} is not mapped." for c in self.required if c not in self.columns
        ]
        out += [f"Field {f!r} must be mapped." for f in REQUIRED_VALUES if f not in mapped]
        if len({norm_code(code) for code in self.events}) != len(self.events):
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
                date_shape(fmt)
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
        key = norm_code(code)
        return next((ev for c, ev in self.events.items() if norm_code(c) == key), None)
