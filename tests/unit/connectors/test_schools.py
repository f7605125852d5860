import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connectors import schools
from connectors.base import Rejected
from hub.schemas import ConcernEventSchema, event_id_for
from hub.synthetic.feeds import schools as feed

PUPIL = {
    "upn": "b801200005001",
    "school_urn": "103412",
    "pupil_ref": "ADM-0042",
    "legal_surname": "Nowak",
    "preferred_surname": "",
    "forename": "Oliver",
    "middle_names": "Jan",
    "preferred_forename": "Ollie",
    "dob": "12/04/2013",
    "sex": "M",
    "year_group": "7",
    "address": "12 Mill Lane, Leeds",
    "postcode": "ls6 2aa",
    "local_authority": "E08000035",
    "event_type": "attendance_below_threshold",
    "event_date": "2024-11-04",
    "attendance_pct": "72.4%",
    "sessions_missed": "41",
    "dsl_category": "",
    "summary": "Attendance letter 1 sent",
    "record_status": "new",
    "revision": "1",
    "event_ref": "EV-1",
    "recorded_by_role": "Attendance officer",
}


def export(*changes: dict, columns=feed.COLUMNS) -> bytes:
    return feed.csv_bytes(columns, [{**PUPIL, **change} for change in changes])


def parse(raw: bytes, agency: str = "school") -> list:
    return list(schools.parse(raw, agency))


def test_a_row_becomes_the_expected_canonical_event():
    (event,) = parse(export({}))
    assert ConcernEventSchema().validate(event) == {}
    assert event["agency"] == "school"
    assert event["event_id"] == event_id_for("school", "103412:EV-1")
    assert event["person"] == {
        "source_ref": "103412:ADM-0042",
        "local_authority": "E08000035",
        "given_name": "Oliver",
        "middle_names": "Jan",
        "family_name": "Nowak",
        "date_of_birth": "2013-04-12",
        "sex": "male",
        "nhs_number": None,
        "upn": "B801200005001",
        "role": "child",
        "addresses": [{"line": "12 Mill Lane, Leeds", "postcode": "LS6 2AA"}],
        "relationships": [],
    }
    assert event["concern"] == {
        "ref": "103412:EV-1",
        "occurred_at": "2024-11-04T09:00:00+00:00",
        "reported_at": "2024-11-04T09:00:00+00:00",
        "category": "attendance_below_threshold",
        "severity": "medium",
        "sensitivity": "standard",
        "summary": "Attendance 72.4% (41 sessions missed). Attendance letter 1 sent. Year group 7. "
        "Known at school as Ollie Nowak. School URN 103412.",
        "action_taken": None,
        "recorded_by": "Attendance officer",
        "revision": 1,
        "withdrawn": False,
    }


@pytest.mark.parametrize(
    ("change", "category", "severity", "headline"),
    [
        ({"attendance_pct": "49.9"}, "attendance_below_threshold", "high", "Attendance 49.9%"),
        ({"attendance_pct": "50"}, "attendance_below_threshold", "medium", "Attendance 50.0%"),
        ({"attendance_pct": "89.9"}, "attendance_below_threshold", "medium", "Attendance 89.9%"),
        ({"attendance_pct": "93"}, "attendance_below_threshold", "low", "Attendance 93.0%"),
        (
            {"event_type": "persistent_absence", "attendance_pct": "61.2"},
            "persistent_absence",
            "medium",
            "Persistent absence: attendance 61.2% (41 sessions missed).",
        ),
        (
            {"event_type": "persistent_absence", "attendance_pct": "31"},
            "persistent_absence",
            "high",
            "Persistent absence",
        ),
        (
            {"event_type": "child_missing_education", "attendance_pct": ""},
            "child_missing_education",
            "high",
            "Child missing education (41 sessions missed).",
        ),
        (
            {"event_type": "suspension", "attendance_pct": "", "sessions_missed": "4"},
            "suspension",
            "medium",
            "Suspension (4 sessions).",
        ),
        (
            {"event_type": "permanent_exclusion", "attendance_pct": ""},
            "permanent_exclusion",
            "high",
            "Permanent exclusion.",
        ),
        (
            {"event_type": "dsl_concern", "dsl_category": "Sexual", "attendance_pct": ""},
            "dsl_concern_sexual",
            "high",
            "DSL concern: sexual abuse (41 sessions missed).",
        ),
        (
            {"event_type": "dsl_concern", "dsl_category": "online", "sessions_missed": ""},
            "dsl_concern_online",
            "medium",
            "DSL concern: online safety. Attendance 72.4%.",
        ),
    ],
)
def test_categories_severities_and_headlines(change, category, severity, headline):
    (event,) = parse(export(change))
    assert (event["concern"]["category"], event["concern"]["severity"]) == (category, severity)
    assert event["concern"]["summary"].startswith(headline)


