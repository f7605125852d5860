"""Synthetic submissions for tests. Never real people."""

from __future__ import annotations

import copy
import itertools
from typing import Any

_counter = itertools.count(1)


def submission(**overrides: Any) -> dict:
    """A valid concern submission; override nested parts with dotted keys, e.g. person__upn."""
    n = next(_counter)
    data: dict = {
        "agency": "police",
        "person": {
            "source_ref": f"POL-P{n}",
            "local_authority": "E08000025",
            "given_name": "Amelia",
            "family_name": "Nowak",
            "date_of_birth": "2018-04-12",
            "sex": "female",
            "role": "child",
            "addresses": [{"line": "12 Mill Lane", "postcode": "B12 9QT"}],
        },
        "concern": {
            "ref": f"POL-C{n}",
            "occurred_at": "2026-03-01T21:15:00+00:00",
            "category": "domestic_abuse",
            "severity": "high",
            "sensitivity": "police_intelligence",
            "summary": "Attended domestic incident; child present.",
            "action_taken": "PPN submitted.",
        },
    }
    data = copy.deepcopy(data)
    for key, value in overrides.items():
        target = data
        *path, last = key.split("__")
        for part in path:
            target = target[part]
        if value is _DELETE:
            target.pop(last, None)
        else:
            target[last] = value
    return data


_DELETE = object()
DELETE = _DELETE
