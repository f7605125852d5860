"""Reading a CSV export with a header row into rows, numbered by the physical line where each
starts (header = line 1), counting the lines inside quoted fields.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from connectors.base import Rejected
from connectors.profiles.profile import Profile
from connectors.profiles.rows import Item, missing_columns
from connectors.profiles.text import column_name


class _Lines:
    """The physical lines of a file, fed to csv.reader one at a time, so we always know how
    many lines a row took and can start again on any line."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.pos = 0  # lines consumed

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.pos >= len(self.lines):
            raise StopIteration
        self.pos += 1
        return self.lines[self.pos - 1]


def _not_utf8(line: bytes, exc: UnicodeDecodeError) -> str:
    return f"Not UTF-8: byte 0x{line[exc.start]:02x} at column {exc.start + 1}."


def csv_rows(data: bytes, profile: Profile) -> Iterator[Item]:
    lines: list[str] = []
    bad_lines: dict[int, str] = {}  # line number -> what is wrong with its encoding
    for number, line in enumerate(data.splitlines(keepends=True), start=1):
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError as exc:
            bad_lines[number] = _not_utf8(line, exc)
            lines.append(line.decode("utf-8", "surrogateescape"))
    src = _Lines(lines)
    reader = csv.reader(src)
    header: list[str] | None = None
    header_line = 1
    while True:
        start = src.pos + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            message = (
                f"Line {start} cannot be read as CSV: {exc}. Reading resumes at line {start + 1}."
            )
            yield start, Rejected(start, "invalid_csv", {"row": [message]})
            src.pos, reader = start, csv.reader(src)
            continue
        end = src.pos
        width = len(header) if header is not None else len(row)
        if end > start and _broken_quote(lines, start, end, width, len(row)):
            message = (
                f"A quoted field opened on line {start} does not close where the row should end "
                f"(lines {start}-{end} read as one row of {len(row)} fields; the header has "
                f"{width}). Reading resumes at line {start + 1}."
            )
            yield start, Rejected(start, "invalid_csv", {"row": [message]})
            src.pos, reader = start, csv.reader(src)
            continue
        encoding = [f"Line {n}: {bad_lines[n]}" for n in range(start, end + 1) if n in bad_lines]
        if header is None:
            if not any(cell.strip() for cell in row):
                continue
            if encoding:
                yield start, Rejected(start, "invalid_encoding", {"header": encoding})
                return
            header_line, header = start, [column_name(cell) for cell in row]
            problem = _header_problem(header, profile)
            if problem:
                yield start, problem
                return
            continue
        if encoding:
            yield start, Rejected(start, "invalid_encoding", {"row": encoding})
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            message = (
                f"The row has {len(row)} fields; the header (line {header_line}) has {len(header)}."
            )
            yield start, Rejected(start, "wrong_field_count", {"row": [message]})
            continue
        yield start, dict(zip(header, row, strict=True))
    if header is None:
        expected = ", ".join(profile.required)
        message = f"The file has no header row. Expected at least: {expected}."
        yield 1, Rejected(1, "empty_file", {"header": [message]})


def _broken_quote(lines: list[str], start: int, end: int, width: int, found: int) -> bool:
    """A row spanning several lines is a broken quote, not a note with line breaks, when it
    ran to the end of the file inside quotes, or when it has the wrong number of fields and a
    line it swallowed is a complete row by itself."""
    if end == len(lines):
        try:
            list(csv.reader(io.StringIO("".join(lines[start - 1 : end])), strict=True))
        except csv.Error:
            return True
    if found == width:
        return False
    for text in lines[start:end]:
        try:
            if len(next(csv.reader([text]), [])) == width:
                return True
        except csv.Error:
            continue
    return False


def _header_problem(header: list[str], profile: Profile) -> Rejected | None:
    named = [name for name in header if name]
    duplicates = sorted({name for name in named if named.count(name) > 1})
    if duplicates:
        return Rejected(
            1,
            "duplicate_column",
            {"header": [f"Columns named more than once: {', '.join(duplicates)}."]},
        )
    missing = [name for name in profile.required if name not in header]
    if missing:
        return missing_columns(1, missing, named)
    return None
