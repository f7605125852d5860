"""Schema migrations (Alembic), run by `mash db upgrade` and at start-up of the embedded mode."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from hub.models import Agency
from hub.schemas import AGENCIES

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` and make sure every known agency exists."""
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    seed_agencies(engine)


def seed_agencies(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        known = set(session.scalars(Agency.__table__.select().with_only_columns(Agency.code)))
        for code, (name, sector) in AGENCIES.items():
            if code not in known:
                session.add(Agency(code=code, name=name, sector=sector))
