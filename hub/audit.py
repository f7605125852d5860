"""The audit trail: append-only and hash-chained, so an edit, a deletion or a reordering shows.

Each entry's `entry_hash` is SHA-256 over a canonical serialisation (sorted-key JSON tagged with
FORMAT) of its own fields plus `prev_hash`, the previous entry's hash (GENESIS for the first).
Ids are contiguous: entries get the next id under a lock (`record`, `seal`), so a gap means a
deletion. The database refuses UPDATE, DELETE (and on PostgreSQL TRUNCATE) on `audit_events`
through triggers (migration 0007); the chain catches whoever disables them first.

Two ways in. A change (a merge, a decision, a purge) calls `record` in its own transaction: it
takes the audit lock, waiting for it, and the entry is chained when the change commits. A read
(every GET of a case) must not queue behind that lock, so it calls `append_unsealed`: the entry
goes into `audit_inbox` with no lock, and `seal` later moves inbox entries into the chain in
inbox order, keeping the time of the read as `at`. Sealing happens in the reading request's own
transaction when the lock is free (the common case), else at the next request that finds it
free, the next change (`record` seals the inbox before its own entry), an auditor's `search`,
or `mash audit seal`. So the window is short, but be honest about it: until it is sealed an
entry is protected only by the inbox's refusal of UPDATE (migration 0011); someone with write
access to the database can DELETE an unsealed entry, and `verify` cannot tell. `verify` reports
how many entries are waiting.

What the chain cannot show on its own: removal of the newest entries, or a wholesale rewrite of
every hash from some point on. Keeping a copy of the latest `entry_hash` elsewhere closes that.

No personal data in an entry: callers put ids, counts and codes in `detail` (a person id, a
merge id, a decision), never names, dates of birth, addresses or free-text case notes. The trail
is kept for ever and cannot be corrected, so whatever goes in stays.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Engine, Select, delete, func, insert, select, text
from sqlalchemy.orm import Session

from hub.models import AuditEvent, AuditInboxEntry, utcnow

FORMAT = "v1"
GENESIS = "0" * 64
# pg_advisory_xact_lock key that serialises appends ("MASHAUDT" in ASCII).
LOCK_KEY = 0x4D41534841554454
MAX_PAGE = 1000
# Inbox entries sealed per statement.
SEAL_BATCH = 1000
# How far from its own id `verify` looks for the id an entry was written under (reordering).
REORDER_WINDOW = 16

_HASHED = (
    "id",
    "at",
    "actor",
    "role",
    "action",
    "subject_type",
    "subject_id",
    "detail",
    "remote_addr",
    "reason",
)


@dataclass(frozen=True)
class VerifyResult:
    """`count` is how many entries were found intact (all of them when `ok`); otherwise
    `entry_id` is where the chain breaks and `reason` says how, in words. `unsealed` is how
    many entries wait in the inbox, not yet in the chain (and so not checked)."""

    ok: bool
    count: int
    entry_id: int | None = None
    reason: str | None = None
    unsealed: int = 0


def iso_utc(at: dt.datetime) -> str:
    """SQLite hands datetimes back naive; they were written in UTC."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def compute_hash(fields: dict[str, Any], prev_hash: str) -> str:
    """SHA-256 of one entry: `fields` holds the names in _HASHED (`at` a datetime)."""
    body = {name: fields.get(name) for name in _HASHED}
    body["at"] = iso_utc(fields["at"])
    body["prev_hash"] = prev_hash
    body["format"] = FORMAT
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _as_json(detail: dict | None) -> dict:
    """What the database will hand back (tuples become lists, keys strings), so the hash
    computed now is the hash `verify` recomputes later."""
    return json.loads(json.dumps(detail or {}, allow_nan=False))


