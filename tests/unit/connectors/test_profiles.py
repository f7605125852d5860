"""The profile connector: housing, probation, adult mental health and substance misuse exports."""

from __future__ import annotations

import functools
import json
from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors.base import Rejected
from connectors.profiles import (
    HOUSING,
    PROFILES,
    EventType,
    Profile,
    parse,
)
from hub.schemas import event_id_for
from hub.synthetic.feeds.profiles import (
    AGENCIES,
    COLUMNS,
    bad_rows,
    render,
    sample_rows,
    write_sample,
)


def csv_of(agency: str, *rows: dict) -> bytes:
    """A CSV export with the agency's full header; unspecified cells blank."""
    return render([{c: row.get(c, "") for c in COLUMNS[agency]} for row in rows], agency)


def run(raw: bytes, agency: str) -> list:
    return list(parse(raw, agency))


def line_starts(raw: bytes, rows: int) -> list[int]:
    """The physical line on which each data row of a rendered CSV starts."""
    header, *records = raw.decode().split("\r\n")[:-1]
    starts, line = [], 2
    for record in records[:rows]:
        starts.append(line)
        line += record.count("\n") + 1
    return starts


# ---- housing --------------------------------------------------------------------------------

TENANT = {
    "case_ref": "HC-000101",
    "person_ref": "HP000001",
    "tenancy_ref": "TEN-55012",
    "forename": "Kayleigh",
    "surname": "Griffiths",
    "date_of_birth": "19/08/1984",
    "gender": "F",
    "nhs_number": "",
    "address": "Flat 11, 13 Victoria Street, Birmingham",
    "postcode": "b143qd",
    "la_code": "E08000025",
    "tenancy_start": "02/05/2019",
    "relationship_to_tenant": "tenant",
    "event_type": "rent_arrears",
    "event_date": "05/03/2025 14:30",
    "recorded_date": "05/03/2025",
    "arrears_amount": "£2,150.00",
    "arrears_weeks": "5",
    "notes": "Partner stopped contributing.",
    "action": "Referred to money advice.",
}
CHILD = dict(
    TENANT,
    person_ref="HP000002",
    forename="Isla",
    surname="Thompson",
    date_of_birth="10/09/2023",
    relationship_to_tenant="child",
    household_member_of="HP000001",
    notes="",
)
PARTNER = dict(
    TENANT,
    person_ref="HP000003",
    forename="Jonathan",
    surname="Thompson",
    date_of_birth="17/02/1982",
    gender="M",
    relationship_to_tenant="partner",
    household_member_of="HP000001",
)


def test_housing_event_becomes_one_concern_per_household_member():
    tenant, child, partner = run(csv_of("housing", TENANT, CHILD, PARTNER), "housing")
    assert tenant["agency"] == "housing"
    assert tenant["person"] == {
        "source_ref": "HP000001",
        "local_authority": "E08000025",
        "given_name": "Kayleigh",
        "middle_names": None,
        "family_name": "Griffiths",
        "date_of_birth": "1984-08-19",
        "sex": "female",
        "nhs_number": None,
        "upn": None,
        "role": "carer",
        "addresses": [
            {
                "line": "Flat 11, 13 Victoria Street, Birmingham",
                "postcode": "B14 3QD",
                "valid_from": "2019-05-02",
                "valid_to": None,
            }
        ],
        "relationships": [],
    }
    concern = tenant["concern"]
    assert concern["ref"] == "HC-000101:HP000001"
    assert concern["occurred_at"] == "2025-03-05T14:30:00+00:00"
    # recorded the same day without a time: not "before it happened"
    assert concern["reported_at"] == "2025-03-05T14:30:00+00:00"
    assert (concern["category"], concern["severity"], concern["sensitivity"]) == (
        "rent_arrears",
        "high",  # £2,000 or more
        "standard",
    )
    assert concern["summary"] == (
        "Rent arrears. Arrears £2,150.00; 5 weeks owed; tenancy TEN-55012. "
        "Partner stopped contributing."
    )
    assert concern["action_taken"] == "Referred to money advice."
    assert (concern["revision"], concern["withdrawn"]) == (1, False)
    assert tenant["event_id"] == event_id_for("housing", "HC-000101:HP000001")

    assert child["person"]["role"] == "child"
    assert child["person"]["relationships"] == [{"type": "parent", "source_ref": "HP000001"}]
    assert child["concern"]["ref"] == "HC-000101:HP000002"
    assert partner["person"]["role"] == "partner"
    assert partner["person"]["relationships"] == [{"type": "partner", "source_ref": "HP000001"}]
    assert len({tenant["event_id"], child["event_id"], partner["event_id"]}) == 3


