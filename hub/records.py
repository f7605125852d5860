"""Store what a batch of events says about people: upsert the source records, then link them.

Linking asks the matching engine (pure) about candidates found through blocking keys kept in
the database, so several pipeline processes share one view of who is known. A batch reads what
it needs in a few set-based queries, and records linked earlier in the batch are candidates for
later ones, exactly as if the events had come one at a time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence

from sqlalchemy import func, insert, select, tuple_
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

METHODS = {LINK: "probabilistic", REVIEW: "pending_review", NEW: "new_person"}


def upsert_source_records(
    session: Session, items: Sequence[tuple[str, dict]]
) -> list[SourceRecord]:
    """The agency's record of each (agency, person details), created or refreshed in order;
    an agency reference named twice in the batch is one record."""
    wanted = {(agency, details["source_ref"]) for agency, details in items}
    known = {
        (record.agency_code, record.source_ref): record
        for record in session.scalars(
            select(SourceRecord)
            .options(selectinload(SourceRecord.addresses), selectinload(SourceRecord.link))
            .where(tuple_(SourceRecord.agency_code, SourceRecord.source_ref).in_(wanted))
        )
    }
    records = []
    for agency, details in items:
        record = known.get((agency, details["source_ref"]))
        if record is None:
            record = SourceRecord(
                agency_code=agency, source_ref=details["source_ref"], addresses=[], link=None
            )
            session.add(record)
            known[(agency, details["source_ref"])] = record
        _refresh(record, details)
        records.append(record)
    session.flush()
    return records


def _refresh(record: SourceRecord, details: dict) -> None:
    for name in PERSON_FIELDS:
        if details.get(name) is not None:
            setattr(record, name, details[name])
    record.given_key = name_key(record.given_name)
    record.family_key = name_key(record.family_name)
    known = {(a.line, a.postcode) for a in record.addresses}
    for address in details.get("addresses", []):
        if (address.get("line"), address.get("postcode")) not in known:
            known.add((address.get("line"), address.get("postcode")))
            record.addresses.append(SourceAddress(**address))


def prepared_record(
    record_id: int,
    agency: str,
    fields: dict,
    latest: tuple[str | None, str | None] | None,
) -> Record:
    """The engine's view of a record given as plain fields and its latest (line, postcode)."""
    line, postcode = latest or (None, None)
    return prepare(
        {
            "record_id": str(record_id),
            "agency": agency,
            **{name: fields.get(name) for name in PERSON_FIELDS if name != "local_authority"},
            "postcode": postcode,
            "address_line": line,
        }
    )


