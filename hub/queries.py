"""Read side: a person's joined chronology and person search. One query per concern page."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload
from stdnum.gb import nhs, upn

from hub.errors import InvalidQuery, NotFound
from hub.models import Concern, ConcernRevision, Link, Person, ReviewTask, SourceRecord
from hub.records import current_person_id
from hub.relationships import relationships_of
from matching.normalise import name_key

MAX_PER_PAGE = 200
SEARCH_LIMIT = 50
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


@dataclass(frozen=True)
class Page:
    person_id: int
    requested_id: int
    total: int
    page: int
    per_page: int
    items: list[Concern]


def resolve_person(session: Session, person_id: int) -> int:
    if session.get(Person, person_id) is None:
        raise NotFound(f"no person {person_id}")
    return current_person_id(session, person_id)


def timeline(
    session: Session,
    person_id: int,
    page: int = 1,
    per_page: int = 50,
    include_withdrawn: bool = False,
) -> Page:
    """Concerns from every agency about the person (and anyone merged into them), newest first,
    each as its latest revision says. A concern its agency withdrew (sent in error) is left out
    unless asked for; its history stays (`concern_history`)."""
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidQuery({"page": [f"page >= 1 and 1 <= per_page <= {MAX_PER_PAGE}"]})
    current = resolve_person(session, person_id)
    person_ids = [current, *merged_into(session, current)]
    where = Concern.person_id.in_(person_ids)
    if not include_withdrawn:
        where = where & ~Concern.withdrawn
    total = session.scalar(select(func.count()).select_from(Concern).where(where)) or 0
    items = session.scalars(
        select(Concern)
        .options(joinedload(Concern.agency))
        .where(where)
        .order_by(Concern.occurred_at.desc(), Concern.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Page(current, person_id, total, page, per_page, list(items))


def concern_history(session: Session, event_id: str) -> Concern:
    """A concern with every revision received, found by the event id of any of them."""
    concern = session.scalar(
        select(Concern)
        .join(ConcernRevision, ConcernRevision.concern_id == Concern.id)
        .options(selectinload(Concern.revisions), joinedload(Concern.agency))
        .where(ConcernRevision.event_id == event_id)
    )
    if concern is None:
        raise NotFound(f"No concern has an event {event_id}.")
    return concern


def merged_into(session: Session, person_id: int) -> list[int]:
    """Every person whose forwarding chain ends at `person_id`."""
    found: list[int] = []
    frontier = [person_id]
    while frontier:
        rows = session.scalars(select(Person.id).where(Person.merged_into_id.in_(frontier))).all()
        found.extend(rows)
        frontier = list(rows)
    return found


@dataclass(frozen=True)
class SearchTerms:
    names: list[str]
    date_of_birth: dt.date | None = None
    nhs_number: str | None = None
    upn: str | None = None


def parse_query(q: str) -> SearchTerms:
    """Split a free-text query into name words, a date of birth and identifiers."""
    words = q.split()
    if not words or len(q) > 200:
        raise InvalidQuery({"q": ["Give a name, a date of birth, an NHS number or a UPN."]})
    compact = re.sub(r"[\s-]", "", q)
    if compact.isdigit() and nhs.is_valid(compact):
        return SearchTerms([], nhs_number=compact)
    if upn.is_valid(compact):
        return SearchTerms([], upn=upn.compact(compact))
    names, dob = [], None
    for word in words:
        parsed = _parse_date(word)
        if parsed:
            dob = parsed
        elif key := name_key(word):
            names.extend(key.split())
    if not names and dob is None:
        raise InvalidQuery({"q": ["No name, date of birth or valid identifier found."]})
    return SearchTerms(names, date_of_birth=dob)


def _parse_date(word: str) -> dt.date | None:
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(word, fmt).date()
        except ValueError:
            continue
    return None


def _name_condition(word: str):
    prefix, inner = f"{word}%", f"% {word}%"
    return or_(
        SourceRecord.given_key.like(prefix),
        SourceRecord.given_key.like(inner),
        SourceRecord.family_key.like(prefix),
        SourceRecord.family_key.like(inner),
    )


Scope = Callable[[ColumnElement], ColumnElement[bool]]


def search(session: Session, q: str, scope: Scope) -> list[dict]:
    """Persons in scope whose source records match every term; each with the records that
    matched."""
    terms = parse_query(q)
    query = (
        select(SourceRecord, Link.person_id)
        .join(Link, Link.source_record_id == SourceRecord.id)
        .where(scope(Link.person_id))
    )
    if terms.nhs_number:
        query = query.where(SourceRecord.nhs_number == terms.nhs_number)
    if terms.upn:
        query = query.where(SourceRecord.upn == terms.upn)
    if terms.date_of_birth:
        query = query.where(SourceRecord.date_of_birth == terms.date_of_birth)
    for word in terms.names:
        query = query.where(_name_condition(word))
    rows = session.execute(query.order_by(SourceRecord.id).limit(SEARCH_LIMIT * 4)).all()
    persons: dict[int, dict] = {}
    for record, linked_person in rows:
        pid = current_person_id(session, linked_person)
        entry = persons.setdefault(pid, {"person_id": pid, "records": []})
        entry["records"].append(record)
    return list(persons.values())[:SEARCH_LIMIT]


def person_detail(session: Session, person_id: int) -> dict:
    """The person's source records from every agency, each with why it is linked."""
    current = resolve_person(session, person_id)
    records = session.scalars(
        select(SourceRecord)
        .join(Link, Link.source_record_id == SourceRecord.id)
        .options(selectinload(SourceRecord.addresses), selectinload(SourceRecord.link))
        .where(Link.person_id == current)
        .order_by(SourceRecord.agency_code, SourceRecord.id)
    ).all()
    return {
        "person_id": current,
        "requested_id": person_id,
        "merged_from": merged_into(session, current),
        "source_records": list(records),
        "relationships": relationships_of(session, current),
    }


def review_tasks(
    session: Session, scope: Scope, status: str = "open", limit: int = 50
) -> list[ReviewTask]:
    """Tasks where the record waiting, or the person it might be, is in scope."""
    return list(
        session.scalars(
            select(ReviewTask)
            .outerjoin(Link, Link.source_record_id == ReviewTask.source_record_id)
            .options(joinedload(ReviewTask.source_record))
            .where(
                ReviewTask.status == status,
                or_(scope(ReviewTask.candidate_person_id), scope(Link.person_id)),
            )
            .order_by(ReviewTask.created_at, ReviewTask.id)
            .limit(limit)
        )
    )