@pytest.mark.parametrize(
    ("amount", "weeks", "severity"),
    [
        ("120.00", "1", "low"),
        ("499.99", "3", "low"),
        ("500", "1", "medium"),
        ("120", "4", "medium"),
        ("1,999.99", "7", "medium"),
        ("£2,000.00", "", "high"),
        ("100", "8", "high"),
    ],
)
def test_rent_arrears_severity_rises_with_amount_and_weeks(amount, weeks, severity):
    row = dict(TENANT, arrears_amount=amount, arrears_weeks=weeks)
    (event,) = run(csv_of("housing", row), "housing")
    assert event["concern"]["severity"] == severity


def test_housing_event_types_map_to_their_categories():
    rows = [
        dict(TENANT, case_ref=f"HC-{n}", event_type=code, arrears_amount="", arrears_weeks="")
        for n, code in enumerate(
            [
                "eviction_notice",
                "POSSESSION_ORDER",
                "temporary accommodation",
                "asb_complaint",
                "domestic_abuse_disclosure",
            ]
        )
    ]
    got = [
        (e["concern"]["category"], e["concern"]["severity"], e["concern"]["sensitivity"])
        for e in run(csv_of("housing", *rows), "housing")
    ]
    assert got == [
        ("eviction_notice", "medium", "standard"),
        ("possession_order", "high", "standard"),
        ("temporary_accommodation_placement", "medium", "standard"),
        ("anti_social_behaviour_complaint", "low", "standard"),
        ("domestic_abuse", "high", "restricted"),
    ]


# ---- probation ------------------------------------------------------------------------------

OFFENDER = {
    "crn": "X000417",
    "event_id": "EV0000001",
    "forename": "Daniel",
    "surname": "Smith",
    "date_of_birth": "1995-02-15",
    "gender": "Male",
    "address": "48 Cedar Street, London",
    "postcode": "E2 7ET",
    "relationship_to_household": "Partner",
    "risk_to_children": "N",
    "violence_history": "N",
    "event_type": "SENTENCE_START",
    "event_date": "2025-07-14 09:30:00",
}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, ("sentence_start", "medium", "standard", "partner")),
        ({"violence_history": "Y"}, ("sentence_start", "medium", "standard", "partner")),
        (
            {"risk_to_children": "Y", "relationship_to_household": "regular visitor"},
            ("sentence_start", "high", "standard", "visitor"),
        ),
        ({"relationship_to_household": "none"}, ("sentence_start", "medium", "standard", None)),
        (
            {"event_type": "rosh_assessment", "rosh_children": "Very High"},
            ("risk_to_children_assessment", "critical", "restricted", "partner"),
        ),
        (
            {"event_type": "rosh_assessment", "rosh_children": "low"},
            ("risk_to_children_assessment", "low", "restricted", "partner"),
        ),
        (
            {"event_type": "MAPPA_LEVEL", "mappa_level": "2"},
            ("mappa_management", "high", "restricted", "partner"),
        ),
        (
            {"event_type": "mappa_level", "mappa_level": "3"},
            ("mappa_management", "critical", "restricted", "partner"),
        ),
        ({"event_type": "licence_recall"}, ("licence_recall", "high", "standard", "partner")),
        (
            {"event_type": "address_change_children"},
            ("moved_into_household_with_children", "high", "standard", "partner"),
        ),
        # A RoSH level carried on any event raises it and makes it restricted.
        (
            {"rosh_children": "high"},
            ("sentence_start", "high", "restricted", "partner"),
        ),
    ],
)
def test_probation_rows_map_severity_sensitivity_and_role(changes, expected):
    (event,) = run(csv_of("probation", dict(OFFENDER, **changes)), "probation")
    concern = event["concern"]
    got = (concern["category"], concern["severity"], concern["sensitivity"])
    assert (*got, event["person"]["role"]) == expected


