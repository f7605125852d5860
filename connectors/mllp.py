"""MLLP: how HL7 v2 messages travel over TCP, and a listener that acknowledges each one.

The Minimal Lower Layer Protocol wraps each message in a frame::

    0x0b  <message bytes>  0x1c 0x0d

A sending system (a hospital's interface engine) opens a connection, sends a frame and waits for
an HL7 acknowledgement (ACK) before sending the next. This module has three parts:

- `frame` and `MLLPDecoder`: framing both ways. The decoder takes whatever chunks TCP delivers
  (a frame split over many reads, several frames in one read, bytes between frames) and gives
  back whole messages. It caps the size of a frame so a runaway sender cannot exhaust memory.
- `build_ack`: an original-mode ACK for a message, built from its own MSH (sending and receiving
  application and facility swapped, MSA-2 = the message's control id MSH-10).
- `MLLPServer` / `serve_mllp` / `run_mllp`: a threaded TCP listener calling `handle(message)`
  for every message and replying AA when it returns ok, AE with its error text otherwise (AR
  when the frame holds no readable MSH at all). It survives malformed frames, oversized frames
  and clients that disconnect mid-frame, and stops cleanly on `stop()` or SIGTERM.

Message contents are personal health data: nothing here logs them, only sizes, control ids and
peer addresses.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import signal
import socket
import socketserver
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

log = logging.getLogger(__name__)

START_BLOCK = b"\x0b"
END_BLOCK = b"\x1c"
CARRIAGE_RETURN = b"\x0d"
DEFAULT_MAX_FRAME = 1 << 20  # 1 MiB: far above any ADT message, far below trouble
HEAD_KEPT = 4096  # bytes kept of a frame that is too large: enough to read its MSH for the ACK

Handler = Callable[[bytes], tuple[bool, str]]
_LONDON = ZoneInfo("Europe/London")


def frame(message: bytes) -> bytes:
    """Wrap one HL7 message for MLLP. The message may not contain the block characters."""
    if START_BLOCK in message or END_BLOCK in message:
        raise ValueError("An HL7 message cannot contain the MLLP block characters 0x0b or 0x1c.")
    return START_BLOCK + message + END_BLOCK + CARRIAGE_RETURN


@dataclass(frozen=True)
class FrameError:
    """A frame the decoder could not deliver whole.

    `reason` is "frame_too_large" (more than the decoder's limit; the rest was discarded) or
    "frame_interrupted" (a new start block arrived before the end block). `head` is the start of
    the frame (at most 4 KiB, or the limit if smaller), enough to read its MSH and acknowledge
    it; `size` is how many bytes the frame had."""

    reason: str
    head: bytes
    size: int


class MLLPDecoder:
    """Incremental MLLP decoding: feed it TCP chunks, get back complete messages.

    Bytes outside a frame (line noise, a stray CR after the end block, a client speaking
    another protocol) are counted in `discarded` and otherwise ignored. A frame longer than
    `max_frame` is not kept in memory: its first bytes are kept and the rest counted until its
    end block, then it comes back as a `FrameError`."""

    def __init__(self, max_frame: int = DEFAULT_MAX_FRAME) -> None:
        if max_frame < 1:
            raise ValueError("max_frame must be positive")
        self.max_frame = max_frame
        self.discarded = 0
        self._in_frame = False
        self._buffer = bytearray()
        self._size = 0
        self._too_large = False
        self._after_end = False

    @property
    def in_frame(self) -> bool:
        """True while a frame has started and not yet ended (a disconnect now loses it)."""
        return self._in_frame

    @property
    def pending(self) -> int:
        """Bytes received of the unfinished frame."""
        return self._size if self._in_frame else 0

    def feed(self, data: bytes) -> list[bytes | FrameError]:
        """Take the next chunk; return the messages (and frame errors) it completes, in order."""
        out: list[bytes | FrameError] = []
        i, n = 0, len(data)
        while i < n:
            if self._after_end:  # the CR that closes a frame is part of the frame
                self._after_end = False
                if data[i : i + 1] == CARRIAGE_RETURN:
                    i += 1
                    continue
            if not self._in_frame:
                start = data.find(START_BLOCK, i)
                if start < 0:
                    self.discarded += n - i
                    break
                self.discarded += start - i
                self._begin()
                i = start + 1
                continue
            end = data.find(END_BLOCK, i)
            restart = data.find(START_BLOCK, i)
            if restart >= 0 and (end < 0 or restart < end):
                self._append(data[i:restart])
                out.append(FrameError("frame_interrupted", bytes(self._buffer), self._size))
                self._begin()
                i = restart + 1
            elif end >= 0:
                self._append(data[i:end])
                out.append(self._finish())
                i = end + 1
            else:
                self._append(data[i:])
                break
        return out

    def _begin(self) -> None:
        self._in_frame = True
        self._buffer = bytearray()
        self._size = 0
        self._too_large = False

    def _append(self, chunk: bytes) -> None:
        self._size += len(chunk)
        if self._too_large:
            return
        if self._size > self.max_frame:
            self._too_large = True
            keep = min(HEAD_KEPT, self.max_frame)
            self._buffer += chunk[: max(0, keep - len(self._buffer))]
            del self._buffer[keep:]
        else:
            self._buffer += chunk

    def _finish(self) -> bytes | FrameError:
        self._in_frame = False
        self._after_end = True
        body = bytes(self._buffer)
        self._buffer = bytearray()
        if self._too_large:
            return FrameError("frame_too_large", body, self._size)
        return body


# --------------------------------------------------------------------------------------------
# Acknowledgements
# --------------------------------------------------------------------------------------------

_SEGMENT_SPLIT = re.compile(rb"\r\n|\r|\n")
_DEFAULT_ENCODING = "^~\\&"


@dataclass(frozen=True)
class _Header:
    field_sep: str
    encoding: str  # component, repetition, escape, subcomponent
    fields: list[str]  # fields[n] is MSH-n (fields[0] and fields[1] unused)

    def get(self, number: int) -> str:
        return self.fields[number] if number < len(self.fields) else ""


def _read_msh(message: bytes) -> _Header | None:
    """The MSH of a message, read without an HL7 library (the message may be malformed).
    Bytes are mapped one-to-one with surrogateescape so echoed values go back unchanged."""
    for raw in _SEGMENT_SPLIT.split(message):
        segment = raw.lstrip(b" \t\x00\xef\xbb\xbf")
        if not segment.startswith(b"MSH") or len(segment) < 4:
            continue
        text = segment.decode("utf-8", "surrogateescape")
        sep = text[3]
        if sep.isalnum() or sep.isspace():
            return None
        parts = text.split(sep)
        encoding = parts[1] if len(parts) > 1 else ""
        if len(encoding) < 4 or len(set(encoding[:4] + sep)) != 5:
            encoding = _DEFAULT_ENCODING
        # parts[0] is "MSH", parts[1] is MSH-2 (MSH-1 is the separator itself).
        return _Header(sep, encoding[:4], ["", sep, *parts[1:]])
    return None


def _escape(text: str, sep: str, encoding: str) -> str:
    component, repetition, escape, subcomponent = encoding
    text = " ".join(text.split())  # no CR/LF inside a segment
    text = "".join(c for c in text if c >= " " and c != "\x7f")  # nor block characters
    text = text.replace(escape, f"{escape}E{escape}")
    for char, code in ((sep, "F"), (component, "S"), (repetition, "R"), (subcomponent, "T")):
        text = text.replace(char, f"{escape}{code}{escape}")
    return text


def _first_component(value: str, encoding: str) -> str:
    return value.split(encoding[0])[0]


def build_ack(message: bytes, code: str, text: str = "") -> bytes:
    """An original-mode HL7 acknowledgement of `message`.

    `code` is AA (accepted), AE (error) or AR (rejected). The ACK's MSH swaps the message's
    sending and receiving application and facility and keeps its encoding characters,
    processing id and version; MSA-2 is the message's control id (MSH-10), MSA-3 the text
    (escaped, on one line, at most 80 characters as HL7 allows). A message without a readable
    MSH still gets an ACK, with empty fields where the MSH would have given values."""
    if code not in ("AA", "AE", "AR"):
        raise ValueError(f"Unknown acknowledgement code {code!r}.")
    header = _read_msh(message) or _Header("|", _DEFAULT_ENCODING, ["", "|", _DEFAULT_ENCODING])
    sep, encoding = header.field_sep, header.encoding
    trigger = header.get(9).split(encoding[0])[1:2]
    version = _first_component(header.get(12), encoding) or "2.4"
    message_type = "ACK"
    if trigger and trigger[0]:
        message_type += encoding[0] + trigger[0]
        if version not in ("2.1", "2.2", "2.3"):
            message_type += encoding[0] + "ACK"
    now = dt.datetime.now(_LONDON).strftime("%Y%m%d%H%M%S%z")
    msh = [
        "MSH",
        encoding,
        header.get(5),  # our application: the one the message was sent to
        header.get(6),
        header.get(3),  # back to the sender
        header.get(4),
        now,
        "",
        message_type,
        f"ACK{uuid.uuid4().hex[:17].upper()}",  # MSH-10 is at most 20 characters
        header.get(11) or "P",
        header.get(12) or version,
    ]
    detail = _escape(text, sep, encoding)
    if len(detail) > 80:
        detail = detail[:77].rstrip(encoding[2]) + "..."
    msa = ["MSA", code, header.get(10)]
    if detail:
        msa.append(detail)
    ack = sep.join(msh) + "\r" + sep.join(msa) + "\r"
    return ack.encode("utf-8", "surrogateescape")


# --------------------------------------------------------------------------------------------
# The listener
# --------------------------------------------------------------------------------------------


class _Connection(socketserver.BaseRequestHandler):
    server: _TCPServer

    def handle(self) -> None:
        owner = self.server.owner
        sock: socket.socket = self.request
        peer = f"{self.client_address[0]}:{self.client_address[1]}"
        sock.settimeout(owner.poll_interval)
        decoder = MLLPDecoder(owner.max_frame)
        last_seen = time.monotonic()
        log.info("MLLP connection from %s", peer)
        while not owner.stopping.is_set():
            try:
                data = sock.recv(65536)
            except TimeoutError:
                if time.monotonic() - last_seen > owner.idle_timeout:
                    log.info(
                        "MLLP connection from %s idle for %ss; closing", peer, owner.idle_timeout
                    )
                    break
                continue
            except OSError as exc:
                log.info("MLLP connection from %s failed: %s", peer, exc)
                break
            if not data:
                if decoder.in_frame:
                    log.warning(
                        "MLLP client %s disconnected mid-frame; %d bytes discarded",
                        peer,
                        decoder.pending,
                    )
                break
            last_seen = time.monotonic()
            for item in decoder.feed(data):
                ack = owner.respond(item, peer)
                try:
                    sock.sendall(frame(ack))
                except OSError as exc:
                    log.info("MLLP client %s gone before its ACK: %s", peer, exc)
                    return
        if decoder.discarded:
            log.info("MLLP connection %s: %d bytes outside frames ignored", peer, decoder.discarded)


class _TCPServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = False  # stop() waits for connection threads (they notice within a poll)
    block_on_close = True

    def __init__(self, address: tuple[str, int], owner: MLLPServer) -> None:
        self.owner = owner
        super().__init__(address, _Connection)

    def handle_error(self, request: object, client_address: object) -> None:
        log.exception("MLLP connection from %s failed", client_address)


class MLLPServer:
    """A threaded MLLP listener: one thread per connection, `handle` called per message.

    `handle(message) -> (ok, text)` gets the message bytes without the MLLP frame. It is
    called under a lock unless `concurrent=True`, so a handler that publishes to a bus need
    not be thread-safe; messages on one connection are always handled in the order sent.
    If `handle` raises, the sender gets AE ("internal error") and the listener goes on.
    """

    def __init__(
        self,
        host: str,
        port: int,
        handle: Handler,
        *,
        max_frame: int = DEFAULT_MAX_FRAME,
        idle_timeout: float = 600.0,
        poll_interval: float = 0.2,
        concurrent: bool = False,
    ) -> None:
        self.handle = handle
        self.max_frame = max_frame
        self.idle_timeout = idle_timeout
        self.poll_interval = poll_interval
        self.stopping = threading.Event()
        self._lock = threading.Lock() if not concurrent else None
        self._server = _TCPServer((host, port), self)
        self._thread: threading.Thread | None = None

    @property
    def address(self) -> tuple[str, int]:
        """(host, port) actually bound: with port 0 the system picks a free port."""
        host, port = self._server.server_address[:2]
        return str(host), int(port)

    def start(self) -> MLLPServer:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": self.poll_interval},
                name=f"mllp-{self.address[1]}",
                daemon=True,
            )
            self._thread.start()
            log.info("MLLP listener on %s:%s", *self.address)
        return self

    def stop(self) -> None:
        """Stop accepting, let each connection finish the message in hand, close everything.
        Returns within about `poll_interval` plus the time of a `handle` call in progress."""
        self.stopping.set()
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()  # joins the connection threads
        log.info("MLLP listener stopped")

    def __enter__(self) -> MLLPServer:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def respond(self, item: bytes | FrameError, peer: str = "") -> bytes:
        """The ACK for one decoded frame (calls `handle` for a whole message)."""
        if isinstance(item, FrameError):
            log.warning("MLLP %s from %s (%d bytes)", item.reason, peer, item.size)
            if item.reason == "frame_too_large":
                text = f"Message too large: {item.size} bytes, the limit is {self.max_frame}."
            else:
                text = "Frame interrupted by a new start block; message incomplete, please resend."
            return build_ack(item.head, "AE", text)
        header = _read_msh(item)
        if header is None:
            log.warning("MLLP frame from %s without a readable MSH (%d bytes)", peer, len(item))
            return build_ack(item, "AR", "No readable MSH segment: not an HL7 v2 message.")
        control_id = header.get(10)
        try:
            if self._lock is None:
                ok, text = self.handle(item)
            else:
                with self._lock:
                    ok, text = self.handle(item)
        except Exception:
            log.exception("MLLP handler failed on message %r from %s", control_id, peer)
            return build_ack(item, "AE", "Internal error while processing the message.")
        if not ok:
            log.info("MLLP message %r from %s not accepted", control_id, peer)
        return build_ack(item, "AA" if ok else "AE", text or "")


def serve_mllp(host: str, port: int, handle: Handler, **options: object) -> MLLPServer:
    """Start an `MLLPServer` in the background and return it (call `.stop()` when done)."""
    return MLLPServer(host, port, handle, **options).start()  # type: ignore[arg-type]


def run_mllp(host: str, port: int, handle: Handler, **options: object) -> None:
    """Listen until SIGTERM or SIGINT, then stop cleanly. Call from the main thread."""
    stop = threading.Event()
    previous = {
        sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGTERM, signal.SIGINT)
    }
    server = serve_mllp(host, port, handle, **options)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
