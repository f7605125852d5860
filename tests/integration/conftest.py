"""Fixtures for tests that run on both stacks: SQLite + embedded bus, PostgreSQL + Kafka."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from api import create_app
from hub import credentials
from hub.schemas import AGENCIES
from tests.integration.stacks import STACKS, Stack, build_stack

MAX_EVENT_BYTES = 8 * 1024
MAX_REQUEST_BYTES = 32 * 1024


@pytest.fixture(params=STACKS)
def stack(request, topic_prefix) -> Stack:
    stack = build_stack(
        request,
        request.param,
        topic_prefix,
        max_event_bytes=MAX_EVENT_BYTES,
        max_request_bytes=MAX_REQUEST_BYTES,
    )
    yield stack
    stack.bus.close()


class AgencyClient(FlaskClient):
    """A test client that pushes concerns with the key of the agency the body names (police if
    it names none), the way each agency's system would; a request that brings its own
    Authorization header keeps it."""

    keys: dict[str, str] = {}

    def open(self, *args, **kwargs):
        path, body = (args[0] if args else kwargs.get("path", "")), kwargs.get("json")
        headers = dict(kwargs.pop("headers", None) or {})
        pushing = ("/api/v1/concerns", "/api/v1/feeds/", "/api/v1/hl7")
        if isinstance(path, str) and path.startswith(pushing) and self.keys:
            agency = body.get("agency") if isinstance(body, dict) else None
            key = self.keys.get(agency) or self.keys["police"]
            headers.setdefault("Authorization", f"Bearer {key}")
        return super().open(*args, headers=headers, **kwargs)


@pytest.fixture
def agency_keys(stack) -> dict[str, str]:
    with stack.sessions() as session, session.begin():
        return {agency: credentials.issue(session, agency, "tests") for agency in AGENCIES}


@pytest.fixture
def client(stack, agency_keys):
    app = create_app(stack.settings, bus=stack.bus)
    app.test_client_class = AgencyClient
    AgencyClient.keys = agency_keys
    yield app.test_client()
    AgencyClient.keys = {}
    app.extensions["mash"].engine.dispose()
