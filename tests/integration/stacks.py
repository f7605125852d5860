"""A hub "stack" for tests: settings + database + bus, embedded or real (PostgreSQL + Kafka)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from hub.bus import Bus, make_bus
from hub.db import make_session_factory
from hub.pipeline import PipelineRunner, RunStats
from hub.settings import Settings
from matching.model import Model, default_model_path

STACKS = ["sqlite+embedded", "postgres+kafka"]


@dataclass
class Stack:
    name: str
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    bus: Bus
    model: Model

    def scalar(self, statement):
        with self.sessions() as session:
            return session.scalar(statement)

    def count(self, model, *where) -> int:
        with self.sessions() as session:
            return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def build_stack(request: pytest.FixtureRequest, name: str, topic_prefix: str, **overrides) -> Stack:
    if name == "sqlite+embedded":
        engine = request.getfixturevalue("sqlite_engine")
        bootstrap = None
    else:
        engine = request.getfixturevalue("pg")
        bootstrap = request.getfixturevalue("kafka_bootstrap")
    settings = Settings.from_env(
        {},
        database_url=engine.url.render_as_string(hide_password=False),
        kafka_bootstrap=bootstrap,
        topic_prefix=topic_prefix,
        consumer_group=f"{topic_prefix}pipeline",
        data_dir=request.getfixturevalue("tmp_path"),
        **overrides,
    )
    bus = make_bus(settings, engine)
    bus.ensure_topics([settings.concerns_topic, settings.linked_topic, settings.deadletter_topic])
    model = Model.load(default_model_path())
    return Stack(name, settings, engine, make_session_factory(engine), bus, model)


def run_pipeline(stack: Stack, expected: int, group: str | None = None) -> RunStats:
    """Run the pipeline until `expected` messages are handled (or 20 s pass idle)."""
    runner = PipelineRunner(stack.settings, stack.sessions, stack.bus, stack.model, group_id=group)
    stats = runner.run(max_messages=expected, idle_timeout=20)
    assert stats.messages == expected, stats
    return stats
