import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors.base import Rejected
from connectors.hl7v2 import parse
from connectors.mllp import frame
from hub.synthetic.feeds.hl7v2 import (
    LONDON,
    adt_message,
    bad_messages,
    example_visit,
    sample_messages,
    sample_visits,
    write_sample,
)

AGENCY = "health_ae"


def run(raw: bytes) -> list:
    return list(parse(raw, AGENCY))


def one(raw: bytes) -> dict:
    [out] = run(raw)
    assert isinstance(out, dict), out
    return out


def kinds(out: list) -> list:
    return [(o.line, o.reason) if isinstance(o, Rejected) else "event" for o in out]


def london(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


# --- a good message --------------------------------------------------------------------------


def test_an_attendance_becomes_the_canonical_event():
    event = one(adt_message(example_visit(middle="Rose", complaint="Head injury - fell")))
    assert event["agency"] == "health_ae"
    assert event["person"] == {
        "source_ref": "SYNGH:80011234",
        "local_authority": None,
        "given_name": "Amelia",
        "middle_names": "Rose",
        "family_name": "Nowak",
        "date_of_birth": "2018-04-12",
        "sex": "female",
        "nhs_number": "9434765919",
        "upn": None,
        "role": "child",
        "addresses": [{"line": "12 Mill Lane, Leeds", "postcode": "LS6 2AA"}],
        "relationships": [],
    }
    concern = event["concern"]
    assert concern == {
        "ref": "SYNGH:ED25900001",
        "occurred_at": "2025-03-14T21:05:00+00:00",
        "reported_at": "2025-03-14T21:07:00+00:00",
        "category": "injury",
        "severity": "medium",
        "sensitivity": "health_confidential",
        "summary": "A&E attendance at SYNGH: Head injury - fell.",
        "action_taken": None,
        "recorded_by": None,
        "revision": 1,
        "withdrawn": False,
    }
    assert event["schema_version"] == 1 and event["event_id"]


def test_an_admission_of_an_adult_names_the_ward_and_is_not_a_child():
    visit = example_visit(
        event="A01",
        dob="19800101",
        complaint="Chest pain",
        patient_class="I",
        ward="Ward 12 Acute Medicine",
        visit="IP25000001",
    )
    event = one(adt_message(visit))
    assert event["person"]["role"] is None
    assert event["concern"]["category"] == "hospital_admission"
    assert event["concern"]["severity"] == "medium"
    assert event["concern"]["action_taken"] == "Admitted to Ward 12 Acute Medicine."
    assert event["concern"]["summary"].startswith("Hospital admission at SYNGH: Chest pain.")


DOCTOR = ("C4471022", "Okonkwo", "Chinedu", "MBBS")
CLERK = ("SYNOP099", "Fairweather", "Gwendolyn")


@pytest.mark.parametrize(
    ("attending", "operator", "expected"),
    [
        (DOCTOR, CLERK, "Attending doctor (MBBS)"),  # PV1-7 is preferred over EVN-5
        (DOCTOR[:3] + ("",), None, "Attending doctor"),
        (None, CLERK, "Recording clerk"),
        (None, None, None),
    ],
)
def test_recorded_by_is_the_role_of_the_staff_named_never_their_name(attending, operator, expected):
    event = one(adt_message(example_visit(attending=attending, operator=operator)))
    recorded_by = event["concern"]["recorded_by"]
    assert recorded_by == expected
    for name in ("Okonkwo", "Chinedu", "Fairweather", "Gwendolyn", "C4471022", "SYNOP099"):
        assert name not in str(recorded_by)


def test_recorded_by_takes_the_professional_suffix_before_the_degree_and_is_cut_to_120():
    xcn = "C1^Okonkwo^Chinedu^^^Dr^MBBS" + "^" * 14 + "FRCEM"
    good = adt_message(example_visit(version="2.5"))
    raw = good.replace(b"\rPV1|1|E|ED^^^SYNGH||||", b"\rPV1|1|E|ED^^^SYNGH||||" + xcn.encode())
    assert raw != good
    assert one(raw)["concern"]["recorded_by"] == "Attending doctor (FRCEM)"
    long = one(adt_message(example_visit(attending=("C1", "Okonkwo", "Chinedu", "D" * 200))))
    recorded_by = long["concern"]["recorded_by"]
    assert len(recorded_by) == 120 and recorded_by.startswith("Attending doctor (DDD")
    assert recorded_by.endswith("…")


def test_an_xcn_with_no_value_in_it_names_nobody():
    raw = adt_message(example_visit()).replace(
        b"\rPV1|1|E|ED^^^SYNGH||||", b"\rPV1|1|E|ED^^^SYNGH||||^^^^"
    )
    assert one(raw)["concern"]["recorded_by"] is None


def test_role_is_decided_by_age_on_the_day_of_the_attendance():
    day_before_18 = example_visit(dob="20070315")  # attendance 14 March 2025
    on_18th_birthday = example_visit(dob="20070314")
    assert one(adt_message(day_before_18))["person"]["role"] == "child"
    assert one(adt_message(on_18th_birthday))["person"]["role"] is None


@pytest.mark.parametrize(
    ("admit", "with_offset", "expected"),
    [
        (london(2025, 1, 10, 9, 30), False, "2025-01-10T09:30:00+00:00"),  # GMT
        (london(2025, 7, 10, 9, 30), False, "2025-07-10T09:30:00+01:00"),  # BST
        (london(2025, 7, 10, 9, 30), True, "2025-07-10T09:30:00+01:00"),  # explicit +0100
        (london(2025, 3, 30, 1, 30), False, "2025-03-30T01:30:00+00:00"),  # in the spring gap
    ],
)
def test_times_without_an_offset_are_uk_local_time(admit, with_offset, expected):
    visit = example_visit(admit=admit, recorded=admit + dt.timedelta(minutes=1))
    event = one(adt_message(replace(visit, with_offset=with_offset)))
    assert event["concern"]["occurred_at"] == expected


def test_an_explicit_foreign_offset_is_kept():
    raw = adt_message(example_visit()).replace(b"|20250314210500", b"|20250314210500-0500")
    assert one(raw)["concern"]["occurred_at"] == "2025-03-14T21:05:00-05:00"


def test_escapes_are_undone_and_hostile_text_is_kept_as_data():
    visit = example_visit(
        family="O'Brien & Sons|x",
        given="<script>alert(1)</script>",
        complaint="'; DROP TABLE concerns;-- ^~\\",
    )
    event = one(adt_message(visit))
    assert event["person"]["family_name"] == "O'Brien & Sons|x"
    assert event["person"]["given_name"] == "<script>alert(1)</script>"
    assert "'; DROP TABLE concerns;-- ^~\\" in event["concern"]["summary"]


def test_visit_numbers_from_two_hospitals_do_not_collide():
    ours = one(adt_message(example_visit()))["concern"]["ref"]
    raw = adt_message(example_visit()).replace(b"|ED25900001|", b"|ED25900001^^^OTHERH|")
    assert (ours, one(raw)["concern"]["ref"]) == ("SYNGH:ED25900001", "OTHERH:ED25900001")


def test_identifiers_nhs_number_with_spaces_and_mrn_without_authority():
    raw = adt_message(example_visit()).replace(
        b"80011234^^^SYNGH^MR~9434765919^^^NHS^NH", b"80011234~943 476 5919^^^NHS"
    )
    person = one(raw)["person"]
    assert person["nhs_number"] == "9434765919"
    assert person["source_ref"] == "SYNGH:80011234"  # authority from MSH-4 when CX-4 is empty


def test_no_nhs_number_no_birth_date_and_unknown_sex_still_map():
    event = one(adt_message(example_visit(nhs_number="", dob="", sex="U")))
    assert event["person"]["nhs_number"] is None
    assert event["person"]["date_of_birth"] is None
    assert event["person"]["sex"] == "unknown"
    assert event["person"]["role"] is None


def test_version_2_5_structured_street_address_and_2_3_message_type():
    raw = adt_message(example_visit(version="2.5")).replace(
        b"12 Mill Lane^^Leeds", b"&Mill Lane&12^Flat 2^Leeds"
    )
    assert one(raw)["person"]["addresses"][0]["line"] == "12 Mill Lane, Flat 2, Leeds"
    old = one(adt_message(example_visit(version="2.3")))
    assert old["concern"]["ref"] == "SYNGH:ED25900001"


def test_latin1_declared_in_msh18_is_decoded():
    raw = adt_message(example_visit()).replace(b"|P|2.4", b"|P|2.4||||||8859/1")
    raw = raw.replace(b"Nowak", "Nowák".encode("latin-1"))
    assert one(raw)["person"]["family_name"] == "Nowák"


def test_unmapped_segments_are_passed_over():
    raw = adt_message(example_visit()).replace(
        b"\rPV1|", b"\rNK1|1|Nowak^Ewa|MTH\rZU1|whatever^it&is\rPV1|"
    )
    assert one(raw)["person"]["family_name"] == "Nowak"


# --- what happened: category and severity ----------------------------------------------------


NAI = "suspected_non_accidental_injury"


@pytest.mark.parametrize(
    ("event", "complaint", "flag", "category", "severity"),
    [
        ("A04", "Fever and cough", False, "ae_attendance", "low"),
        ("A01", "Fever and cough", False, "hospital_admission", "medium"),
        ("A04", "Fall from trampoline - wrist injury", False, "injury", "medium"),
        ("A04", "Fall from trampoline - wrist injury", True, NAI, "high"),
        ("A04", "Unexplained bruising - query non-accidental injury", False, NAI, "high"),
        ("A01", "Bruising, ?NAI", False, NAI, "critical"),
        ("A04", "Overdose - paracetamol", False, "self_harm", "medium"),
        ("A01", "Self-harm, lacerations", False, "self_harm", "high"),
        ("A04", "Accidental ingestion of nan's tablets", False, "accidental_ingestion", "medium"),
        ("A04", "Ingestion of unknown substance", False, "poisoning", "medium"),
        ("A04", "Assault - facial injury", False, "assault", "medium"),
        ("A04", "Alcohol intoxication", False, "intoxication", "medium"),
        ("A04", "Overdose - paracetamol", True, "self_harm", "high"),
        ("A04", "", False, "ae_attendance", "low"),
    ],
)
def test_presenting_complaint_decides_category_and_severity(
    event, complaint, flag, category, severity
):
    visit = example_visit(event=event, complaint=complaint, safeguarding=flag)
    if event == "A01":
        visit = replace(visit, patient_class="I")
    concern = one(adt_message(visit))["concern"]
    assert (concern["category"], concern["severity"]) == (category, severity)
    if flag:
        assert concern["summary"].endswith("Safeguarding concern flagged by the hospital.")
    if not complaint:
        assert concern["summary"] == "A&E attendance at SYNGH: reason not recorded."


def test_a_safeguarding_observation_answered_no_is_not_a_flag():
    raw = adt_message(example_visit(safeguarding=True)).replace(b"||Y^Yes^HL70136", b"||N^No")
    concern = one(raw)["concern"]
    assert (concern["category"], concern["severity"]) == ("injury", "medium")


def test_diagnosis_and_complaint_observation_are_in_the_summary():
    raw = adt_message(example_visit(complaint="", diagnosis=("S09.9", "Head injury"))) + b""
    raw = raw.replace(b"\rDG1|", b"\rOBX|1|ST|CC^Presenting complaint||Fell off bike\rDG1|")
    concern = one(raw)["concern"]
    assert concern["summary"] == ("A&E attendance at SYNGH: Fell off bike. Diagnosis: Head injury.")
    assert concern["category"] == "injury"


# --- amendments and withdrawals --------------------------------------------------------------


def _visit_story():
    attendance = example_visit(control_id="C1")
    update = replace(
        attendance,
        event="A08",
        recorded=attendance.admit + dt.timedelta(hours=2),
        diagnosis=("S09.9", "Head injury"),
        control_id="C2",
    )
    later_update = replace(
        update, recorded=attendance.admit + dt.timedelta(hours=5), control_id="C3"
    )
    cancel = replace(
        attendance, event="A11", recorded=attendance.admit + dt.timedelta(hours=6), control_id="C4"
    )
    return attendance, update, later_update, cancel


def test_updates_and_a_cancel_amend_the_same_concern_in_order():
    messages = [adt_message(v) for v in _visit_story()]
    events = run(b"".join(messages))
    concerns = [e["concern"] for e in events]
    assert {c["ref"] for c in concerns} == {"SYNGH:ED25900001"}
    revisions = [c["revision"] for c in concerns]
    assert revisions == [1, 2 + 120, 2 + 300, 2 + 360]
    assert [c["withdrawn"] for c in concerns] == [False, False, False, True]
    assert len({e["event_id"] for e in events}) == 4
    assert concerns[1]["summary"] == (
        "A&E attendance at SYNGH (details updated): Head injury - fell down stairs. "
        "Diagnosis: Head injury."
    )
    assert concerns[1]["occurred_at"] == concerns[0]["occurred_at"]  # the visit, not the update
    assert concerns[1]["reported_at"] == "2025-03-14T23:05:00+00:00"
    assert concerns[3]["summary"].startswith(
        "A&E attendance at SYNGH cancelled by the hospital (recorded in error)"
    )
    # Stateless: each message alone (as over MLLP) gives the same event as in the file, so a
    # resend is recognised and nothing depends on what came before.
    alone = [one(m) for m in messages]
    assert [e["event_id"] for e in alone] == [e["event_id"] for e in events]


def test_two_updates_in_the_same_minute_get_distinct_revisions_within_a_payload():
    _, update, _, _ = _visit_story()
    twin = replace(update, control_id="C9", complaint="Head injury - now drowsy")
    events = run(adt_message(update) + adt_message(twin) + adt_message(update))
    assert [e["concern"]["revision"] for e in events] == [122, 123, 122]  # last: a resend


def test_an_update_long_after_the_visit_still_gets_a_higher_revision():
    attendance = example_visit()
    after = [dt.timedelta(days=2), dt.timedelta(days=5), dt.timedelta(days=60)]
    revisions = [
        one(adt_message(replace(attendance, event="A08", recorded=attendance.admit + d)))[
            "concern"
        ]["revision"]
        for d in after
    ]
    assert revisions == sorted(revisions) and len(set(revisions)) == 3
    assert max(revisions) <= 10_000


def test_an_admission_sharing_the_attendance_visit_number_supersedes_it():
    attendance = example_visit()
    admission = replace(
        attendance,
        event="A01",
        patient_class="I",
        recorded=attendance.admit + dt.timedelta(hours=3),
    )
    first, second = run(adt_message(attendance) + adt_message(admission))
    assert second["concern"]["ref"] == first["concern"]["ref"]
    assert second["concern"]["revision"] > first["concern"]["revision"]
    assert second["concern"]["category"] == "injury" and second["concern"]["severity"] == "high"


def test_a_cancelled_admission_is_withdrawn_as_an_admission():
    admission = example_visit(
        event="A11", patient_class="I", complaint="Chest pain", dob="19800101"
    )
    concern = one(adt_message(admission))["concern"]
    assert concern["withdrawn"] is True
    assert concern["category"] == "hospital_admission"


# --- rejects ---------------------------------------------------------------------------------


def test_each_bad_message_is_rejected_with_its_reason_and_good_ones_beside_it_go_through():
    good = adt_message(example_visit(control_id="G1"))
    bad = bad_messages()
    payload = frame(good) + b"".join(frame(raw) + frame(good) for raw, _ in bad)
    out = run(payload)
    expected = ["event"]
    for n, (_, reason) in enumerate(bad):
        expected += [(2 + 2 * n, reason), "event"]
    assert kinds(out) == expected
    assert all(reject.fields for reject in out if isinstance(reject, Rejected))


def test_bad_messages_in_a_plain_file_keep_their_message_numbers():
    good = adt_message(example_visit(control_id="G1"))
    bad = bad_messages()[1:]  # the first is plain text: in a file it joins the message before
    out = run(good + b"".join(raw for raw, _ in bad) + good)
    assert kinds(out) == ["event", *[(n, r) for n, (_, r) in enumerate(bad, 2)], "event"]


def test_a_message_cut_off_in_a_file_does_not_swallow_the_next_one():
    good = adt_message(example_visit())
    for cut in (30, good.index(b"PV1|") + 2, good.index(b"PV1|") + 25):
        out = run(good + good[:cut] + good)
        assert kinds(out) == ["event", (2, "truncated_message"), "event"], cut
        assert "runs straight into the next message's MSH" in out[1].fields["message"][0]


def test_reject_fields_name_the_hl7_field_and_the_problem():
    out = run(adt_message(example_visit(nhs_number="9434765910", dob="20230230", sex="X")))
    [reject] = out
    assert reject.reason == "invalid_nhs_number"  # the first problem found
    assert set(reject.fields) == {"PID-3", "PID-7", "PID-8"}
    assert "9434765910" in reject.fields["PID-3"][0]


def test_a_birth_date_after_the_visit_is_rejected():
    [reject] = run(adt_message(example_visit(dob="20250401")))
    assert reject.reason == "invalid_date" and "PID-7" in reject.fields


def test_a_line_of_junk_inside_a_file_rejects_only_its_message():
    good = adt_message(example_visit())
    out = run(good + good.replace(b"\rPV1|", b"\rnot hl7 at all\rPV1|") + good)
    assert kinds(out) == ["event", (2, "invalid_hl7"), "event"]
    assert "not hl7" in out[1].fields["message"][0]


def test_a_badly_encoded_message_does_not_stop_the_others():
    good = adt_message(example_visit())
    latin = good.replace(b"Leeds", "Lééds".encode("latin-1"))
    out = run(good + latin + good)
    assert kinds(out) == ["event", (2, "invalid_encoding"), "event"]
    assert "PID-11" in out[1].fields


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "invalid_hl7"),
        (b"\r\n\r\n", "invalid_hl7"),
        (b"\x00\xff\xfe binary", "invalid_hl7"),
        (b"MSH", "truncated_message"),
    ],
)
def test_empty_or_not_hl7_at_all(raw, reason):
    [reject] = run(raw)
    assert (reject.line, reject.reason) == (1, reason)


