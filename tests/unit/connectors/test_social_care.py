import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connectors import social_care
from connectors.base import Rejected
from hub.schemas import event_id_for
from hub.synthetic.feeds import social_care as feed

CHILD = {
    "person_ref": "P-100234",
    "case_ref": "CASE-00891",
    "forename": "Amelia",
    "middle_names": "Rose",
    "surname": "Okafor",
    "dob": "2018-04-12",
    "sex": "Female",
    "nhs_number": "401 023 2137",
    "upn": "",
    "address": "Flat 3, 9 Station Road, Birmingham",
    "postcode": "B12 9QT",
    "local_authority": "E08000025",
    "event_type": "assessment_outcome",
    "event_date": "14/10/2024",
    "outcome": "S47",
    "category_of_abuse": "",
    "worker_team": "Assessment Team North",
    "summary": "Bruising to upper arm; strategy discussion held",
    "record_status": "",
    "revision": "",
    "event_ref": "EVT-77",
    "recorded_by_role": "Social worker",
}


def export(*changes: dict, columns=feed.COLUMNS) -> bytes:
    return feed.csv_bytes(columns, [{**CHILD, **change} for change in changes])


def parse(raw: bytes, agency: str = "childrens_social_care") -> list:
    return list(social_care.parse(raw, agency))


def test_a_row_becomes_the_expected_canonical_event():
    (event,) = parse(export({}))
    assert event["event_id"] == event_id_for("childrens_social_care", "EVT-77")
    assert event["person"] == {
        "source_ref": "P-100234",
        "local_authority": "E08000025",
        "given_name": "Amelia",
        "middle_names": "Rose",
        "family_name": "Okafor",
        "date_of_birth": "2018-04-12",
        "sex": "female",
        "nhs_number": "4010232137",
        "upn": None,
        "role": "child",
        "addresses": [{"line": "Flat 3, 9 Station Road, Birmingham", "postcode": "B12 9QT"}],
        "relationships": [],
    }
    assert event["concern"] == {
        "ref": "EVT-77",
        "occurred_at": "2024-10-14T09:00:00+01:00",
        "reported_at": "2024-10-14T09:00:00+01:00",
        "category": "assessment_outcome",
        "severity": "high",
        "sensitivity": "restricted",
        "summary": "Assessment outcome: section 47 enquiry. Bruising to upper arm; strategy "
        "discussion held. Team: Assessment Team North. Case CASE-00891.",
        "action_taken": None,
        "recorded_by": "Social worker",
        "revision": 1,
        "withdrawn": False,
    }


@pytest.mark.parametrize(
    ("event_type", "outcome", "abuse", "severity", "sensitivity", "headline"),
    [
        ("referral", "", "", "medium", "standard", "Referral received."),
        (
            "referral",
            "Progressed",
            "",
            "medium",
            "standard",
            "Referral received. Outcome: Progressed.",
        ),
        (
            "assessment_outcome",
            "No further action",
            "",
            "low",
            "standard",
            "Assessment outcome: no further action.",
        ),
        (
            "assessment_outcome",
            "CIN",
            "",
            "medium",
            "standard",
            "Assessment outcome: child in need.",
        ),
        (
            "assessment_outcome",
            "strategy discussion",
            "",
            "high",
            "restricted",
            "Assessment outcome: strategy discussion.",
        ),
        ("child_in_need_plan_start", "", "", "medium", "standard", "Child in need plan started."),
        ("child_in_need_plan_end", "", "", "low", "standard", "Child in need plan ended."),
        (
            "child_protection_plan_start",
            "",
            "Neglect",
            "high",
            "restricted",
            "Child protection plan started (category of abuse: neglect).",
        ),
        (
            "child_protection_plan_end",
            "",
            "",
            "medium",
            "restricted",
            "Child protection plan ended.",
        ),
        ("looked_after_start", "", "", "high", "restricted", "Became looked after."),
        ("looked_after_end", "", "", "medium", "restricted", "Ceased to be looked after."),
        (
            "case_closure",
            "RC8",
            "",
            "low",
            "standard",
            "Case closed: closed after assessment, no further action (RC8).",
        ),
        (
            "case_closure",
            "transferred_to_other_la",
            "",
            "low",
            "standard",
            "Case closed: transferred to another local authority (RC5).",
        ),
        ("case_closure", "rc2", "", "high", "standard", "Case closed: child died (RC2)."),
    ],
)
def test_event_types_outcomes_severity_and_sensitivity(
    event_type, outcome, abuse, severity, sensitivity, headline
):
    change = {"event_type": event_type, "outcome": outcome, "category_of_abuse": abuse}
    (event,) = parse(export(change))
    concern = event["concern"]
    assert concern["category"] == event_type
    assert (concern["severity"], concern["sensitivity"]) == (severity, sensitivity)
    assert concern["summary"].startswith(headline + " Bruising")


