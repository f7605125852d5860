"""Shared fixtures: real PostgreSQL and a real Kafka broker when `scripts/test.sh` started them.

A missing service fails the test: integration tests never skip unless a developer asks for it
with MASH_SKIP_INTEGRATION=1 (and never under CI).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from hub import logmask
from hub.db import make_engine
from hub.migrate import upgrade
from hub.models import Base
from hub.settings import Settings

KEEP_TABLES = {"agencies", "alembic_version"}


def _require(env_name: str, what: str) -> str:
    value = os.environ.get(env_name)
    if value:
        return value
    message = f"{what} not available: set {env_name} (scripts/test.sh starts it)"
    if os.environ.get("MASH_SKIP_INTEGRATION") == "1" and not os.environ.get("CI"):
        pytest.skip(message)
    pytest.fail(message)


@pytest.fixture(scope="session")
def pg_url() -> str:
    return _require("MASH_TEST_DATABASE_URL", "PostgreSQL")


@pytest.fixture(scope="session")
def kafka_bootstrap() -> str:
    return _require("MASH_TEST_KAFKA_BOOTSTRAP", "Kafka")


@pytest.fixture(scope="session")
def pg_engine(pg_url: str) -> Iterator[Engine]:
    engine = make_engine(Settings.from_env({}, database_url=pg_url))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    upgrade(engine)
    yield engine
    engine.dispose()


def truncate_all(engine: Engine) -> None:
    tables = [t.name for t in Base.metadata.sorted_tables if t.name not in KEEP_TABLES]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            # The audit trail refuses TRUNCATE (migration 0007); tests own their database.
            connection.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            connection.execute(text("ALTER TABLE audit_events ENABLE TRIGGER USER"))
        else:
            for table in reversed(tables):
                connection.execute(text(f"DELETE FROM {table}"))


@pytest.fixture
def pg(pg_engine: Engine) -> Iterator[Engine]:
    """The PostgreSQL engine, emptied after the test (tables stay; migrations ran once)."""
    yield pg_engine
    truncate_all(pg_engine)


@pytest.fixture
def sqlite_engine(tmp_path) -> Iterator[Engine]:
    engine = make_engine(Settings.from_env({}, database_url=f"sqlite:///{tmp_path / 'hub.db'}"))
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def topic_prefix() -> str:
    """Fresh topics per test, so tests never read each other's messages."""
    return f"t{uuid.uuid4().hex[:12]}."


@pytest.fixture(autouse=True)
def _no_log_masking_leaks() -> Iterator[None]:
    """`mash` commands run in-process (click's CliRunner) install log masking for the whole
    process; undo it after each test so one test's logging never changes another's."""
    yield
    logmask.uninstall()
