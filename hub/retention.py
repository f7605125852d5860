"""Retention: how long each kind of record is kept, legal holds, and the purge that applies both.

A person's case data goes once every concern about them is older than the concern retention
(by when it happened) and no legal hold is open on them. What goes is everything that says who
they are or what happened to them: concerns and their revisions, the agencies' source records
(names, dates of birth, identifiers, addresses), links, blocking keys, review tasks, declared
relationships, household memberships (and households left with no one in them), break-glass
grants, the sharing ledger and released holds. The `persons` row stays as an empty tombstone so
that the ids in the audit trail, merges and other people's links still resolve.

Dead letters and the embedded bus's messages carry whole payloads and go after their own,
much shorter, retention (like a Kafka topic's `retention.ms`).

The periods are read from the environment in one place, `RetentionPolicy.from_env`; an
unreadable value is an error rather than a silent default, because a typo must never purge.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import Delete, and_, delete, exists, func, or_, select
from sqlalchemy.orm import Session

from hub import audit
from hub.errors import Conflict, InvalidQuery, NotFound
from hub.models import (
    BlockingKey,
    BreakGlassGrant,
    BusMessage,
    Concern,
    ConcernRevision,
    DeadLetter,
    DeclaredRelationship,
    Disclosure,
    Household,
    HouseholdMembership,
    LegalHold,
    Link,
    Person,
    ReviewTask,
    SourceAddress,
    SourceRecord,
    utcnow,
)
from hub.records import current_person_id

# Children's records: 25 years (a child's record is kept until well into adulthood).
DEFAULT_CONCERNS_DAYS = 9131
DEFAULT_DEAD_LETTERS_DAYS = 90
DEFAULT_BUS_MESSAGES_DAYS = 30
MAX_REASON = 4000
ACTOR = "retention"
ROLE = "system"


@dataclass(frozen=True)
class RetentionPolicy:
    """How many days each kind of record is kept."""

    concerns_days: int = DEFAULT_CONCERNS_DAYS
    dead_letters_days: int = DEFAULT_DEAD_LETTERS_DAYS
    bus_messages_days: int = DEFAULT_BUS_MESSAGES_DAYS

    ENV = {
        "concerns_days": "MASH_RETAIN_CONCERNS_DAYS",
        "dead_letters_days": "MASH_RETAIN_DEAD_LETTERS_DAYS",
        "bus_messages_days": "MASH_RETAIN_BUS_MESSAGES_DAYS",
    }

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> RetentionPolicy:
        """The policy from MASH_RETAIN_*_DAYS (defaults when unset or empty). Raises ValueError
        naming the variable when a value is not a whole number of days, at least 1."""
        env = os.environ if env is None else env
        values = {}
        for name, variable in cls.ENV.items():
            raw = (env.get(variable) or "").strip()
            if not raw:
                continue
            try:
                days = int(raw)
            except ValueError:
                raise ValueError(f"{variable} must be a whole number of days") from None
            if days < 1:
                raise ValueError(f"{variable} must be at least 1 day")
            values[name] = days
        return cls(**values)

    def cutoff(self, days: int, now: dt.datetime) -> dt.datetime:
        """Records from before this moment (UTC: SQLite compares times as text) are expired."""
        return now.astimezone(dt.UTC) - dt.timedelta(days=days)


@dataclass
class PurgeReport:
    """What a purge removed (or, for a dry run, would remove): per-table totals over all
    purged persons, the purged person ids, and how many expired persons a hold kept."""

    dry_run: bool
    persons: list[int] = field(default_factory=list)
    held: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    dead_letters: int = 0
    bus_messages: int = 0

    def add(self, counts: Mapping[str, int]) -> None:
        for table, count in counts.items():
            self.rows[table] = self.rows.get(table, 0) + count


# --- legal holds ---------------------------------------------------------------------------


def place_hold(session: Session, person_id: int, reason: str, by: str) -> LegalHold:
    """Hold the person's records (at their current id, after merges) out of every purge."""
    text = (reason or "").strip()
    if not text or len(text) > MAX_REASON:
        raise InvalidQuery({"reason": [f"Say why, in 1 to {MAX_REASON} characters."]})
    if session.get(Person, person_id) is None:
        raise NotFound(f"no person {person_id}")
    hold = LegalHold(person_id=current_person_id(session, person_id), reason=text, placed_by=by)
    session.add(hold)
    session.flush()
    return hold


