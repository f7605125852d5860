"""One payload from one agency, in one format, onto the bus: parse, publish the good, keep
the rest with their reasons. Used by `mash ingest`, the drop folder, HTTP feeds and MLLP."""

from __future__ import annotations

from collections.abc import Callable

from connectors import parser_for
from connectors.base import IngestSummary, Rejected, publish
from hub.bus import Bus


def ingest(
    bus: Bus,
    topic: str,
    agency: str,
    fmt: str,
    raw: bytes,
    on_item: Callable[[dict | Rejected], None] | None = None,
) -> IngestSummary:
    """Publish every event the payload holds (flushed before returning) and collect the
    rejects. Running it again on the same payload publishes the same event ids: the pipeline
    stores them once, so a connector restarted mid-file can simply start the file again."""
    summary = IngestSummary()

    def events():
        for item in parser_for(fmt)(raw, agency):
            summary.read += 1
            if on_item is not None:
                on_item(item)
            if isinstance(item, Rejected):
                summary.rejected.append(item)
            else:
                yield item

    summary.published = publish(bus, topic, events())
    return summary
