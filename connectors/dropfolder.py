"""A watched drop folder: an agency's system (or its SFTP account) leaves files in a folder that
belongs to that agency; each file is published, then moved to `processed/`, with its rejects
in `rejected/NAME.rejects.csv`.

A file is taken only once its size has stayed the same between two scans, and names ending
`.part` or `.tmp`, or starting with a dot, are left alone (write to `x.part`, then rename). A file
is moved only after its events are flushed to the bus, so a watcher killed mid-file takes the
whole file again when it restarts; event ids make the second pass change nothing.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from connectors.base import IngestSummary, write_rejects
from connectors.ingest import ingest
from hub.bus import Bus

log = logging.getLogger(__name__)

PROCESSED, REJECTED = "processed", "rejected"
_IN_PROGRESS = (".part", ".tmp")


class DropFolder:
    def __init__(self, folder: Path, bus: Bus, topic: str, agency: str, fmt: str) -> None:
        self.folder, self.bus, self.topic, self.agency, self.fmt = folder, bus, topic, agency, fmt
        self._sizes: dict[Path, int] = {}
        for sub in (PROCESSED, REJECTED):
            (folder / sub).mkdir(parents=True, exist_ok=True)

    def ready_files(self) -> list[Path]:
        """Files whose size has not changed since the previous scan."""
        ready, seen = [], {}
        for path in sorted(self.folder.iterdir()):
            if not path.is_file() or path.name.startswith(".") or path.suffix in _IN_PROGRESS:
                continue
            size = path.stat().st_size
            seen[path] = size
            if self._sizes.get(path) == size:
                ready.append(path)
        self._sizes = seen
        return ready

    def take(self, path: Path) -> IngestSummary:
        summary = ingest(self.bus, self.topic, self.agency, self.fmt, path.read_bytes())
        if summary.rejected:
            write_rejects(self.folder / REJECTED / f"{path.name}.rejects.csv", summary.rejected)
        path.replace(_free_name(self.folder / PROCESSED / path.name))
        self._sizes.pop(path, None)
        log.info(
            "%s: read %d, published %d, rejected %d",
            path.name,
            summary.read,
            summary.published,
            len(summary.rejected),
        )
        return summary

    def scan(self) -> list[tuple[str, IngestSummary]]:
        return [(path.name, self.take(path)) for path in self.ready_files()]

    def watch(self, stop: threading.Event, interval: float = 2.0) -> None:
        while not stop.is_set():
            self.scan()
            stop.wait(interval)


def _free_name(path: Path) -> Path:
    """`path`, or `name.1.ext`, `name.2.ext`… when an earlier file of that name is there."""
    candidate, n = path, 0
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}.{n}{path.suffix}")
    return candidate
