"""The audit trail on both databases: the database refuses edits, the chain finds the ones made
behind its back, concurrent writers keep one chain, readers never wait for the audit lock yet
every read ends up chained, and `mash audit verify` / `mash audit seal` say so."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from api import create_app
from hub import accounts, audit, identity
from hub.bus import make_bus
from hub.db import make_session_factory
from hub.models import AuditEvent, AuditInboxEntry, Person
from hub.settings import Settings
from tests.integration.stacks import Stack
from tests.unit.hub.test_audit import TAMPERING, append, append_reads, edit_detail, reads, verify

PG_TRIGGERS = ("audit_events_append_only_row", "audit_events_append_only_truncate")


def _database_only(name: str, engine: Engine) -> Stack:
    """The audit trail is the database's business: no broker in these tests."""
    url = engine.url.render_as_string(hide_password=False)
    settings = Settings.from_env({}, database_url=url)
    bus = make_bus(settings, engine)  # the embedded one: no Kafka bootstrap is set
    return Stack(name, settings, engine, make_session_factory(engine), bus, None)  # type: ignore[arg-type]


@pytest.fixture(params=["sqlite", "postgresql"])
def stack(request) -> Stack:
    engine = request.getfixturevalue("sqlite_engine" if request.param == "sqlite" else "pg")
    return _database_only(request.param, engine)


@pytest.fixture
def real(pg: Engine) -> Stack:
    """PostgreSQL only: its triggers are what these tests are about."""
    return _database_only("postgresql", pg)


@pytest.mark.parametrize("kind", TAMPERING)
def test_verify_finds_tampering(stack: Stack, kind):
    do, entry_id, words = TAMPERING[kind]
    append(stack.engine, 5)
    assert verify(stack.engine) == audit.VerifyResult(ok=True, count=5)
    do(stack.engine)
    result = verify(stack.engine)
    assert (result.ok, result.entry_id) == (False, entry_id), result
    assert words in (result.reason or ""), result


REFUSED = {
    "UPDATE": "UPDATE audit_events SET actor = 'someone else' WHERE id = 1",
    "DELETE": "DELETE FROM audit_events WHERE id = 1",
    "TRUNCATE": "TRUNCATE audit_events",
}


def test_the_database_refuses_to_change_the_trail(stack: Stack):
    append(stack.engine, 2)
    verbs = REFUSED if stack.engine.dialect.name == "postgresql" else ("UPDATE", "DELETE")
    for verb in verbs:
        refused = pytest.raises(DBAPIError, match=f"append-only: {verb} refused")
        with refused, stack.engine.begin() as connection:
            connection.execute(text(REFUSED[verb]))
    assert stack.count(AuditEvent) == 2
    assert verify(stack.engine) == audit.VerifyResult(ok=True, count=2)


def test_postgres_refuses_until_the_owner_disables_the_trigger(real: Stack):
    stack = real
    append(stack.engine, 2)
    for verb, trigger in (
        ("UPDATE", PG_TRIGGERS[0]),
        ("DELETE", PG_TRIGGERS[0]),
        ("TRUNCATE", PG_TRIGGERS[1]),
    ):
        with stack.engine.connect() as connection:
            connection.execute(text(f"ALTER TABLE audit_events DISABLE TRIGGER {trigger}"))
            assert connection.execute(text(REFUSED[verb])).rowcount in (1, -1), verb
            connection.rollback()  # the DDL too: the trigger is back on
        refused = pytest.raises(DBAPIError, match=f"append-only: {verb} refused")
        with refused, stack.engine.begin() as connection:
            connection.execute(text(REFUSED[verb]))
    assert verify(stack.engine) == audit.VerifyResult(ok=True, count=2)