def test_amendments_and_withdrawals():
    out = parse(
        export(
            {"record_status": "new", "revision": "1"},
            {"record_status": "amended", "revision": "2", "outcome": "child_in_need"},
            {"record_status": "withdrawn", "revision": "2"},
        )
    )
    assert [(e["concern"]["revision"], e["concern"]["withdrawn"]) for e in out] == [
        (1, False),
        (2, False),
        (2, True),
    ]
    assert [e["concern"]["severity"] for e in out] == ["high", "medium", "high"]
    assert {e["concern"]["ref"] for e in out} == {"EVT-77"}
    assert len({e["event_id"] for e in out}) == 3


def test_who_the_row_is_about_needs_a_surname_an_nhs_number_or_a_upn():
    out = parse(
        export(
            {"surname": "", "forename": ""},  # identified by NHS number
            {"surname": "", "nhs_number": "", "upn": "B801200005001"},
            {"surname": "", "nhs_number": "", "dob": ""},
            {"surname": "", "nhs_number": "4010232138"},  # only the NHS number is blamed
            {"dob": "", "forename": "", "sex": ""},  # an unborn or unknown-age child
        )
    )
    assert out[0]["person"]["family_name"] is None
    assert out[1]["person"]["upn"] == "B801200005001"
    assert out[2] == Rejected(
        4, "invalid_value", {"surname": ["Required when the row has no NHS number and no UPN."]}
    )
    assert list(out[3].fields) == ["nhs_number"]
    assert out[4]["person"]["date_of_birth"] is None and out[4]["person"]["role"] == "child"


@pytest.mark.parametrize(
    ("change", "column", "says"),
    [
        ({"nhs_number": "4010232138"}, "nhs_number", "check digit does not match"),
        ({"upn": "A801200005001"}, "upn", "check letter does not match"),
        ({"event_type": "contact"}, "event_type", "expected one of referral, assessment_outcome"),
        ({"outcome": ""}, "outcome", "Required: one of nfa, child_in_need"),
        ({"outcome": "early help"}, "outcome", "Unknown value 'early help'"),
        ({"event_type": "case_closure", "outcome": "RC10"}, "outcome", "RC9"),
        ({"event_type": "case_closure", "outcome": ""}, "outcome", "Required"),
        (
            {"event_type": "child_protection_plan_start", "outcome": ""},
            "category_of_abuse",
            "Required: one of neglect, emotional, physical, sexual, multiple.",
        ),
        ({"category_of_abuse": "financial"}, "category_of_abuse", "Unknown value"),
        ({"event_date": "30/02/2024"}, "event_date", "Not a real date"),
        ({"event_date": "2099-01-01"}, "event_date", "Cannot be in the future"),
        ({"dob": "2015-02-29"}, "dob", "Not a real date"),
        ({"sex": "girl"}, "sex", "Unknown value 'girl'"),
        ({"postcode": "B12"}, "postcode", "Not a UK postcode"),
        ({"person_ref": ""}, "person_ref", "Required"),
        ({"event_ref": ""}, "event_ref", "Required"),
        ({"record_status": "amended", "revision": ""}, "revision", "needs its revision"),
        ({"recorded_by_role": "R" * 121}, "recorded_by_role", "Too long: 121 characters"),
    ],
)
def test_values_that_cannot_be_mapped_are_rejected_naming_the_column(change, column, says):
    out = parse(export({}, change, {}))
    assert isinstance(out[0], dict) and isinstance(out[2], dict)
    assert (out[1].line, out[1].reason) == (3, "invalid_value")
    assert any(says in message for message in out[1].fields[column]), out[1].fields


def test_middle_names_is_an_optional_column_and_missing_required_ones_stop_the_file():
    without_middle = tuple(c for c in feed.COLUMNS if c != "middle_names")
    (event,) = parse(export({}, columns=without_middle))
    assert event["person"]["middle_names"] is None
    without = tuple(c for c in feed.COLUMNS if c not in ("nhs_number", "event_ref"))
    out = parse(export({}, {}, columns=without))
    assert [(o.line, o.reason) for o in out] == [(1, "missing_column")]
    assert out[0].fields["header"][0] == "Missing required column(s): nhs_number, event_ref."


