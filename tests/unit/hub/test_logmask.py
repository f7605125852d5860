"""Personal data never leaves a log record unmasked; timestamps and ordinary numbers do."""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Iterator

import pytest

from hub import logmask
from hub.logmask import MASK, MaskingFilter, mask, mask_record

# (kind, text holding personal data, the secrets that must not survive). All synthetic.
PERSONAL = [
    ("nhs number", "nhs 9434765919 linked", ["9434765919"]),
    ("nhs number spaced", "nhs 943 476 5919 linked", ["943 476 5919", "476"]),
    ("nhs number hyphenated", "nhs=943-476-5919", ["943-476-5919"]),
    ("upn", "pupil A123456789012 enrolled", ["A123456789012"]),
    ("temporary upn", "pupil b80120000500A enrolled", ["b80120000500A"]),
    ("iso date", "dob 2015-03-01 given", ["2015-03-01"]),
    ("uk date", "dob 01/03/2015 given", ["01/03/2015"]),
    ("uk short date", "dob 1/3/15 given", ["1/3/15"]),
    ("dotted date", "dob 01.03.2015 given", ["01.03.2015"]),
    ("date at sentence end", "born 2015-03-01.", ["2015-03-01"]),
    ("written date", "born 1 March 2015 in Leeds", ["March 2015"]),
    ("hl7 date", "PID|1||X^^^NHS||Smith^Amelia||20150301|F", ["20150301"]),
    ("date repr", "dob=datetime.date(2015, 3, 1)", ["2015, 3, 1"]),
    ("postcode", "moved to LS1 4AB last week", ["LS1 4AB"]),
    ("postcode compact lower", "moved to sw1a1aa", ["sw1a1aa"]),
    ("email", "wrote to amelia.smith+mash@example.org.uk", ["amelia.smith", "example.org"]),
    ("mobile", "call 07700 900123", ["07700 900123", "900123"]),
    ("landline", "call (020) 7946 0000 or 0113 496 0000", ["7946", "496 0000"]),
    ("international", "call +44 (0)20 7946 0000", ["7946"]),
    (
        "json person",
        '{"given_name": "Amelia", "middle_names": "Rose", "family_name": "Okafor",'
        ' "name": "Amelia Okafor", "date_of_birth": "2015-03-01", "nhs_number": "9434765919",'
        ' "upn": "A123456789012", "addresses": [{"line": "1 Mill Lane", "postcode": "LS1 4AB"}]}',
        ["Amelia", "Rose", "Okafor", "2015", "9434765919", "A123456789012", "Mill", "LS1"],
    ),
    (
        "json address object",
        '{"address": {"line": "1 Mill Lane", "town": "Leeds"}}',
        ["Mill", "Leeds"],
    ),
    (
        "python repr",
        "{'given_name': 'Amelia', 'family_name': \"O'Neil\", 'postcode': 'LS1 4AB'}",
        ["Amelia", "O'Neil", "LS1"],
    ),
    (
        "dataclass repr",
        "SourceRecord(given_name='Amelia', family_name='Okafor', line='1 Mill Lane')",
        ["Amelia", "Okafor", "Mill"],
    ),
    ("key=value", "given_name=Amelia family_name=Okafor role=child", ["Amelia", "Okafor"]),
    ("search query", "GET /search?q=Okafor&page=2", ["Okafor"]),
]

# Text that must come through untouched.
ORDINARY = [
    "stored 200 events",
    "partition 3 offset 12345",
    "partition 0 offset 123456789",
    "log line at 2026-11-23 18:00:01,123 kept",
    "occurred at 2026-11-23T18:00:01+00:00",
    "occurred at 2026-11-23T18:00:01.123456Z",
    "window 23/11/2026 18:00 to 19:00",
    "took 12.5 ms; HTTP/1.1 404; python 3.11.7; 10.0.0.1:9092",
    "event 550e8400-e29b-41d4-a716-446655440000 replayed",
    "person 42 merged into 17 (score 0.93, model v3)",
    'File "/work/main/hub/pipeline.py", line 42, in handle',
    "datetime.datetime(2026, 11, 23, 18, 0)",
    '{"nhs_number": null, "upn": None, "role": "child", "severity": "high"}',
    "pipeline starting: sqlite:///data/mash.db, embedded bus",
]

KINDS = [pytest.param(text, secrets, id=kind) for kind, text, secrets in PERSONAL]


def _record(msg: object, args: object = None, exc_info: object = None) -> logging.LogRecord:
    return logging.LogRecord("hub.test", logging.INFO, __file__, 1, msg, args, exc_info)  # type: ignore[arg-type]


def _assert_masked(text: str, secrets: list[str]) -> None:
    assert MASK in text
    for secret in secrets:
        assert secret not in text