def test_probation_times_are_uk_local_and_facts_reach_the_summary():
    row = dict(OFFENDER, event_type="rosh_assessment", rosh_children="H", violence_history="Y")
    (event,) = run(csv_of("probation", row), "probation")
    assert event["person"]["source_ref"] == "X000417"
    assert event["concern"]["ref"] == "EV0000001"
    assert event["concern"]["occurred_at"] == "2025-07-14T09:30:00+01:00"  # BST
    assert event["concern"]["summary"] == (
        "Risk of serious harm to children assessed. Relationship to the household: partner; "
        "risk to children flagged: no; history of violence: yes; RoSH to children: high."
    )


# ---- adult mental health --------------------------------------------------------------------

PATIENT = {
    "patient_id": "RIO0000042",
    "nhs_number": "943 476 5919",
    "contact_id": "C00000077",
    "forename": "Mehwish",
    "surname": "KAUSAR",
    "date_of_birth": "30/06/2000",
    "gender": "F",
    "postcode": "B19 8RQ",
    "is_parent": "Yes",
    "event_type": "mha_admission",
    "event_datetime": "14/07/2025 23:10",
    "mha_section": "s2",
    "team": "Crisis Resolution and Home Treatment",
}


def test_adult_mental_health_parent_is_a_carer_and_everything_is_health_confidential():
    rows = [
        PATIENT,
        dict(PATIENT, contact_id="C2", is_parent="No", event_type="crisis_contact"),
        dict(PATIENT, contact_id="C3", is_parent="", event_type="discharge", mha_section=""),
        dict(PATIENT, contact_id="C4", event_type="missed_appointment", mha_section=""),
    ]
    events = run(csv_of("adult_mental_health", *rows), "adult_mental_health")
    first = events[0]
    assert first["person"]["nhs_number"] == "9434765919"
    assert first["concern"]["occurred_at"] == "2025-07-14T23:10:00+01:00"
    assert first["concern"]["summary"].startswith(
        "Admitted under the Mental Health Act. Mental Health Act section 2; team: Crisis"
    )
    assert [
        (e["concern"]["category"], e["concern"]["severity"], e["person"]["role"]) for e in events
    ] == [
        ("mental_health_act_admission", "high", "carer"),
        ("mental_health_crisis", "high", None),
        ("mental_health_discharge", "medium", None),
        ("missed_mental_health_appointment", "low", "carer"),
    ]
    assert {e["concern"]["sensitivity"] for e in events} == {"health_confidential"}


# ---- substance misuse -----------------------------------------------------------------------

CLIENT = {
    "client_id": "SMS-00012",
    "event_ref": "EP000031",
    "nhs_number": "",
    "first_name": "Jordan",
    "last_name": "Moore",
    "dob": "16-Apr-1992",
    "sex": "Male",
    "postcode": "M13 3UN",
    "children_in_household": "Yes",
    "event_type": "relapse",
    "event_date": "05-Mar-2025",
    "substance": "Crack cocaine",
}


@pytest.mark.parametrize(
    ("changes", "category", "severity"),
    [
        ({}, "substance_misuse_relapse", "high"),
        ({"children_in_household": "No"}, "substance_misuse_relapse", "medium"),
        ({"event_type": "treatment_start"}, "substance_misuse_treatment_start", "medium"),
        (
            {"event_type": "treatment_start", "children_in_household": "n"},
            "substance_misuse_treatment_start",
            "low",
        ),
        ({"event_type": "positive_test"}, "positive_substance_test", "high"),
        ({"event_type": "dropped_out"}, "dropped_out_of_treatment", "high"),
    ],
)
def test_substance_misuse_children_in_household_raises_severity(changes, category, severity):
    (event,) = run(csv_of("substance_misuse", dict(CLIENT, **changes)), "substance_misuse")
    concern = event["concern"]
    assert (concern["category"], concern["severity"]) == (category, severity)
    assert concern["sensitivity"] == "health_confidential"
    assert event["person"]["role"] == "carer"
    assert event["person"]["date_of_birth"] == "1992-04-16"
    assert concern["occurred_at"] == "2025-03-05T00:00:00+00:00"


# ---- samples and the bad rows ---------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
@pytest.mark.parametrize("agency", AGENCIES)
def test_written_samples_map_cleanly(tmp_path, agency, fmt):
    path = write_sample(tmp_path / f"{agency}.{fmt}", agency, seed=3, rows=40, fmt=fmt)
    out = run(path.read_bytes(), agency)
    assert [o for o in out if isinstance(o, Rejected)] == []
    assert len(out) == 40
    assert {e["agency"] for e in out} == {agency}
    amended = [e for e in out if e["concern"]["revision"] == 2]
    earlier = {e["concern"]["ref"] for e in out if e["concern"]["revision"] == 1}
    assert all(e["concern"]["ref"] in earlier for e in amended)