def test_legal_names_are_the_identity_and_preferred_names_only_appear_in_the_summary():
    (event,) = parse(export({"preferred_surname": "Smith", "preferred_forename": ""}))
    person = event["person"]
    assert (person["given_name"], person["family_name"]) == ("Oliver", "Nowak")
    assert "Known at school as Oliver Smith." in event["concern"]["summary"]
    (plain,) = parse(export({"preferred_forename": "", "middle_names": "", "year_group": ""}))
    assert plain["concern"]["summary"] == (
        "Attendance 72.4% (41 sessions missed). Attendance letter 1 sent. School URN 103412."
    )
    assert plain["person"]["middle_names"] is None


def test_amendments_and_withdrawals_share_the_concern_ref_with_distinct_event_ids():
    out = parse(
        export(
            {},
            {"record_status": "amended", "revision": "2", "attendance_pct": "68"},
            {"record_status": "withdrawn", "revision": "2"},
        )
    )
    refs = {e["concern"]["ref"] for e in out}
    assert refs == {"103412:EV-1"}
    assert [(e["concern"]["revision"], e["concern"]["withdrawn"]) for e in out] == [
        (1, False),
        (2, False),
        (2, True),
    ]
    assert out[1]["concern"]["summary"].startswith("Attendance 68.0%")
    assert len({e["event_id"] for e in out}) == 3


def test_the_same_event_ref_at_two_schools_is_two_concerns():
    out = parse(export({}, {"school_urn": "140156", "pupil_ref": "ADM-0042"}))
    assert [e["concern"]["ref"] for e in out] == ["103412:EV-1", "140156:EV-1"]
    assert [e["person"]["source_ref"] for e in out] == ["103412:ADM-0042", "140156:ADM-0042"]
    assert out[0]["event_id"] != out[1]["event_id"]


def test_event_times_are_uk_local():
    out = parse(export({"event_date": "01/07/2024 14:35"}, {"event_date": "2024-07-01"}))
    assert [e["concern"]["occurred_at"] for e in out] == [
        "2024-07-01T14:35:00+01:00",
        "2024-07-01T09:00:00+01:00",
    ]


@pytest.mark.parametrize(
    ("change", "column", "says"),
    [
        ({"upn": "A801200005001"}, "upn", "check letter does not match"),
        ({"upn": ""}, "upn", "Required"),
        ({"event_type": "truancy"}, "event_type", "expected one of attendance_below_threshold,"),
        ({"event_date": "2023-02-30"}, "event_date", "Not a real date"),
        ({"event_date": "2013-04-11"}, "event_date", "Before the pupil's date of birth"),
        ({"dob": "2099-01-01"}, "dob", "cannot be in the future"),
        ({"attendance_pct": "101"}, "attendance_pct", "Out of range: '101' (must be 0–100)."),
        ({"attendance_pct": ""}, "attendance_pct", "Required"),
        ({"attendance_pct": "seventy"}, "attendance_pct", "Not a number"),
        (
            {"event_type": "persistent_absence", "attendance_pct": "92"},
            "attendance_pct",
            "is not persistent absence",
        ),
        ({"event_type": "dsl_concern", "dsl_category": ""}, "dsl_category", "Required"),
        ({"dsl_category": "bullying"}, "dsl_category", "Unknown value 'bullying'"),
        ({"sessions_missed": "4.5"}, "sessions_missed", "Not a whole number"),
        ({"school_urn": "10341"}, "school_urn", "6 digits"),
        ({"sex": "boy"}, "sex", "Unknown value 'boy'"),
        ({"local_authority": "Leeds"}, "local_authority", "Not an ONS area code"),
        ({"summary": "x" * 3990}, "summary", "at most 4000"),
        ({"pupil_ref": "P" * 101}, "pupil_ref", "Too long"),
        ({"record_status": "amended"}, "revision", "revision 2 or more"),
        ({"recorded_by_role": "R" * 121}, "recorded_by_role", "Too long: 121 characters"),
    ],
)
def test_values_that_cannot_be_mapped_are_rejected_naming_the_column(change, column, says):
    out = parse(export({}, change, {}))
    assert isinstance(out[0], dict) and isinstance(out[2], dict)
    assert out[1].line == 3 and out[1].reason == "invalid_value"
    assert any(says in message for message in out[1].fields[column]), out[1].fields


