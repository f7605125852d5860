"""The audit trail is append-only at the database and hash-chained, so tampering shows (SQLite)."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic import command
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from hub import audit, identity
from hub.migrate import alembic_config, upgrade
from hub.models import AuditEvent, AuditInboxEntry, Person

SQLITE_TRIGGERS = ("audit_events_no_update", "audit_events_no_delete")


def append(engine: Engine, count: int, **fields) -> list[int]:
    ids = []
    for n in range(count):
        with Session(engine) as session, session.begin():
            event = audit.record(
                session,
                actor=fields.get("actor", f"sw-{n % 3}"),
                role=fields.get("role", "social_worker"),
                action=fields.get("action", "view_person"),
                subject_type="person",
                subject_id=str(100 + n),
                detail={"n": n},
                remote_addr="10.0.0.1",
                reason=None,
            )
            ids.append(event.id)
    return ids


def verify(engine: Engine) -> audit.VerifyResult:
    with Session(engine) as session:
        return audit.verify(session, batch=2)


def tamper(engine: Engine, *statements: tuple[str, dict]) -> None:
    """What a DBA with the table owner's rights could do: lift the triggers, then write."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
        else:
            for name in SQLITE_TRIGGERS:
                connection.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
        for sql, params in statements:
            connection.execute(text(sql), params)
        if engine.dialect.name == "postgresql":
            connection.execute(text("ALTER TABLE audit_events ENABLE TRIGGER USER"))


def edit_detail(engine: Engine, entry_id: int) -> None:
    sql = "UPDATE audit_events SET detail = :detail WHERE id = :id"
    tamper(engine, (sql, {"detail": '{"n": 999}', "id": entry_id}))


def delete(engine: Engine, entry_id: int) -> None:
    tamper(engine, ("DELETE FROM audit_events WHERE id = :id", {"id": entry_id}))


def swap(engine: Engine, a: int, b: int) -> None:
    sql = "UPDATE audit_events SET id = :new WHERE id = :old"
    tamper(
        engine,
        (sql, {"old": a, "new": -1}),
        (sql, {"old": b, "new": a}),
        (sql, {"old": -1, "new": b}),
    )


def edit_and_rehash(engine: Engine, entry_id: int) -> None:
    """Edit an entry and recompute its own hash, but leave the next entry's prev_hash alone."""
    with Session(engine) as session:
        event = session.get(AuditEvent, entry_id)
        assert event is not None
        fields = {**audit.as_dict(event), "at": event.at, "detail": {"n": 999}}
        new_hash = audit.compute_hash(fields, event.prev_hash)
    sql = "UPDATE audit_events SET detail = :detail, entry_hash = :hash WHERE id = :id"
    tamper(engine, (sql, {"detail": '{"n": 999}', "hash": new_hash, "id": entry_id}))


TAMPERING = {
    # kind: (do it to a trail of 5, entry reported, words in the reason)
    "edit": (lambda e: edit_detail(e, 3), 3, "edited"),
    "delete_middle": (lambda e: delete(e, 3), 3, "entry 3 is missing (deleted)"),
    "delete_first": (lambda e: delete(e, 1), 1, "entry 1 is missing"),
    "delete_two": (lambda e: tamper(e, ("DELETE FROM audit_events WHERE id IN (2, 3)", {})), 2,
                   "entries 2 to 3 are missing"),
    "reorder": (lambda e: swap(e, 2, 4), 2, "written as entry 4: entries were reordered"),
    "rehash": (lambda e: edit_and_rehash(e, 3), 3, "entry 3 was rewritten"),
    "rehash_first": (lambda e: edit_and_rehash(e, 1), 1, "rewritten"),
}  # fmt: skip


def test_entries_chain_in_id_order_from_genesis(sqlite_engine):
    ids = append(sqlite_engine, 5)
    assert ids == [1, 2, 3, 4, 5]
    with Session(sqlite_engine) as session:
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert events[0].prev_hash == audit.GENESIS
    for before, after in zip(events, events[1:], strict=False):
        assert after.prev_hash == before.entry_hash
    assert len({e.entry_hash for e in events}) == 5
    assert verify(sqlite_engine) == audit.VerifyResult(ok=True, count=5)


