"""How codes and values are compared, quoted in messages and cut to size."""

from __future__ import annotations

import re

MAX_TEXT = 4000  # the canonical summary and action_taken limit
MAX_ROLE = 120  # the canonical recorded_by limit


def norm_code(value: str) -> str:
    """How codes and choices are compared: case, spaces, underscores and hyphens don't matter."""
    return re.sub(r"[\s_\-]+", " ", value.strip().lower())


def show(value: str, limit: int = 60) -> str:
    """A value quoted for a message, cut short so a huge or hostile value stays readable."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


def clip(text: str, limit: int = MAX_TEXT) -> str:
    """Free text longer than the canonical limit is cut, saying so, rather than lost."""
    if len(text) <= limit:
        return text
    marker = f" […cut: {len(text)} characters in the source]"
    return text[: limit - len(marker)] + marker