def test_merges_are_chained_on_both_stacks(stack: Stack):
    with stack.sessions() as session, session.begin():
        persons = [Person() for _ in range(3)]
        session.add_all(persons)
        session.flush()
        first = identity.merge(session, persons[0].id, persons[1].id, "sw-1", "same child").id
        identity.merge(session, persons[0].id, persons[2].id, "sw-1", "same child")
        identity.unmerge(session, first, "sw-2")
    with stack.sessions() as session:
        actions = [entry["action"] for entry in audit.search(session)]
    assert actions == ["unmerge", "merge", "merge"]
    assert verify(stack.engine) == audit.VerifyResult(ok=True, count=3)


def test_concurrent_appends_on_postgres_keep_one_chain(pg: Engine):
    writers, each = 2, 200
    start = threading.Barrier(writers)
    failures: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            start.wait()
            for n in range(each):
                with Session(pg) as session, session.begin():
                    audit.record(
                        session,
                        actor=f"writer-{writer}",
                        role="system",
                        action="concurrency_test",
                        detail={"n": n},
                    )
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            failures.append(error)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    with Session(pg) as session:
        result = audit.verify(session, batch=50)
        actors = {entry["actor"] for entry in audit.search(session, limit=1000)}
    assert result == audit.VerifyResult(ok=True, count=writers * each)
    assert actors == {"writer-0", "writer-1"}


def _mash_audit_verify(
    stack: Stack, tmp_path, command: str = "verify"
) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MASH_")}
    env["MASH_DATA_DIR"] = str(tmp_path)
    env["MASH_DATABASE_URL"] = stack.engine.url.render_as_string(hide_password=False)
    return subprocess.run(
        [sys.executable, "-m", "hub.cli", "audit", command],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_mash_audit_verify_exits_1_at_the_broken_entry(stack: Stack, tmp_path):
    append(stack.engine, 4)
    intact = _mash_audit_verify(stack, tmp_path)
    assert intact.returncode == 0, intact.stderr
    assert "audit trail intact: 4 entries" in intact.stdout
    edit_detail(stack.engine, 3)
    broken = _mash_audit_verify(stack, tmp_path)
    assert broken.returncode == 1, broken.stderr
    assert "audit trail broken at entry 3: " in broken.stdout
    assert "edited" in broken.stdout


def test_mash_audit_verify_counts_unsealed_reads_and_mash_audit_seal_chains_them(
    stack: Stack, tmp_path
):
    append(stack.engine, 2)
    append_reads(stack.engine, 3)
    waiting = _mash_audit_verify(stack, tmp_path)
    assert waiting.returncode == 0, waiting.stderr
    assert "audit trail intact: 2 entries" in waiting.stdout
    assert "3 entries not yet sealed" in waiting.stdout
    sealed = _mash_audit_verify(stack, tmp_path, "seal")
    assert sealed.returncode == 0, sealed.stderr
    assert "sealed 3 entries" in sealed.stdout
    after = _mash_audit_verify(stack, tmp_path)
    assert "audit trail intact: 5 entries" in after.stdout
    assert "not yet sealed" not in after.stdout
    assert stack.count(AuditInboxEntry) == 0


def _holding_the_audit_lock(engine: Engine) -> Session:
    """A change in progress: a transaction that holds the audit lock until it ends."""
    holder = Session(engine)
    holder.begin()
    holder.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": audit.LOCK_KEY})
    with Session(engine) as other:
        taken = other.scalar(
            text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": audit.LOCK_KEY}
        )
        assert taken is False  # so a reader that asked for it would wait
    return holder


def _in_thread(work, seconds: float) -> tuple[bool, list]:
    """Run `work` in a thread; (finished within `seconds`, [its result or error])."""
    outcome: list = []

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=seconds)
    return not thread.is_alive(), outcome


