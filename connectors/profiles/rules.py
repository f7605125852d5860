"""Declared rules a profile or event type carries: severity rules (`Bands`, `Levels`, `Flag`),
the role from a column (`RoleFrom`), a relationship to another person's record
(`Relationship`), and facts to say in the summary (`Fact`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from hub.schemas import SEVERITIES


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
