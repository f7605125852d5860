"""Households: persons who share an address (postcode and address line) are grouped together.

A person with several addresses over time joins every household they lived in into one group,
which is how a family that moves stays one household; a visitor recorded at the address is a
member too, which is what keeps men in the household visible.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from matching.record import Record

# More people than this at one address is an institution (a hostel, a refuge, a care home), not
# a household; it is not used to join people together.
MAX_HOUSEHOLD = 15


def household_labels(records: Sequence[Record], person_labels: Sequence[int]) -> list[int]:
    """A household label per record: persons joined through any shared address."""
    parent = {label: label for label in set(person_labels)}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    people_at: dict[tuple[str, str], set[int]] = defaultdict(set)
    for record, person in zip(records, person_labels, strict=True):
        place = address_of(record)
        if place is not None:
            people_at[place].add(person)
    first_at: dict[tuple[str, str], int] = {}
    for record, person in zip(records, person_labels, strict=True):
        place = address_of(record)
        if place is None or len(people_at[place]) > MAX_HOUSEHOLD:
            continue
        if place in first_at:
            a, b = find(first_at[place]), find(person)
            if a != b:
                parent[max(a, b)] = min(a, b)
        else:
            first_at[place] = person
    return [find(person) for person in person_labels]


def address_of(record: Record) -> tuple[str, str] | None:
    """Where a record says the person lives: needs both a full postcode and an address line."""
    if not (record.postcode.full and record.address):
        return None
    return record.postcode.full, record.address