def test_samples_are_deterministic_for_a_seed_and_differ_between_seeds():
    assert render(sample_rows("housing", seed=5), "housing") == render(
        sample_rows("housing", seed=5), "housing"
    )
    assert sample_rows("housing", seed=5) != sample_rows("housing", seed=6)


def test_samples_cover_every_event_type_and_role_rule():
    seen = Counter()
    for agency in AGENCIES:
        for event in run(csv_of(agency, *sample_rows(agency, rows=60)), agency):
            seen[(agency, event["concern"]["category"])] += 1
            seen[(agency, event["person"]["role"])] += 1
    for agency, profile in PROFILES.items():
        for event_type in profile.events.values():
            assert seen[(agency, event_type.category)], (agency, event_type.category)
    assert seen[("housing", "child")] and seen[("housing", "partner")]
    assert seen[("probation", "visitor")] and seen[("adult_mental_health", None)]


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
@pytest.mark.parametrize("agency", AGENCIES)
def test_each_bad_row_is_rejected_at_its_position_and_good_rows_beside_it_pass(agency, fmt):
    good = sample_rows(agency, seed=11, rows=len(bad_rows(agency)) + 1)
    rows, expected = [], []
    for n, (bad, reason) in enumerate(bad_rows(agency)):
        rows += [good[n], bad]
        expected += [None, reason]
    rows.append(good[-1])
    expected.append(None)
    raw = render(rows, agency, fmt)
    positions = line_starts(raw, len(rows)) if fmt == "csv" else range(1, len(rows) + 1)

    out = run(raw, agency)

    assert len(out) == len(rows)
    for item, reason, position in zip(out, expected, positions, strict=True):
        if reason is None:
            assert isinstance(item, dict), item
        else:
            assert isinstance(item, Rejected), (reason, item)
            assert (item.reason, item.line) == (reason, position), item
            assert item.fields


def test_rejects_name_the_column_and_say_what_is_wrong():
    rows = [
        dict(TENANT, postcode="LS99 ZZZZ"),
        dict(TENANT, nhs_number="1234567890"),
        dict(TENANT, arrears_amount="about 300"),
        dict(TENANT, event_date="30/02/2025"),
        dict(TENANT, event_date="2025.03.05"),
        dict(TENANT, event_type="alien_abduction"),
        dict(TENANT, agency="probation"),
    ]
    out = run(csv_of("housing", *rows), "housing")
    assert [r.fields for r in out] == [
        {"postcode": ["'LS99 ZZZZ' is not a UK postcode."]},
        {
            "nhs_number": [
                "'1234567890' is not a valid NHS number (10 digits with a modulus-11 check)."
            ]
        },
        {"arrears_amount": ["'about 300' is not an amount in pounds (e.g. 1234.50 or £1,234.50)."]},
        {"event_date": ["'30/02/2025' is not a real date and time (read as DD/MM/YYYY)."]},
        {
            "event_date": [
                "'2025.03.05' is not a date and time in a known format (DD/MM/YYYY hh:mm or "
                "DD/MM/YYYY hh:mm:ss or DD/MM/YYYY or YYYY-MM-DD)."
            ]
        },
        {
            "event_type": [
                "'alien_abduction' is not a housing event type; allowed: eviction_notice, "
                "possession_order, rent_arrears, temporary_accommodation, asb_complaint, "
                "domestic_abuse_disclosure."
            ]
        },
        {"agency": ["This feed is housing; the row says 'probation'."]},
    ]


def test_a_row_with_several_problems_lists_them_all():
    row = dict(TENANT, postcode="nope", date_of_birth="31/04/1990", event_type="x")
    (reject,) = run(csv_of("housing", row), "housing")
    assert reject.reason == "invalid_date"  # the first, in column order
    assert set(reject.fields) == {"date_of_birth", "postcode", "event_type"}


def test_a_schema_refusal_is_an_invalid_event_with_the_canonical_field():
    row = dict(TENANT, event_date="01/01/2099")
    (reject,) = run(csv_of("housing", row), "housing")
    assert reject.reason == "invalid_event"
    assert "occurred_at" in reject.fields["concern"]


