"""Declared relationships: what agencies say about who is whose mother, father, partner.

An agency names the related person by its own record reference (midwifery's record of an
unborn child names the mother's midwifery record). The other record may arrive later, so a
relationship is stored as declared and resolved to persons whenever it is read; merges and
unmerges move links, and the answer follows them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import ColumnElement, and_, select, tuple_
from sqlalchemy.orm import Session, aliased

from hub.households import Shared
from hub.models import DeclaredRelationship, Link, SourceAddress, SourceRecord

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


def declare(session: Session, declared: Sequence[tuple[SourceRecord, list[dict]]]) -> None:
    """Store each record's declared relationships (a replay adds nothing)."""
    ids = {record.id for record, items in declared if items}
    if not ids:
        return
    known = set(
        session.execute(
            select(
                DeclaredRelationship.source_record_id,
                DeclaredRelationship.relationship,
                DeclaredRelationship.related_source_ref,
            ).where(DeclaredRelationship.source_record_id.in_(ids))
        )
    )
    for record, items in declared:
        for item in items:
            if (record.id, item["type"], item["source_ref"]) in known:
                continue
            known.add((record.id, item["type"], item["source_ref"]))
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


def living_with_relations(
    session: Session, arrivals: Sequence[tuple[SourceRecord, dict, dt.date]]
) -> list[Shared]:
    """Who lives with whom because of a declaration, from either side: a record that came
    with no address lives with the relations it declared (an unborn child with its mother),
    and a record someone declared as a relation is lived with by every declarer that gave no
    address of its own. Each arrival is (linked record, the event's person, date seen)."""
    shared = []
    homeless = {
        r.id: (r, details, on) for r, details, on in arrivals if not details.get("addresses")
    }
    if homeless:
        rows = session.execute(
            select(
                DeclaredRelationship.source_record_id,
                DeclaredRelationship.relationship,
                Link.person_id,
            )
            .join(SourceRecord, _names(SourceRecord))
            .join(Link, Link.source_record_id == SourceRecord.id)
            .where(DeclaredRelationship.source_record_id.in_(homeless))
        )
        for record_id, relationship, relation in rows:
            record, details, on = homeless[record_id]
            role = details.get("role") or HOUSEHOLD_ROLE[relationship]
            shared.append(Shared(_person(record), relation, role, on))
    named = {(r.agency_code, r.source_ref): (r, on) for r, _, on in arrivals}
    has_address = select(SourceAddress.id).where(
        SourceAddress.source_record_id == DeclaredRelationship.source_record_id
    )
    rows = session.execute(
        select(
            DeclaredRelationship.related_agency_code,
            DeclaredRelationship.related_source_ref,
            DeclaredRelationship.relationship,
            Link.person_id,
        )
        .join(Link, Link.source_record_id == DeclaredRelationship.source_record_id)
        .where(
            tuple_(
                DeclaredRelationship.related_agency_code, DeclaredRelationship.related_source_ref
            ).in_(named),
            ~has_address.exists(),
        )
    )
    for agency, ref, relationship, declarer in rows:
        record, on = named[(agency, ref)]
        shared.append(Shared(declarer, _person(record), HOUSEHOLD_ROLE[relationship], on))
    return shared


def _person(record: SourceRecord) -> int:
    return record.link.person_id  # type: ignore[union-attr]
