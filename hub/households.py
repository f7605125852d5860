"""Households in the hub: everyone recorded at one address, with their role and when.

A family that moves appears in the household at each address, over the dates it was seen
there; an unborn child recorded by midwifery at the mother's address is in her household; a
partner or visitor recorded by police or probation at the address is a member too.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.models import Household, HouseholdMembership
from matching.normalise import address_key


class Seen(NamedTuple):
    """A person seen at an address (`where` is its household key), in a role, on a date."""

    person_id: int
    role: str
    where: str
    on: dt.date


class Shared(NamedTuple):
    """A person with no address of their own, living wherever `with_person_id` lives."""

    person_id: int
    with_person_id: int
    role: str
    on: dt.date


def household_key(address: dict) -> str | None:
    line, postcode = address_key(address.get("line")), address.get("postcode")
    return f"{postcode}|{line}" if line and postcode else None


def _households(session: Session, keys: set[str]) -> dict[str, int]:
    """Household id by address key, founding the households not known yet."""
    found = dict(
        session.execute(
            select(Household.address_key, Household.id).where(Household.address_key.in_(keys))
        ).all()
    )
    founded = [Household(address_key=key) for key in sorted(keys - found.keys())]
    session.add_all(founded)
    session.flush()
    return found | {household.address_key: household.id for household in founded}


class Memberships:
    """The memberships of some persons, read once and kept up to date as people are placed."""

    def __init__(self, session: Session, person_ids: Iterable[int]) -> None:
        self.session = session
        self.of: dict[int, dict[tuple[int, str], HouseholdMembership]] = defaultdict(dict)
        for membership in session.scalars(
            select(HouseholdMembership).where(HouseholdMembership.person_id.in_(set(person_ids)))
        ):
            self.of[membership.person_id][(membership.household_id, membership.role)] = membership

    def place(self, household_id: int, person_id: int, role: str, seen_on: dt.date) -> None:
        membership = self.of[person_id].get((household_id, role))
        if membership is None:
            membership = HouseholdMembership(
                household_id=household_id,
                person_id=person_id,
                role=role,
                valid_from=seen_on,
                valid_to=seen_on,
            )
            self.session.add(membership)
            self.of[person_id][(household_id, role)] = membership
        else:
            membership.valid_from = min(membership.valid_from or seen_on, seen_on)
            membership.valid_to = max(membership.valid_to or seen_on, seen_on)

    def households_of(self, person_id: int) -> list[int]:
        return sorted({household_id for household_id, _ in self.of[person_id]})


def place_people(session: Session, seen: Sequence[Seen], shared: Sequence[Shared]) -> None:
    """Record each person at the address they were seen at, then put people with no address
    of their own into every household of the person they live with."""
    households = _households(session, {s.where for s in seen})
    persons = [s.person_id for s in seen] + [p for s in shared for p in s[:2]]
    memberships = Memberships(session, persons)
    for s in seen:
        memberships.place(households[s.where], s.person_id, s.role, s.on)
    for s in shared:
        if s.person_id != s.with_person_id:
            for household_id in memberships.households_of(s.with_person_id):
                memberships.place(household_id, s.person_id, s.role, s.on)
    session.flush()