def _lock(session: Session, *, wait: bool = True) -> bool:
    """Take the audit lock until the transaction ends; False if `wait` is off and another
    transaction holds it."""
    if session.connection().dialect.name != "postgresql":
        # SQLite: every transaction begins IMMEDIATE (hub.db), so writers are already one at a
        # time; a writer that raced us anyway fails on the primary key instead.
        return True
    if wait:
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
        return True
    return bool(session.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": LOCK_KEY}))


def _entry(
    *,
    actor: str,
    role: str | None,
    action: str,
    subject_type: str | None = None,
    subject_id: str | None = None,
    detail: dict | None = None,
    remote_addr: str | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    """The fields of one entry but `id` and `at`, with `detail` as the database will hold it."""
    return {
        "actor": actor,
        "role": role,
        "action": action,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "detail": _as_json(detail),
        "remote_addr": remote_addr,
        "reason": reason,
    }


def _tail(session: Session) -> tuple[int, str]:
    """The id and hash of the newest sealed entry: (0, GENESIS) for an empty trail."""
    last = session.execute(
        select(AuditEvent.id, AuditEvent.entry_hash).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    return (last[0], last[1]) if last else (0, GENESIS)


def _sealed_tail(session: Session) -> tuple[int, str]:
    """Under the audit lock: seal the inbox, then give the chain's tail. When the inbox is
    empty (nearly always) that is one statement."""
    waiting = select(AuditInboxEntry.id).exists()
    last = session.execute(
        select(AuditEvent.id, AuditEvent.entry_hash, waiting.label("waiting"))
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    if last is None:  # an empty trail
        tail, inbox = (0, GENESIS), bool(session.scalar(select(waiting)))
    else:
        tail, inbox = (last.id, last.entry_hash), last.waiting
    return _seal_inbox(session, tail)[1] if inbox else tail


def _chain(entries: Iterable[dict], tail: tuple[int, str]) -> list[dict]:
    """Number `entries` (each with the _HASHED fields but `id`) on from `tail` and hash each
    onto the one before: rows for audit_events. Only under the audit lock."""
    rows, (last_id, prev_hash) = [], tail
    for entry in entries:
        last_id += 1
        fields = {**entry, "id": last_id}
        entry_hash = compute_hash(fields, prev_hash)
        rows.append({**fields, "prev_hash": prev_hash, "entry_hash": entry_hash})
        prev_hash = entry_hash
    return rows


def record(session: Session, **fields: Any) -> AuditEvent:
    """Append one entry (`fields`: the keyword arguments of `_entry`) to the chain in the
    caller's transaction (for changes: a change and its entry land together). On PostgreSQL
    this waits for the audit lock and holds it until that transaction ends, so keep it near
    the end of the unit of work. Whatever waits in the inbox is sealed first, so the trail
    stays close to time order."""
    entry = _entry(**fields)
    _lock(session)
    (row,) = _chain([{**entry, "at": utcnow()}], _sealed_tail(session))
    event = AuditEvent(**row)
    session.add(event)
    session.flush()
    return event


def append_unsealed(session: Session, entries: list[dict]) -> None:
    """Add entries (each the keyword arguments of `record`) to the inbox in the caller's
    transaction, with no lock: nobody waits. `at` is now. They join the chain when sealed."""
    if not entries:
        return
    rows = [{**_entry(**entry), "at": utcnow()} for entry in entries]
    session.connection().execute(insert(AuditInboxEntry.__table__), rows)


def append_reads(session: Session, entries: list[dict]) -> None:
    """Audit reads without waiting: straight onto the chain when the audit lock is free (the
    inbox sealed first), else into the inbox for the next sealer. Core statements, three in
    all when the lock is free: every read of a case pays for them."""
    if not entries:
        return
    if not _lock(session, wait=False):
        append_unsealed(session, entries)
        return
    now = utcnow()
    rows = _chain([{**_entry(**entry), "at": now} for entry in entries], _sealed_tail(session))
    session.connection().execute(insert(AuditEvent.__table__), rows)


def seal(session: Session, *, wait: bool) -> int:
    """Move the inbox into the chain in the caller's transaction, oldest first, each entry
    keeping its own `at`; how many were sealed. With `wait` off, give up at once (0) if another
    transaction holds the audit lock: it, or the next one to get the lock, will seal them.
    Entries of transactions not yet committed stay for a later seal."""
    if not _lock(session, wait=wait):
        return 0
    return _seal_inbox(session, _tail(session))[0]


def _seal_inbox(session: Session, tail: tuple[int, str]) -> tuple[int, tuple[int, str]]:
    """Under the audit lock: chain the inbox on from `tail`; how many, and the new tail."""
    columns = [getattr(AuditInboxEntry, name) for name in _HASHED if name != "id"]
    sealed = 0
    while True:
        batch = session.execute(
            select(AuditInboxEntry.id, *columns).order_by(AuditInboxEntry.id).limit(SEAL_BATCH)
        ).all()
        if not batch:
            return sealed, tail
        entries = [dict(row._mapping) for row in batch]
        inbox_ids = [entry.pop("id") for entry in entries]
        rows = _chain(entries, tail)
        session.execute(insert(AuditEvent), rows)
        # By id, never by range: an entry committed meanwhile with a lower id is not sealed yet.
        session.execute(delete(AuditInboxEntry).where(AuditInboxEntry.id.in_(inbox_ids)))
        sealed += len(rows)
        tail = (rows[-1]["id"], rows[-1]["entry_hash"])
        if len(batch) < SEAL_BATCH:  # what arrives meanwhile waits for the next seal
            return sealed, tail


def unsealed(session: Session) -> int:
    """How many entries wait in the inbox (committed ones, and the caller's own)."""
    return session.scalar(select(func.count()).select_from(AuditInboxEntry)) or 0


def verify(session: Session, batch: int = 1000) -> VerifyResult:
    """Walk the chain in id order and report the first problem found, and how many entries
    wait unsealed in the inbox (which the chain does not protect yet)."""
    columns = [getattr(AuditEvent, name) for name in _HASHED]
    rows = session.execute(
        select(*columns, AuditEvent.prev_hash, AuditEvent.entry_hash)
        .order_by(AuditEvent.id)
        .execution_options(yield_per=batch)
    )
    result = check_chain(row._mapping for row in rows)
    return replace(result, unsealed=unsealed(session))


def check_chain(entries: Iterable[Any]) -> VerifyResult:
    """The checks of `verify` over mappings with the _HASHED fields, prev_hash and entry_hash."""
    count, prev_id, prev_hash = 0, 0, GENESIS
    for entry in entries:
        problem = _problem(entry, prev_id, prev_hash)
        if problem is not None:
            broken_at, reason = problem
            return VerifyResult(False, count, broken_at, reason)
        count, prev_id, prev_hash = count + 1, entry["id"], entry["entry_hash"]
    return VerifyResult(True, count)


def _problem(entry: Any, prev_id: int, prev_hash: str) -> tuple[int, str] | None:
    entry_id = entry["id"]
    if entry_id != prev_id + 1:
        missing = (
            f"entry {prev_id + 1} is missing"
            if entry_id == prev_id + 2
            else f"entries {prev_id + 1} to {entry_id - 1} are missing"
        )
        after = f"entry {prev_id}" if prev_id else "the start of the trail"
        return prev_id + 1, f"{missing} (deleted): entry {entry_id} follows {after}"
    fields = dict(entry)
    if compute_hash(fields, entry["prev_hash"]) != entry["entry_hash"]:
        written_as = _written_as(fields, entry["prev_hash"], entry["entry_hash"])
        if written_as is not None:
            return entry_id, (
                f"it holds what was written as entry {written_as}: entries were reordered"
            )
        return entry_id, "its contents do not match its hash: the entry was edited"
    if entry["prev_hash"] != prev_hash:
        if prev_id == 0:
            return entry_id, "the first entry does not start the chain: it was rewritten"
        return prev_id, (
            f"its hash is not the one entry {entry_id} chained to: entry {prev_id} was "
            "rewritten (its hash recomputed), or replaced"
        )
    return None


def _written_as(fields: dict, prev_hash: str, entry_hash: str) -> int | None:
    here = fields["id"]
    for other in range(max(1, here - REORDER_WINDOW), here + REORDER_WINDOW + 1):
        if other != here and compute_hash({**fields, "id": other}, prev_hash) == entry_hash:
            return other
    return None


def search(
    session: Session,
    *,
    actor: str | None = None,
    action: str | None = None,
    subject_type: str | None = None,
    subject_id: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int = 100,
    before_id: int | None = None,
) -> list[dict]:
    """Entries newest first, as plain JSON-ready dicts (`at` an ISO-8601 UTC string; keys: id,
    at, actor, role, action, subject_type, subject_id, detail, remote_addr, reason, prev_hash,
    entry_hash). `since` is inclusive, `until` exclusive; `limit` is capped at MAX_PAGE. For the
    next page pass `before_id` = the last id of this one.

    The inbox is sealed first (waiting for the audit lock), so an auditor sees every read
    committed so far, chained. That is a write in the caller's transaction: commit it (the API
    searches inside `session.begin()`); a caller that does not only sees the entries."""
    seal(session, wait=True)
    statement: Select = select(AuditEvent)
    for column, value in (
        (AuditEvent.actor, actor),
        (AuditEvent.action, action),
        (AuditEvent.subject_type, subject_type),
        (AuditEvent.subject_id, subject_id),
    ):
        if value is not None:
            statement = statement.where(column == value)
    if since is not None:
        statement = statement.where(AuditEvent.at >= _utc(since))
    if until is not None:
        statement = statement.where(AuditEvent.at < _utc(until))
    if before_id is not None:
        statement = statement.where(AuditEvent.id < before_id)
    statement = statement.order_by(AuditEvent.id.desc()).limit(max(1, min(limit, MAX_PAGE)))
    return [as_dict(event) for event in session.scalars(statement)]


def _utc(at: dt.datetime) -> dt.datetime:
    """SQLite compares datetimes as text, so every bound must be in UTC like the stored ones."""
    return at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at.astimezone(dt.UTC)


def as_dict(event: AuditEvent) -> dict:
    entry = {name: getattr(event, name) for name in _HASHED}
    entry["at"] = iso_utc(event.at)
    entry["prev_hash"], entry["entry_hash"] = event.prev_hash, event.entry_hash
    return entry


def verify_engine(engine: Engine) -> VerifyResult:
    with Session(engine) as session:
        return verify(session)


def seal_engine(engine: Engine) -> int:
    """Seal the whole inbox in a transaction of its own, waiting for the lock if need be."""
    with Session(engine) as session, session.begin():
        return seal(session, wait=True)
