"""JSON Lines: one concern submission per line, in the hub's own submission shape.

The agency comes from who is sending (the credential or `--agency`), never from the file: a
line naming another agency is rejected.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from connectors.base import Rejected, decode_lines, to_event_or_reject


def parse(raw: bytes, agency: str) -> Iterator[dict | Rejected]:
    """Yield a canonical event or a `Rejected` for every non-blank line, in order."""
    for number, line in decode_lines(raw):
        if isinstance(line, Rejected):
            yield line
            continue
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Rejected(number, "invalid_json", {"line": [f"{exc.msg} at column {exc.colno}"]})
            continue
        if not isinstance(data, dict):
            yield Rejected(number, "invalid_json", {"line": ["Expected a JSON object."]})
            continue
        claimed = data.setdefault("agency", agency)
        if claimed != agency:
            yield Rejected(number, "wrong_agency", {"agency": [f"This feed is {agency}."]})
            continue
        yield to_event_or_reject(data, number)