@pytest.mark.parametrize(("text", "secrets"), KINDS)
def test_masked_in_the_message(text: str, secrets: list[str]) -> None:
    record = mask_record(_record(text))
    _assert_masked(record.getMessage(), secrets)
    assert record.args is None


@pytest.mark.parametrize(("text", "secrets"), KINDS)
def test_masked_in_the_arguments(text: str, secrets: list[str]) -> None:
    record = mask_record(_record("seen: %s (%d)", (text, 7)))
    assert record.getMessage().startswith("seen: ")
    assert record.getMessage().endswith(" (7)")
    _assert_masked(record.getMessage(), secrets)
    assert record.args is None


@pytest.mark.parametrize(("text", "secrets"), KINDS)
def test_masked_in_the_exception_text(text: str, secrets: list[str]) -> None:
    try:
        raise ValueError(text)
    except ValueError:
        record = mask_record(_record("failed", exc_info=sys.exc_info()))
    assert record.exc_info is None  # no handler can render the raw traceback again
    assert record.exc_text is not None
    assert "ValueError" in record.exc_text
    _assert_masked(record.exc_text, secrets)
    _assert_masked(logging.Formatter().format(record), secrets)


@pytest.mark.parametrize(("text", "secrets"), KINDS)
def test_masking_is_idempotent(text: str, secrets: list[str]) -> None:
    once = mask(text)
    assert mask(once) == once


@pytest.mark.parametrize("text", ORDINARY)
def test_timestamps_and_ordinary_numbers_survive(text: str) -> None:
    assert mask(text) == text
    assert mask_record(_record("%s", (text,))).getMessage() == text


def test_dict_arguments_and_non_string_messages() -> None:
    record = mask_record(
        _record("child %(given_name)s, nhs %(nhs)s", {"given_name": "Amelia", "nhs": 9434765919})
    )
    assert record.getMessage() == "child Amelia, nhs ***"  # a bare name in prose has no key
    record = mask_record(_record({"family_name": "Okafor", "n": 3}))
    assert record.getMessage() == "{'family_name': '***', 'n': 3}"


def test_a_bad_format_string_does_not_raise() -> None:
    record = mask_record(_record("count %d", ("9434765919",)))
    assert "9434765919" not in record.getMessage()
    assert "unformattable" in record.getMessage()


@pytest.fixture
def installed() -> Iterator[None]:
    factory = logging.getLogRecordFactory()
    logmask.install()
    try:
        yield
    finally:
        logmask.uninstall()
        assert logging.getLogRecordFactory() is factory


@pytest.fixture
def stream_logger() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("tests.logmask")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield logger, stream
    finally:
        logger.removeHandler(handler)
        logger.propagate = True


def test_a_real_logger_emits_no_personal_data(installed: None, stream_logger) -> None:
    logger, stream = stream_logger
    person = {
        "given_name": "Amelia",
        "family_name": "Okafor",
        "date_of_birth": "2015-03-01",
        "nhs_number": "943 476 5919",
        "addresses": [{"line": "1 Mill Lane", "postcode": "LS1 4AB"}],
    }
    logger.info("linked %s to person %d", person, 42)
    logger.warning("dob %s postcode %s nhs %s", "01/03/2015", "LS1 4AB", 9434765919)
    try:
        raise KeyError(f"no match for {person!r}")
    except KeyError:
        logger.exception("matching failed for %s", person)

    out = stream.getvalue()
    for secret in ["Amelia", "Okafor", "2015", "943 476 5919", "9434765919", "Mill", "LS1 4AB"]:
        assert secret not in out
    assert "to person 42" in out
    assert "Traceback" in out and "KeyError" in out
    # The formatter's own timestamp is kept: masking happens before it is added.
    assert out.count(" INFO tests.logmask: ") == 1
    first = out.splitlines()[0]
    assert first[:4].isdigit() and first[4] == "-" and first[13] == ":"


def test_install_is_idempotent_and_reversible(installed: None) -> None:
    factory = logging.getLogRecordFactory()
    logmask.install()
    assert logging.getLogRecordFactory() is factory
    record = logging.getLogRecordFactory()(
        "x", logging.INFO, __file__, 1, "nhs %s", ("9434765919",), None
    )
    assert record.getMessage() == "nhs ***"


def test_root_handlers_get_a_masking_filter_for_records_made_elsewhere() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        logmask.install()
        logmask.install()
        assert sum(isinstance(f, MaskingFilter) for f in handler.filters) == 1
        # A record built without the factory (as a socket or queue listener does) is still masked.
        handler.handle(logging.makeLogRecord({"msg": "postcode %s", "args": ("LS1 4AB",)}))
        assert stream.getvalue() == "postcode ***\n"
        logmask.uninstall()
        assert not any(isinstance(f, MaskingFilter) for f in handler.filters)
    finally:
        logmask.uninstall()
        root.removeHandler(handler)
