"""Turn names as agencies type them into comparable keys."""

from __future__ import annotations

import re

from anyascii import anyascii

_NOT_LETTER = re.compile(r"[^a-z ]+")
_SPACES = re.compile(r"\s+")


def name_key(name: str | None) -> str | None:
    """Lower-case ASCII letters and single spaces: 'Zoë  O'Brien-Smith' -> 'zoe obrien smith'."""
    if not name:
        return None
    ascii_name = anyascii(name).lower().replace("'", "").replace("-", " ")
    key = _SPACES.sub(" ", _NOT_LETTER.sub(" ", ascii_name)).strip()
    return key or None
