"""Agency credentials: each agency system pushes with its own key, and the key says who it is.

Keys are random (secrets.token_urlsafe) and shown once; the database keeps only their SHA-256,
so a copy of the database does not let anyone publish. A revoked key stops working at once.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.errors import Unauthenticated
from hub.models import AgencyCredential, utcnow

PREFIX = "mash_"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue(session: Session, agency: str, label: str | None = None) -> str:
    """A new key for the agency (returned once, never stored)."""
    key = PREFIX + secrets.token_urlsafe(32)
    session.add(AgencyCredential(agency_code=agency, key_hash=_digest(key), label=label))
    session.flush()
    return key


def agency_for(session: Session, key: str | None) -> str:
    """The agency a key belongs to; refuses a missing, unknown or revoked key."""
    if not key:
        raise Unauthenticated("Send the agency's key: Authorization: Bearer <key>.")
    credential = session.scalar(
        select(AgencyCredential).where(AgencyCredential.key_hash == _digest(key))
    )
    if credential is None or credential.revoked_at is not None:
        raise Unauthenticated("The key is not valid (unknown or revoked).")
    return credential.agency_code


def revoke(session: Session, agency: str) -> int:
    """Revoke every live key of the agency; returns how many."""
    live = session.scalars(
        select(AgencyCredential).where(
            AgencyCredential.agency_code == agency, AgencyCredential.revoked_at.is_(None)
        )
    ).all()
    for credential in live:
        credential.revoked_at = utcnow()
    session.flush()
    return len(live)
