"""The audit trail on both databases: the database refuses edits, the chain finds the ones made
behind its back, concurrent writers keep one chain, and `mash audit verify` says so."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from hub import audit, identity
from hub.bus import make_bus
from hub.db import make_session_factory
from hub.models import AuditEvent, Person
from hub.settings import Settings
from tests.integration.stacks import Stack
from tests.unit.hub.test_audit import TAMPERING, append, edit_detail, verify

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


def _mash_audit_verify(stack: Stack, tmp_path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MASH_")}
    env["MASH_DATA_DIR"] = str(tmp_path)
    env["MASH_DATABASE_URL"] = stack.engine.url.render_as_string(hide_password=False)
    return subprocess.run(
        [sys.executable, "-m", "hub.cli", "audit", "verify"],
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
