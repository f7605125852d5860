"""The Flask app factory: the API and the web UI on one hub runtime."""

from __future__ import annotations

from flask import Flask, current_app

from hub.bus import Bus
from hub.runtime import Runtime
from hub.settings import Settings


def hub() -> Runtime:
    return current_app.extensions["mash"]


def create_app(settings: Settings | None = None, bus: Bus | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    app.json.sort_keys = False
    app.extensions["mash"] = Runtime.open(settings, bus)

    from api import (
        audit,
        auth,
        breakglass,
        chronology,
        concerns,
        errors,
        feeds,
        health,
        openapi,
        persons,
        review,
        security,
        sharing,
        users,
        web,
    )

    errors.register(app)
    app.config["MASH_TRUST_PROXY"] = settings.trust_proxy
    security.register(app)
    auth.init(app, settings)
    app.register_blueprint(health.bp)
    app.register_blueprint(concerns.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(persons.bp)
    app.register_blueprint(chronology.bp)
    app.register_blueprint(review.bp)
    app.register_blueprint(web.bp)
    app.register_blueprint(audit.bp)
    app.register_blueprint(breakglass.bp)
    app.register_blueprint(sharing.bp)
    app.register_blueprint(users.bp)
    app.register_blueprint(openapi.bp)
    return app