# ---- whole-file problems --------------------------------------------------------------------


@pytest.mark.parametrize("agency", AGENCIES)
def test_missing_required_columns_is_one_reject_at_line_1_naming_missing_and_found(agency):
    columns = COLUMNS[agency]
    dropped = [c for c in PROFILES[agency].required if c not in ("event_type",)][:2]
    kept = [c for c in columns if c not in dropped]
    rows = sample_rows(agency, rows=5)
    lines = [",".join(kept)] + [",".join('"' + r[c] + '"' for c in kept) for r in rows]
    out = run("\n".join(lines).encode(), agency)
    assert len(out) == 1
    (reject,) = out
    assert (reject.line, reject.reason) == (1, "missing_column")
    missing, found = reject.fields["header"]
    assert missing == f"Missing required column(s): {', '.join(dropped)}."
    assert found == f"Columns found: {', '.join(kept)}."


def test_a_json_object_missing_required_keys_is_rejected_alone():
    rows = [dict(r) for r in sample_rows("probation", rows=3)]
    raw = json.loads(render(rows, "probation", "json"))
    del raw[1]["surname"]
    out = run(json.dumps(raw).encode(), "probation")
    assert [type(o).__name__ for o in out] == ["dict", "Rejected", "dict"]
    assert (out[1].line, out[1].reason) == (2, "missing_column")
    assert out[1].fields["header"][0] == "Missing required column(s): surname."


def test_an_agency_without_a_profile_gets_a_single_no_profile_reject():
    raw = render(sample_rows("housing", rows=3), "housing")
    (reject,) = run(raw, "police")
    assert (reject.line, reject.reason) == (1, "no_profile")
    assert reject.fields["agency"] == [
        "No profile for agency 'police'; profiles exist for: housing, probation, "
        "adult_mental_health, substance_misuse."
    ]
    (reject,) = list(parse(raw, "probation", profile=HOUSING))
    assert reject.reason == "no_profile"


@pytest.mark.parametrize("raw", [b"", b"\n\n  \n", b"\xef\xbb\xbf"])
def test_an_empty_file_says_so(raw):
    (reject,) = run(raw, "housing")
    assert (reject.line, reject.reason) == (1, "missing_column")
    (message,) = reject.fields["header"]
    assert message.startswith("The file is empty: expected a header naming the columns case_ref,")


def test_duplicate_header_columns_are_refused():
    raw = b"case_ref,person_ref,surname,Surname\n"
    (reject,) = run(raw, "housing")
    assert (reject.line, reject.reason) == (1, "duplicate_column")
    assert reject.fields == {"header": ["Column(s) named more than once: surname."]}


def test_a_byte_order_mark_and_odd_header_spelling_are_accepted():
    raw = csv_of("housing", TENANT).replace(b"case_ref,person_ref", b"Case Ref , PERSON-REF")
    (event,) = run(b"\xef\xbb\xbf" + raw, "housing")
    assert event["concern"]["ref"] == "HC-000101:HP000001"


# ---- CSV lines, encodings, quotes -----------------------------------------------------------


def test_line_numbers_count_the_lines_inside_quoted_notes():
    rows = [
        dict(TENANT, notes="Visited.\nNo answer.\nCard left."),
        dict(TENANT, case_ref="HC-2", notes="one\r\ntwo"),
        dict(TENANT, case_ref="HC-3", postcode="XX"),
    ]
    first, second, reject = run(csv_of("housing", *rows), "housing")
    assert first["concern"]["summary"].endswith("Visited.\nNo answer.\nCard left.")
    assert second["concern"]["summary"].endswith("one\ntwo")  # line breaks read as "\n"
    assert (reject.line, reject.reason) == (7, "invalid_postcode")


def test_a_line_that_is_not_utf8_is_rejected_alone_with_the_byte_and_column():
    raw = csv_of("housing", TENANT, dict(TENANT, case_ref="HC-2"), dict(TENANT, case_ref="HC-3"))
    lines = raw.split(b"\r\n")
    lines[2] = lines[2].replace(b"Griffiths", b"Gr\xe9ffiths")
    out = run(b"\r\n".join(lines), "housing")
    assert [type(o).__name__ for o in out] == ["dict", "Rejected", "dict"]
    column = lines[2].index(b"\xe9") + 1
    assert out[1] == Rejected(
        3, "invalid_encoding", {"line": [f"Not UTF-8: byte 0xe9 at column {column}."]}
    )


