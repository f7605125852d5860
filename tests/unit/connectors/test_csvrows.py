import csv
import datetime as dt
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connectors.base import Rejected
from connectors.csvrows import Cells, CsvRow, read_rows, sentence, wrong_agency


def rows(raw: bytes, required=("a", "b", "c"), optional=()) -> list:
    return list(read_rows(raw, required, optional))


def brief(items: list) -> list[tuple]:
    return [
        (i.line, i.reason) if isinstance(i, Rejected) else (i.line, dict(i.values)) for i in items
    ]


# --- splitting rows ------------------------------------------------------------------------


def test_quoted_line_breaks_keep_the_physical_line_numbers_of_the_rows_after_them():
    raw = b'a,b,c\n1,"two\nlines",x\n2,"three\r\nphysical\rlines",y\n3,plain,z\n'
    assert brief(rows(raw)) == [
        (2, {"a": "1", "b": "two\nlines", "c": "x"}),
        (4, {"a": "2", "b": "three\nphysical\nlines", "c": "y"}),
        (7, {"a": "3", "b": "plain", "c": "z"}),
    ]


def test_blank_lines_and_delimiter_only_padding_are_counted_but_not_rows():
    raw = b"a,b,c\r\n\r\n1,2,3\r\n,,\r\n   \r\n4,5,6\r\n,,\r\n"
    assert brief(rows(raw)) == [(3, {"a": "1", "b": "2", "c": "3"}), (6, dict(a="4", b="5", c="6"))]


def test_doubled_quotes_delimiters_inside_quotes_and_surrounding_spaces():
    raw = b'a,b,c\n" say ""hi"", ok ",  x  ,O"Brien\n'
    assert brief(rows(raw)) == [(2, {"a": 'say "hi", ok', "b": "x", "c": 'O"Brien'})]


def test_header_is_case_and_space_insensitive_with_bom_extra_and_optional_columns():
    raw = "\ufeff A ,B,Extra Col,c\n1,2,3,4\n".encode()
    (row,) = rows(raw, optional=("d",))
    assert row == CsvRow(2, {"a": "1", "b": "2", "extra_col": "3", "c": "4", "d": ""})
    (row,) = rows(b"Case Ref,person-ref\nX,Y\n", required=("case_ref", "person_ref"))
    assert row == CsvRow(2, {"case_ref": "X", "person_ref": "Y"})


def test_missing_columns_give_one_reject_at_line_1_naming_missing_and_found_columns():
    out = rows(b"a,x\n1,2\n3,4\n")
    assert out == [
        Rejected(
            1,
            "missing_column",
            {"header": ["Missing required column(s): b, c.", "Columns found: a, x."]},
        )
    ]


@pytest.mark.parametrize(
    ("raw", "reason", "says"),
    [
        (b"", "missing_column", "empty"),
        (b"\n\n", "missing_column", "empty"),
        (b"a,b,c,b\n1,2,3,4\n", "duplicate_column", "more than once: b."),
        (b"a,b c,c,B-C\n1,2,3,4\n", "duplicate_column", "more than once: b_c."),
        (b"a,\xe9,c\n1,2,3\n", "invalid_encoding", "byte 0xe9 at column 3"),
        ("a,b,c\n".encode("utf-16"), "invalid_encoding", "UTF-16"),
        (b'a,"b,c\n1,2,3\n', "invalid_csv", "never closed"),
    ],
)
def test_an_unreadable_header_is_one_reject_at_line_1(raw, reason, says):
    (out,) = rows(raw)
    assert (out.line, out.reason) == (1, reason)
    assert says in out.fields["header"][0]


def test_a_badly_encoded_row_is_rejected_alone_and_its_neighbours_go_through():
    raw = b'a,b,c\n1,Zo\xc5\x9bka,x\n2,Zo\x9cka,y\n3,"multi\nli\xffne",z\n4,ok,w\n'
    out = rows(raw)
    assert brief(out)[0] == (2, {"a": "1", "b": "Zośka", "c": "x"})
    assert out[1] == Rejected(
        3, "invalid_encoding", {"line": ["Not UTF-8: byte 0x9c at column 5."]}
    )
    assert out[2] == Rejected(
        4, "invalid_encoding", {"line": ["Not UTF-8: byte 0xff at line 5, column 3."]}
    )
    assert brief(out)[3] == (6, {"a": "4", "b": "ok", "c": "w"})


def test_a_nul_byte_is_not_text():
    (out,) = rows(b"a,b,c\n1,\x00,3\n")
    assert out == Rejected(
        2, "invalid_encoding", {"line": ["NUL byte (0x00) at column 3: this is not text."]}
    )


