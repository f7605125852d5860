"""The household around a person, for the case view: every household the person has been in
(their moves, in date order), everyone else recorded there and when — children, carers,
partners, visitors, fathers — and each member's concerns in counts by agency and category
with the latest date. Members outside the reader's scope are shown as there, not described.

A fixed number of queries whatever the household's size (no query per member)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hub.access import Scope
from hub.models import Concern, Household, HouseholdMembership, Link, SourceRecord, as_utc
from hub.queries import resolve_person
from hub.relationships import relationships_of


def household_of(session: Session, person_id: int, scope: Scope) -> dict:
    current = resolve_person(session, person_id)
    own = session.execute(
        select(HouseholdMembership, Household.address_key)
        .join(Household, Household.id == HouseholdMembership.household_id)
        .where(HouseholdMembership.person_id == current)
        .order_by(HouseholdMembership.valid_from, HouseholdMembership.household_id)
    ).all()
    household_ids = list(dict.fromkeys(m.household_id for m, _ in own))
    members = session.scalars(
        select(HouseholdMembership)
        .where(HouseholdMembership.household_id.in_(household_ids))
        .order_by(HouseholdMembership.valid_from, HouseholdMembership.person_id)
    ).all()
    people = {m.person_id for m in members} | {current}
    visible = set(
        session.scalars(
            select(Link.person_id)
            .where(Link.person_id.in_(people), scope(Link.person_id))
            .distinct()
        )
    )
    relationships = {r["person_id"]: r["relationship"] for r in relationships_of(session, current)}
    summaries = _summaries(session, visible)
    names = _names(session, visible)
    households = []
    for household_id in household_ids:
        window = [m for m, _ in own if m.household_id == household_id]
        households.append(
            {
                "household_id": household_id,
                "address": _readable(next(k for m, k in own if m.household_id == household_id)),
                "from": min((m.valid_from for m in window if m.valid_from), default=None),
                "to": max((m.valid_to for m in window if m.valid_to), default=None),
                "members": [
                    _member(m, current, m.person_id in visible, relationships, summaries, names)
                    for m in members
                    if m.household_id == household_id
                ],
            }
        )
    return {"person_id": current, "requested_id": person_id, "households": households}


def _readable(address_key: str | None) -> str | None:
    """'B12 9QT|12 mill ln' -> '12 Mill Ln, B12 9QT' (the key is postcode|normalised line)."""
    if not address_key:
        return None
    postcode, _, line = address_key.partition("|")
    return ", ".join(part for part in (line.title(), postcode) if part)


def _member(m, current, visible, relationships, summaries, names) -> dict:
    member = {
        "person_id": m.person_id if visible else None,
        "is_this_person": m.person_id == current,
        "role": m.role,
        "from": m.valid_from,
        "to": m.valid_to,
        "in_scope": visible,
    }
    if visible:
        member["relationship"] = relationships.get(m.person_id)
        member["names"] = names.get(m.person_id, [])
        member["concerns"] = summaries.get(m.person_id, _empty())
    return member


def _empty() -> dict:
    return {"total": 0, "by_agency": {}, "by_category": {}, "latest": None}


def _summaries(session: Session, person_ids: set[int]) -> dict[int, dict]:
    """Counts by agency and by category and the latest date, per person (two queries)."""
    out: dict[int, dict] = defaultdict(_empty)
    live = Concern.person_id.in_(person_ids) & ~Concern.withdrawn
    for person, agency, count, latest in session.execute(
        select(Concern.person_id, Concern.agency_code, func.count(), func.max(Concern.occurred_at))
        .where(live)
        .group_by(Concern.person_id, Concern.agency_code)
    ):
        entry = out[person]
        entry["by_agency"][agency] = count
        entry["total"] += count
        latest = as_utc(latest)
        if entry["latest"] is None or latest > entry["latest"]:
            entry["latest"] = latest
    for person, category, count in session.execute(
        select(Concern.person_id, Concern.category, func.count())
        .where(live)
        .group_by(Concern.person_id, Concern.category)
    ):
        out[person]["by_category"][category] = count
    return out


def _names(session: Session, person_ids: set[int]) -> dict[int, list[str]]:
    found: dict[int, set[str]] = defaultdict(set)
    for person, given, family, dob in session.execute(
        select(
            Link.person_id,
            SourceRecord.given_name,
            SourceRecord.family_name,
            SourceRecord.date_of_birth,
        )
        .join(SourceRecord, SourceRecord.id == Link.source_record_id)
        .where(Link.person_id.in_(person_ids))
    ):
        name = " ".join(part for part in (given, family) if part)
        found[person].add(f"{name} ({dob.isoformat()})" if dob else name)
    return {person: sorted(names) for person, names in found.items()}
