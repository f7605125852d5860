"""Households in the hub: everyone recorded at one address, with their role and when.

A family that moves appears in the household at each address, over the dates it was seen
there; an unborn child recorded by midwifery at the mother's address is in her household; a
partner or visitor recorded by police or probation at the address is a member too.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.models import Household, HouseholdMembership
from matching.normalise import address_key


def household_key(address: dict) -> str | None:
    line, postcode = address_key(address.get("line")), address.get("postcode")
    return f"{postcode}|{line}" if line and postcode else None


def place_in_household(
    session: Session, person_id: int, role: str | None, address: dict, seen_on: dt.date
) -> HouseholdMembership | None:
    """Record that the person was at this address, in this role, on this date."""
    key = household_key(address)
    if key is None:
        return None
    household = session.scalar(select(Household).where(Household.address_key == key))
    if household is None:
        household = Household(address_key=key)
        session.add(household)
        session.flush()
    role = role or "unknown"
    membership = session.scalar(
        select(HouseholdMembership).where(
            HouseholdMembership.household_id == household.id,
            HouseholdMembership.person_id == person_id,
            HouseholdMembership.role == role,
        )
    )
    if membership is None:
        membership = HouseholdMembership(
            household_id=household.id,
            person_id=person_id,
            role=role,
            valid_from=seen_on,
            valid_to=seen_on,
        )
        session.add(membership)
    else:
        membership.valid_from = min(membership.valid_from or seen_on, seen_on)
        membership.valid_to = max(membership.valid_to or seen_on, seen_on)
    session.flush()
    return membership