def test_wrong_field_counts_and_bad_quoting_are_rejected_per_row():
    raw = b'a,b,c\n1,2\n1,2,3,4\n"x"y,2,3\nok,2,3\n1,"never closed\n2,3,4\n'
    out = rows(raw)
    assert [(o.line, o.reason) for o in out if isinstance(o, Rejected)] == [
        (2, "invalid_csv"),
        (3, "invalid_csv"),
        (4, "invalid_csv"),
        (6, "invalid_csv"),
    ]
    assert out[0].fields == {
        "line": [
            "Expected 3 fields, as in the header, but found 2 (a value left out, or a line "
            "break in an unquoted value?)."
        ]
    }
    assert "'y' after a closing quote at line 4, column 4" in out[2].fields["line"][0]
    assert "found 4 (an unquoted ',' in a value?)" in out[1].fields["line"][0]
    assert out[3] == CsvRow(5, {"a": "ok", "b": "2", "c": "3"})
    assert out[4].fields == {
        "line": [
            "The quoted field opened at column 3 runs past the end of the line: read as one "
            "row, lines 6-7 have 2 fields (the header has 3).",
            "The quoted field opened at line 6, column 3 is never closed, so it runs to the end "
            "of the file.",
            "Reading resumes at line 7.",
        ]
    }
    assert out[5] == CsvRow(7, {"a": "2", "b": "3", "c": "4"})  # the row the quote swallowed


def test_rows_swallowed_by_a_stray_quote_are_read_again_and_quoted_line_breaks_still_work():
    raw = b'a,b,c\n1,"oops,x\n2,3,4\n5,"6\n7",8\n'
    out = rows(raw)
    assert brief(out) == [
        (2, "invalid_csv"),
        (3, {"a": "2", "b": "3", "c": "4"}),
        (4, {"a": "5", "b": "6\n7", "c": "8"}),
    ]
    assert out[0].fields["line"][0] == (
        "The quoted field opened at column 3 runs past the end of the line: read as one row, "
        "lines 2-4 have 2 fields (the header has 3)."
    )
    assert out[0].fields["line"][-1] == "Reading resumes at line 3."


def test_lines_are_read_again_only_within_a_budget_so_hostile_quoting_stays_linear():
    # Each line both opens a quote and keeps an open one open: without a budget, every line
    # would start a row running to the end of the file.
    out = rows(b"a,b,c\n" + b'x","\n' * 5000)
    assert [(o.line, o.reason) for o in out] == [(2, "invalid_csv"), (3, "invalid_csv")]
    assert out[0].fields["line"][-1] == "Reading resumes at line 3."
    assert "lines 3-5001" in out[1].fields["line"][0]


def test_another_delimiter():
    out = list(read_rows(b"a|b|c\n1|x,y|3\n", ("a", "b", "c"), delimiter="|"))
    assert out == [CsvRow(2, {"a": "1", "b": "x,y", "c": "3"})]


value = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12).filter(
    lambda v: v.strip()
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(value, min_size=3, max_size=3), max_size=8))
def test_rows_written_by_the_csv_module_come_back_with_their_true_start_lines(table):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["a", "b", "c"])
    expected, line = [], 2
    for row in table:
        text = io.StringIO()
        csv.writer(text, lineterminator="\r\n").writerow(row)
        out.write(text.getvalue())
        clean = [v.replace("\r\n", "\n").replace("\r", "\n").strip() for v in row]
        expected.append((line, dict(zip("abc", clean, strict=True))))
        line += len(text.getvalue().encode().splitlines())
    assert brief(rows(out.getvalue().encode())) == expected


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_give_rows_or_rejects_in_line_order(raw):
    out = rows(b"a,b,c\n" + raw)
    assert all(isinstance(o, CsvRow | Rejected) for o in out)
    lines = [o.line for o in out]
    assert lines == sorted(lines) and all(
        2 <= n <= raw.count(b"\n") + raw.count(b"\r") + 2 for n in lines
    )


# --- reading values -------------------------------------------------------------------------


def cells(**values: str) -> Cells:
    return Cells(CsvRow(7, values))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-05", "2024-03-05T09:00:00+00:00"),
        ("05/03/2024", "2024-03-05T09:00:00+00:00"),
        ("5/3/2024", "2024-03-05T09:00:00+00:00"),
        ("2024-07-01", "2024-07-01T09:00:00+01:00"),  # BST
        ("01/07/2024 14:30", "2024-07-01T14:30:00+01:00"),
        ("2024-07-01T14:30:15", "2024-07-01T14:30:15+01:00"),
        ("2024-07-01 00:00:00", "2024-07-01T09:00:00+01:00"),  # a database export's bare date
        ("2024-10-27 01:30", "2024-10-27T01:30:00+01:00"),  # happens twice: the first (BST)
    ],
)
def test_event_dates_become_uk_local_times(text, expected):
    c = cells(when=text)
    assert c.occurred_at("when").isoformat() == expected
    assert c.errors == {}


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2023-02-30", "Not a real date: '2023-02-30' (day is out of range for month)."),
        ("31/04/2024", "Not a real date"),
        ("03/25/2024", "Not a real date"),  # American order
        ("05/03/24", "Not a date"),
        ("2024-03-05 25:00", "Not a real time"),
        ("2024-03-05 at noon", "Not a date and time"),
        ("2024-03-31 01:30", "does not exist in UK time"),
        ("2999-01-01", "Cannot be in the future"),
        ("1066-10-14", "Not a plausible date"),
        ("9999-12-31 23:59", "Cannot be in the future"),  # no overflow at the end of time
        ("", "Required"),
    ],
)
def test_impossible_event_dates_are_named_and_explained(text, says):
    c = cells(when=text)
    assert c.occurred_at("when") is None
    assert says in c.errors["when"][0]
    assert c.rejected() == Rejected(7, "invalid_value", c.errors)


