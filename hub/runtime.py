"""What a running process holds: settings, the database engine and sessions, the bus."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from hub.bus import Bus, make_bus
from hub.db import make_engine, make_session_factory
from hub.settings import Settings
from matching.model import Model, default_model_path


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    bus: Bus
    model: Model

    @classmethod
    def open(cls, settings: Settings, bus: Bus | None = None) -> Runtime:
        engine = make_engine(settings)
        return cls(
            settings,
            engine,
            make_session_factory(engine),
            bus or make_bus(settings, engine),
            Model.load(settings.model_path or default_model_path()),
        )

    def close(self) -> None:
        self.bus.close()
        self.engine.dispose()


@contextmanager
def opened(settings: Settings) -> Iterator[Runtime]:
    runtime = Runtime.open(settings)
    try:
        yield runtime
    finally:
        runtime.close()
