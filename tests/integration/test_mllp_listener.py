"""`mash mllp` on both stacks: an HL7 sender gets AA for a good message and AE with the reason
for a bad one; the good one reaches the timeline, the bad one is kept as a dead letter."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

from sqlalchemy import select

from connectors.mllp import MLLPDecoder, frame
from hub.models import Concern, DeadLetter
from hub.synthetic.feeds.hl7v2 import adt_message, bad_messages, example_visit
from tests.integration.stacks import Stack, run_pipeline
from tests.integration.test_gunicorn import free_port


def start_listener(stack: Stack, port: int, log) -> subprocess.Popen:
    env = dict(os.environ)
    env.update(
        MASH_DATABASE_URL=stack.engine.url.render_as_string(hide_password=False),
        MASH_TOPIC_PREFIX=stack.settings.topic_prefix,
    )
    env.pop("MASH_KAFKA_BOOTSTRAP", None)
    if stack.settings.kafka_bootstrap:
        env["MASH_KAFKA_BOOTSTRAP"] = stack.settings.kafka_bootstrap
    command = [
        sys.executable,
        "-m",
        "hub.cli",
        "mllp",
        "--agency",
        "health_ae",
        "--port",
        str(port),
    ]
    return subprocess.Popen(command, env=env, stdout=log, stderr=log)


def exchange(port: int, message: bytes) -> bytes:
    deadline = time.monotonic() + 30
    while True:
        try:
            connection = socket.create_connection(("127.0.0.1", port), timeout=10)
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    with connection:
        connection.sendall(frame(message))
        decoder = MLLPDecoder()
        while True:
            chunk = connection.recv(65536)
            assert chunk, "the listener closed the connection without an ACK"
            (ack, *_) = decoder.feed(chunk) or [None]
            if ack is not None:
                return ack


def test_an_hl7_sender_is_acknowledged_and_nothing_is_lost(stack, tmp_path):
    port = free_port()
    with (tmp_path / "mllp.log").open("w") as log:
        listener = start_listener(stack, port, log)
    try:
        good = adt_message(example_visit())
        bad, reason = next((m, r) for m, r in bad_messages() if r == "invalid_nhs_number")
        accepted = exchange(port, good)
        refused = exchange(port, bad)
    finally:
        listener.send_signal(signal.SIGTERM)
        assert listener.wait(timeout=30) == 0, (tmp_path / "mllp.log").read_text()[-2000:]
    assert b"MSA|AA|" in accepted
    assert b"MSA|AE|" in refused and reason.encode() in refused
    run_pipeline(stack, 1)
    assert stack.count(Concern) == 1
    with stack.sessions() as session:
        (kept,) = session.execute(select(DeadLetter.source_topic, DeadLetter.reason)).all()
    assert kept == ("mllp:health_ae", reason)