def test_a_header_that_is_not_utf8_stops_the_file_with_one_reject():
    raw = csv_of("housing", TENANT).replace(b"surname", b"s\xffrname", 1)
    (reject,) = run(raw, "housing")
    assert (reject.line, reject.reason) == (1, "invalid_encoding")


def test_a_row_with_the_wrong_number_of_fields_is_rejected_at_its_line():
    raw = csv_of("housing", TENANT, dict(TENANT, case_ref="HC-2"), dict(TENANT, case_ref="HC-3"))
    lines = raw.split(b"\r\n")
    lines[2] = lines[2] + b",extra"
    out = run(b"\r\n".join(lines), "housing")
    assert [type(o).__name__ for o in out] == ["dict", "Rejected", "dict"]
    width = len(COLUMNS["housing"])
    assert out[1] == Rejected(
        3,
        "invalid_csv",
        {
            "line": [
                f"Expected {width} fields, as in the header, but found {width + 1} (an unquoted "
                "',' in a value?)."
            ]
        },
    )


def test_an_unclosed_quote_is_rejected_and_the_rows_it_swallowed_still_come_through():
    raw = csv_of(
        "housing",
        TENANT,
        dict(TENANT, case_ref="HC-2", notes="BROKEN"),
        dict(TENANT, case_ref="HC-3"),
        dict(TENANT, case_ref="HC-4"),
    ).replace(b"BROKEN", b'"said ""leave"" and', 1)
    out = run(raw, "housing")
    assert [type(o).__name__ for o in out] == ["dict", "Rejected", "dict", "dict"]
    assert (out[1].line, out[1].reason) == (3, "invalid_csv")
    assert "lines 3-4 have 38 fields (the header has 25)" in out[1].fields["line"][0]
    assert out[1].fields["line"][-1] == "Reading resumes at line 4."
    assert [e["concern"]["ref"] for e in (out[2], out[3])] == ["HC-3:HP000001", "HC-4:HP000001"]


def test_a_stray_quote_closing_rows_later_does_not_hide_the_rows_between():
    raw = csv_of(
        "housing",
        dict(TENANT, notes="OPEN"),
        dict(TENANT, case_ref="HC-2"),
        dict(TENANT, case_ref="HC-3", notes="CLOSE"),
        dict(TENANT, case_ref="HC-4"),
    )
    raw = raw.replace(b"OPEN", b'"oops', 1).replace(b"CLOSE", b'end" x', 1)
    out = run(raw, "housing")
    refs = [o["concern"]["ref"] for o in out if isinstance(o, dict)]
    assert "HC-2:HP000001" in refs and "HC-4:HP000001" in refs
    assert out[0] == Rejected(2, "invalid_csv", out[0].fields)


# ---- JSON -----------------------------------------------------------------------------------


def test_json_values_are_read_like_csv_cells():
    item = dict(CLIENT, children_in_household=False, nhs_number=None, revision=1)
    (event,) = run(json.dumps([item]).encode(), "substance_misuse")
    assert event["concern"]["severity"] == "medium"
    assert event["person"]["nhs_number"] is None
    arrears = dict(TENANT, arrears_amount=2150.5, arrears_weeks=5)
    (event,) = run(json.dumps(arrears).encode(), "housing")  # a single object
    assert "Arrears £2,150.50; 5 weeks owed" in event["concern"]["summary"]


def test_json_array_positions_non_objects_nested_values_and_truncation():
    items = [TENANT, [1, 2], dict(TENANT, case_ref="HC-2", surname={"x": 1}), TENANT]
    raw = json.dumps(items).encode()
    out = run(raw[:-40], "housing")  # the last object is cut off
    assert isinstance(out[0], dict)
    assert (out[1].line, out[1].reason) == (2, "invalid_json")
    assert out[1].fields == {"item": ["Expected an object, found array."]}
    assert (out[2].line, out[2].reason) == (3, "invalid_value")
    assert "surname" in out[2].fields
    assert (out[3].line, out[3].reason) == (4, "invalid_json")
    assert len(out) == 4