def test_an_empty_trail_is_intact():
    assert audit.check_chain([]) == audit.VerifyResult(ok=True, count=0)


def test_the_hash_covers_every_field_and_the_link():
    fields = {
        "id": 7,
        "at": dt.datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=dt.UTC),
        "actor": "sw-1",
        "role": "social_worker",
        "action": "merge",
        "subject_type": "person",
        "subject_id": "42",
        "detail": {"b": 1, "a": [1, 2]},
        "remote_addr": "10.0.0.1",
        "reason": "s47 enquiry",
    }
    base = audit.compute_hash(fields, audit.GENESIS)
    assert base == audit.compute_hash({**fields, "detail": {"a": [1, 2], "b": 1}}, audit.GENESIS)
    naive = fields["at"].replace(tzinfo=None)
    assert base == audit.compute_hash({**fields, "at": naive}, audit.GENESIS)
    for name, other in [
        ("id", 8),
        ("at", fields["at"] + dt.timedelta(microseconds=1)),
        ("actor", "sw-2"),
        ("role", None),
        ("action", "unmerge"),
        ("subject_type", "household"),
        ("subject_id", "43"),
        ("detail", {"b": 2, "a": [1, 2]}),
        ("remote_addr", "10.0.0.2"),
        ("reason", None),
    ]:
        assert audit.compute_hash({**fields, name: other}, audit.GENESIS) != base, name
    assert audit.compute_hash(fields, "1" * 64) != base


def test_the_database_refuses_update_and_delete(sqlite_engine):
    append(sqlite_engine, 2)
    for sql in ("UPDATE audit_events SET actor = 'someone else'", "DELETE FROM audit_events"):
        with pytest.raises(DBAPIError, match="append-only"), sqlite_engine.begin() as c:
            c.execute(text(sql))
    with pytest.raises(DBAPIError, match="append-only"), Session(sqlite_engine) as session:
        session.get(AuditEvent, 1).detail = {"n": 5}  # type: ignore[union-attr]
        session.commit()
    assert verify(sqlite_engine) == audit.VerifyResult(ok=True, count=2)


@pytest.mark.parametrize("kind", TAMPERING)
def test_verify_reports_the_first_tampered_entry(sqlite_engine, kind):
    do, entry_id, words = TAMPERING[kind]
    append(sqlite_engine, 5)
    do(sqlite_engine)
    result = verify(sqlite_engine)
    assert not result.ok
    assert result.entry_id == entry_id, result
    assert words in (result.reason or ""), result


def test_the_first_problem_is_reported_and_the_count_is_what_was_intact(sqlite_engine):
    append(sqlite_engine, 6)
    edit_detail(sqlite_engine, 5)
    delete(sqlite_engine, 3)
    result = verify(sqlite_engine)
    assert (result.ok, result.count, result.entry_id) == (False, 2, 3)


def test_appends_after_tampering_do_not_heal_the_chain(sqlite_engine):
    append(sqlite_engine, 3)
    edit_detail(sqlite_engine, 2)
    append(sqlite_engine, 2)
    assert verify(sqlite_engine).entry_id == 2


def test_detail_is_stored_as_the_json_it_was_hashed_as(sqlite_engine):
    with Session(sqlite_engine) as session, session.begin():
        event = audit.record(
            session, actor="sw", role=None, action="export", detail={"ids": (1, 2), 3: 0.1}
        )
        assert event.detail == {"ids": [1, 2], "3": 0.1}
    assert verify(sqlite_engine).ok
    with pytest.raises(ValueError), Session(sqlite_engine) as session:
        audit.record(session, actor="sw", role=None, action="x", detail={"v": float("nan")})


