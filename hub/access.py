"""Who may see what: roles, the local authority a worker serves, sensitivity clearance, and
break-glass access to one person outside that scope.

A worker sees a person known in their area: one of the person's source records or concerns
names the worker's local authority (a family that moves is known in both; a transfer between
areas will add the receiving one here). Outside it the answer is the same as for a person who
does not exist, so an id says nothing. Inside it, concerns whose sensitivity the role is not
cleared for show only that an entry exists and whom to ask.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    DateTime,
    String,
    bindparam,
    false,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased

from hub.errors import Forbidden, InvalidQuery, NotFound
from hub.models import BreakGlassGrant, Concern, Link, Person, SourceRecord, User, utcnow
from hub.records import current_person_id

# Roles that work with children's cases; the others never read case content.
CASE_ROLES = ("mash_practitioner", "social_worker", "team_manager")
# Who decides who is who (merges, review decisions).
IDENTITY_ROLES = ("mash_practitioner", "team_manager")
CLEARANCE = {
    "mash_practitioner": {"standard", "police_intelligence", "health_confidential"},
    "social_worker": {"standard", "health_confidential"},
    "team_manager": {"standard", "police_intelligence", "health_confidential", "restricted"},
}
# Whom a worker without clearance asks about an entry they may not read.
ASK = {
    "police_intelligence": "the MASH police team",
    "health_confidential": "the MASH health team",
    "restricted": "a MASH team manager",
}
MAX_BREAK_GLASS = dt.timedelta(hours=8)
LAWFUL_BASES = (
    "Children Act 1989 s47",
    "Children Act 1989 s17",
    "Children Act 2004 s11",
    "UK GDPR Art 6(1)(e) with Art 9(2)(g) and DPA 2018 Sch 1 para 18",
    "UK GDPR Art 6(1)(d) vital interests",
)


@dataclass(frozen=True)
class Actor:
    """Who is asking: the signed-in user (or their API client)."""

    user_id: int | None
    username: str
    role: str
    local_authority: str | None
    manager_id: int | None = None

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(user.id, user.username, user.role, user.local_authority, user.manager_id)


def require_role(actor: Actor, roles: tuple[str, ...]) -> None:
    if actor.role not in roles:
        raise Forbidden(f"The {actor.role} role cannot do this.")


# A condition on a person id column: "this person is in scope" (`partial(visible, actor)`).
Scope = Callable[..., ColumnElement[bool]]


def visible(
    actor: Actor, person_id: ColumnElement | int, record_area: ColumnElement | None = None
) -> ColumnElement[bool]:
    """SQL: the person (a column or an id) is one the actor may see — known in the actor's
    area by one of their records or concerns, or opened to them by a live break-glass grant.
    Searches and queues filter with it before their row limits, so scope never hides rows
    that a limit then cuts. `record_area`: the area column of a record linked to that person,
    if the query has one at hand; tested first, it spares the lookups for records in the area."""
    if actor.role not in CASE_ROLES:
        return false()
    person = literal(person_id) if isinstance(person_id, int) else person_id
    link, record, concern, grant = _ALIASES
    # Named parameters (`scope_values`): the condition has the same form for every actor of
    # a kind, so a statement built with it can be kept and run for another (the search).
    values = scope_values(actor)
    area = bindparam("scope_area", values["scope_area"], type_=String)
    user = bindparam("scope_user", values["scope_user"], type_=BigInteger)
    now = bindparam("scope_now", values["scope_now"], type_=DateTime(timezone=True))
    known_by_record = (
        select(link.id)
        .join(record, record.id == link.source_record_id)
        .where(link.person_id == person, record.local_authority == area)
        .exists()
    )
    known_by_concern = (
        select(concern.id)
        .where(concern.person_id == person, concern.local_authority == area)
        .exists()
    )
    granted = (
        select(grant.id)
        .where(grant.user_id == user, grant.person_id == person, grant.expires_at > now)
        .exists()
    )
    if actor.local_authority is None:  # no area: only what a grant opens
        return granted
    in_area = [record_area == area] if record_area is not None else []
    return or_(*in_area, known_by_record, known_by_concern, granted)


def scope_values(actor: Actor) -> dict:
    """The values of `visible`'s named parameters for this actor, now."""
    return {
        "scope_area": actor.local_authority,
        "scope_user": actor.user_id,
        "scope_now": utcnow(),
    }