def release_hold(session: Session, hold_id: int, by: str) -> LegalHold:
    hold = session.get(LegalHold, hold_id)
    if hold is None:
        raise NotFound(f"no legal hold {hold_id}")
    if hold.released_at is not None:
        raise Conflict(f"legal hold {hold_id} was already released")
    hold.released_by, hold.released_at = by, utcnow()
    session.flush()
    return hold


def holds_for(session: Session, person_id: int) -> list[LegalHold]:
    """Every hold on the person, open and released, oldest first."""
    return list(
        session.scalars(
            select(LegalHold)
            .where(LegalHold.person_id == person_id)
            .order_by(LegalHold.placed_at, LegalHold.id)
        )
    )


def _held_persons(session: Session) -> set[int]:
    """Current ids of persons under an open hold (a hold placed before a merge follows the
    records to the surviving person)."""
    placed = session.scalars(select(LegalHold.person_id).where(LegalHold.released_at.is_(None)))
    return {current_person_id(session, person_id) for person_id in set(placed)}


# --- the purge -----------------------------------------------------------------------------


def _expired_persons(session: Session, before: dt.datetime) -> list[int]:
    """Persons with concerns, all of which happened before `before`."""
    return list(
        session.scalars(
            select(Concern.person_id)
            .group_by(Concern.person_id)
            .having(func.max(Concern.occurred_at) < before)
            .order_by(Concern.person_id)
        )
    )


def _still_expired(session: Session, person_id: int, before: dt.datetime) -> bool:
    """Re-checked under a row lock on the person: on PostgreSQL a concern or hold written for
    them meanwhile either committed first (and is seen here) or waits for this transaction."""
    session.execute(select(Person.id).where(Person.id == person_id).with_for_update())
    latest = session.scalar(
        select(func.max(Concern.occurred_at)).where(Concern.person_id == person_id)
    )
    open_hold = session.scalar(
        select(exists().where(LegalHold.person_id == person_id, LegalHold.released_at.is_(None)))
    )
    return latest is not None and _utc(latest) < before and not open_hold


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment


def _steps(person_id: int, records: list[int], households: list[int]) -> list[tuple[str, Delete]]:
    """The person's rows, children before parents (foreign keys hold at every step)."""
    of_records = SourceRecord.id.in_(records)
    concerns = select(Concern.id).where(
        or_(Concern.person_id == person_id, Concern.source_record_id.in_(records))
    )
    empty_household = and_(
        Household.id.in_(households),
        ~exists().where(
            HouseholdMembership.household_id == Household.id,
            HouseholdMembership.person_id != person_id,
        ),
    )
    return [
        (
            "concern_revisions",
            delete(ConcernRevision).where(
                or_(
                    ConcernRevision.concern_id.in_(concerns),
                    ConcernRevision.source_record_id.in_(records),
                )
            ),
        ),
        (
            "concerns",
            delete(Concern).where(
                or_(Concern.person_id == person_id, Concern.source_record_id.in_(records))
            ),
        ),
        (
            "review_tasks",
            delete(ReviewTask).where(
                or_(
                    ReviewTask.source_record_id.in_(records),
                    ReviewTask.candidate_person_id == person_id,
                )
            ),
        ),
        (
            "declared_relationships",
            delete(DeclaredRelationship).where(DeclaredRelationship.source_record_id.in_(records)),
        ),
        ("blocking_keys", delete(BlockingKey).where(BlockingKey.source_record_id.in_(records))),
        (
            "source_addresses",
            delete(SourceAddress).where(SourceAddress.source_record_id.in_(records)),
        ),
        (
            "household_memberships",
            delete(HouseholdMembership).where(HouseholdMembership.person_id == person_id),
        ),
        ("households", delete(Household).where(empty_household)),
        (
            "break_glass_grants",
            delete(BreakGlassGrant).where(BreakGlassGrant.person_id == person_id),
        ),
        ("disclosures", delete(Disclosure).where(Disclosure.person_id == person_id)),
        ("legal_holds", delete(LegalHold).where(LegalHold.person_id == person_id)),
        (
            "links",
            delete(Link).where(
                or_(Link.person_id == person_id, Link.source_record_id.in_(records))
            ),
        ),
        ("source_records", delete(SourceRecord).where(of_records)),
    ]