def test_search_filters_newest_first_and_pages(sqlite_engine):
    append(sqlite_engine, 4, actor="sw-1", action="view_person")
    append(sqlite_engine, 3, actor="sw-2", action="export")
    with Session(sqlite_engine) as session:
        everything = audit.search(session)
        page = audit.search(session, actor="sw-1", limit=3)
        rest = audit.search(session, actor="sw-1", limit=3, before_id=page[-1]["id"])
        exports = audit.search(session, action="export", subject_id="101")
        nothing = audit.search(session, since=dt.datetime.now(dt.UTC) + dt.timedelta(hours=1))
        until = audit.search(session, until=dt.datetime.now(dt.UTC) + dt.timedelta(hours=1))
        local = dt.timezone(dt.timedelta(hours=5))
        since_local = audit.search(session, since=dt.datetime.now(local) - dt.timedelta(hours=1))
    assert [e["id"] for e in everything] == [7, 6, 5, 4, 3, 2, 1]
    assert [e["id"] for e in page] == [4, 3, 2] and [e["id"] for e in rest] == [1]
    assert [(e["id"], e["actor"], e["action"]) for e in exports] == [(6, "sw-2", "export")]
    assert nothing == [] and len(until) == 7 and len(since_local) == 7
    first = everything[-1]
    assert first["at"].endswith("Z") and first["detail"] == {"n": 0}
    assert first["role"] == "social_worker" and first["remote_addr"] == "10.0.0.1"
    assert first["prev_hash"] == audit.GENESIS and len(first["entry_hash"]) == 64


def test_merges_and_unmerges_are_chained_entries(sqlite_engine):
    with Session(sqlite_engine) as session, session.begin():
        survivor, merged = Person(), Person()
        session.add_all([survivor, merged])
        session.flush()
        merge_id = identity.merge(session, survivor.id, merged.id, "sw-1", "same child").id
        identity.unmerge(session, merge_id, "sw-2")
    with Session(sqlite_engine) as session:
        entries = audit.search(session)
    assert [(e["action"], e["actor"], e["role"]) for e in entries] == [
        ("unmerge", "sw-2", None),
        ("merge", "sw-1", None),
    ]
    assert entries[1]["detail"]["merge_id"] == merge_id
    assert entries[1]["subject_type"] == "person"
    assert verify(sqlite_engine) == audit.VerifyResult(ok=True, count=2)


def _migrate(engine: Engine, direction, revision: str) -> None:
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        direction(config, revision)


def test_the_migration_chains_existing_entries_and_closes_gaps(tmp_path):
    from hub.db import make_engine
    from hub.settings import Settings

    engine = make_engine(Settings.from_env({}, database_url=f"sqlite:///{tmp_path / 'h.db'}"))
    _migrate(engine, command.upgrade, "0006")
    insert = text(
        "INSERT INTO audit_events (id, at, actor, action, subject_type, subject_id, detail) "
        "VALUES (:id, '2026-01-01 09:00:00.000000', 'sw', 'merge', 'person', '1', '{\"m\": 1}')"
    )
    with engine.begin() as connection:
        for legacy_id in (4, 9, 10):  # gaps left by rolled-back transactions
            connection.execute(insert, {"id": legacy_id})
    upgrade(engine)
    with Session(engine) as session:
        assert [e["id"] for e in audit.search(session)] == [3, 2, 1]
    assert verify(engine) == audit.VerifyResult(ok=True, count=3)
    append(engine, 1)
    assert verify(engine) == audit.VerifyResult(ok=True, count=4)

    _migrate(engine, command.downgrade, "0006")
    with engine.begin() as connection:
        connection.execute(text("UPDATE audit_events SET actor = 'fine before 0007'"))
        connection.execute(text("DELETE FROM audit_events WHERE id = 4"))
    _migrate(engine, command.upgrade, "head")
    assert verify(engine) == audit.VerifyResult(ok=True, count=3)
    engine.dispose()


