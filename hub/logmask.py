"""Mask personal data in log records before any handler can write them.

Logs are copied, shipped and kept far longer than the database rows they describe, and they are
read by people who have no business seeing a child's identity. Every record's final text is
therefore scrubbed of NHS numbers, UPNs, bare dates (dates of birth), postcodes, e-mail addresses,
phone numbers and the values of keys that hold names, identifiers, addresses and concern text.

Where the masking happens, and why there:

* A filter on the root *logger* is not enough: logger filters only see records logged to that
  logger directly, never records propagated from ``hub.pipeline``, ``kafka``, ``werkzeug``…
* A filter on each root *handler* misses handlers added later (gunicorn's, a test's capture).
* So :func:`install` wraps the log-record factory: every record, from every logger, is masked once
  as it is created, before it can reach any handler, whenever that handler was added. The same
  masking is also attached as a :class:`MaskingFilter` to the root handlers that exist at install
  time, as a second line for records built without the factory (``logging.makeLogRecord``, e.g.
  from a socket) or changed after creation.

Masking is a best effort on text: a bare name in free prose ("seen with Amelia") cannot be told
from any other word, so code should still log ids, not people. Names are caught when they come as
the value of a known key (``given_name='Amelia'``, ``"family_name": "Smith"``), which is how they
appear in dict, dataclass and JSON dumps. ``extra=`` attributes are not masked: don't put personal
data there.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

MASK = "***"

# Keys whose values are personal data. Any key containing "name" counts (given_name, surname,
# previous_names…); over-masking a `hostname` is a cheap price. `q` is the search box parameter.
_KEYS = (
    r"[a-z_]*names?"
    r"|date_of_birth|birth_?date|dob"
    r"|nhs_number|nhs_no|nhs|upn"
    r"|addresse?s?|address_line\d?|lines?\d?|street|postcode|post_code"
    r"|e_?mail|phone(?:_number)?|telephone|mobile"
    r"|summary|action_taken"
    r"|q"
)
_VALUE = (
    r'"(?:[^"\\\n]|\\.)*"'  # "double quoted"
    r"|'(?:[^'\\\n]|\\.)*'"  # 'single quoted'
    r"|\[[^\[\]\n]*\]"  # [a, list] (one level; may hold objects)
    r"|\{[^{}\n]*\}"  # {an: object} (one level; may hold lists)
    r"|(?:datetime\.)?date\([^()\n]*\)"  # datetime.date(2015, 3, 1)
    r"|(?!(?:None|null)(?![\w-]))[^\s,;&(){}\[\]\"']+"  # bare token; keep None/null visible
)
_KEY_VALUE = re.compile(
    rf"(?P<key>(?<![\w-])(?P<q>[\"']?)(?:{_KEYS})(?P=q))(?P<sep>\s*[:=]\s*)(?P<val>{_VALUE})",
    re.IGNORECASE,
)

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
# A date followed by a time of day is a timestamp, not a date of birth: keep it.
_NOT_A_TIMESTAMP = r"(?![\d/-])(?!\.\d)(?!T\d)(?! \d{1,2}:\d{2})"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Order matters: identifiers before phone numbers (a spaced NHS number could look like one), and
# every replacement is `***`, which no pattern matches, so masking twice changes nothing.
# Each pattern needs a digit; most log lines have few, and then the work is a cheap scan.
_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        # UPN: a check letter, 11 digits, then a digit (or a letter for a temporary UPN)
        r"(?<![\w-])[a-z]\d{11}[0-9a-z](?![\w-])",
        # NHS number: 10 digits, or 3-3-4 spaced/hyphenated the same way
        r"(?<![\w-])\d{3}([ -]?)\d{3}\1\d{4}(?![\w-])",
        # dates: YYYY-MM-DD (also / or .), DD/MM/YYYY (also - or .), DD/MM/YY
        rf"(?<![\d/.-])\d{{4}}([-/.])\d{{1,2}}\1\d{{1,2}}{_NOT_A_TIMESTAMP}",
        rf"(?<![\d/.-])\d{{1,2}}([-/.])\d{{1,2}}\1\d{{4}}{_NOT_A_TIMESTAMP}",
        rf"(?<![\d/.-])\d{{1,2}}/\d{{1,2}}/\d{{2}}{_NOT_A_TIMESTAMP}",
        # dates: 1 March 2015, 01-Mar-2015, March 1st, 2015
        rf"(?<![\w-])\d{{1,2}}(?:st|nd|rd|th)?[ -]{_MONTH}[ -]\d{{4}}(?![\w-])",
        rf"(?<![\w-]){_MONTH} \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}(?![\w-])",
        # dates: YYYYMMDD, as HL7 v2 sends a date of birth
        r"(?<![\w-])(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?![\w-])",
        # dates: repr of a date object (a datetime keeps its time and is left alone)
        r"(?<![\w.])(?:datetime\.)?date\(\s*\d{4},\s*\d{1,2},\s*\d{1,2}\s*\)",
        # phone numbers: +44 7700 900123, +44 (0)20 7946 0000, (020) 7946 0000, 07700 900123
        r"(?<![\w+-])(?:\+\d{1,3}[ -]?(?:\(0\)[ -]?)?|\(0\d{1,4}\)[ -]?|0(?=[1-9]))"
        r"\d(?:[ -]?\d){7,11}(?![\w-])",
        # UK postcodes: LS1 4AB, SW1A 1AA, ls14ab
        r"(?<![\w-])[a-z]{1,2}\d[a-z\d]? ?\d[a-z]{2}(?![\w-])",
    )
)
_DIGIT = re.compile(r"\d")

_MASKED = "_mash_masked"
_INNER = "_mash_logmask_inner"


def _mask_value(match: re.Match[str]) -> str:
    value = match.group("val")
    quote = value[0] if value[0] in "\"'" else match.group("q")
    return f"{match.group('key')}{match.group('sep')}{quote}{MASK}{quote}"


def mask(text: str) -> str:
    """Return `text` with personal data replaced by ``***``; idempotent."""
    if not text:
        return text
    if ":" in text or "=" in text:
        text = _KEY_VALUE.sub(_mask_value, text)
    if "@" in text:
        text = _EMAIL.sub(MASK, text)
    if _DIGIT.search(text):
        for pattern in _PATTERNS:
            text = pattern.sub(MASK, text)
    return text


def _message(record: logging.LogRecord) -> str:
    try:
        return record.getMessage()
    except Exception:  # a bad format string must not lose the record, nor raise while logging
        return f"{record.msg!s} (unformattable arguments: {record.args!r})"


def mask_record(record: logging.LogRecord) -> logging.LogRecord:
    """Format the record's message, mask it and its exception text, and store them back.

    `args` becomes None (the message is final) and `exc_info` is dropped once its text is
    rendered and masked, so that no handler can render the raw traceback again.
    """
    if getattr(record, _MASKED, False) and record.args is None:
        return record
    record.msg = mask(_message(record))
    record.args = None
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    record.exc_info = None
    if record.exc_text:
        record.exc_text = mask(record.exc_text)
    if record.stack_info:
        record.stack_info = mask(record.stack_info)
    setattr(record, _MASKED, True)
    return record


class MaskingFilter(logging.Filter):
    """A handler (or logger) filter that masks each record it sees and never drops one."""

    def filter(self, record: logging.LogRecord) -> bool:
        mask_record(record)
        return True


def _masking_factory(inner: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return mask_record(inner(*args, **kwargs))

    setattr(factory, _INNER, inner)
    return factory


def install() -> None:
    """Mask every log record of this process from now on. Safe to call more than once.

    Call it at process start-up, before the first record that might carry personal data.
    """
    current = logging.getLogRecordFactory()
    if getattr(current, _INNER, None) is None:
        logging.setLogRecordFactory(_masking_factory(current))
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, MaskingFilter) for f in handler.filters):
            handler.addFilter(MaskingFilter())


def uninstall() -> None:
    """Undo :func:`install` (for tests)."""
    current = logging.getLogRecordFactory()
    inner = getattr(current, _INNER, None)
    if inner is not None:
        logging.setLogRecordFactory(inner)
    for handler in logging.getLogger().handlers:
        for f in [f for f in handler.filters if isinstance(f, MaskingFilter)]:
            handler.removeFilter(f)
