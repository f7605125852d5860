"""Who is who: merging persons, undoing merges, and deciding review tasks. All audited."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from hub import audit
from hub.errors import Conflict, NotFound
from hub.models import Concern, Link, Merge, Person, ReviewTask, utcnow
from hub.records import current_person_id

DECISIONS = ("link", "not_same_person")


def _move(session: Session, record_ids: list[int], from_id: int, to_id: int) -> None:
    if not record_ids:
        return
    session.execute(
        update(Link)
        .where(Link.source_record_id.in_(record_ids), Link.person_id == from_id)
        .values(person_id=to_id)
    )
    session.execute(
        update(Concern)
        .where(Concern.source_record_id.in_(record_ids), Concern.person_id == from_id)
        .values(person_id=to_id)
    )


def merge(
    session: Session,
    survivor_id: int,
    merged_id: int,
    by: str,
    reason: str,
    role: str | None = None,
) -> Merge:
    """Fold `merged_id` into `survivor_id`; the old id forwards to the survivor."""
    for pid in (survivor_id, merged_id):
        if session.get(Person, pid) is None:
            raise NotFound(f"no person {pid}")
    survivor = current_person_id(session, survivor_id)
    merged = current_person_id(session, merged_id)
    if survivor == merged:
        raise Conflict(f"persons {survivor_id} and {merged_id} are already one person")
    moved = list(session.scalars(select(Link.source_record_id).where(Link.person_id == merged)))
    _move(session, moved, merged, survivor)
    session.get(Person, merged).merged_into_id = survivor  # type: ignore[union-attr]
    record = Merge(
        survivor_id=survivor,
        merged_id=merged,
        source_record_ids=moved,
        reason=reason,
        merged_by=by,
    )
    session.add(record)
    session.flush()
    audit.record(
        session,
        actor=by,
        role=role,
        action="merge",
        subject_type="person",
        subject_id=str(survivor),
        detail={"merged": merged, "merge_id": record.id, "source_records": moved, "reason": reason},
    )
    return record


def unmerge(session: Session, merge_id: int, by: str, role: str | None = None) -> Merge:
    """Put every source record the merge moved back on the person it came from."""
    record = session.get(Merge, merge_id)
    if record is None:
        raise NotFound(f"no merge {merge_id}")
    if record.undone_at is not None:
        raise Conflict(f"merge {merge_id} was already undone")
    later = session.scalar(
        select(Merge.id).where(
            Merge.merged_id == record.survivor_id, Merge.undone_at.is_(None), Merge.id > merge_id
        )
    )
    if later is not None:
        raise Conflict(f"undo merge {later} first: it folded this person into another")
    survivor = current_person_id(session, record.survivor_id)
    _move(session, list(record.source_record_ids), survivor, record.merged_id)
    session.get(Person, record.merged_id).merged_into_id = None  # type: ignore[union-attr]
    record.undone_by, record.undone_at = by, utcnow()
    audit.record(
        session,
        actor=by,
        role=role,
        action="unmerge",
        subject_type="person",
        subject_id=str(record.survivor_id),
        detail={
            "restored": record.merged_id,
            "merge_id": merge_id,
            "source_records": record.source_record_ids,
        },
    )
    return record


def decide_review(
    session: Session, task_id: int, decision: str, by: str, role: str | None = None
) -> ReviewTask:
    """`link`: the record's person is merged into the candidate; `not_same_person`: closed."""
    task = session.get(ReviewTask, task_id)
    if task is None:
        raise NotFound(f"no review task {task_id}")
    if task.status != "open":
        raise Conflict(f"review task {task_id} was already decided: {task.decision}")
    if decision == "link":
        link = session.scalar(select(Link).where(Link.source_record_id == task.source_record_id))
        assert link is not None
        candidate = current_person_id(session, task.candidate_person_id)
        if current_person_id(session, link.person_id) != candidate:
            merge(session, candidate, link.person_id, by, f"review task {task_id}", role)
        link.method, link.linked_by, link.linked_at = "reviewed", by, utcnow()
    task.status, task.decision, task.decided_by = "decided", decision, by
    task.decided_at = dt.datetime.now(dt.UTC)
    audit.record(
        session,
        actor=by,
        role=role,
        action="review_decision",
        subject_type="person",
        subject_id=str(task.candidate_person_id),
        detail={"task": task_id, "decision": decision, "source_record": task.source_record_id},
    )
    return task
