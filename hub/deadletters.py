"""Dead letters: what the hub could not accept, kept whole with the reason. Nothing is dropped,
and the same payload kept twice is one dead letter."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.models import DeadLetter


def keep(
    session: Session, source: str, key: str | None, payload: bytes, reason: str, errors: dict
) -> None:
    """`source` says where it came from: a topic, or e.g. 'mllp:health_ae'."""
    digest = hashlib.sha256(payload).hexdigest()
    if session.scalar(select(DeadLetter.id).where(DeadLetter.payload_sha256 == digest)) is None:
        session.add(
            DeadLetter(
                payload_sha256=digest,
                source_topic=source,
                message_key=key,
                payload=payload,
                reason=reason,
                errors=errors,
            )
        )
        session.flush()