# --- splitting a payload ---------------------------------------------------------------------


def test_cr_lf_and_crlf_segment_endings_and_batch_envelopes_are_accepted():
    good = adt_message(example_visit())
    for ending in (b"\n", b"\r\n"):
        assert kinds(run(good.replace(b"\r", ending) * 2)) == ["event", "event"]
    batch = b"FHS|^~\\&|SYNED\rBHS|^~\\&|SYNED\r" + good + good + b"BTS|2\rFTS|1\r"
    assert kinds(run(batch)) == ["event", "event"]


def test_mllp_framed_content_and_a_cut_off_last_frame():
    good = adt_message(example_visit())
    captured = frame(good) + b"\r\n" + frame(good) + b"\x0b" + good[:60]
    out = run(captured)
    assert kinds(out) == ["event", "event", (3, "truncated_message")]


def test_text_before_the_first_message_is_its_own_item():
    good = adt_message(example_visit())
    out = run(b"export of 2025-03-14\r" + good)
    assert kinds(out) == [(1, "invalid_hl7"), "event"]


# --- the synthetic feed ----------------------------------------------------------------------


def test_the_synthetic_sample_maps_completely_with_a_realistic_mix(tmp_path):
    path = tmp_path / "adt.hl7"
    write_sample(path, seed=1, messages=25)
    raw = path.read_bytes()
    assert raw == b"".join(sample_messages(seed=1, messages=25))  # deterministic
    assert raw != b"".join(sample_messages(seed=2, messages=25))
    events = run(raw)
    assert len(events) == 25 and all(isinstance(e, dict) for e in events), kinds(events)
    visits = sample_visits(seed=1, messages=25)
    triggers = {v.event for v in visits}
    assert triggers == {"A01", "A04", "A08", "A11"}
    for visit, event in zip(visits, events, strict=True):
        assert event["concern"]["ref"] == f"SYNGH:{visit.visit}"
        assert event["concern"]["withdrawn"] is (visit.event == "A11")
        assert (event["concern"]["revision"] == 1) is (visit.event == "A04")
        assert event["person"]["source_ref"] == f"SYNGH:{visit.mrn}"
        assert event["person"]["family_name"] == visit.family
        expected = "Attending doctor" if visit.attending else "Recording clerk"
        assert event["concern"]["recorded_by"].startswith(expected)
        names = [*(visit.attending or ())[:3], *(visit.operator or ())]
        assert not any(name in event["concern"]["recorded_by"] for name in names)
    roles = {e["person"]["role"] for e in events}
    assert roles == {"child", None}
    categories = {e["concern"]["category"] for e in events}
    assert {"ae_attendance", "hospital_admission"} & categories and len(categories) >= 5
    # Every amendment and withdrawal comes after the message it amends, with a higher revision.
    latest: dict[str, int] = {}
    for event in events:
        concern = event["concern"]
        assert concern["revision"] > latest.get(concern["ref"], 0)
        latest[concern["ref"]] = concern["revision"]


