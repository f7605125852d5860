"""The sharing ledger: every decision to share information about a person, or not to, with
what, with whom, why, on which lawful basis, and what was done about consent.

A decision NOT to share is recorded as carefully as one to share: both are the practitioner's
judgement that a later review (or the person themselves) may ask about. When consent was
refused or not sought, the ledger must say why; information sharing guidance expects that
reasoning to be written down at the time.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.access import LAWFUL_BASES
from hub.errors import InvalidQuery, NotFound
from hub.models import Disclosure, Person

DECISIONS = ("shared", "not_shared")
CONSENTS = ("given", "refused", "not_sought")
# Consent answers that need a note saying why.
NEEDS_NOTE = ("refused", "not_sought")
MAX_WHAT = 4000
MAX_RECIPIENT = 300  # the column's length
MAX_PURPOSE = 4000
MAX_NOTE = 4000
MAX_DECIDED_BY = 120


def _text_errors(value: str | None, max_len: int) -> list[str]:
    text = (value or "").strip()
    if not text:
        return ["Required."]
    if len(text) > max_len:
        return [f"At most {max_len} characters."]
    return []


def validate_disclosure(
    *,
    decision: str,
    what: str,
    recipient: str,
    purpose: str,
    lawful_basis: str,
    consent: str,
    consent_note: str | None,
) -> dict[str, list[str]]:
    """Per-field messages for a disclosure entry (empty when it is valid)."""
    errors: dict[str, list[str]] = {}
    if decision not in DECISIONS:
        errors["decision"] = [f"One of: {', '.join(DECISIONS)}."]
    if consent not in CONSENTS:
        errors["consent"] = [f"One of: {', '.join(CONSENTS)}."]
    if lawful_basis not in LAWFUL_BASES:
        errors["lawful_basis"] = [f"One of: {'; '.join(LAWFUL_BASES)}."]
    for name, value, max_len in (
        ("what", what, MAX_WHAT),
        ("recipient", recipient, MAX_RECIPIENT),
        ("purpose", purpose, MAX_PURPOSE),
    ):
        problems = _text_errors(value, max_len)
        if problems:
            errors[name] = problems
    note = (consent_note or "").strip()
    if consent in NEEDS_NOTE and not note:
        errors["consent_note"] = [f"Required when consent is {consent}: say why."]
    elif len(note) > MAX_NOTE:
        errors["consent_note"] = [f"At most {MAX_NOTE} characters."]
    return errors


def record_disclosure(
    session: Session,
    actor_username: str,
    person_id: int,
    *,
    decision: str,
    what: str,
    recipient: str,
    purpose: str,
    lawful_basis: str,
    consent: str,
    consent_note: str | None = None,
) -> Disclosure:
    """Add one entry to the ledger (in the caller's transaction). The caller has checked the
    actor may see the person; `actor_username` is who decided, never taken from a request body."""
    errors = validate_disclosure(
        decision=decision,
        what=what,
        recipient=recipient,
        purpose=purpose,
        lawful_basis=lawful_basis,
        consent=consent,
        consent_note=consent_note,
    )
    if not (actor_username or "").strip() or len(actor_username) > MAX_DECIDED_BY:
        errors["decided_by"] = ["The deciding user is missing."]
    if errors:
        raise InvalidQuery(errors)
    if session.get(Person, person_id) is None:
        raise NotFound(f"no person {person_id}")
    entry = Disclosure(
        person_id=person_id,
        decision=decision,
        what=what.strip(),
        recipient=recipient.strip(),
        purpose=purpose.strip(),
        lawful_basis=lawful_basis,
        consent=consent,
        consent_note=(consent_note or "").strip() or None,
        decided_by=actor_username,
    )
    session.add(entry)
    session.flush()
    return entry


def disclosures_for(session: Session, person_id: int) -> list[Disclosure]:
    """The person's ledger in the order the decisions were made."""
    return list(
        session.scalars(
            select(Disclosure)
            .where(Disclosure.person_id == person_id)
            .order_by(Disclosure.decided_at, Disclosure.id)
        )
    )