def matching_record(record: SourceRecord) -> Record:
    """The engine's view of a source record (its latest address)."""
    latest = record.addresses[-1] if record.addresses else None
    return prepared_record(
        record.id,
        record.agency_code,
        {name: getattr(record, name) for name in PERSON_FIELDS},
        (latest.line, latest.postcode) if latest else None,
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


def _store_keys(session: Session, keys: dict[int, list[str]]) -> None:
    """Keys are refreshed even for linked records: once one gains an NHS number or a new
    address, later records must be able to find it by them."""
    existing = set(
        session.execute(
            select(BlockingKey.source_record_id, BlockingKey.key).where(
                BlockingKey.source_record_id.in_(keys)
            )
        )
    )
    rows = [
        {"key": key, "source_record_id": record_id}
        for record_id, record_keys in keys.items()
        for key in sorted(set(record_keys))
        if (record_id, key) not in existing
    ]
    if rows:  # a Core insert: ten-odd keys per record make ORM objects the costly part
        session.execute(insert(BlockingKey), rows)


class Candidates:
    """Who the batch's new records might be: every record of every person sharing a blocking
    key that is not oversized, read once for the batch and grown as the batch links records.
    Persons are ids, or the batch's new `Person` objects until they are stored."""

    def __init__(self, session: Session, keys: set[str]) -> None:
        counts = session.execute(
            select(BlockingKey.key, func.count())
            .where(BlockingKey.key.in_(keys))
            .group_by(BlockingKey.key)
        )
        self.usable = set(keys) - {key for key, count in counts if count > MAX_BLOCK}
        self.persons: dict[str, dict[Hashable, None]] = defaultdict(dict)  # ordered sets
        self.records: dict[Hashable, list[Record]] = defaultdict(list)
        if self.usable:
            self._load(session)

    def _load(self, session: Session) -> None:
        sharing = BlockingKey.key.in_(self.usable)
        on_key = Link.source_record_id == BlockingKey.source_record_id
        for key, person_id in session.execute(
            select(BlockingKey.key, Link.person_id).join(Link, on_key).where(sharing)
        ):
            self.persons[key][person_id] = None
        persons = select(Link.person_id).join(BlockingKey, on_key).where(sharing)
        linked = select(Link.source_record_id).where(Link.person_id.in_(persons))
        latest = {
            record_id: (line, postcode)
            for record_id, line, postcode in session.execute(
                select(SourceAddress.source_record_id, SourceAddress.line, SourceAddress.postcode)
                .where(SourceAddress.source_record_id.in_(linked))
                .order_by(SourceAddress.id)
            )
        }
        columns = [getattr(SourceRecord, name) for name in PERSON_FIELDS]
        rows = session.execute(
            select(Link.person_id, SourceRecord.id, SourceRecord.agency_code, *columns)
            .join(SourceRecord, SourceRecord.id == Link.source_record_id)
            .where(Link.person_id.in_(persons))
            .order_by(SourceRecord.id)
        )
        for person_id, record_id, agency, *values in rows:
            fields = dict(zip(PERSON_FIELDS, values, strict=True))
            self.records[person_id].append(
                prepared_record(record_id, agency, fields, latest.get(record_id))
            )

    def of(self, keys: Iterable[str]) -> list[tuple[Hashable, Record]]:
        persons = {p: None for key in keys if key in self.usable for p in self.persons[key]}
        return [(person, record) for person in persons for record in self.records[person]]

    def add(self, person: Hashable, keys: Iterable[str], record: Record) -> None:
        for key in keys:
            self.persons[key][person] = None
        self.records[person].append(record)


def _population(session: Session) -> int:
    # The highest link id stands in for the number of linked records: exact enough, and O(1).
    return session.scalar(select(func.max(Link.id))) or 1


def link_records(
    session: Session, records: Sequence[SourceRecord], model: Model, linked_by: str = "pipeline"
) -> list[Link]:
    """Give each record its `link`. A record already linked keeps its person (stable ids); a
    new one is matched, and starts its own person when new or uncertain (review). Returns the
    links made."""
    unique = list(dict.fromkeys(records))
    prepared = {record.id: matching_record(record) for record in unique}
    keys = {record_id: keys_of(view) for record_id, view in prepared.items()}
    _store_keys(session, keys)
    unlinked = [record for record in unique if record.link is None]
    if not unlinked:
        return []
    candidates = Candidates(session, {key for r in unlinked for key in keys[r.id]})
    population = _population(session)
    decided: list[tuple[SourceRecord, Hashable, Decision]] = []
    for record in unlinked:
        view = prepared[record.id]
        decision = decide(model, view, candidates.of(keys[record.id]), population)
        person = decision.person_id if decision.action == LINK else Person()
        candidates.add(person, keys[record.id], view)
        decided.append((record, person, decision))
        population += 1
    session.add_all(person for _, person, _ in decided if isinstance(person, Person))
    session.flush()
    for record, person, decision in decided:
        _store_link(session, record, _id(person), decision, model, linked_by)
    session.flush()
    return [record.link for record, _, _ in decided]  # type: ignore[misc]


def _id(person: Hashable) -> int:
    return person.id if isinstance(person, Person) else int(person)  # type: ignore[arg-type]


def _store_link(
    session: Session,
    record: SourceRecord,
    person_id: int,
    decision: Decision,
    model: Model,
    linked_by: str,
) -> None:
    session.add(
        Link(
            source_record=record,
            person_id=person_id,
            method=METHODS[decision.action],
            score=decision.probability if decision.action == LINK else None,
            explanation=_explanation(decision),
            model_version=model.version,
            linked_by=linked_by,
        )
    )
    if decision.action == REVIEW:
        session.add(
            ReviewTask(
                source_record_id=record.id,
                candidate_person_id=_id(decision.person_id),
                probability=decision.probability,
                reason=decision.reason,
                explanation=decision.explanation,
                model_version=model.version,
            )
        )


def _explanation(decision: Decision) -> dict:
    return {
        "decision": decision.action,
        "reason": decision.reason,
        **decision.explanation,
        "candidates": [
            {
                "person_id": _id(c.person_id),
                "probability": round(c.probability, 6),
                "conflict": c.conflict,
            }
            for c in decision.candidates
        ],
    }
