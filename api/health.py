"""Liveness and readiness: /readyz checks the database and the bus really answer."""

from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import text

from api import hub

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    context = hub()
    checks = {"database": _database_ok(context.engine), "bus": context.bus.ping()}
    ready = all(checks.values())
    body = {"status": "ready" if ready else "not_ready", "bus": context.bus.kind, "checks": checks}
    return jsonify(body), 200 if ready else 503


def _database_ok(engine) -> bool:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:
        return False
    return True
