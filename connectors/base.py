"""What every connector shares: rejects with line numbers, and the publish step."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from hub.bus import Bus


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