def reads(count: int, actor: str = "reader") -> list[dict]:
    """Entries of audited reads, as `api.auth` hands them to `append_unsealed`."""
    return [
        {
            "actor": actor,
            "role": "social_worker",
            "action": "read_timeline",
            "subject_type": "person",
            "subject_id": str(200 + n),
            "detail": {"page": n},
            "remote_addr": "10.0.0.2",
            "reason": None,
        }
        for n in range(count)
    ]


def append_reads(engine: Engine, count: int, actor: str = "reader") -> None:
    with Session(engine) as session, session.begin():
        audit.append_unsealed(session, reads(count, actor))


def inbox(engine: Engine) -> list[AuditInboxEntry]:
    with Session(engine) as session:
        return list(session.scalars(select(AuditInboxEntry).order_by(AuditInboxEntry.id)))


def chain(engine: Engine) -> list[AuditEvent]:
    with Session(engine) as session:
        return list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def seal(engine: Engine, wait: bool = True) -> int:
    with Session(engine) as session, session.begin():
        return audit.seal(session, wait=wait)


def test_unsealed_reads_wait_in_the_inbox_and_verify_counts_them(sqlite_engine):
    append(sqlite_engine, 2)
    append_reads(sqlite_engine, 3)
    assert verify(sqlite_engine) == audit.VerifyResult(ok=True, count=2, unsealed=3)
    assert [e.subject_id for e in inbox(sqlite_engine)] == ["200", "201", "202"]
    assert len(chain(sqlite_engine)) == 2


def test_seal_chains_the_inbox_in_order_keeping_the_time_of_the_read(sqlite_engine):
    append(sqlite_engine, 2)
    append_reads(sqlite_engine, 3, actor="first")
    append_reads(sqlite_engine, 2, actor="second")
    read_at = [audit.iso_utc(e.at) for e in inbox(sqlite_engine)]
    assert seal(sqlite_engine) == 5
    events = chain(sqlite_engine)
    assert [e.id for e in events] == [1, 2, 3, 4, 5, 6, 7]
    sealed = events[2:]
    assert [(e.actor, e.subject_id) for e in sealed] == [
        ("first", "200"),
        ("first", "201"),
        ("first", "202"),
        ("second", "200"),
        ("second", "201"),
    ]
    assert [audit.iso_utc(e.at) for e in sealed] == read_at
    assert sealed[0].detail == {"page": 0} and sealed[0].remote_addr == "10.0.0.2"
    assert sealed[0].prev_hash == events[1].entry_hash
    assert inbox(sqlite_engine) == []
    assert verify(sqlite_engine) == audit.VerifyResult(ok=True, count=7, unsealed=0)
    assert seal(sqlite_engine) == 0
    assert len(chain(sqlite_engine)) == 7


def test_seal_works_through_the_inbox_in_batches(sqlite_engine, monkeypatch):
    monkeypatch.setattr(audit, "SEAL_BATCH", 2)
    append_reads(sqlite_engine, 5)
    assert seal(sqlite_engine) == 5
    assert [(e.id, e.subject_id) for e in chain(sqlite_engine)] == [
        (n + 1, str(200 + n)) for n in range(5)
    ]
    assert verify(sqlite_engine) == audit.VerifyResult(ok=True, count=5)


def test_a_tampered_sealed_read_is_found_like_any_entry(sqlite_engine):
    append_reads(sqlite_engine, 4)
    seal(sqlite_engine)
    edit_detail(sqlite_engine, 3)
    result = verify(sqlite_engine)
    assert (result.ok, result.entry_id) == (False, 3) and "edited" in (result.reason or "")


def test_a_change_seals_the_waiting_reads_before_its_own_entry(sqlite_engine):
    append(sqlite_engine, 1)
    append_reads(sqlite_engine, 2)
    with Session(sqlite_engine) as session, session.begin():
        survivor, merged = Person(), Person()
        session.add_all([survivor, merged])
        session.flush()
        merge_id = identity.merge(session, survivor.id, merged.id, "sw-1", "same child").id
    assert [(e.id, e.action) for e in chain(sqlite_engine)] == [
        (1, "view_person"),
        (2, "read_timeline"),
        (3, "read_timeline"),
        (4, "merge"),
    ]
    assert chain(sqlite_engine)[3].detail["merge_id"] == merge_id
    assert inbox(sqlite_engine) == []
    assert verify(sqlite_engine) == audit.VerifyResult(ok=True, count=4)