def test_json_lines_rejects_a_bad_line_and_reads_the_rest():
    good = json.dumps(TENANT)
    raw = "\n".join([good, "{not json", "", '"a string"', good]).encode()
    raw = (
        raw
        + b"\n"
        + good.replace("Griffiths", "Gr\udcffiffiths").encode("utf-8", "surrogateescape")
    )
    out = run(raw, "housing")
    assert [(o.line, o.reason) for o in out if isinstance(o, Rejected)] == [
        (2, "invalid_json"),
        (4, "invalid_json"),
        (6, "invalid_encoding"),
    ]
    assert sum(isinstance(o, dict) for o in out) == 2


def test_a_json_array_item_that_is_not_utf8_is_rejected_alone():
    raw = json.dumps([TENANT, dict(TENANT, case_ref="HC-2"), TENANT]).encode()
    raw = raw.replace(b"HC-2", b"HC-\xff2")
    out = run(raw, "housing")
    assert [type(o).__name__ for o in out] == ["dict", "Rejected", "dict"]
    assert (out[1].line, out[1].reason) == (2, "invalid_encoding")
    assert "byte 0xff" in out[1].fields["item"][0]


# ---- amendments, withdrawals, hostile text --------------------------------------------------


def test_amendments_and_withdrawals_keep_the_ref_and_change_the_event_id():
    rows = [
        TENANT,
        dict(TENANT, record_status="amended", revision="2", arrears_amount="2400"),
        dict(TENANT, record_status="Withdrawn", revision="2"),
        dict(TENANT, record_status="amended", revision="1"),
        dict(TENANT, record_status="amended"),
    ]
    new, amended, withdrawn, low, missing = run(csv_of("housing", *rows), "housing")
    ref = "HC-000101:HP000001"
    assert {e["concern"]["ref"] for e in (new, amended, withdrawn)} == {ref}
    assert [(e["concern"]["revision"], e["concern"]["withdrawn"]) for e in (new, amended)] == [
        (1, False),
        (2, False),
    ]
    assert (withdrawn["concern"]["revision"], withdrawn["concern"]["withdrawn"]) == (2, True)
    assert amended["event_id"] == event_id_for("housing", ref, 2)
    assert withdrawn["event_id"] == event_id_for("housing", ref, 2, withdrawn=True)
    assert (low.reason, low.line) == ("invalid_value", 5)
    assert (missing.reason, missing.fields) == (
        "missing_value",
        {"revision": ["An amended record needs its revision number (2 or more)."]},
    )


def test_a_household_member_must_say_how_they_are_related_to_the_tenant():
    blank, lodger = run(
        csv_of(
            "housing",
            dict(CHILD, relationship_to_tenant=""),
            dict(CHILD, relationship_to_tenant="lodger"),
        ),
        "housing",
    )
    assert (blank.reason, lodger.reason) == ("missing_value", "invalid_value")
    assert lodger.fields == {
        "relationship_to_tenant": [
            "household_member_of names another person, so relationship_to_tenant must say how "
            "they are related: one of child, partner."
        ]
    }


def test_hostile_strings_are_kept_as_data():
    hostile = "'; DROP TABLE concerns;--"
    script = "<script>alert('x')</script>"
    row = dict(TENANT, forename=script, notes=hostile, tenancy_ref="{value}{0}%s")
    (event,) = run(csv_of("housing", row), "housing")
    assert event["person"]["given_name"] == script
    assert event["concern"]["summary"].endswith(f"tenancy {{value}}{{0}}%s. {hostile}")


def test_long_notes_are_cut_to_the_canonical_limit_saying_so():
    (event,) = run(csv_of("housing", dict(TENANT, notes="x" * 5000)), "housing")
    summary = event["concern"]["summary"]
    assert len(summary) == 4000
    assert summary.endswith("characters in the source]")


# ---- profiles are data ----------------------------------------------------------------------