def test_recorded_by_is_the_staff_role_and_none_when_blank_or_the_column_is_absent():
    dsl = {"event_type": "dsl_concern", "dsl_category": "neglect"}
    (event,) = parse(export({**dsl, "recorded_by_role": "Designated safeguarding lead"}))
    assert event["concern"]["recorded_by"] == "Designated safeguarding lead"
    (blank,) = parse(export({"recorded_by_role": ""}))
    assert blank["concern"]["recorded_by"] is None
    without = tuple(c for c in feed.COLUMNS if c != "recorded_by_role")
    (absent,) = parse(export({}, columns=without))
    assert absent["concern"]["recorded_by"] is None


def test_missing_columns_are_one_reject_at_line_1():
    columns = tuple(c for c in feed.COLUMNS if c not in ("upn", "dsl_category"))
    out = parse(export({}, {}, columns=columns))
    assert len(out) == 1
    assert out[0].line == 1 and out[0].reason == "missing_column"
    assert out[0].fields["header"][0] == "Missing required column(s): upn, dsl_category."
    assert out[0].fields["header"][1].startswith("Columns found: school_urn, pupil_ref,")


def test_an_agency_column_naming_another_agency_is_refused():
    columns = (*feed.COLUMNS, "agency")
    out = parse(export({"agency": "school"}, {"agency": "police"}, {}, columns=columns))
    assert isinstance(out[0], dict) and isinstance(out[2], dict)
    assert out[1] == Rejected(
        3, "wrong_agency", {"agency": ["This feed is school; the row says 'police'."]}
    )


def test_hostile_text_is_kept_as_data():
    hostile = "Robert'); DROP TABLE pupils;-- <script>alert(1)</script> {{7*7}} ${jndi:x}"
    (event,) = parse(export({"summary": hostile, "legal_surname": "O'Brien; --"}))
    assert hostile in event["concern"]["summary"]
    assert event["person"]["family_name"] == "O'Brien; --"


def test_the_sample_maps_every_row_and_each_bad_row_is_rejected_for_its_reason(tmp_path):
    path = feed.write_sample(tmp_path / "sis.csv", seed=3, rows=60)
    good = path.read_bytes()
    bad = feed.bad_rows()
    first_bad_line = len(good.splitlines()) + 1
    out = parse(good + b"\r\n".join(line for line, _ in bad) + b"\r\n")
    events = [o for o in out if isinstance(o, dict)]
    rejected = [o for o in out if isinstance(o, Rejected)]
    assert len(events) == 60
    assert [(r.line, r.reason) for r in rejected] == [
        (first_bad_line + i, reason) for i, (_, reason) in enumerate(bad)
    ]
    assert all(e["person"]["upn"] and e["person"]["role"] == "child" for e in events)
    assert all(
        e["concern"]["recorded_by"] == "Designated safeguarding lead"
        for e in events
        if e["concern"]["category"].startswith("dsl_concern")
    )
    summaries = " ".join(e["concern"]["summary"] for e in events)
    assert "\nPupil said 'Mum's boyfriend shouts" in summaries
    assert "'; DROP TABLE pupils;--" in summaries
    statuses = {(e["concern"]["revision"] > 1, e["concern"]["withdrawn"]) for e in events}
    assert {(False, False), (True, False)} <= statuses
    assert len({e["event_id"] for e in events}) == 60


def test_samples_are_deterministic_for_a_seed_and_match_the_connector_columns(tmp_path):
    assert feed.sample_bytes(5, 20) == feed.sample_bytes(5, 20)
    assert feed.sample_bytes(5, 20) != feed.sample_bytes(6, 20)
    assert len(feed.sample_rows(2, 7)) == 7
    assert feed.COLUMNS[:-1] == schools.COLUMNS
    assert feed.COLUMNS[-1] == "recorded_by_role" and "recorded_by_role" in schools.OPTIONAL_COLUMNS


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_parse_never_raises_on_arbitrary_bytes(raw):
    header = ",".join(feed.COLUMNS).encode() + b"\n"
    for data in (raw, header + raw):
        assert all(isinstance(o, dict | Rejected) for o in schools.parse(data, "school"))


SAMPLE = feed.sample_bytes(1, 5)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(SAMPLE) - 1),
            st.sampled_from(["flip", "insert", "delete"]),
            st.binary(min_size=1, max_size=3),
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
            data[at] = chunk[0]
        elif kind == "insert":
            data[at:at] = chunk
        else:
            del data[at : at + len(chunk)]
    out = list(schools.parse(bytes(data), "school"))
    assert all(isinstance(o, dict | Rejected) for o in out)
    lines = [o.line for o in out if isinstance(o, Rejected)]
    assert lines == sorted(set(lines))  # in file order, at most one reject per row
    assert len(out) <= max(1, len(bytes(data).splitlines()) - 1)