# Made once: the scope condition is built on every request, and aliasing is not free.
_ALIASES = (aliased(Link), aliased(SourceRecord), aliased(Concern), aliased(BreakGlassGrant))


def may_see(session: Session, actor: Actor, person_id: int) -> bool:
    return bool(session.scalar(select(visible(actor, person_id))))


def visible_person(session: Session, actor: Actor, person_id: int) -> int:
    """The current id of a person the actor may see; otherwise the same 404 as for no one
    (a person outside the actor's scope and one that does not exist look alike)."""
    require_role(actor, CASE_ROLES)
    # One statement for a person never merged away (nearly everyone): forwarding and scope.
    found = session.execute(
        select(Person.merged_into_id, visible(actor, Person.id).label("visible")).where(
            Person.id == person_id
        )
    ).first()
    if found is None:
        raise NotFound(f"no person {person_id}")
    if found.merged_into_id is None:
        current, seen = person_id, found.visible
    else:
        current = current_person_id(session, person_id)
        seen = may_see(session, actor, current)
    if not seen:
        raise NotFound(f"no person {person_id}")
    return current


def _current(session: Session, person_id: int) -> int | None:
    found = session.execute(select(Person.merged_into_id).where(Person.id == person_id)).first()
    if found is None:
        return None
    return person_id if found.merged_into_id is None else current_person_id(session, person_id)


def cleared(actor: Actor, sensitivity: str | None) -> bool:
    return (sensitivity or "standard") in CLEARANCE.get(actor.role, set())


def break_glass(
    session: Session,
    actor: Actor,
    person_id: int,
    justification: str,
    lawful_basis: str,
    minutes: int,
) -> BreakGlassGrant:
    """Time-limited access to one person outside the actor's area, flagged to their manager."""
    require_role(actor, CASE_ROLES)
    errors = {}
    if len(justification.strip()) < 20:
        errors["justification"] = ["Say why, in at least 20 characters."]
    if lawful_basis not in LAWFUL_BASES:
        errors["lawful_basis"] = [f"One of: {'; '.join(LAWFUL_BASES)}."]
    if not 1 <= minutes <= MAX_BREAK_GLASS.total_seconds() // 60:
        errors["minutes"] = [f"Between 1 and {int(MAX_BREAK_GLASS.total_seconds() // 60)}."]
    if errors:
        raise InvalidQuery(errors)
    current = _current(session, person_id)
    if current is None:
        raise NotFound(f"no person {person_id}")
    grant = BreakGlassGrant(
        user_id=actor.user_id,
        person_id=current,
        justification=justification.strip(),
        lawful_basis=lawful_basis,
        expires_at=utcnow() + dt.timedelta(minutes=minutes),
        manager_id=actor.manager_id,
    )
    session.add(grant)
    session.flush()
    return grant


_WITHHELD = ("concern_ref", "category", "severity", "summary", "action_taken", "recorded_by")


def shown(actor: Actor, entry: dict) -> dict:
    """A dumped concern as the actor may see it: uncleared content withheld, with whom to ask."""
    sensitivity = entry.get("sensitivity") or "standard"
    if cleared(actor, sensitivity):
        return {**entry, "withheld": False}
    ask = f"{ASK.get(sensitivity, 'a MASH team manager')} ({entry.get('agency_name')})"
    return {**entry, **dict.fromkeys(_WITHHELD), "withheld": True, "ask": ask}
