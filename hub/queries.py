"""Read side: a person's joined chronology, details and the review queue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from hub import statuses
from hub.access import Scope
from hub.errors import InvalidQuery, NotFound
from hub.models import (
    Agency,
    Concern,
    ConcernRevision,
    Link,
    Person,
    ReviewTask,
    SourceRecord,
    as_utc,
)
from hub.records import current_person_id
from hub.relationships import relationships_of

MAX_PER_PAGE = 200


@dataclass(frozen=True)
class Page:
    """`items`: each concern as a JSON-ready dict in the shape of api.views.TimelineEntrySchema."""

    person_id: int
    requested_id: int
    total: int
    page: int
    per_page: int
    items: list[dict]


def resolve_person(session: Session, person_id: int) -> int:
    if session.get(Person, person_id) is None:
        raise NotFound(f"no person {person_id}")
    return current_person_id(session, person_id)


@dataclass(frozen=True)
class TimelineFilter:
    """Which of a person's concerns to show: empty lists mean every agency, category or
    severity; dates are inclusive."""

    agencies: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    severities: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None
    oldest_first: bool = False
    include_withdrawn: bool = False

    def where(self, person_ids: list[int]) -> ColumnElement[bool]:
        conditions = [Concern.person_id.in_(person_ids)]
        if not self.include_withdrawn:
            conditions.append(~Concern.withdrawn)
        if self.agencies:
            conditions.append(Concern.agency_code.in_(self.agencies))
        if self.categories:
            conditions.append(Concern.category.in_(self.categories))
        if self.severities:
            conditions.append(Concern.severity.in_(self.severities))
        if self.since:
            conditions.append(Concern.occurred_at >= _midnight(self.since))
        if self.until:
            conditions.append(Concern.occurred_at < _midnight(self.until + dt.timedelta(days=1)))
        return and_(*conditions)

    def order(self) -> tuple:
        if self.oldest_first:
            return Concern.occurred_at.asc(), Concern.id.asc()
        return Concern.occurred_at.desc(), Concern.id.desc()


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


# The chronology's columns, read as plain rows: building ORM objects and dumping them through
# marshmallow cost more than the query itself on a 50-entry page (bench/caseview.py).
_ENTRY = (
    Concern.event_id,
    Concern.agency_code.label("agency"),
    Agency.name.label("agency_name"),
    Concern.concern_ref,
    Concern.local_authority,
    Concern.occurred_at,
    Concern.reported_at,
    Concern.category,
    Concern.severity,
    Concern.sensitivity,
    Concern.summary,
    Concern.action_taken,
    Concern.recorded_by,
    Concern.source_record_id,
    Concern.revision,
    Concern.withdrawn,
    Concern.updated_at,
)
_TIMES = ("occurred_at", "reported_at", "updated_at")


def timeline(
    session: Session,
    person_id: int,
    page: int = 1,
    per_page: int = 50,
    filters: TimelineFilter = TimelineFilter(),
    resolved: int | None = None,
) -> Page:
    """Concerns from every agency about the person (and anyone merged into them), newest first
    unless asked otherwise, each as its latest revision says. A concern its agency withdrew
    (sent in error) is left out unless asked for; its history stays (`concern_history`).
    `resolved`: the current id of `person_id`, when the caller has already followed merges."""
    if page < 1 or per_page < 1:
        raise InvalidQuery({"page": ["page >= 1 and per_page >= 1"]})
    current = resolved or resolve_person(session, person_id)
    where = filters.where([current, *merged_into(session, current)])
    rows = session.execute(
        select(*_ENTRY, func.count().over().label("total"))
        .join(Agency, Agency.code == Concern.agency_code)
        .where(where)
        .order_by(*filters.order())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    if rows:
        total = rows[0].total
    else:  # past the last page, or nothing at all: the window had no row to count on
        total = session.scalar(select(func.count()).select_from(Concern).where(where)) or 0
    return Page(current, person_id, total, page, per_page, [_entry(row) for row in rows])


def _entry(row) -> dict:
    entry = row._asdict()
    del entry["total"]
    for name in _TIMES:
        if entry[name] is not None:
            entry[name] = as_utc(entry[name]).isoformat()
    return entry


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
    merged = merged_into(session, current)
    events = session.execute(
        select(Concern.category, Concern.occurred_at).where(
            Concern.person_id.in_([current, *merged]),
            Concern.agency_code == "childrens_social_care",
            Concern.category.in_(statuses.CATEGORIES),
            ~Concern.withdrawn,
        )
    ).all()
    areas = session.scalars(
        select(Concern.local_authority)
        .where(Concern.person_id.in_([current, *merged]), Concern.local_authority.is_not(None))
        .distinct()
    ).all()
    return {
        "person_id": current,
        "requested_id": person_id,
        "merged_from": merged,
        "source_records": list(records),
        "local_authorities": sorted(
            {*areas, *(r.local_authority for r in records if r.local_authority)}
        ),
        "statuses": statuses.current_statuses((c, as_utc(w)) for c, w in events),
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