def test_dates_of_birth():
    c = cells(
        a="29/02/2016",
        b="2016-02-29 10:00",
        c="1899-12-31",
        d=dt.date.today().replace(year=dt.date.today().year + 1).isoformat(),
        e="",
    )
    assert c.date("a", birth=True) == dt.date(2016, 2, 29)
    assert [c.date(x, birth=True) for x in "bcde"] == [None] * 4
    assert sorted(c.errors) == ["b", "c", "d"]


def test_numbers_percentages_and_counts():
    c = cells(
        p="72.4%", q="100", r="100.1", s="nan", t="-0.5", u="12", v="1.5", w="٣", x="9" * 5000
    )
    assert c.number("p", minimum=0, maximum=100, unit="%") == 72.4
    assert c.number("q", minimum=0, maximum=100, unit="%") == 100
    assert c.number("r", minimum=0, maximum=100) is None
    assert c.number("s", minimum=0, maximum=100) is None
    assert c.number("t", minimum=0, maximum=100) is None
    assert c.integer("u", minimum=0, maximum=99) == 12
    assert c.integer("v", minimum=0, maximum=99) is None
    assert c.integer("w", minimum=0, maximum=99) is None  # an Arabic-Indic digit
    assert c.integer("x", minimum=0, maximum=99) is None  # too long for int(): no ValueError
    assert c.errors["r"] == ["Out of range: '100.1' (must be 0–100)."]
    assert sorted(c.errors) == ["r", "s", "t", "v", "w", "x"]


def test_identifiers_say_what_is_wrong_with_them():
    c = cells(
        n1="401 023 2137",
        n2="4010232138",
        n3="40102321",
        u1="b801200005001",
        u2="A801200005001",
        u3="B80120000500",
        u4="B000200005001",
    )
    assert c.nhs_number("n1") == "4010232137"
    assert c.upn("u1") == "B801200005001"
    for name in ("n2", "n3", "u2", "u3", "u4"):
        assert (c.nhs_number(name) if name[0] == "n" else c.upn(name)) is None
    assert "check digit does not match" in c.errors["n2"][0]
    assert "10 digits" in c.errors["n3"][0]
    assert "check letter does not match" in c.errors["u2"][0]
    assert "13 characters" in c.errors["u3"][0]
    assert "local authority number" in c.errors["u4"][0]


def test_codes_accept_aliases_and_list_what_is_allowed():
    c = cells(a="Child In Need", b="s47", c="maybe")
    allowed = {"child_in_need": "child_in_need", "s47": "section_47", "nfa": "nfa"}
    assert c.choice("a", allowed) == "child_in_need"
    assert c.choice("b", allowed) == "section_47"
    assert c.choice("c", allowed) is None
    assert c.errors == {"c": ["Unknown value 'maybe': expected one of child_in_need, s47, nfa."]}


@pytest.mark.parametrize(
    ("status", "revision", "expected", "error"),
    [
        ("", "", (1, False), None),
        ("new", "1", (1, False), None),
        ("Amended", "3", (3, False), None),
        ("withdrawn", "2", (2, True), None),
        ("amended", "1", (1, False), "revision 2 or more"),
        ("amended", "", (1, False), "needs its revision"),
        ("deleted", "1", (1, False), "Unknown value 'deleted'"),
        ("new", "0", (1, False), "Out of range"),
    ],
)
def test_status_and_revision(status, revision, expected, error):
    c = cells(record_status=status, revision=revision)
    assert c.status_and_revision() == expected
    if error:
        assert error in " ".join(m for ms in c.errors.values() for m in ms)
    else:
        assert c.errors == {}


def test_wrong_agency_and_sentences():
    assert wrong_agency(CsvRow(3, {"agency": "School"}), "school") is None
    assert wrong_agency(CsvRow(3, {"agency": ""}), "school") is None
    assert wrong_agency(CsvRow(3, {"agency": "police"}), "school") == Rejected(
        3, "wrong_agency", {"agency": ["This feed is school; the row says 'police'."]}
    )
    assert [sentence(t) for t in ("Seen", "Seen.", "Seen?", "(seen)")] == [
        "Seen.",
        "Seen.",
        "Seen?",
        "(seen)",
    ]
