"""Declared relationships: what agencies say about who is whose mother, father, partner.

An agency names the related person by its own record reference (midwifery's record of an
unborn child names the mother's midwifery record). The other record may arrive later, so a
relationship is stored as declared and resolved to persons whenever it is read; merges and
unmerges move links, and the answer follows them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session, aliased

from hub.models import DeclaredRelationship, HouseholdMembership, Link, SourceRecord

# Read from the other side: if B is A's mother, A is B's child.
INVERSE = {
    "mother": "child",
    "father": "child",
    "parent": "child",
    "carer": "cared_for",
    "partner": "partner",
    "visitor": "visited",
    "child": "parent",
    "sibling": "sibling",
}


# The household role of someone who declared a relationship: whoever names a mother is a child.
HOUSEHOLD_ROLE = {
    "mother": "child",
    "father": "child",
    "parent": "child",
    "carer": "child",
    "partner": "partner",
    "visitor": "unknown",
    "child": "carer",
    "sibling": "child",
}


def declare(session: Session, record: SourceRecord, declared: list[dict]) -> None:
    """Store the record's declared relationships (a replay adds nothing)."""
    stored = select(DeclaredRelationship.relationship, DeclaredRelationship.related_source_ref)
    rows = session.execute(stored.where(DeclaredRelationship.source_record_id == record.id))
    known = {(relationship, ref) for relationship, ref in rows}
    for item in declared:
        if (item["type"], item["source_ref"]) in known:
            continue
        known.add((item["type"], item["source_ref"]))
        session.add(
            DeclaredRelationship(
                source_record_id=record.id,
                relationship=item["type"],
                related_agency_code=record.agency_code,
                related_source_ref=item["source_ref"],
            )
        )
    session.flush()


def _names(record) -> ColumnElement[bool]:
    """The declaration names this source record (its agency's own reference)."""
    return and_(
        record.agency_code == DeclaredRelationship.related_agency_code,
        record.source_ref == DeclaredRelationship.related_source_ref,
    )


def relationships_of(session: Session, person_id: int) -> list[dict]:
    """Everyone declared related to the person, from either side, with who said so. A related
    record that has not arrived yet is listed with `person_id` None."""
    declarer, target = aliased(SourceRecord), aliased(SourceRecord)
    declarer_link, target_link = aliased(Link), aliased(Link)
    rows = session.execute(
        select(DeclaredRelationship, declarer_link.person_id, target_link.person_id)
        .join(declarer, declarer.id == DeclaredRelationship.source_record_id)
        .join(declarer_link, declarer_link.source_record_id == declarer.id)
        .outerjoin(target, _names(target))
        .outerjoin(target_link, target_link.source_record_id == target.id)
        .where((declarer_link.person_id == person_id) | (target_link.person_id == person_id))
        .order_by(DeclaredRelationship.id)
    ).all()
    found: dict[tuple, dict] = {}
    for declared, declarer_person, target_person in rows:
        if declarer_person == person_id:
            relationship, other = declared.relationship, target_person
        else:
            relationship, other = INVERSE[declared.relationship], declarer_person
        if other == person_id:
            continue  # both records now belong to one person: nothing to show
        key = (relationship, other if other is not None else declared.related_source_ref)
        entry = found.setdefault(
            key,
            {
                "relationship": relationship,
                "person_id": other,
                "related_source_ref": None if other is not None else declared.related_source_ref,
                "declared_by": set(),
            },
        )
        entry["declared_by"].add(declared.related_agency_code)
    return [{**e, "declared_by": sorted(e["declared_by"])} for e in found.values()]


def related_persons(session: Session, record: SourceRecord) -> list[tuple[str, int]]:
    """(relationship, person id) for the record's declarations whose other record is here."""
    rows = session.execute(
        select(DeclaredRelationship.relationship, Link.person_id)
        .join(SourceRecord, _names(SourceRecord))
        .join(Link, Link.source_record_id == SourceRecord.id)
        .where(DeclaredRelationship.source_record_id == record.id)
    ).all()
    return [(relationship, person) for relationship, person in rows]


def declarers_without_address(session: Session, record: SourceRecord) -> list[tuple[str, int]]:
    """(relationship, person id) of records that named this record as a relation and gave no
    address of their own: they live wherever this person lives."""
    rows = session.execute(
        select(DeclaredRelationship.relationship, SourceRecord)
        .join(SourceRecord, SourceRecord.id == DeclaredRelationship.source_record_id)
        .where(_names(record))
    ).all()
    return [
        (relationship, other.link.person_id)
        for relationship, other in rows
        if not other.addresses and other.link is not None
    ]


def place_with_relations(
    session: Session, record: SourceRecord, person_id: int, details: dict, seen_on: dt.date
) -> None:
    """Store the record's declared relationships, and put people with no address of their
    own into the households of the relations they were declared with, from either side."""
    declared = details.get("relationships") or []
    if declared:
        declare(session, record, declared)
    if not details.get("addresses"):
        for relationship, other in related_persons(session, record):
            role = details.get("role") or HOUSEHOLD_ROLE[relationship]
            share_households(session, person_id, other, role, seen_on)
    for relationship, declarer in declarers_without_address(session, record):
        share_households(session, declarer, person_id, HOUSEHOLD_ROLE[relationship], seen_on)


def share_households(
    session: Session, person_id: int, with_person_id: int, role: str, seen_on: dt.date
) -> None:
    """Put the person in every household `with_person_id` belongs to (an unborn child with no
    address of its own is in its mother's household)."""
    memberships = session.scalars(
        select(HouseholdMembership).where(HouseholdMembership.person_id == with_person_id)
    ).all()
    for membership in memberships:
        exists = session.scalar(
            select(HouseholdMembership.id).where(
                HouseholdMembership.household_id == membership.household_id,
                HouseholdMembership.person_id == person_id,
                HouseholdMembership.role == role,
            )
        )
        if exists is None:
            session.add(
                HouseholdMembership(
                    household_id=membership.household_id,
                    person_id=person_id,
                    role=role,
                    valid_from=seen_on,
                    valid_to=seen_on,
                )
            )
    session.flush()
