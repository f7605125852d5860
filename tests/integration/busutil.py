"""Helpers for reading from a bus in tests, bounded in time."""

from __future__ import annotations

import time

from hub.bus import Consumer, Message


def drain(consumer: Consumer, count: int, timeout_s: float = 30.0) -> list[Message]:
    """Poll until `count` messages arrived or the time is up (then return what came)."""
    got: list[Message] = []
    deadline = time.monotonic() + timeout_s
    while len(got) < count and time.monotonic() < deadline:
        got.extend(consumer.poll(timeout_s=0.5, max_records=count - len(got)))
    return got


def quiet(consumer: Consumer, seconds: float) -> list[Message]:
    """Everything that arrives within `seconds` (expected: nothing)."""
    got: list[Message] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        got.extend(consumer.poll(timeout_s=0.5, max_records=100))
    return got