def test_a_read_does_not_wait_while_a_change_holds_the_audit_lock(real: Stack):
    stack = real
    with stack.sessions() as session, session.begin():
        for name, role in (("reader", "mash_practitioner"), ("auditor", "auditor")):
            accounts.create_user(session, name, "correct horse battery staple", role, "E08000025")
        tokens = {name: accounts.issue_token(session, name) for name in ("reader", "auditor")}
    app = create_app(stack.settings, bus=stack.bus)
    client = app.test_client()
    bearer = {"Authorization": f"Bearer {tokens['reader']}"}
    holder = _holding_the_audit_lock(stack.engine)
    try:
        finished, outcome = _in_thread(
            lambda: client.get("/api/v1/persons?q=smith", headers=bearer).status_code, 5
        )
        assert finished, "the reader waited for the audit lock"
        assert outcome == [200]
        with stack.sessions() as session:
            waiting = session.scalars(select(AuditInboxEntry)).all()
            assert [(e.actor, e.action) for e in waiting] == [("reader", "search")]
            assert session.scalar(select(AuditEvent.id).limit(1)) is None
    finally:
        holder.rollback()
        holder.close()
    auditor = {"Authorization": f"Bearer {tokens['auditor']}"}
    response = client.get("/api/v1/audit", headers=auditor)
    assert response.status_code == 200
    assert [(e["id"], e["actor"], e["action"]) for e in response.get_json()["entries"]] == [
        (1, "reader", "search")
    ]
    assert stack.count(AuditInboxEntry) == 0  # the auditor's search sealed it
    assert verify(stack.engine) == audit.VerifyResult(ok=True, count=2)  # + the auditor's read
    app.extensions["mash"].engine.dispose()


def test_a_reader_seals_on_its_own_once_the_lock_is_free(real: Stack):
    holder = _holding_the_audit_lock(real.engine)

    def read(actor: str) -> None:
        with Session(real.engine) as session, session.begin():
            audit.append_reads(session, reads(2, actor))

    try:
        finished, outcome = _in_thread(lambda: read("early"), 5)
        assert finished, "the reader waited for the audit lock"
        assert outcome == [None]
    finally:
        holder.rollback()
        holder.close()
    assert verify(real.engine) == audit.VerifyResult(ok=True, count=0, unsealed=2)
    read("late")  # the early reads first, then its own
    with Session(real.engine) as session:
        chained = session.execute(
            select(AuditEvent.id, AuditEvent.actor).order_by(AuditEvent.id)
        ).all()
    assert [tuple(row) for row in chained] == [
        (1, "early"),
        (2, "early"),
        (3, "late"),
        (4, "late"),
    ]
    assert verify(real.engine) == audit.VerifyResult(ok=True, count=4)


def test_concurrent_readers_and_writers_lose_no_entry(stack: Stack):
    readers, writers, each = 8, 2, 20
    append(stack.engine, 3)
    start = threading.Barrier(readers + writers)
    failures: list[BaseException] = []

    def read(reader: int) -> None:
        try:
            start.wait()
            for n in range(each):
                with Session(stack.engine) as session, session.begin():
                    entry = {**reads(1, f"reader-{reader}")[0], "detail": {"n": n}}
                    audit.append_reads(session, [entry])
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            failures.append(error)

    def write(writer: int) -> None:
        try:
            start.wait()
            for n in range(each):
                with Session(stack.engine) as session, session.begin():
                    audit.record(
                        session,
                        actor=f"writer-{writer}",
                        role="system",
                        action="change",
                        detail={"n": n},
                    )
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            failures.append(error)

    threads = [threading.Thread(target=read, args=(r,)) for r in range(readers)]
    threads += [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    assert not any(thread.is_alive() for thread in threads)
    audit.seal_engine(stack.engine)
    total = 3 + (readers + writers) * each
    assert verify(stack.engine) == audit.VerifyResult(ok=True, count=total, unsealed=0)
    with Session(stack.engine) as session:
        rows = session.execute(
            select(AuditEvent.id, AuditEvent.actor, AuditEvent.detail).order_by(AuditEvent.id)
        ).all()
    assert [row.id for row in rows] == list(range(1, total + 1))
    seen = sorted((row.actor, row.detail["n"]) for row in rows[3:])
    expected = sorted(
        [(f"reader-{r}", n) for r in range(readers) for n in range(each)]
        + [(f"writer-{w}", n) for w in range(writers) for n in range(each)]
    )
    assert seen == expected  # every entry once: none lost, none sealed twice
