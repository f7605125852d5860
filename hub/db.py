"""Engine and session factory shared by the API and the pipeline (no Flask context needed)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from hub.settings import Settings


def make_engine(settings: Settings) -> Engine:
    """`hide_parameters`: SQL errors must never carry names or identifiers into a log."""
    url = str(settings.database_url)
    if url.startswith("sqlite"):
        db_path = url.split("///", 1)[-1]
        if db_path and db_path != ":memory:":
            Path(db_path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30}, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(
        url, pool_pre_ping=True, pool_size=5, max_overflow=10, hide_parameters=True
    )


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets the API read while the pipeline writes; the busy timeout waits out short locks.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # Let SQLAlchemy, not pysqlite, emit BEGIN, so SAVEPOINTs work (SQLAlchemy's sqlite recipe).
    dbapi_connection.isolation_level = None


def _sqlite_begin(connection) -> None:
    """IMMEDIATE: take the write lock up front, waiting (busy timeout) for another writer. A
    deferred transaction that reads and then writes — an audited read of a chronology while
    the pipeline stores — would fail at once with "database is locked" (WAL snapshot
    conflict), which no timeout waits out."""
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