# --- never raises ----------------------------------------------------------------------------


def _only_items(out: list) -> None:
    for item in out:
        assert isinstance(item, dict | Rejected)
        if isinstance(item, Rejected):
            assert item.line >= 1 and item.reason and item.fields
            assert "Could not be read" not in str(item.fields)  # the mapping itself never failed


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=600))
def test_arbitrary_bytes_never_raise(raw):
    _only_items(run(raw))


_SEED_MESSAGE = adt_message(example_visit(safeguarding=True, diagnosis=("S09.9", "Head injury")))
_NOISE = st.sampled_from(
    [b"|", b"^", b"~", b"\\", b"&", b"\r", b"\n", b"\x0b", b"\x1c", b"MSH|^~\\&|", b"\xff",
     b"\\X41\\", b"\\.br\\", b"99999999", b"+9999", b"PV1|"]
)  # fmt: skip


# hl7apy takes 10-30 ms a message, so fewer examples here than for arbitrary bytes.
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(_SEED_MESSAGE)),
            st.integers(0, 12),
            _NOISE | st.binary(max_size=4),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_mutated_messages_never_raise(edits):
    raw = bytearray(_SEED_MESSAGE)
    for position, cut, insert in edits:
        raw[position : position + cut] = insert
    _only_items(run(bytes(raw)))
