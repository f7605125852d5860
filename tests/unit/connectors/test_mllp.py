import signal
import socket
import subprocess
import sys
import threading
import time

import pytest

from connectors.base import Rejected
from connectors.hl7v2 import mllp_handler
from connectors.mllp import (
    HEAD_KEPT,
    FrameError,
    MLLPDecoder,
    build_ack,
    frame,
    serve_mllp,
)
from hub.synthetic.feeds.hl7v2 import adt_message, example_visit

MESSAGE = adt_message(example_visit(control_id="CTRL0001"))
OTHER = adt_message(example_visit(control_id="CTRL0002", visit="ED25900002"))


def fields_of(ack: bytes) -> dict[str, list[str]]:
    segments = [s for s in ack.decode().split("\r") if s]
    return {s[:3]: s.split("|") for s in segments}


# --- framing ---------------------------------------------------------------------------------


def test_frame_wraps_and_refuses_block_characters():
    assert frame(b"MSH|x") == b"\x0bMSH|x\x1c\r"
    with pytest.raises(ValueError):
        frame(b"MSH|\x1c")


@pytest.mark.parametrize("chunk_size", [1, 2, 3, 7, 64, 10_000])
def test_decoder_rebuilds_messages_from_any_split(chunk_size):
    stream = frame(MESSAGE) + frame(OTHER) + frame(MESSAGE)
    decoder = MLLPDecoder()
    out = []
    for i in range(0, len(stream), chunk_size):
        out += decoder.feed(stream[i : i + chunk_size])
    assert out == [MESSAGE, OTHER, MESSAGE]
    assert not decoder.in_frame and decoder.discarded == 0


def test_every_split_point_of_a_frame_gives_the_same_message():
    stream = frame(MESSAGE)
    for cut in range(len(stream) + 1):
        decoder = MLLPDecoder()
        assert decoder.feed(stream[:cut]) + decoder.feed(stream[cut:]) == [MESSAGE]


def test_junk_between_frames_is_skipped_and_counted():
    decoder = MLLPDecoder()
    out = decoder.feed(b"GET / HTTP/1.1\r\n" + frame(MESSAGE) + b"\r\n\x00noise" + frame(OTHER))
    assert out == [MESSAGE, OTHER]
    assert decoder.discarded == len(b"GET / HTTP/1.1\r\n") + len(b"\r\n\x00noise")


def test_a_frame_interrupted_by_a_new_start_is_reported_and_the_next_one_decoded():
    decoder = MLLPDecoder()
    out = decoder.feed(b"\x0b" + MESSAGE[:50] + frame(OTHER))
    assert out == [FrameError("frame_interrupted", MESSAGE[:50], 50), OTHER]


def test_an_oversized_frame_is_not_kept_and_the_stream_recovers():
    decoder = MLLPDecoder(max_frame=1000)
    huge = MESSAGE + b"Z" * 5000
    out = []
    for i in range(0, len(huge), 300):
        out += decoder.feed((b"\x0b" if i == 0 else b"") + huge[i : i + 300])
        assert decoder.pending <= len(huge) and len(decoder._buffer) <= HEAD_KEPT
    out += decoder.feed(b"\x1c\r" + frame(OTHER))
    [error, message] = out
    assert isinstance(error, FrameError) and error.reason == "frame_too_large"
    assert error.size == len(huge) and error.head == huge[:1000]  # no more than the limit kept
    assert message == OTHER


# --- acknowledgements ------------------------------------------------------------------------


def test_ack_swaps_applications_and_echoes_the_control_id():
    ack = fields_of(build_ack(MESSAGE, "AA"))
    msh, msa = ack["MSH"], ack["MSA"]
    assert msh[1] == "^~\\&"
    assert msh[2:6] == ["MASHHUB", "MASH", "SYNED", "SYNGH"]
    assert msh[8] == "ACK^A04^ACK" and msh[10:12] == ["P", "2.4"]
    assert len(msh[9]) <= 20 and msh[9] != "CTRL0001"
    assert msa == ["MSA", "AA", "CTRL0001"]


