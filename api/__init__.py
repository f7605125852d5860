"""The Flask app factory: the API and the web UI on one hub context."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from hub.bus import Bus, make_bus
from hub.db import make_engine, make_session_factory
from hub.settings import Settings


@dataclass
class HubContext:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    bus: Bus


def hub() -> HubContext:
    return current_app.extensions["mash"]


def create_app(settings: Settings | None = None, bus: Bus | None = None) -> Flask:
    settings = settings or Settings.from_env()
    engine = make_engine(settings)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    app.json.sort_keys = False
    app.extensions["mash"] = HubContext(
        settings, engine, make_session_factory(engine), bus or make_bus(settings, engine)
    )

    from api import concerns, errors, health, persons, web

    errors.register(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(concerns.bp)
    app.register_blueprint(persons.bp)
    app.register_blueprint(web.bp)
    return app