def test_recorded_by_is_the_workers_role_and_none_when_blank_or_the_column_is_absent():
    (manager,) = parse(export({"recorded_by_role": "Team manager"}))
    assert manager["concern"]["recorded_by"] == "Team manager"
    (blank,) = parse(export({"recorded_by_role": ""}))
    assert blank["concern"]["recorded_by"] is None
    without = tuple(c for c in feed.COLUMNS if c != "recorded_by_role")
    (absent,) = parse(export({}, columns=without))
    assert absent["concern"]["recorded_by"] is None


def test_the_agency_is_the_senders():
    columns = (*feed.COLUMNS, "agency")
    out = parse(export({"agency": "police"}, {"agency": ""}, columns=columns))
    assert out[0].reason == "wrong_agency" and out[0].line == 2
    assert out[1]["agency"] == "childrens_social_care"


def test_hostile_text_is_kept_as_data():
    hostile = '\'; DROP TABLE concerns;-- <img src=x onerror=alert(1)> =HYPERLINK("x")'
    (event,) = parse(export({"summary": hostile, "worker_team": "<b>Team</b>"}))
    assert hostile in event["concern"]["summary"]
    assert "Team: <b>Team</b>." in event["concern"]["summary"]


def test_the_sample_maps_every_row_and_each_bad_row_is_rejected_for_its_reason(tmp_path):
    good = feed.write_sample(tmp_path / "csc.csv", seed=2, rows=60).read_bytes()
    bad = feed.bad_rows()
    first_bad_line = len(good.splitlines()) + 1
    # Bad rows in between good ones: each is rejected alone, at its own line.
    extra = feed.csv_bytes(feed.COLUMNS, [CHILD]).split(b"\r\n")[1]
    lines = [line for pair in bad for line in (pair[0], extra)]
    out = parse(good + b"\r\n".join(lines) + b"\r\n")
    events = [o for o in out if isinstance(o, dict)]
    rejected = [o for o in out if isinstance(o, Rejected)]
    assert len(events) == 60 + len(bad)
    assert [(r.line, r.reason) for r in rejected] == [
        (first_bad_line + 2 * i, reason) for i, (_, reason) in enumerate(bad)
    ]
    sample = events[:60]
    categories = {e["concern"]["category"] for e in sample}
    assert {"referral", "assessment_outcome", "case_closure"} <= categories
    assert any(e["concern"]["sensitivity"] == "restricted" for e in sample)
    assert any(e["person"]["nhs_number"] for e in sample)
    assert any(e["concern"]["revision"] > 1 or e["concern"]["withdrawn"] for e in sample)
    assert {"Social worker", "Team manager"} <= {e["concern"]["recorded_by"] for e in sample}


def test_samples_are_deterministic_and_use_the_connector_columns():
    assert feed.sample_bytes(4, 30) == feed.sample_bytes(4, 30)
    assert feed.sample_bytes(4, 30) != feed.sample_bytes(5, 30)
    assert len(feed.sample_rows(1, 9)) == 9
    assert set(feed.COLUMNS) == set(social_care.COLUMNS) | {"middle_names", "recorded_by_role"}
    assert "recorded_by_role" in social_care.OPTIONAL_COLUMNS


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_parse_never_raises_on_arbitrary_bytes(raw):
    header = ",".join(feed.COLUMNS).encode() + b"\n"
    for data in (raw, header + raw):
        assert all(isinstance(o, dict | Rejected) for o in parse(data))


SAMPLE = feed.sample_bytes(1, 5)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(SAMPLE) - 1),
            st.sampled_from(["flip", "insert", "delete"]),
            st.sampled_from([b",", b'"', b"\r\n", b"\n", b"\xff", b"\x00", b"9", b"'; --", b""]),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_parse_never_raises_on_mutated_samples(mutations):
    data = bytearray(SAMPLE)
    for at, kind, chunk in mutations:
        at = min(at, len(data) - 1)
        if kind == "flip":
            data[at : at + 1] = chunk
        elif kind == "insert":
            data[at:at] = chunk
        else:
            del data[at : at + 3]
    out = parse(bytes(data))
    assert all(isinstance(o, dict | Rejected) for o in out)
    lines = [o.line for o in out if isinstance(o, Rejected)]
    assert lines == sorted(set(lines))