def _run(session: Session, statement: Delete, dry_run: bool) -> int:
    """Remove the rows (set-based, no ORM objects) or, for a dry run, count them."""
    if dry_run:
        query = select(func.count()).select_from(statement.table)
        if statement.whereclause is not None:
            query = query.where(statement.whereclause)
        return session.scalar(query) or 0
    result = session.execute(statement, execution_options={"synchronize_session": False})
    return result.rowcount or 0  # type: ignore[attr-defined]


def _purge_person(session: Session, person_id: int, dry_run: bool) -> dict[str, int]:
    """Remove (or count) one person's rows; returns rows per table."""
    records = list(
        session.scalars(select(Link.source_record_id).where(Link.person_id == person_id))
    )
    households = list(
        session.scalars(
            select(HouseholdMembership.household_id)
            .where(HouseholdMembership.person_id == person_id)
            .distinct()
        )
    )
    return {
        table: _run(session, statement, dry_run)
        for table, statement in _steps(person_id, records, households)
    }


def _purge_messages(
    session: Session, policy: RetentionPolicy, now: dt.datetime, dry_run: bool
) -> tuple[int, int]:
    dead_letters = delete(DeadLetter).where(
        DeadLetter.received_at < policy.cutoff(policy.dead_letters_days, now)
    )
    bus_messages = delete(BusMessage).where(
        BusMessage.published_at < policy.cutoff(policy.bus_messages_days, now)
    )
    return _run(session, dead_letters, dry_run), _run(session, bus_messages, dry_run)


def purge(
    session: Session,
    policy: RetentionPolicy,
    now: dt.datetime | None = None,
    dry_run: bool = False,
) -> PurgeReport:
    """Remove expired personal data in the caller's transaction (the caller commits). Each
    purged person gets one audit entry with row counts per table (ids and counts only), and
    the run one more with the expired messages' counts; they are written last, because on
    PostgreSQL the audit lock is held until the transaction ends. A dry run changes nothing
    and writes nothing."""
    now = now or utcnow()
    before = policy.cutoff(policy.concerns_days, now)
    report = PurgeReport(dry_run=dry_run)
    held = _held_persons(session)
    purged: list[tuple[int, dict[str, int]]] = []
    for person_id in _expired_persons(session, before):
        if person_id in held:
            report.held += 1
            continue
        if not dry_run and not _still_expired(session, person_id, before):
            continue
        counts = _purge_person(session, person_id, dry_run)
        purged.append((person_id, counts))
        report.persons.append(person_id)
        report.add(counts)
    report.dead_letters, report.bus_messages = _purge_messages(session, policy, now, dry_run)
    if not dry_run:
        _audit(session, policy, report, purged)
    return report


def _audit(
    session: Session,
    policy: RetentionPolicy,
    report: PurgeReport,
    purged: list[tuple[int, dict[str, int]]],
) -> None:
    for person_id, counts in purged:
        audit.record(
            session,
            actor=ACTOR,
            role=ROLE,
            action="retention_purge",
            subject_type="person",
            subject_id=str(person_id),
            detail={"rows": counts, "concerns_days": policy.concerns_days},
        )
    audit.record(
        session,
        actor=ACTOR,
        role=ROLE,
        action="retention_purge",
        subject_type="messages",
        detail={
            "dead_letters": report.dead_letters,
            "bus_messages": report.bus_messages,
            "dead_letters_days": policy.dead_letters_days,
            "bus_messages_days": policy.bus_messages_days,
            "persons": len(report.persons),
            "held": report.held,
        },
    )
