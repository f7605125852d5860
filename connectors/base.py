"""What every connector shares: rejects with line numbers, and the publish step."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from marshmallow import ValidationError

from hub.bus import Bus
from hub.schemas import ConcernSubmissionSchema, to_event

_SUBMISSION = ConcernSubmissionSchema()


@dataclass(frozen=True)
class Rejected:
    line: int
    reason: str
    fields: dict = field(default_factory=dict)


@dataclass
class IngestSummary:
    read: int = 0
    published: int = 0
    rejected: list[Rejected] = field(default_factory=list)


def to_event_or_reject(submission: dict, position: int) -> dict | Rejected:
    """A connector's mapped submission, validated by the canonical schema: the event, or the
    reason it cannot be one, at the position (line, message or entry number) it came from."""
    try:
        return to_event(_SUBMISSION.load(submission))
    except ValidationError as exc:
        return Rejected(position, "invalid_event", exc.normalized_messages())


def decode_lines(raw: bytes) -> Iterator[tuple[int, str | Rejected]]:
    """Number the lines of a file (from 1) and decode each as UTF-8 (a byte-order mark is
    allowed). A line in another encoding is rejected by itself, saying where; the lines beside
    it still go through."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    for number, line in enumerate(raw.splitlines(), start=1):
        try:
            yield number, line.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield (
                number,
                Rejected(
                    number,
                    "invalid_encoding",
                    {
                        "line": [
                            f"Not UTF-8: byte 0x{line[exc.start]:02x} at column {exc.start + 1}."
                        ]
                    },
                ),
            )


def message_key(event: dict) -> str:
    """Kafka key: one person's events from one agency stay in order on one partition."""
    return f"{event['agency']}:{event['person']['source_ref']}"


def publish(bus: Bus, topic: str, events: Iterable[dict]) -> int:
    count = 0
    for event in events:
        bus.publish(topic, message_key(event), json.dumps(event).encode())
        count += 1
    bus.flush()
    return count


def write_rejects(path: Path, rejected: list[Rejected]) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["line", "reason", "fields"])
        for reject in rejected:
            writer.writerow([reject.line, reject.reason, json.dumps(reject.fields)])