def test_ack_error_text_is_escaped_on_one_line_and_capped():
    text = "PID-3: NHS number | is ^ bad & wrong ~ here\r\nsee \x1c\\ manual " + "x" * 100
    msa = fields_of(build_ack(MESSAGE, "AE", text))["MSA"]
    assert msa[:3] == ["MSA", "AE", "CTRL0001"] and len(msa) == 4
    assert msa[3].startswith(
        "PID-3: NHS number \\F\\ is \\S\\ bad \\T\\ wrong \\R\\ here see \\E\\"
    )
    assert len(msa[3]) <= 80 and msa[3].endswith("...")


def test_ack_keeps_the_senders_own_separators_and_2_3_message_type():
    raw = (
        MESSAGE.replace(b"|", b"#")
        .replace(b"#P#2.4", b"#P#2.3")
        .replace(b"ADT^A04^ADT_A01", b"ADT^A04")
    )
    ack = build_ack(raw, "AE", "bad # value").decode()
    assert ack.startswith("MSH#^~\\&#MASHHUB#MASH#SYNED#SYNGH#")
    assert "#ACK^A04#" in ack and "MSA#AE#CTRL0001#bad \\F\\ value" in ack


def test_ack_for_something_without_an_msh_still_has_the_shape_of_an_ack():
    ack = fields_of(build_ack(b"hello", "AR", "No MSH"))
    assert ack["MSH"][8] == "ACK" and ack["MSA"] == ["MSA", "AR", "", "No MSH"]


# --- the listener over a real socket ---------------------------------------------------------


class Client:
    def __init__(self, address):
        self.sock = socket.create_connection(address, timeout=5)
        self.decoder = MLLPDecoder()
        self.pending: list[bytes] = []

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def acks(self, count: int) -> list[dict[str, list[str]]]:
        deadline = time.monotonic() + 5
        while len(self.pending) < count and time.monotonic() < deadline:
            data = self.sock.recv(65536)
            if not data:
                break
            self.pending += self.decoder.feed(data)
        got, self.pending = self.pending[:count], self.pending[count:]
        assert len(got) == count, got
        return [fields_of(ack) for ack in got]

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def received():
    return []


@pytest.fixture
def server(received):
    def handle(message: bytes) -> tuple[bool, str]:
        received.append(message)
        if b"RAISE" in message:
            raise RuntimeError("boom")
        if b"REFUSE" in message:
            return False, "invalid_nhs_number PID-3: not valid"
        return True, ""

    listener = serve_mllp("127.0.0.1", 0, handle, max_frame=4096, poll_interval=0.05)
    yield listener
    listener.stop()


def test_round_trip_over_a_socket_ack_and_error(server, received):
    client = Client(server.address)
    client.send(frame(MESSAGE))
    [ack] = client.acks(1)
    assert ack["MSA"] == ["MSA", "AA", "CTRL0001"]
    refused = MESSAGE.replace(b"CTRL0001", b"CTRL0009").replace(b"Nowak", b"REFUSE")
    client.send(frame(refused))
    [ack] = client.acks(1)
    assert ack["MSA"] == ["MSA", "AE", "CTRL0009", "invalid_nhs_number PID-3: not valid"]
    assert received == [MESSAGE, refused]
    client.close()


def test_frames_split_across_sends_and_several_in_one_send(server, received):
    client = Client(server.address)
    stream = frame(MESSAGE) + frame(OTHER)
    for i in range(0, len(stream), 37):
        client.send(stream[i : i + 37])
        time.sleep(0.001)
    client.send(b"\r\n" + frame(MESSAGE) + frame(OTHER))  # junk and two frames at once
    acks = client.acks(4)
    assert [a["MSA"][2] for a in acks] == ["CTRL0001", "CTRL0002", "CTRL0001", "CTRL0002"]
    assert received == [MESSAGE, OTHER, MESSAGE, OTHER]
    client.close()


