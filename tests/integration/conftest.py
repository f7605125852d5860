"""Fixtures for tests that run on both stacks: SQLite + embedded bus, PostgreSQL + Kafka."""

from __future__ import annotations

import pytest

from api import create_app
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


@pytest.fixture
def client(stack):
    app = create_app(stack.settings, bus=stack.bus)
    yield app.test_client()
    app.extensions["mash"].engine.dispose()
