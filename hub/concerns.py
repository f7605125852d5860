"""Concerns and their revisions: an agency amends a concern by sending it again with a higher
revision, or withdraws it; the concern shows the highest revision, and every event is kept.

Events about one person travel on one partition in order, but an agency's own system may send
revision 3 before revision 2 (a retry, a file loaded late): the late one joins the history and
changes nothing. A withdrawal at the same revision as the current version wins over it.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.models import Concern, ConcernRevision, Link, SourceRecord, utcnow

_CONTENT = ("occurred_at", "category", "severity", "sensitivity", "summary", "action_taken")


def already_stored(session: Session, event_id: str) -> Concern | None:
    """The concern an event was already stored under (a replay or a resend)."""
    return session.scalar(
        select(Concern)
        .join(ConcernRevision, ConcernRevision.concern_id == Concern.id)
        .where(ConcernRevision.event_id == event_id)
    )


def store_concern(session: Session, event: dict, record: SourceRecord, link: Link) -> Concern:
    """Add the event as a revision of its concern, creating the concern the first time."""
    details = event["concern"]
    revision, withdrawn = details.get("revision", 1), details.get("withdrawn", False)
    concern = session.scalar(
        select(Concern).where(
            Concern.agency_code == event["agency"], Concern.concern_ref == details["ref"]
        )
    )
    content = {name: details.get(name) for name in _CONTENT}
    if concern is None:
        concern = Concern(
            event_id=event["event_id"],
            agency_code=event["agency"],
            concern_ref=details["ref"],
            reported_at=details["reported_at"],
            schema_version=event["schema_version"],
            revision=revision,
            withdrawn=withdrawn,
            **_about(event, record, link),
            **content,
        )
        session.add(concern)
    elif _supersedes(revision, withdrawn, concern):
        for name, value in {**content, **_about(event, record, link)}.items():
            setattr(concern, name, value)
        concern.revision, concern.withdrawn, concern.updated_at = revision, withdrawn, utcnow()
    session.flush()
    session.add(
        ConcernRevision(
            concern_id=concern.id,
            event_id=event["event_id"],
            revision=revision,
            withdrawn=withdrawn,
            source_record_id=record.id,
            **content,
        )
    )
    session.flush()
    return concern


def _about(event: dict, record: SourceRecord, link: Link) -> dict:
    """Who the concern is about: an amendment may correct the person it names."""
    return {
        "person_id": link.person_id,
        "source_record_id": record.id,
        "local_authority": event["person"].get("local_authority"),
    }


def _supersedes(revision: int, withdrawn: bool, concern: Concern) -> bool:
    if revision != concern.revision:
        return revision > concern.revision
    return withdrawn and not concern.withdrawn
