"""Store what an event says about a person: upsert the source record, then link it."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from hub.models import Link, Person, SourceAddress, SourceRecord
from matching.deterministic import MODEL_VERSION, Candidate, RecordKeys, decide
from matching.normalise import name_key

PERSON_FIELDS = (
    "local_authority",
    "given_name",
    "middle_names",
    "family_name",
    "date_of_birth",
    "sex",
    "nhs_number",
    "upn",
)


def upsert_source_record(session: Session, agency: str, details: dict) -> SourceRecord:
    """The agency's record of this person, created or refreshed with what the event says."""
    record = session.scalar(
        select(SourceRecord).where(
            SourceRecord.agency_code == agency, SourceRecord.source_ref == details["source_ref"]
        )
    )
    if record is None:
        record = SourceRecord(agency_code=agency, source_ref=details["source_ref"])
        session.add(record)
    for name in PERSON_FIELDS:
        if details.get(name) is not None:
            setattr(record, name, details[name])
    record.given_key = name_key(record.given_name)
    record.family_key = name_key(record.family_name)
    known = {(a.line, a.postcode) for a in record.addresses}
    for address in details.get("addresses", []):
        if (address.get("line"), address.get("postcode")) not in known:
            record.addresses.append(SourceAddress(**address))
    session.flush()
    return record


def keys_of(record: SourceRecord) -> RecordKeys:
    return RecordKeys(
        given_key=record.given_key,
        family_key=record.family_key,
        date_of_birth=record.date_of_birth,
        nhs_number=record.nhs_number,
        upn=record.upn,
    )


def current_person_id(session: Session, person_id: int) -> int:
    """Follow merge forwarding ids to the surviving person."""
    seen = set()
    while person_id not in seen:
        seen.add(person_id)
        forward = session.scalar(select(Person.merged_into_id).where(Person.id == person_id))
        if forward is None:
            return person_id
        person_id = forward
    raise RuntimeError(f"merge forwarding loop at person {person_id}")


def _candidates(session: Session, record: SourceRecord) -> list[Candidate]:
    conditions = []
    if record.nhs_number:
        conditions.append(SourceRecord.nhs_number == record.nhs_number)
    if record.upn:
        conditions.append(SourceRecord.upn == record.upn)
    if record.family_key and record.given_key and record.date_of_birth:
        conditions.append(
            (SourceRecord.family_key == record.family_key)
            & (SourceRecord.given_key == record.given_key)
            & (SourceRecord.date_of_birth == record.date_of_birth)
        )
    if not conditions:
        return []
    rows = session.execute(
        select(SourceRecord, Link.person_id)
        .join(Link, Link.source_record_id == SourceRecord.id)
        .where(or_(*conditions), SourceRecord.id != record.id)
    ).all()
    return [Candidate(current_person_id(session, pid), keys_of(other)) for other, pid in rows]


def ensure_link(session: Session, record: SourceRecord, linked_by: str = "pipeline") -> Link:
    """The record's link to a person; a record already linked keeps its person (stable ids)."""
    existing = session.scalar(select(Link).where(Link.source_record_id == record.id))
    if existing is not None:
        return existing
    decision = decide(keys_of(record), _candidates(session, record))
    person_id = decision.person_id
    if person_id is None:
        person = Person()
        session.add(person)
        session.flush()
        person_id = person.id
    link = Link(
        source_record_id=record.id,
        person_id=person_id,
        method=decision.method,
        score=None if decision.is_new_person else 1.0,
        explanation=decision.explanation,
        model_version=MODEL_VERSION,
        linked_by=linked_by,
    )
    session.add(link)
    session.flush()
    return link