def test_the_listener_survives_bad_frames_bad_handlers_and_vanishing_clients(server, received):
    client = Client(server.address)
    client.send(frame(b"not hl7 at all"))
    client.send(frame(MESSAGE.replace(b"Nowak", b"RAISE")))
    client.send(frame(MESSAGE + b"Z" * 5000))  # over the 4 KiB limit set for the test
    no_msh, raised, too_big = client.acks(3)
    assert no_msh["MSA"][:2] == ["MSA", "AR"]
    assert raised["MSA"] == [
        "MSA",
        "AE",
        "CTRL0001",
        "Internal error while processing the message.",
    ]
    assert too_big["MSA"][:3] == ["MSA", "AE", "CTRL0001"]
    assert "too large" in too_big["MSA"][3]
    assert len(received) == 1  # the handler never saw the junk or the oversized frame

    vanishing = Client(server.address)
    vanishing.send(b"\x0b" + MESSAGE[:40])
    vanishing.close()  # disconnects mid-frame

    again = Client(server.address)
    again.send(frame(OTHER))
    assert again.acks(1)[0]["MSA"] == ["MSA", "AA", "CTRL0002"]
    again.close()
    client.close()


def test_stop_is_prompt_with_idle_clients_connected_and_frees_the_port(received):
    listener = serve_mllp("127.0.0.1", 0, lambda m: (True, ""), poll_interval=0.05)
    address = listener.address
    idle = [Client(address) for _ in range(3)]
    idle[0].send(b"\x0b" + MESSAGE[:10])  # one of them mid-frame
    time.sleep(0.1)
    started = time.monotonic()
    listener.stop()
    assert time.monotonic() - started < 2
    assert not any(t.name.startswith("mllp-") for t in threading.enumerate())
    with pytest.raises(OSError):
        socket.create_connection(address, timeout=1)
    for client in idle:
        assert client.sock.recv(10) == b""  # the server closed them
        client.close()


def test_the_hl7_connector_behind_the_listener_publishes_and_acknowledges_rejects():
    published: list[dict] = []
    rejected: list[tuple[Rejected, bytes]] = []
    handle = mllp_handler("health_ae", published.extend, lambda r, m: rejected.append((r, m)))
    bad_nhs = adt_message(example_visit(control_id="CTRL0003", nhs_number="9434765910"))
    with serve_mllp("127.0.0.1", 0, handle, poll_interval=0.05) as listener:
        client = Client(listener.address)
        client.send(frame(MESSAGE) + frame(bad_nhs))
        good, bad = client.acks(2)
        client.close()
    assert good["MSA"] == ["MSA", "AA", "CTRL0001"]
    assert bad["MSA"][:3] == ["MSA", "AE", "CTRL0003"]
    assert bad["MSA"][3].startswith("invalid_nhs_number PID-3: NHS number '9434765910'")
    assert [e["concern"]["ref"] for e in published] == ["SYNGH:ED25900001"]
    assert [(r.reason, m) for r, m in rejected] == [("invalid_nhs_number", bad_nhs)]


def test_run_mllp_stops_cleanly_on_sigterm():
    script = (
        "import logging, sys\n"
        "logging.basicConfig(level=logging.INFO, stream=sys.stderr, format='%(message)s')\n"
        "from connectors.mllp import run_mllp\n"
        "run_mllp('127.0.0.1', 0, lambda message: (True, ''), poll_interval=0.05)\n"
        "print('stopped', flush=True)\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stderr.readline()  # "MLLP listener on 127.0.0.1:<port>"
        port = int(line.strip().rsplit(":", 1)[1])
        client = Client(("127.0.0.1", port))
        client.send(frame(MESSAGE))
        assert client.acks(1)[0]["MSA"] == ["MSA", "AA", "CTRL0001"]
        process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=10)
        client.close()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0 and out == "stopped\n"