def test_a_new_export_is_a_new_profile_not_new_code():
    association = Profile(
        agency="housing",
        columns={
            "incident": "concern_ref",
            "tenant_no": "person_ref",
            "last_name": "family_name",
            "when": "occurred_at",
            "kind": "event_type",
            "owed": "arrears_amount",
        },
        required=("incident", "tenant_no", "last_name", "when", "kind"),
        fields={"arrears_amount": HOUSING.fields["arrears_amount"]},
        events={"NOTICE": EventType("eviction_notice", "medium", role="carer", label="Notice")},
        date_formats=("%Y%m%d",),
    )
    raw = b"Incident,Tenant No,Last Name,When,Kind,Owed\nI-9,T-1,Nowak,20250301,notice,12.50\n"
    (event,) = list(parse(raw, "housing", profile=association))
    assert event["concern"]["ref"] == "I-9"
    assert event["concern"]["occurred_at"] == "2025-03-01T00:00:00+00:00"
    assert (event["person"]["family_name"], event["person"]["role"]) == ("Nowak", "carer")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"required": ("ref", "nowhere")}, "Required column 'nowhere' is not mapped."),
        ({"columns": {"ref": "concern_ref"}}, "Field 'person_ref' must be mapped."),
        (
            {"events": {"x": EventType("Not Snake", "low")}},
            "category 'Not Snake' is not snake_case",
        ),
        ({"date_formats": ("%d.%m.%y",)}, "Unsupported date directive %y"),
        ({"columns": {"Ref": "concern_ref"}}, "should be written 'ref'"),
    ],
)
def test_a_broken_profile_fails_when_it_is_written(change, message):
    base = {
        "agency": "housing",
        "columns": {
            "ref": "concern_ref",
            "who": "person_ref",
            "t": "event_type",
            "d": "occurred_at",
        },
        "required": ("ref",),
        "events": {"x": EventType("eviction_notice", "low")},
    }
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Profile(**{**base, **change})


def test_the_profiles_declare_what_the_brief_asks():
    assert set(PROFILES) == {"housing", "probation", "adult_mental_health", "substance_misuse"}
    assert HOUSING.fields["arrears_amount"].parse("£1,234.50", HOUSING) == Decimal("1234.50")
    health = [PROFILES["adult_mental_health"], PROFILES["substance_misuse"]]
    for profile in health:
        assert {e.sensitivity for e in profile.events.values()} == {"health_confidential"}


# ---- never raises ---------------------------------------------------------------------------


def _check(out: list) -> None:
    for item in out:
        assert isinstance(item, dict | Rejected)
        if isinstance(item, Rejected):
            assert item.reason != "unexpected_error", item
            assert item.line >= 1


_FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_FUZZ
@given(raw=st.binary(max_size=600), agency=st.sampled_from([*AGENCIES, "police"]))
def test_parse_never_raises_on_arbitrary_bytes(raw, agency):
    _check(run(raw, agency))


@_FUZZ
@given(
    raw=st.binary(max_size=300).map(lambda b: b"[" + b)
    | st.binary(max_size=300).map(lambda b: b"{" + b)
    | st.text(alphabet=',"\r\n \t[]{}:abc1/\\\x00', max_size=200).map(str.encode)
)
def test_parse_never_raises_on_punctuation_heavy_input(raw):
    _check(run(raw, "housing"))


_FORMATS = [(agency, fmt) for agency in AGENCIES for fmt in ("csv", "json", "jsonl")]


@functools.cache
def _sample(agency: str, fmt: str) -> bytes:
    return render(sample_rows(agency, seed=2, rows=3), agency, fmt)


@_FUZZ
@given(
    key=st.sampled_from(_FORMATS),
    edits=st.lists(
        st.tuples(st.integers(0, 10_000), st.integers(0, 8), st.binary(max_size=6)),
        min_size=1,
        max_size=6,
    ),
)
def test_parse_never_raises_on_mutated_samples(key, edits):
    raw = bytearray(_sample(*key))
    for at, cut, insert in edits:
        at %= len(raw) + 1
        raw[at : at + cut] = insert
    out = run(bytes(raw), key[0])
    _check(out)
    if key[1] != "json":  # at most one item per physical line
        assert len(out) <= max(len(bytes(raw).splitlines()), 1)


def test_the_recording_role_is_kept_as_a_role_and_absent_means_none():
    def with_role(role: str) -> bytes:
        row = {**{c: TENANT.get(c, "") for c in COLUMNS["housing"]}, "recorded_by_role": role}
        return json.dumps([row]).encode()

    (officer,) = run(with_role("Housing officer"), "housing")
    assert officer["concern"]["recorded_by"] == "Housing officer"
    (blank,) = run(with_role(""), "housing")
    assert blank["concern"]["recorded_by"] is None
    (without,) = run(csv_of("housing", TENANT), "housing")
    assert without["concern"]["recorded_by"] is None
    (long,) = run(with_role("Senior " * 40), "housing")
    assert len(long["concern"]["recorded_by"]) <= 120
