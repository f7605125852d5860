"""Fixtures for tests that run on both stacks: SQLite + embedded bus, PostgreSQL + Kafka."""

from __future__ import annotations

import gc
import warnings

import pytest
from flask.testing import FlaskClient

from api import create_app
from hub import accounts, credentials
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
    if stack.settings.kafka_bootstrap:
        collect_kafka_client_garbage()


def collect_kafka_client_garbage() -> None:
    """kafka-python 3.0.12's clients can leave a broker connection for the garbage collector
    (our code closes every client it opens); collect it here, where the test that used Kafka
    ends, rather than as a ResourceWarning inside whichever test the collector next runs in."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


AREA = "E08000025"  # the factories' local authority
PASSWORD = "correct horse battery staple"


class AgencyClient(FlaskClient):
    """A test client that pushes concerns with the key of the agency the body names (police if
    it names none), the way each agency's system would, and reads as a MASH practitioner of
    the factories' area with their API token; a request that brings its own Authorization
    header keeps it."""

    keys: dict[str, str] = {}
    token: str | None = None

    def open(self, *args, **kwargs):
        path, body = (args[0] if args else kwargs.get("path", "")), kwargs.get("json")
        headers = dict(kwargs.pop("headers", None) or {})
        pushing = ("/api/v1/concerns", "/api/v1/feeds/", "/api/v1/hl7")
        is_push = isinstance(path, str) and path.startswith(pushing) and "history" not in path
        if is_push and self.keys:
            agency = body.get("agency") if isinstance(body, dict) else None
            key = self.keys.get(agency) or self.keys["police"]
            headers.setdefault("Authorization", f"Bearer {key}")
        elif self.token:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        return super().open(*args, headers=headers, **kwargs)


@pytest.fixture
def agency_keys(stack) -> dict[str, str]:
    with stack.sessions() as session, session.begin():
        return {agency: credentials.issue(session, agency, "tests") for agency in AGENCIES}


@pytest.fixture
def tokens(stack) -> dict[str, str]:
    """A user of every role in the factories' area (and a practitioner of another area, and a
    team manager over the practitioner), each with an API token: role -> token."""
    people = [(role, role, AREA) for role in accounts.ROLES if role != "team_manager"]
    people += [("elsewhere", "mash_practitioner", "E09000001")]
    with stack.sessions() as session, session.begin():
        accounts.create_user(session, "team_manager", PASSWORD, "team_manager", AREA)
        for username, role, area in people:
            manager = "team_manager" if role in ("mash_practitioner", "social_worker") else None
            accounts.create_user(session, username, PASSWORD, role, area, manager=manager)
        names = ["team_manager", *(username for username, _, _ in people)]
        return {name: accounts.issue_token(session, name, "tests") for name in names}


@pytest.fixture
def app(stack):
    return create_app(stack.settings, bus=stack.bus)


@pytest.fixture
def client(app, agency_keys, tokens):
    app.test_client_class = AgencyClient
    AgencyClient.keys, AgencyClient.token = agency_keys, tokens["mash_practitioner"]
    yield app.test_client()
    AgencyClient.keys, AgencyClient.token = {}, None
    app.extensions["mash"].engine.dispose()
