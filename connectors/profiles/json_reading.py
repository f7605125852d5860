"""Reading a JSON array of objects (numbered by position) or JSON Lines (numbered by physical
line) into rows: keys as column names, scalar values as the text they would be in a cell.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from connectors.base import Rejected, decode_lines
from connectors.csvrows import column_name
from connectors.profiles.profile import Profile
from connectors.profiles.rows import Item, Problems

_NOT_UTF8 = re.compile("[\udc80-\udcff]")  # bytes kept by the surrogateescape error handler


def _surrogate(text: str, start: int, end: int) -> str | None:
    """Where, if anywhere, a byte that was not UTF-8 sits in text[start:end]."""
    match = _NOT_UTF8.search(text, start, end)
    if not match:
        return None
    at = match.start()
    line = text.count("\n", 0, at) + 1
    column = at - text.rfind("\n", 0, at)
    byte = ord(match.group()) - 0xDC00
    return f"Not UTF-8: byte 0x{byte:02x} at line {line}, character {column} of the file."


def _json_error(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at line {exc.lineno} column {exc.colno}."
    if isinstance(exc, RecursionError):
        return "Nested too deeply to read."
    return f"{exc}."


def _skip_ws(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t\r\n":
        at += 1
    return at


def json_array(data: bytes, profile: Profile) -> Iterator[Item]:
    text = data.decode("utf-8", "surrogateescape")
    decoder = json.JSONDecoder()
    at = _skip_ws(text, text.index("[") + 1)
    if at < len(text) and text[at] == "]":
        yield from _json_trailing(text, at + 1, 1)
        return
    position = 0
    while True:
        position += 1
        try:
            item, end = decoder.raw_decode(text, at)
        except (ValueError, RecursionError) as exc:
            where = getattr(exc, "pos", at)
            bad = _surrogate(text, where, where + 1)
            reason, message = ("invalid_encoding", bad) if bad else ("invalid_json", None)
            message = message or (
                f"{_json_error(exc)} Item {position} and any after it cannot be read."
            )
            yield position, Rejected(position, reason, {"item": [message]})
            return
        bad = _surrogate(text, at, end)
        if bad:
            yield position, Rejected(position, "invalid_encoding", {"item": [bad]})
        else:
            yield position, _json_item(item, position, profile)
        at = _skip_ws(text, end)
        if at < len(text) and text[at] == ",":
            at = _skip_ws(text, at + 1)
            continue
        if at < len(text) and text[at] == "]":
            yield from _json_trailing(text, at + 1, position + 1)
            return
        found = f"found {text[at]!r}" if at < len(text) else "the file ends (truncated?)"
        message = f"Expected ',' or ']' after item {position}; {found}."
        yield position + 1, Rejected(position + 1, "invalid_json", {"file": [message]})
        return


def _json_trailing(text: str, at: int, position: int) -> Iterator[Item]:
    if text[at:].strip():
        message = "Text after the closing ']' of the array was not read."
        yield position, Rejected(position, "invalid_json", {"file": [message]})


def json_objects(data: bytes, profile: Profile) -> Iterator[Item]:
    """One JSON object (possibly over several lines), or JSON Lines."""
    text = data.decode("utf-8", "surrogateescape")
    try:
        whole = json.loads(text)
    except (ValueError, RecursionError):
        whole = None
    if isinstance(whole, dict):
        bad = _surrogate(text, 0, len(text))
        if bad:
            yield 1, Rejected(1, "invalid_encoding", {"item": [bad]})
        else:
            yield 1, _json_item(whole, 1, profile)
        return
    for number, line in decode_lines(data):
        if isinstance(line, Rejected):
            yield number, line
            continue
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except (ValueError, RecursionError) as exc:
            yield number, Rejected(number, "invalid_json", {"line": [_json_error(exc)]})
            continue
        yield number, _json_item(item, number, profile)


def _json_item(item: Any, position: int, profile: Profile) -> dict[str, str] | Rejected:
    """A JSON object as a row: keys as column names, scalar values as the text they'd be in
    a CSV cell (null → blank, true/false → yes/no)."""
    if not isinstance(item, dict):
        found = type(item).__name__.replace("dict", "object").replace("list", "array")
        return Rejected(position, "invalid_json", {"item": [f"Expected an object, found {found}."]})
    row: dict[str, str] = {}
    problems = Problems()
    for key, value in item.items():
        name = column_name(key)
        if name in row:
            problems.add("duplicate_column", key, f"Another key is the same column ({name}).")
        if value is None:
            row[name] = ""
        elif isinstance(value, bool):
            row[name] = "yes" if value else "no"
        elif isinstance(value, str | int | float):
            row[name] = str(value)
        elif name in profile.columns:
            kind = "an object" if isinstance(value, dict) else "an array"
            message = f"Expected text, a number, true/false or null; found {kind}."
            problems.add("invalid_value", key, message)
        else:
            row[name] = ""  # a column the profile does not read
    if problems.reasons:
        return Rejected(position, problems.reasons[0], problems.fields)
    return row
