import json

from connectors.base import Rejected
from connectors.jsonl import parse
from tests.factories import submission


def lines(*items) -> bytes:
    return "\n".join(item if isinstance(item, str) else json.dumps(item) for item in items).encode()


def test_good_lines_become_events_and_bad_lines_are_rejected_with_line_numbers():
    good = submission()
    good.pop("agency")
    bad_nhs = submission(person__nhs_number="1234567890")
    bad_nhs.pop("agency")
    out = list(parse(lines(good, "{not json", "", "[1, 2]", bad_nhs, good), "police"))
    assert [type(o).__name__ for o in out] == ["dict", "Rejected", "Rejected", "Rejected", "dict"]
    rejected = [o for o in out if isinstance(o, Rejected)]
    assert [(r.line, r.reason) for r in rejected] == [
        (2, "invalid_json"),
        (4, "invalid_json"),
        (5, "invalid_event"),
    ]
    assert "nhs_number" in rejected[2].fields["person"]
    assert out[0]["agency"] == "police"


def test_a_line_claiming_another_agency_is_rejected():
    out = list(parse(lines(submission(agency="school")), "police"))
    assert out == [Rejected(1, "wrong_agency", {"agency": ["This feed is police."]})]


def test_a_line_in_another_encoding_is_rejected_alone():
    good = submission()
    good.pop("agency")
    raw = lines(good) + b"\n" + '{"summary": "caf\xe9"}'.encode("latin-1") + b"\n" + lines(good)
    out = list(parse(raw, "police"))
    assert [type(o).__name__ for o in out] == ["dict", "Rejected", "dict"]
    assert (out[1].line, out[1].reason) == (2, "invalid_encoding")
    assert out[1].fields == {"line": ["Not UTF-8: byte 0xe9 at column 17."]}
