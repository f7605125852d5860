"""Mapping one row to a canonical concern event, or to a `Rejected` listing every problem."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from connectors.base import Rejected, to_event_or_reject
from connectors.csvrows import column_name, missing_columns
from connectors.profiles.fields import REQUIRED_VALUES, FieldError
from connectors.profiles.profile import EventType, Profile
from connectors.profiles.rows import Problems
from connectors.profiles.text import MAX_ROLE, clip, show


def map_guarded(
    row: dict[str, str], position: int, profile: Profile, agency: str
) -> dict | Rejected:
    try:
        return _map(row, position, profile, agency)
    except Exception as exc:  # noqa: BLE001 - one bad item must never stop the others
        message = f"{type(exc).__name__} while mapping this item; please report it."
        return Rejected(position, "unexpected_error", {"item": [message]})


def _map(row: dict[str, str], position: int, profile: Profile, agency: str) -> dict | Rejected:
    missing = [name for name in profile.required if name not in row]
    if missing:
        return missing_columns(position, missing, [name for name in row if name])
    agency_column = profile.column_for("agency")
    claimed = (row.get(agency_column) or "").strip() if agency_column else ""
    if claimed and column_name(claimed) != agency:
        message = f"This feed is {agency}; the row says {show(claimed)}."
        return Rejected(position, "wrong_agency", {agency_column or "agency": [message]})

    problems = Problems()
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
                f"{show(values['event_type'])} is not a {agency} event type; allowed: {allowed}."
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


def _revision(values: dict[str, Any], profile: Profile, problems: Problems) -> tuple[int, bool]:
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


def _relationships(values: dict[str, Any], profile: Profile, problems: Problems) -> list[dict]:
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


# Health and police sensitivities are not above one another; restricted is above both.
_SENSITIVITY_RANK = {"standard": 0, "health_confidential": 1, "police_intelligence": 1}


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
    return clip(text)


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
    recorded_by = values.get("recorded_by")
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
            "action_taken": clip(action) if action else None,
            "recorded_by": clip(recorded_by, MAX_ROLE) if recorded_by else None,
            "revision": revision,
            "withdrawn": withdrawn,
        },
    }
