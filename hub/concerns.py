"""Concerns and their revisions: an agency amends a concern by sending it again with a higher
revision, or withdraws it; the concern shows the highest revision, and every event is kept.

Events about one person travel on one partition in order, but an agency's own system may send
revision 3 before revision 2 (a retry, a file loaded late): the late one joins the history and
changes nothing. A withdrawal at the same revision as the current version wins over it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import insert, select, tuple_
from sqlalchemy.orm import Session

from hub.models import Concern, ConcernRevision, SourceRecord, utcnow

_CONTENT = (
    "occurred_at",
    "category",
    "severity",
    "sensitivity",
    "summary",
    "action_taken",
    "recorded_by",
)


def stored_events(session: Session, event_ids: Iterable[str]) -> dict[str, int]:
    """For events already stored (a replay or a resend): event id -> the concern's person."""
    return dict(
        session.execute(
            select(ConcernRevision.event_id, Concern.person_id)
            .join(Concern, Concern.id == ConcernRevision.concern_id)
            .where(ConcernRevision.event_id.in_(set(event_ids)))
        ).all()
    )


def store_concerns(session: Session, arrivals: Sequence[tuple[dict, SourceRecord]]) -> None:
    """Add each (event, its linked source record) as a revision of its concern, in order,
    creating the concern the first time."""
    refs = {(event["agency"], event["concern"]["ref"]) for event, _ in arrivals}
    concerns = {
        (concern.agency_code, concern.concern_ref): concern
        for concern in session.scalars(
            select(Concern).where(tuple_(Concern.agency_code, Concern.concern_ref).in_(refs))
        )
    }
    revisions = []
    for event, record in arrivals:
        details = event["concern"]
        revision, withdrawn = details.get("revision", 1), details.get("withdrawn", False)
        content = {name: details.get(name) for name in _CONTENT}
        concern = concerns.get((event["agency"], details["ref"]))
        if concern is None:
            concern = Concern(
                event_id=event["event_id"],
                agency_code=event["agency"],
                concern_ref=details["ref"],
                reported_at=details["reported_at"],
                schema_version=event["schema_version"],
                revision=revision,
                withdrawn=withdrawn,
                **_about(event, record),
                **content,
            )
            session.add(concern)
            concerns[(event["agency"], details["ref"])] = concern
        elif _supersedes(revision, withdrawn, concern):
            for name, value in {**content, **_about(event, record)}.items():
                setattr(concern, name, value)
            concern.revision, concern.withdrawn, concern.updated_at = revision, withdrawn, utcnow()
        row = {
            "event_id": event["event_id"],
            "revision": revision,
            "withdrawn": withdrawn,
            "source_record_id": record.id,
            **content,
        }
        revisions.append((concern, row))
    session.flush()
    # Every event is kept: a Core insert, as nothing reads the rows back in this batch.
    session.execute(insert(ConcernRevision), [{"concern_id": c.id, **row} for c, row in revisions])


def _about(event: dict, record: SourceRecord) -> dict:
    """Who the concern is about: an amendment may correct the person it names."""
    return {
        "person_id": record.link.person_id,  # type: ignore[union-attr]
        "source_record_id": record.id,
        "local_authority": event["person"].get("local_authority"),
    }


def _supersedes(revision: int, withdrawn: bool, concern: Concern) -> bool:
    if revision != concern.revision:
        return revision > concern.revision
    return withdrawn and not concern.withdrawn
