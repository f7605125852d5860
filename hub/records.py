"""Store what an event says about a person: upsert the source record, then link it.

Linking asks the matching engine (pure) about candidates found through blocking keys kept in
the database, so several pipeline processes share one view of who is known.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from hub.models import BlockingKey, Link, Person, ReviewTask, SourceAddress, SourceRecord
from matching.blocking import MAX_BLOCK, keys_of
from matching.model import Model
from matching.normalise import name_key
from matching.online import LINK, NEW, REVIEW, Decision, decide
from matching.record import Record, prepare

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
        select(SourceRecord)
        .options(selectinload(SourceRecord.addresses))
        .where(SourceRecord.agency_code == agency, SourceRecord.source_ref == details["source_ref"])
    )
    if record is None:
        record = SourceRecord(agency_code=agency, source_ref=details["source_ref"], addresses=[])
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


def matching_record(record: SourceRecord) -> Record:
    """The engine's view of a source record (its latest address)."""
    latest = record.addresses[-1] if record.addresses else None
    return prepare(
        {
            "record_id": str(record.id),
            "agency": record.agency_code,
            "given_name": record.given_name,
            "middle_names": record.middle_names,
            "family_name": record.family_name,
            "date_of_birth": record.date_of_birth,
            "sex": record.sex,
            "nhs_number": record.nhs_number,
            "upn": record.upn,
            "postcode": latest.postcode if latest else None,
            "address_line": latest.line if latest else None,
        }
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


def _store_keys(session: Session, record: SourceRecord, keys: list[str]) -> None:
    existing = set(
        session.scalars(select(BlockingKey.key).where(BlockingKey.source_record_id == record.id))
    )
    session.add_all(
        BlockingKey(key=key, source_record_id=record.id) for key in set(keys) - existing
    )


def _candidates(
    session: Session, record: SourceRecord, keys: list[str]
) -> list[tuple[int, Record]]:
    """Every record of every person that shares a (not oversized) blocking key."""
    if not keys:
        return []
    usable = (
        select(BlockingKey.key)
        .where(BlockingKey.key.in_(keys))
        .group_by(BlockingKey.key)
        .having(func.count() <= MAX_BLOCK)
    )
    persons = (
        select(Link.person_id)
        .join(BlockingKey, BlockingKey.source_record_id == Link.source_record_id)
        .where(BlockingKey.key.in_(usable), Link.source_record_id != record.id)
    )
    rows = session.execute(
        select(Link.person_id, SourceRecord)
        .join(SourceRecord, SourceRecord.id == Link.source_record_id)
        .options(selectinload(SourceRecord.addresses))
        .where(Link.person_id.in_(persons))
    ).all()
    return [(person_id, matching_record(other)) for person_id, other in rows]


def _population(session: Session) -> int:
    # The highest link id stands in for the number of linked records: exact enough, and O(1).
    return session.scalar(select(func.max(Link.id))) or 1


def ensure_link(
    session: Session, record: SourceRecord, model: Model, linked_by: str = "pipeline"
) -> tuple[Link, Decision | None]:
    """The record's link to a person. A record already linked keeps its person (stable ids);
    a new one is matched, and starts its own person when new or uncertain (review)."""
    prepared = matching_record(record)
    keys = keys_of(prepared)
    # Keys are refreshed even for a linked record: once it gains an NHS number or a new
    # address, later records must be able to find it by them.
    _store_keys(session, record, keys)
    existing = session.scalar(select(Link).where(Link.source_record_id == record.id))
    if existing is not None:
        return existing, None
    decision = decide(model, prepared, _candidates(session, record, keys), _population(session))
    if decision.action == LINK:
        person_id = int(decision.person_id)  # type: ignore[arg-type]
    else:
        person = Person()
        session.add(person)
        session.flush()
        person_id = person.id
    link = Link(
        source_record_id=record.id,
        person_id=person_id,
        method={LINK: "probabilistic", REVIEW: "pending_review", NEW: "new_person"}[
            decision.action
        ],
        score=decision.probability if decision.action == LINK else None,
        explanation=_explanation(decision),
        model_version=model.version,
        linked_by=linked_by,
    )
    session.add(link)
    if decision.action == REVIEW:
        session.add(
            ReviewTask(
                source_record_id=record.id,
                candidate_person_id=int(decision.person_id),  # type: ignore[arg-type]
                probability=decision.probability,
                reason=decision.reason,
                explanation=decision.explanation,
                model_version=model.version,
            )
        )
    session.flush()
    return link, decision


def _explanation(decision: Decision) -> dict:
    return {
        "decision": decision.action,
        "reason": decision.reason,
        **decision.explanation,
        "candidates": [
            {
                "person_id": c.person_id,
                "probability": round(c.probability, 6),
                "conflict": c.conflict,
            }
            for c in decision.candidates
        ],
    }
