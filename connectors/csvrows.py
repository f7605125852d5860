"""Reading agency CSV exports row by row, and the values in them, with rejects a person can act on.

Two layers, both pure, for any connector whose agency system exports a CSV file:

`read_rows(raw, required, optional)` splits the bytes into rows and yields, in file order, a
`CsvRow` (its values by column name) or a `Rejected` for one row. What it guarantees:

- Line numbers are physical lines of the file (header = line 1, blank lines counted). A row whose
  quoted field holds line breaks is numbered by the line it starts on, and the rows after it keep
  their true line numbers.
- The header is checked once: an empty file or missing required columns give one
  "missing_column" at line 1 (naming the missing columns and the columns found), a column named
  twice one "duplicate_column", an undecodable header one "invalid_encoding" or "invalid_csv", and
  nothing else is read. Column names are compared without case or surrounding spaces, and spaces
  or hyphens count as underscores (`column_name`). Columns the connector does not know are allowed
  and ignored; an `optional` column that is absent reads as "".
- Encoding is checked per row: a row with a line that is not UTF-8 (or holds a NUL byte) is
  rejected alone as "invalid_encoding", saying the line, byte and column; its neighbours still go
  through. A UTF-8 byte-order mark is allowed. Quotes, delimiters and line breaks are ASCII, so the
  rows are split on the bytes before decoding and a bad byte cannot shift the rows after it.
- Structure is checked per row as "invalid_csv": a field count other than the header's, a
  character after a closing quote, a quoted field never closed. When such a row spans several
  lines, a stray quote may have swallowed the rows after it: only its first line is rejected, and
  reading resumes on the next line, so those rows still go through.
- Rows that are blank or hold only delimiters (spreadsheet padding) are skipped: they carry no data.
- Quoting is RFC 4180: fields may be quoted, a quote inside a quoted field is doubled, quoted
  fields may contain delimiters and line breaks (kept as "\\n"). A quote inside an unquoted field
  is an ordinary character. Values are stripped of surrounding spaces.

`Cells(row)` reads typed values out of one row — text, codes, dates, times, numbers, NHS numbers,
UPNs, postcodes, ONS area codes, record status and revision — and collects every problem under the
CSV column's own name, so one `Rejected(line, "invalid_value", {column: [message]})` tells the
sender everything wrong with the row at once. Messages quote the offending value.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from stdnum import exceptions as stdnum_errors
from stdnum.gb import nhs, upn

from connectors.base import Rejected
from hub.schemas import EARLIEST_BIRTH, FUTURE_TOLERANCE, UK_POSTCODE

LONDON = ZoneInfo("Europe/London")
BOM = b"\xef\xbb\xbf"
_QUOTE = ord('"')
_LF = ord("\n")


@dataclass(frozen=True)
class CsvRow:
    """One data row: the physical line it starts on and its values by (lower-case) column name."""

    line: int
    values: Mapping[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "")


# --------------------------------------------------------------------------------------------
# Splitting bytes into rows
# --------------------------------------------------------------------------------------------


@dataclass
class _Record:
    line: int  # first physical line
    lines: list[bytes]  # the physical lines it spans, without their line endings
    fields: list[bytes]
    error: str | None = None
    quote_column: int = 0  # where the quoted field running past the first line opens


def _split(lines: list[bytes], delimiter: int, index: int = 0) -> Iterator[_Record]:
    """Split lines[index:] into records (RFC 4180 quoting), keeping physical line numbers."""
    count = len(lines)
    while index < count:
        line = lines[index]
        if _QUOTE not in line:  # fast path: no quoting on this line
            yield _Record(index + 1, [line], line.split(bytes([delimiter])))
            index += 1
            continue
        start = index
        fields: list[bytes] = []
        field = bytearray()
        error: str | None = None
        state = "start"  # start | plain | quoted | after_quote
        opened, quote_column = (0, 0), 0
        while True:
            line = lines[index]
            for column, byte in enumerate(line, start=1):
                if state == "quoted":
                    if byte == _QUOTE:
                        state = "after_quote"
                    else:
                        field.append(byte)
                elif state == "after_quote":
                    if byte == _QUOTE:  # a doubled quote is a literal quote
                        field.append(byte)
                        state = "quoted"
                    elif byte == delimiter:
                        fields.append(bytes(field))
                        field.clear()
                        state = "start"
                    else:
                        if error is None:
                            error = (
                                f"Unexpected {chr(byte)!r} after a closing quote at line "
                                f"{index + 1}, column {column} (write a quote inside a quoted "
                                'field as two quotes: "").'
                            )
                        field.append(byte)
                        state = "plain"
                elif byte == delimiter:
                    fields.append(bytes(field))
                    field.clear()
                    state = "start"
                elif state == "start" and byte == _QUOTE:
                    state = "quoted"
                    opened = (index + 1, column)
                else:
                    field.append(byte)
                    state = "plain"
            if state != "quoted":
                break
            if index + 1 >= count:
                error = (
                    f"The quoted field opened at line {opened[0]}, column {opened[1]} is never "
                    "closed, so it runs to the end of the file."
                )
                break
            field.append(_LF)  # a line break inside a quoted field is part of the value
            quote_column = quote_column or opened[1]  # the quote that runs past line 1
            index += 1
        fields.append(bytes(field))
        yield _Record(start + 1, lines[start : index + 1], fields, error, quote_column)
        index += 1


def _encoding_problem(record: _Record) -> str | None:
    for offset, line in enumerate(record.lines):
        where = f"line {record.line + offset}, " if len(record.lines) > 1 else ""
        nul = line.find(b"\x00")
        if nul >= 0:
            return f"NUL byte (0x00) at {where}column {nul + 1}: this is not text."
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as exc:
            return f"Not UTF-8: byte 0x{line[exc.start]:02x} at {where}column {exc.start + 1}."
    return None


def _blank(record: _Record, delimiter: int) -> bool:
    strip = b" \t" + bytes([delimiter])
    return record.error is None and all(not line.strip(strip) for line in record.lines)


def _column_list(names: Iterable[str]) -> str:
    return ", ".join(names) or "(none)"


def column_name(name: str) -> str:
    """How column names are compared: " Case Ref" and "case-ref" are both case_ref."""
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def missing_columns(line: int, missing: Iterable[str], found: Iterable[str]) -> Rejected:
    """The reject for required columns (or a JSON object's keys) that are absent."""
    return Rejected(
        line,
        "missing_column",
        {
            "header": [
                f"Missing required column(s): {_column_list(missing)}.",
                f"Columns found: {_column_list(found)}.",
            ]
        },
    )


def _header(raw: bytes, header: _Record | None, required: list[str]) -> list[str] | Rejected:
    """The header's column names, or why the file cannot be read."""
    if header is None:
        message = (
            f"The file is empty: expected a header naming the columns {_column_list(required)}."
        )
        return Rejected(1, "missing_column", {"header": [message]})
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        problem, reason = "The file is UTF-16; export it as UTF-8.", "invalid_encoding"
    elif header.error:
        problem, reason = header.error, "invalid_csv"
    else:
        problem, reason = _encoding_problem(header), "invalid_encoding"
    if problem:
        return Rejected(1, reason, {"header": [problem, "No row can be read without the header."]})
    names = [column_name(field.decode("utf-8")) for field in header.fields]
    duplicated = sorted(name for name, n in Counter(names).items() if name and n > 1)
    if duplicated:
        message = f"Column(s) named more than once: {_column_list(duplicated)}."
        return Rejected(1, "duplicate_column", {"header": [message]})
    missing = [name for name in required if name not in names]
    return missing_columns(1, missing, (n for n in names if n)) if missing else names


def _problems(record: _Record, width: int, delimiter: str) -> list[str]:
    """What is wrong with a record's structure (nothing: an empty list)."""
    found = len(record.fields)
    if found == width and not record.error:
        return []
    if len(record.lines) > 1:
        end = record.line + len(record.lines) - 1
        broken = f"have {found} fields (the header has {width})" if found != width else "are broken"
        return [
            f"The quoted field opened at column {record.quote_column} runs past the end of the "
            f"line: read as one row, lines {record.line}-{end} {broken}.",
            *([record.error] if record.error else []),
        ]
    if record.error:
        return [record.error]
    hint = (
        f"an unquoted {delimiter!r} in a value?"
        if found > width
        else "a value left out, or a line break in an unquoted value?"
    )
    return [f"Expected {width} fields, as in the header, but found {found} ({hint})."]


def read_rows(
    raw: bytes,
    required: Iterable[str],
    optional: Iterable[str] = (),
    *,
    delimiter: str = ",",
) -> Iterator[CsvRow | Rejected]:
    """Yield a `CsvRow` or a `Rejected` for every non-blank data row of a CSV file, in order;
    or a single `Rejected` at line 1 when the header makes the file unreadable. Never raises
    on any bytes (only on a delimiter that cannot work: a programming error)."""
    if len(delimiter) != 1 or not delimiter.isascii() or delimiter in '"\r\n':
        raise ValueError("The delimiter must be one ASCII character other than a quote or newline.")
    sep = ord(delimiter)
    if raw.startswith(BOM):
        raw = raw[len(BOM) :]
    lines = raw.splitlines()  # bytes.splitlines breaks on \r\n, \n and \r only
    records = _split(lines, sep)
    header = next((r for r in records if not _blank(r, sep)), None)
    names = _header(raw, header, [column_name(name) for name in required])
    if isinstance(names, Rejected):
        yield names
        return
    absent = {name: "" for name in map(column_name, optional) if name not in names}
    # A broken row over several lines may be a stray quote that swallowed the rows after it:
    # reject its first line and read the others again, within a budget that keeps the work
    # linear whatever the quoting.
    rereads = len(lines)
    while (record := next(records, None)) is not None:
        if _blank(record, sep):
            continue
        problems = _problems(record, len(names), delimiter)
        if problems and 1 < len(record.lines) <= rereads + 1:
            rereads -= len(record.lines) - 1
            records = _split(lines, sep, record.line)
            record.lines = record.lines[:1]
            problems.append(f"Reading resumes at line {record.line + 1}.")
        encoding = _encoding_problem(record)
        if encoding:
            yield Rejected(record.line, "invalid_encoding", {"line": [encoding]})
        elif problems:
            yield Rejected(record.line, "invalid_csv", {"line": problems})
        else:
            values = {
                name: field.decode("utf-8").strip()
                for name, field in zip(names, record.fields, strict=True)
                if name
            }
            yield CsvRow(record.line, {**values, **absent})


# --------------------------------------------------------------------------------------------
# Reading values out of a row
# --------------------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_ONS_CODE = re.compile(r"[EWSN]\d{8}")
RECORD_STATUSES = ("new", "amended", "withdrawn")
# How exports write sex: codes, words, and blank (not recorded).
SEX_CODES = {
    "f": "female",
    "female": "female",
    "m": "male",
    "male": "male",
    "u": "unknown",
    "unknown": "unknown",
    "not known": "unknown",
}


def _shown(value: str, limit: int = 40) -> str:
    return repr(value if len(value) <= limit else value[:limit] + "…")


class Cells:
    """Typed values of one row; each problem is recorded under its column and the reader
    returns None, so a connector reads every column and then asks `rejected()` once."""

    def __init__(self, row: CsvRow) -> None:
        self.row = row
        self.errors: dict[str, list[str]] = {}

    def error(self, column: str, message: str) -> None:
        self.errors.setdefault(column, []).append(message)

    def rejected(self, reason: str = "invalid_value") -> Rejected | None:
        return Rejected(self.row.line, reason, self.errors) if self.errors else None

    def text(self, column: str, *, required: bool = False, max_len: int = 4000) -> str | None:
        value = self.row.get(column)
        if not value:
            if required:
                self.error(column, "Required: the value is blank.")
            return None
        if len(value) > max_len:
            self.error(column, f"Too long: {len(value)} characters (at most {max_len}).")
            return None
        return value

    def choice(
        self, column: str, allowed: Mapping[str, str] | Iterable[str], *, required: bool = False
    ) -> str | None:
        """A coded value, compared without case; `allowed` maps each accepted spelling (an
        alias such as "M" or "RC8") to the code it means, or lists the codes themselves."""
        value = self.row.get(column)
        codes = dict(allowed) if isinstance(allowed, Mapping) else {a: a for a in allowed}
        if not value:
            if required:
                self.error(column, f"Required: one of {', '.join(dict.fromkeys(codes.values()))}.")
            return None
        lookup = {key.lower(): code for key, code in codes.items()}
        code = lookup.get(value.lower()) or lookup.get(re.sub(r"[ -]+", "_", value.lower()))
        if code is None:
            self.error(
                column,
                f"Unknown value {_shown(value)}: expected one of {', '.join(codes)}.",
            )
        return code

    def _parse_date(self, column: str, value: str) -> tuple[dt.date, str] | None:
        """A date (YYYY-MM-DD or DD/MM/YYYY) and what follows it; None after recording why not."""
        match = _ISO_DATE.match(value)
        if match:
            year, month, day = (int(g) for g in match.groups())
        else:
            match = _UK_DATE.match(value)
            if not match:
                self.error(column, f"Not a date: {_shown(value)} (use YYYY-MM-DD or DD/MM/YYYY).")
                return None
            day, month, year = (int(g) for g in match.groups())
        try:
            date = dt.date(year, month, day)
        except ValueError as exc:
            self.error(column, f"Not a real date: {_shown(value)} ({exc}).")
            return None
        return date, value[match.end() :]

    def date(self, column: str, *, required: bool = False, birth: bool = False) -> dt.date | None:
        """A date alone. `birth`: not in the future and not before 1900."""
        value = self.row.get(column)
        if not value:
            if required:
                self.error(column, "Required: the date is blank.")
            return None
        parsed = self._parse_date(column, value)
        if parsed is None:
            return None
        date, rest = parsed
        if rest.strip():
            self.error(column, f"Not a date: {_shown(value)} (use YYYY-MM-DD or DD/MM/YYYY).")
            return None
        if birth and date > dt.date.today():
            self.error(column, f"A date of birth cannot be in the future: {_shown(value)}.")
            return None
        if birth and date < EARLIEST_BIRTH:
            self.error(column, f"Not a plausible date of birth (before {EARLIEST_BIRTH}).")
            return None
        return date

    def occurred_at(self, column: str, default_time: dt.time = dt.time(9, 0)) -> dt.datetime | None:
        """A required date, optionally followed by a time ("2024-03-05 14:30" or
        "05/03/2024 14:30:00"), read as UK local time (Europe/London, GMT or BST as on that day);
        `default_time` when no time is given. Exactly midnight (00:00 or 00:00:00) counts as no
        time: it is how database exports write a date column, and read literally it would put the
        event on the previous day in UTC.
        Times that do not exist (clocks going forward) and future moments are refused; a time that
        happens twice (clocks going back) is taken as the first (BST)."""
        value = self.row.get(column)
        if not value:
            self.error(column, "Required: the date is blank.")
            return None
        parsed = self._parse_date(column, value)
        if parsed is None:
            return None
        date, rest = parsed
        clock = default_time
        if rest.strip():
            match = _TIME.fullmatch(rest.lstrip(" T"))
            if not match or rest[:1] not in (" ", "T"):
                self.error(
                    column, f"Not a date and time: {_shown(value)} (use e.g. 2024-03-05 14:30)."
                )
                return None
            hour, minute, second = (int(g or 0) for g in match.groups())
            try:
                clock = dt.time(hour, minute, second)
            except ValueError as exc:
                self.error(column, f"Not a real time: {_shown(value)} ({exc}).")
                return None
            if clock == dt.time(0, 0):
                clock = default_time
        if date < EARLIEST_BIRTH:
            self.error(column, f"Not a plausible date: {_shown(value)} (before {EARLIEST_BIRTH}).")
            return None
        local = dt.datetime.combine(date, clock, tzinfo=LONDON)
        try:
            back = local.astimezone(dt.UTC).astimezone(LONDON).replace(tzinfo=None)
        except OverflowError:  # the last hour of 9999-12-31: in the future anyway
            back = None
        if back is not None and back != local.replace(tzinfo=None):
            self.error(
                column, f"{_shown(value)} does not exist in UK time (the clocks went forward)."
            )
            return None
        if local > dt.datetime.now(dt.UTC) + FUTURE_TOLERANCE:
            self.error(column, f"Cannot be in the future: {_shown(value)}.")
            return None
        return local

    def number(
        self, column: str, *, minimum: float, maximum: float, required: bool = False, unit: str = ""
    ) -> float | None:
        """A decimal number within [minimum, maximum]; `unit` (e.g. "%") may follow the number."""
        value = self.row.get(column)
        if not value:
            if required:
                self.error(column, "Required: the number is blank.")
            return None
        bare = value[: -len(unit)].rstrip() if unit and value.endswith(unit) else value
        if not _NUMBER.fullmatch(bare):
            self.error(column, f"Not a number: {_shown(value)}.")
            return None
        number = float(bare)
        if not minimum <= number <= maximum:
            self.error(column, f"Out of range: {_shown(value)} (must be {minimum:g}–{maximum:g}).")
            return None
        return number

    def integer(
        self, column: str, *, minimum: int, maximum: int, required: bool = False
    ) -> int | None:
        value = self.row.get(column)
        if not value:
            if required:
                self.error(column, "Required: the number is blank.")
            return None
        if not value.isascii() or not value.isdigit():
            self.error(column, f"Not a whole number: {_shown(value)}.")
            return None
        number = int(value) if len(value) <= 18 else maximum + 1
        if not minimum <= number <= maximum:
            self.error(column, f"Out of range: {_shown(value)} (must be {minimum}–{maximum}).")
            return None
        return number

    def nhs_number(self, column: str) -> str | None:
        value = self.row.get(column)
        if not value:
            return None
        try:
            return nhs.validate(value)
        except stdnum_errors.InvalidChecksum:
            problem = "the check digit does not match (a keying error?)"
        except stdnum_errors.ValidationError:
            problem = "it must be 10 digits"
        self.error(column, f"Not a valid NHS number: {_shown(value)} — {problem}.")
        return None

    def upn(self, column: str, *, required: bool = False) -> str | None:
        value = self.row.get(column)
        if not value:
            if required:
                self.error(column, "Required: the UPN is blank.")
            return None
        try:
            return upn.validate(value)
        except stdnum_errors.InvalidChecksum:
            problem = "the check letter does not match the other 12 characters (a keying error?)"
        except stdnum_errors.InvalidLength:
            problem = "it must be 13 characters"
        except stdnum_errors.InvalidComponent:
            problem = "characters 2–4 are not an English local authority number"
        except stdnum_errors.ValidationError:
            problem = "it must be a check letter, 11 digits and a final digit or letter"
        self.error(column, f"Not a valid UPN: {_shown(value)} — {problem}.")
        return None

    def postcode(self, column: str) -> str | None:
        value = self.row.get(column)
        if not value:
            return None
        if not re.fullmatch(UK_POSTCODE, value):
            self.error(column, f"Not a UK postcode: {_shown(value)}.")
            return None
        return value.upper()

    def ons_code(self, column: str) -> str | None:
        """An ONS area code such as E08000025 (upper-cased)."""
        value = self.row.get(column)
        if not value:
            return None
        if not _ONS_CODE.fullmatch(value.upper()):
            self.error(
                column,
                f"Not an ONS area code: {_shown(value)} (a letter and 8 digits, e.g. E08000025).",
            )
            return None
        return value.upper()

    def status_and_revision(
        self, status_column: str = "record_status", revision_column: str = "revision"
    ) -> tuple[int, bool]:
        """(revision, withdrawn) from a new|amended|withdrawn status and a revision number.

        A blank status means new and a blank revision means 1 — except for an amendment, which
        must say its revision (2 or more): sent as revision 1 it would share the original's event
        id and be taken for a repeat of it, so the change would be lost."""
        status = self.choice(status_column, RECORD_STATUSES) or "new"
        revision = self.integer(revision_column, minimum=1, maximum=10_000)
        if status == "amended" and revision is None and not self.errors.get(revision_column):
            self.error(revision_column, "An amendment needs its revision number (2 or more).")
        elif status == "amended" and revision == 1:
            self.error(
                revision_column,
                "An amendment must have revision 2 or more (revision 1 is the original).",
            )
        return revision or 1, status == "withdrawn"


def wrong_agency(row: CsvRow, agency: str, column: str = "agency") -> Rejected | None:
    """The sender's agency decides; a row whose own `agency` column names another is refused."""
    claimed = row.get(column)
    if claimed and claimed.lower() != agency:
        return Rejected(
            row.line,
            "wrong_agency",
            {column: [f"This feed is {agency}; the row says {_shown(claimed)}."]},
        )
    return None


def sentence(text: str) -> str:
    """Free text as a sentence of a composed summary: ends with a full stop unless it already
    ends with punctuation."""
    return text if text.endswith((".", "!", "?", ")", '"', "'")) else text + "."