def test_a_change_rolled_back_leaves_the_reads_waiting(sqlite_engine):
    append_reads(sqlite_engine, 2)
    with Session(sqlite_engine) as session:
        audit.record(session, actor="sw", role=None, action="merge")
        session.rollback()
    assert len(inbox(sqlite_engine)) == 2 and chain(sqlite_engine) == []


def test_an_auditors_search_sees_the_waiting_reads_sealed(sqlite_engine):
    append(sqlite_engine, 1)
    append_reads(sqlite_engine, 2)
    with Session(sqlite_engine) as session, session.begin():
        found = audit.search(session)
    assert [(e["id"], e["action"]) for e in found] == [
        (3, "read_timeline"),
        (2, "read_timeline"),
        (1, "view_person"),
    ]
    assert inbox(sqlite_engine) == []
    assert verify(sqlite_engine) == audit.VerifyResult(ok=True, count=3)


def test_the_inbox_refuses_update_but_not_the_delete_of_sealing(sqlite_engine):
    append_reads(sqlite_engine, 2)
    with pytest.raises(DBAPIError, match="UPDATE refused"), sqlite_engine.begin() as c:
        c.execute(text("UPDATE audit_inbox SET actor = 'someone else'"))
    with pytest.raises(DBAPIError, match="UPDATE refused"), Session(sqlite_engine) as session:
        session.scalars(select(AuditInboxEntry)).first().detail = {"page": 9}  # type: ignore[union-attr]
        session.commit()
    assert [e.actor for e in inbox(sqlite_engine)] == ["reader", "reader"]
    assert seal(sqlite_engine) == 2
    assert [e.detail for e in chain(sqlite_engine)] == [{"page": 0}, {"page": 1}]


def test_a_read_deleted_from_the_inbox_before_sealing_is_not_detected(sqlite_engine):
    """The honest limit: until sealed, an entry is protected only by who may write the table."""
    append_reads(sqlite_engine, 3)
    with sqlite_engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_inbox WHERE subject_id = '201'"))
    seal(sqlite_engine)
    assert verify(sqlite_engine) == audit.VerifyResult(ok=True, count=2)


def test_the_inbox_migration_goes_down_and_up(tmp_path):
    from hub.db import make_engine
    from hub.settings import Settings

    engine = make_engine(Settings.from_env({}, database_url=f"sqlite:///{tmp_path / 'h.db'}"))
    upgrade(engine)
    append_reads(engine, 1)
    _migrate(engine, command.downgrade, "0010")
    with engine.connect() as connection:
        names = connection.execute(text("SELECT name FROM sqlite_master")).scalars().all()
    assert not [name for name in names if "audit_inbox" in name]
    _migrate(engine, command.upgrade, "head")
    append_reads(engine, 2)
    with pytest.raises(DBAPIError, match="UPDATE refused"), engine.begin() as connection:
        connection.execute(text("UPDATE audit_inbox SET actor = 'x'"))
    assert seal(engine) == 2
    assert verify(engine) == audit.VerifyResult(ok=True, count=2)
    engine.dispose()


def test_reads_go_straight_onto_the_chain_when_the_lock_is_free_sealing_waiting_ones_first(
    sqlite_engine,
):
    append_reads(sqlite_engine, 2, actor="earlier")
    with Session(sqlite_engine) as session, session.begin():
        audit.append_reads(session, reads(2, actor="now"))
    assert inbox(sqlite_engine) == []
    assert [e.actor for e in chain(sqlite_engine)] == ["earlier", "earlier", "now", "now"]
    assert verify(sqlite_engine) == audit.VerifyResult(ok=True, count=4)
