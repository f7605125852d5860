"""JSON Lines: one concern submission per line, in the hub's own submission shape.

The agency comes from who is sending (the credential or `--agency`), never from the file: a
line naming another agency is rejected.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from marshmallow import ValidationError

from connectors.base import Rejected
from hub.schemas import ConcernSubmissionSchema, to_event

_SUBMISSION = ConcernSubmissionSchema()


def parse(lines: Iterable[str], agency: str) -> Iterator[dict | Rejected]:
    """Yield a canonical event or a `Rejected` for every non-blank line, in order."""
    for number, line in enumerate(lines, start=1):
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
        try:
            yield to_event(_SUBMISSION.load(data))
        except ValidationError as exc:
            yield Rejected(number, "invalid_event", exc.normalized_messages())
