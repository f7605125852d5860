"""The pipeline as a process: SIGKILL mid-stream loses and doubles nothing; SIGTERM is clean."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time

from sqlalchemy import func, select

from connectors.base import publish
from hub.models import Concern, Person
from hub.schemas import ConcernSubmissionSchema, to_event
from tests.factories import submission
from tests.integration.stacks import Stack

PERSONS = 150
CONCERNS_PER_PERSON = 10
GIVEN = [
    "Amelia",
    "Oliver",
    "Aisha",
    "Tomasz",
    "Grace",
    "Yusuf",
    "Ruby",
    "Kwame",
    "Leila",
    "Noah",
    "Ifeoma",
    "Callum",
    "Zofia",
    "Dylan",
    "Maryam",
    "Reece",
    "Priya",
    "Kacper",
    "Niamh",
    "Tyler",
]
FAMILY = [
    "Nowak",
    "Okafor",
    "Hussain",
    "Jones",
    "Mensah",
    "Taylor",
    "Begum",
    "Evans",
    "Kowalski",
    "Brown",
    "Ahmed",
    "Patel",
    "Williams",
    "OConnor",
    "Smith",
]


def events(persons: int, per_person: int) -> list[dict]:
    load = ConcernSubmissionSchema().load
    out = []
    for c in range(per_person):
        for p in range(persons):
            dob = dt.date(1990, 1, 1) + dt.timedelta(days=37 * p)
            body = submission(
                person__source_ref=f"K{p}",
                person__given_name=GIVEN[p % len(GIVEN)],
                person__family_name=FAMILY[p // len(GIVEN)],
                person__date_of_birth=dob.isoformat(),
                # Three people to a house: households are shared across partitions.
                person__addresses=[{"line": f"{p // 3} Mill Lane", "postcode": "B12 9QT"}],
                concern__ref=f"K{p}-{c}",
            )
            out.append(to_event(load(body)))
    return out


class Worker:
    """`mash pipeline` in a child process; its output goes to files (a full pipe would block it)."""

    def __init__(self, stack: Stack, log_dir, *args: str) -> None:
        self.out_path, self.err_path = log_dir / "out.txt", log_dir / "err.txt"
        with self.out_path.open("w") as out, self.err_path.open("w") as err:
            self.process = _spawn(stack, out, err, *args)

    def output(self) -> tuple[str, str]:
        return self.out_path.read_text(), self.err_path.read_text()


def _spawn(stack: Stack, out, err, *args: str) -> subprocess.Popen:
    env = dict(os.environ)
    env.update(
        MASH_DATABASE_URL=stack.engine.url.render_as_string(hide_password=False),
        MASH_TOPIC_PREFIX=stack.settings.topic_prefix,
        MASH_CONSUMER_GROUP=stack.settings.consumer_group,
        MASH_POLL_MAX_RECORDS="50",
    )
    env.pop("MASH_KAFKA_BOOTSTRAP", None)
    if stack.settings.kafka_bootstrap:
        env["MASH_KAFKA_BOOTSTRAP"] = stack.settings.kafka_bootstrap
    return subprocess.Popen(
        [sys.executable, "-m", "hub.cli", "pipeline", *args],
        env=env,
        stdout=out,
        stderr=err,
    )


def wait_for_stored(stack: Stack, at_least: int, timeout_s: float = 120) -> int:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        stored = stack.count(Concern)
        if stored >= at_least:
            return stored
        time.sleep(0.05)
    raise AssertionError(f"only {stack.count(Concern)} of {at_least} concerns stored in time")


def test_sigkill_mid_stream_then_restart_loses_and_doubles_nothing(stack, tmp_path):
    sent = events(PERSONS, CONCERNS_PER_PERSON)
    publish(stack.bus, stack.settings.concerns_topic, sent)

    worker = Worker(stack, tmp_path)
    wait_for_stored(stack, 400)
    worker.process.send_signal(signal.SIGKILL)
    worker.process.wait(timeout=10)
    at_kill = stack.count(Concern)
    assert at_kill < len(sent), "the pipeline finished before the kill; raise the volume"

    again = Worker(stack, tmp_path, "--idle-timeout", "8")
    assert again.process.wait(timeout=300) == 0, again.output()[1][-2000:]

    with stack.sessions() as session:
        stored = session.scalars(select(Concern.event_id)).all()
        persons = session.scalar(select(func.count(func.distinct(Concern.person_id))))
    assert len(stored) == len(set(stored)) == len(sent)
    assert set(stored) == {e["event_id"] for e in sent}
    assert persons == PERSONS == stack.count(Person)


def test_sigterm_stops_cleanly_after_the_current_batch(stack, tmp_path):
    sent = events(20, 2)
    publish(stack.bus, stack.settings.concerns_topic, sent)
    worker = Worker(stack, tmp_path)
    wait_for_stored(stack, len(sent))
    worker.process.send_signal(signal.SIGTERM)
    assert worker.process.wait(timeout=30) == 0, worker.output()[1][-2000:]
    out = worker.output()[0]
    assert json.loads(out.strip().splitlines()[-1])["stored"] == len(sent)
