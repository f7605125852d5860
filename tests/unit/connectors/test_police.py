"""The police connector: incident exports (one row per person) as CSV, JSON and JSON Lines."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors.base import Rejected
from connectors.police import REQUIRED_COLUMNS, parse, parse_csv, parse_json
from hub.schemas import event_id_for
from hub.synthetic.feeds import police as feed

VICTIM, SUSPECT, CHILD = (p["person_ref"] for p in feed.GOOD_PERSONS)
# 20 incident records: the 10th re-sends an earlier incident amended, the 20th withdraws one.
SAMPLE = feed.sample_incidents(seed=3, incidents=20)


def incident(**changes) -> dict:
    """The feed's domestic abuse incident: mother (victim), a visiting man (suspect, his own
    address), her son (child present); incident values and persons may be changed."""
    data = {**copy.deepcopy(feed.GOOD_INCIDENT), "persons": copy.deepcopy(list(feed.GOOD_PERSONS))}
    data.update(changes)
    return data


def person(ref: str = "PN99-000010", **values) -> dict:
    base = copy.deepcopy(feed.GOOD_PERSONS[2])
    base.update(person_ref=ref, **values)
    return base


def events(raw: bytes) -> list[dict | Rejected]:
    return list(parse(raw, "police"))


def by_ref(items: list) -> dict[str, dict]:
    assert all(isinstance(i, dict) for i in items), [i for i in items if isinstance(i, Rejected)]
    return {i["person"]["source_ref"]: i for i in items}


# --- the good path ----------------------------------------------------------------------------


def test_each_person_in_an_incident_becomes_one_event_with_the_mapped_values():
    out = by_ref(events(feed.csv_bytes([incident()])))
    assert list(out) == [VICTIM, SUSPECT, CHILD]
    mother, man, child = out[VICTIM], out[SUSPECT], out[CHILD]

    assert mother["agency"] == "police"
    assert mother["person"] == {
        "source_ref": VICTIM,
        "local_authority": "E08000035",
        "given_name": "Leanne",
        "middle_names": "Marie",
        "family_name": "HARGREAVES",
        "date_of_birth": "1994-02-03",
        "sex": "female",
        "role": "carer",  # an adult victim
        "addresses": [{"line": "27 Cobden Street, Leeds", "postcode": "LS12 1QX"}],
        "relationships": [],
    }
    assert mother["concern"] == {
        "ref": f"INC-2025-90001:{VICTIM}",
        "occurred_at": "2025-06-14T22:40:00+01:00",  # UK local time in summer is BST
        "reported_at": "2025-06-14T23:05:00+01:00",
        "category": "domestic_abuse",
        "severity": "medium",
        "sensitivity": "standard",
        "summary": feed.GOOD_INCIDENT["summary"],
        "action_taken": "DASH completed; PPN submitted.",
        "recorded_by": "Police constable",
        "revision": 1,
        "withdrawn": False,
    }
    assert mother["event_id"] == event_id_for("police", f"INC-2025-90001:{VICTIM}")

    assert man["person"]["role"] == "visitor"  # relationship_to_child says so
    assert man["person"]["date_of_birth"] == "1989-11-30"
    assert man["concern"]["sensitivity"] == "police_intelligence"
    assert man["concern"]["category"] == "domestic_abuse"

    assert child["person"]["role"] == "child"
    assert child["concern"]["category"] == "domestic_abuse_child_present"
    assert child["concern"]["severity"] == "medium"
    assert child["concern"]["sensitivity"] == "standard"
    assert child["person"]["relationships"] == [
        {"type": "mother", "source_ref": VICTIM},
        {"type": "visitor", "source_ref": SUSPECT},
    ]


def test_the_csv_sample_maps_every_row_and_keeps_one_ref_per_person_across_incidents():
    out = events(feed.csv_bytes(SAMPLE))
    rows = sum(len(i["persons"]) for i in SAMPLE)
    assert len(out) == rows and all(isinstance(o, dict) for o in out)
    names = {}
    for event in out:
        ref = event["person"]["source_ref"]
        incident_ref, _, person_ref = event["concern"]["ref"].partition(":")
        assert person_ref == ref and incident_ref.startswith("INC-2025-")
        names.setdefault(ref, set()).add(
            (event["person"]["family_name"], event["person"]["date_of_birth"])
        )
    assert all(len(seen) == 1 for seen in names.values())
    declared = {r["source_ref"] for e in out for r in e["person"]["relationships"]}
    assert declared and declared <= set(names)  # every relationship points at a person sent
    categories = {e["concern"]["category"] for e in out}
    assert {"domestic_abuse", "domestic_abuse_child_present"} <= categories
    statuses = {(e["concern"]["revision"], e["concern"]["withdrawn"]) for e in out}
    assert statuses == {(1, False), (2, False), (1, True)}
    assert {"Police constable", None} <= {e["concern"]["recorded_by"] for e in out}


def test_csv_json_array_and_json_lines_of_the_same_incidents_give_the_same_events():
    from_csv = events(feed.csv_bytes(SAMPLE))
    assert all(isinstance(e, dict) for e in from_csv)
    assert events(feed.json_bytes(SAMPLE)) == from_csv
    assert events(feed.json_bytes(SAMPLE, lines=True)) == from_csv


def test_sample_files_are_written_deterministically_and_parse_cleanly(tmp_path):
    one = feed.write_sample_csv(tmp_path / "a.csv", seed=2, incidents=6).read_bytes()
    two = feed.write_sample_csv(tmp_path / "b.csv", seed=2, incidents=6).read_bytes()
    other = feed.write_sample_csv(tmp_path / "c.csv", seed=4, incidents=6).read_bytes()
    assert one == two != other
    assert all(isinstance(e, dict) for e in events(one))
    for lines in (False, True):
        path = feed.write_sample_json(tmp_path / f"s{lines}.json", seed=2, incidents=4, lines=lines)
        out = events(path.read_bytes())
        assert out and all(isinstance(e, dict) for e in out)


def test_amendments_carry_their_revision_and_withdrawals_are_flagged():
    original = incident()
    amended = incident(record_status="amended", revision="2", risk_level="high")
    withdrawn = incident(
        record_status="withdrawn", revision="2", risk_level="high", summary="Sent in error."
    )
    out = events(feed.csv_bytes([original, amended, withdrawn]))
    assert all(isinstance(e, dict) for e in out) and len(out) == 9
    ref = f"INC-2025-90001:{CHILD}"
    child = [e for e in out if e["concern"]["ref"] == ref]
    assert [(e["concern"]["revision"], e["concern"]["withdrawn"]) for e in child] == [
        (1, False),
        (2, False),
        (2, True),
    ]
    assert [e["concern"]["severity"] for e in child] == ["medium", "high", "high"]
    assert len({e["event_id"] for e in child}) == 3  # the same concern, three distinct events
    # relationships are declared within each revision's own rows
    assert all(len(e["person"]["relationships"]) == 2 for e in child)


# --- roles, relationships, severity -----------------------------------------------------------


def test_a_suspect_living_at_the_childs_address_is_a_partner_and_elsewhere_a_visitor():
    home = {"address": "27 cobden street,  LEEDS", "postcode": "ls121qx"}  # written differently
    living_in = incident()
    living_in["persons"][1].update(relationship_to_child="", **home)
    out = by_ref(events(feed.csv_bytes([living_in])))
    assert out[SUSPECT]["person"]["role"] == "partner"
    assert out[CHILD]["person"]["relationships"] == [{"type": "mother", "source_ref": VICTIM}]

    elsewhere = incident()
    elsewhere["persons"][1]["relationship_to_child"] = ""
    assert by_ref(events(feed.csv_bytes([elsewhere])))[SUSPECT]["person"]["role"] == "visitor"

    no_fixed_abode = incident()
    no_fixed_abode["persons"][1].update(relationship_to_child="", address="NFA", postcode="")
    man = by_ref(events(feed.csv_bytes([no_fixed_abode])))[SUSPECT]["person"]
    assert man["role"] == "visitor" and man["addresses"] == []


def test_a_father_of_some_children_only_is_declared_on_those_children():
    half_siblings = incident()
    half_siblings["persons"][1]["relationship_to_child"] = "father:PN99-000011"
    half_siblings["persons"] += [
        person("PN99-000011", forenames="Lily", date_of_birth="2021-05-01")
    ]
    out = by_ref(events(feed.csv_bytes([half_siblings])))
    assert out[CHILD]["person"]["relationships"] == [{"type": "mother", "source_ref": VICTIM}]
    assert out["PN99-000011"]["person"]["relationships"] == [
        {"type": "mother", "source_ref": VICTIM},
        {"type": "father", "source_ref": SUSPECT},
    ]
    assert out[SUSPECT]["person"]["role"] == "visitor"  # a father who lives elsewhere


def test_naming_an_adult_as_the_child_is_rejected_but_a_child_whose_row_failed_is_not_blamed():
    wrong = incident()
    wrong["persons"][1]["relationship_to_child"] = f"father:{VICTIM}"
    out = events(feed.csv_bytes([wrong]))
    assert isinstance(out[1], Rejected) and out[1].line == 3
    assert "not a child" in out[1].fields["relationship_to_child"][0]

    amended_alone = incident(record_status="amended", revision="2")
    amended_alone["persons"] = amended_alone["persons"][:2]  # the child only at revision 1
    amended_alone["persons"][1]["relationship_to_child"] = f"father:{CHILD}"
    out = events(feed.csv_bytes([incident(), amended_alone]))
    assert [type(o).__name__ for o in out] == ["dict"] * 4 + ["Rejected"]
    assert out[4].fields == {
        "relationship_to_child": [
            f"{CHILD} is not a person in incident INC-2025-90001 (revision 2) in this file."
        ]
    }

    failed_child = incident()
    failed_child["persons"][1]["relationship_to_child"] = f"father:{CHILD}"
    failed_child["persons"][2]["date_of_birth"] = "31/02/2016"
    out = events(feed.csv_bytes([failed_child]))
    assert [type(o).__name__ for o in out] == ["dict", "dict", "Rejected"]
    assert out[2].fields == {
        "date_of_birth": ["Not a real date: '31/02/2016' (day is out of range for month)."]
    }


@pytest.mark.parametrize(
    ("kind", "risk", "role_in", "dob", "severity", "role"),
    [
        ("missing_episode", "standard", "missing_person", "2010-01-01", "high", "child"),
        ("missing_episode", "standard", "missing_person", "1990-01-01", "low", None),
        ("missing_episode", "high", "missing_person", "", "high", None),
        ("sexual_exploitation", "standard", "victim", "2010-01-01", "high", "child"),
        ("online_harm", "standard", "victim", "2012-01-01", "medium", "child"),
        ("assault", "standard", "victim", "2012-01-01", "low", "child"),
        ("assault", "standard", "victim", "1990-01-01", "low", "carer"),
        ("other", "high", "witness", "1990-01-01", "high", None),
        ("child_neglect", "high", "victim", "2012-01-01", "high", "child"),
    ],
)
def test_severity_and_role_follow_the_risk_the_type_and_the_persons_age(
    kind, risk, role_in, dob, severity, role
):
    alone = incident(incident_type=kind, risk_level=risk)
    alone["persons"] = [person(role_in_incident=role_in, date_of_birth=dob)]
    (event,) = events(feed.csv_bytes([alone]))
    assert event["concern"]["severity"] == severity
    assert event["person"]["role"] == role
    expected = "other_police_incident" if kind == "other" else kind
    assert event["concern"]["category"] == expected
    assert event["concern"]["sensitivity"] == "standard"


def test_an_other_adult_in_a_neglect_incident_is_police_intelligence():
    neglect = incident(incident_type="child_neglect")
    neglect["persons"][1].update(role_in_incident="other_adult", relationship_to_child="partner")
    neglect["persons"][0].update(role_in_incident="suspect")
    out = by_ref(events(feed.csv_bytes([neglect])))
    assert out[SUSPECT]["concern"]["sensitivity"] == "police_intelligence"
    assert out[SUSPECT]["person"]["role"] == "partner"  # relationship_to_child decides
    assert out[VICTIM]["person"]["role"] == "carer"  # the mother, though the suspect
    assert out[VICTIM]["concern"]["sensitivity"] == "police_intelligence"
    assert out[CHILD]["person"]["relationships"][1] == {"type": "partner", "source_ref": SUSPECT}


# --- times ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("14/01/2025 22:40", "2025-01-14T22:40:00+00:00"),  # GMT in winter
        ("2025-01-14 22:40", "2025-01-14T22:40:00+00:00"),
        ("2025-06-14T22:40", "2025-06-14T22:40:00+01:00"),  # BST in summer
        ("2025-06-14T21:40:00Z", "2025-06-14T21:40:00+00:00"),  # an offset is kept
        ("2025-06-14T22:40:00+02:00", "2025-06-14T22:40:00+02:00"),
        ("26/10/2025 01:30", "2025-10-26T01:30:00+01:00"),  # clocks go back: the first 01:30
    ],
)
def test_incident_times_are_uk_local_unless_they_carry_an_offset(written, stored):
    out = events(feed.csv_bytes([incident(occurred_at=written, reported_at="")]))
    assert out[0]["concern"]["occurred_at"] == stored
    assert out[0]["concern"]["reported_at"] == stored


# --- CSV structure -------------------------------------------------------------------------


def test_a_quoted_summary_with_commas_and_line_breaks_keeps_the_following_line_numbers():
    summary = 'He said "leave, now".\nShe left, with the children.\r\nRisk: medium.'
    raw = feed.csv_bytes([incident(summary=summary)])
    assert raw.count(b"\n") == 1 + 3 * 3  # header + three rows of three physical lines each
    raw += feed._row(7, date_of_birth="30/02/1990")  # line 11
    out = events(raw)
    assert [e["concern"]["summary"] for e in out[:3]] == [
        'He said "leave, now".\nShe left, with the children.\nRisk: medium.'
    ] * 3
    assert isinstance(out[3], Rejected) and out[3].line == 11
    assert out[3].fields == {
        "date_of_birth": ["Not a real date: '30/02/1990' (day is out of range for month)."]
    }


@pytest.mark.parametrize(
    "bad", feed.bad_rows(), ids=lambda b: b.content[:40].decode(errors="replace")
)
def test_each_bad_row_is_rejected_at_its_line_and_its_neighbours_go_through(bad):
    raw = feed.header() + feed.good_row(1) + bad.content + feed.good_row(2)
    out = events(raw)
    assert [type(o).__name__ for o in out] == ["dict", "Rejected", "dict"]
    rejected = out[1]
    assert (rejected.line, rejected.reason) == (3, bad.reason)
    assert bad.field in rejected.fields, rejected.fields


@pytest.mark.parametrize("bad", feed.bad_files(), ids=lambda b: b.name)
def test_each_bad_file_gives_its_one_reject_and_keeps_the_good_items(bad):
    out = events(bad.content)
    rejected = [o for o in out if isinstance(o, Rejected)]
    assert [(r.line, r.reason) for r in rejected] == [(bad.line, bad.reason)]
    assert bad.field in rejected[0].fields, rejected[0].fields
    assert len(out) - 1 == bad.events


def test_recorded_by_is_the_officers_rank_for_every_person_and_none_when_not_given():
    ranks = {e["concern"]["recorded_by"] for e in events(feed.csv_bytes([incident()]))}
    assert ranks == {"Police constable"}
    as_json = events(feed.json_bytes([incident(recorded_by_role="Detective sergeant")]))
    assert {e["concern"]["recorded_by"] for e in as_json} == {"Detective sergeant"}
    blank = events(feed.csv_bytes([incident(recorded_by_role="")]))
    assert {e["concern"]["recorded_by"] for e in blank} == {None}  # "Police" is not assumed
    without = tuple(c for c in feed.COLUMNS if c != "recorded_by_role")
    absent = events(feed.csv_bytes([incident()], without))
    assert {e["concern"]["recorded_by"] for e in absent} == {None}
    no_key = incident()
    del no_key["recorded_by_role"]
    assert {e["concern"]["recorded_by"] for e in events(feed.json_bytes([no_key]))} == {None}


def test_a_recorded_by_role_over_120_characters_is_rejected_naming_the_column():
    (rejected,) = events(feed.json_bytes([incident(recorded_by_role="R" * 121)]))
    assert rejected == Rejected(
        1, "invalid_value", {"recorded_by_role": ["Too long: 121 characters (at most 120)."]}
    )


def test_missing_columns_are_named_with_the_columns_found():
    columns = tuple(c for c in feed.COLUMNS if c not in ("surname", "risk_level"))
    (rejected,) = events(feed.csv_bytes([incident()], columns))
    assert rejected == Rejected(
        1,
        "missing_column",
        {
            "header": [
                "Missing required column(s): risk_level, surname.",
                "Columns found: " + ", ".join(columns) + ".",
            ]
        },
    )
    assert set(REQUIRED_COLUMNS) <= set(feed.COLUMNS)


def test_a_row_naming_another_agency_is_refused():
    raw = feed.csv_bytes(
        [incident(agency="police"), incident(agency="health_ae")], (*feed.COLUMNS, "agency")
    )
    out = events(raw)
    assert [type(o).__name__ for o in out] == ["dict"] * 3 + ["Rejected"] * 3
    assert out[3] == Rejected(
        5, "wrong_agency", {"agency": ["This feed is police; the row says 'health_ae'."]}
    )


def test_hostile_text_is_kept_as_data():
    hostile = "'; DROP TABLE concerns;-- <script>alert(1)</script> {{7*7}} ${jndi:ldap://x}"
    changed = incident(summary=hostile)
    changed["persons"][0]["surname"] = "O'NEILL'; --"
    out = by_ref(events(feed.csv_bytes([changed])))
    assert out[VICTIM]["concern"]["summary"] == hostile
    assert out[VICTIM]["person"]["family_name"] == "O'NEILL'; --"


# --- JSON ------------------------------------------------------------------------------------


def test_json_lines_positions_are_physical_lines_and_array_positions_count_incidents():
    one, two = incident(), incident(incident_ref="INC-2025-90002", occurred_at="not a time")
    lines = json.dumps(one).encode() + b"\n\n" + json.dumps(two).encode() + b"\n"
    out = events(lines)
    assert [type(o).__name__ for o in out] == ["dict"] * 3 + ["Rejected"]
    assert (out[3].line, out[3].reason) == (3, "invalid_value")  # the blank line counts
    assert list(out[3].fields) == ["occurred_at"]

    array = events(b"\xef\xbb\xbf \n" + json.dumps([one, two], indent=1).encode())
    assert [type(o).__name__ for o in array] == ["dict"] * 3 + ["Rejected"]
    assert array[3].line == 2


def test_a_bad_person_in_a_json_incident_is_rejected_alone_and_named():
    changed = incident()
    changed["persons"][2]["role_in_incident"] = "lodger"
    changed["persons"][0]["postcode"] = "NOT A PC"
    changed["persons"].append("a string")
    out = list(parse_json(json.dumps([changed]).encode(), "police"))
    assert [type(o).__name__ for o in out] == ["Rejected", "dict", "Rejected", "Rejected"]
    assert list(out[0].fields) == ["persons[1].postcode"]
    assert list(out[2].fields) == ["persons[3].role_in_incident"]
    assert out[3] == Rejected(1, "invalid_json", {"persons[4]": ["Expected a person object."]})
    assert out[1]["person"]["role"] == "visitor"


def test_a_single_pretty_printed_object_is_one_incident_and_json_numbers_are_read():
    one = incident(revision=2, record_status="amended")
    out = events(json.dumps(one, indent=2).encode())
    assert len(out) == 3 and {e["concern"]["revision"] for e in out} == {2}
    bad = list(parse_json(json.dumps([incident(revision=2.5)]).encode(), "police"))
    assert bad == [
        Rejected(1, "invalid_value", {"revision": ["Expected text, found a decimal number."]})
    ]


def test_json_that_is_no_incident_list_is_refused():
    assert list(parse_json(b'"incidents"', "police")) == [
        Rejected(
            1,
            "invalid_json",
            {"file": ["Expected a JSON array of incidents ('[') or JSON Lines ('{')."]},
        )
    ]
    assert [r.reason for r in parse_json(b"[" * 100_000, "police")] == ["invalid_json"]
    assert list(parse_json(b"[]", "police")) == []
    assert [r.line for r in parse_json(b"[1, 2]", "police")] == [1, 2]


def test_a_csv_export_is_not_taken_for_json_and_vice_versa():
    raw = feed.csv_bytes([incident()])
    assert list(parse_csv(raw, "police")) == events(raw)
    assert events(b"  \r\n" + json.dumps([incident()]).encode()) == events(raw)


# --- never raises ----------------------------------------------------------------------------

# Small samples keep the fuzzing fast: a domestic abuse incident of four people, one of three.
_SAMPLE_CSV = feed.csv_bytes(feed.sample_incidents(seed=9, incidents=1))
_SAMPLE_JSON = feed.json_bytes(feed.sample_incidents(seed=4, incidents=1, text_times=False))
_FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(raw: bytes) -> None:
    for item in parse(raw, "police"):
        assert isinstance(item, dict | Rejected)
        if isinstance(item, Rejected):
            assert item.line >= 1 and item.reason and item.fields


@_FUZZ
@given(st.binary(max_size=600))
def test_parse_never_raises_on_arbitrary_bytes(raw):
    _check(raw)
    _check(b"[" + raw)
    _check(b"{" + raw)


def _mutated(sample: bytes):
    return st.tuples(
        st.integers(0, len(sample) - 1),
        st.integers(0, 40),
        st.binary(max_size=12) | st.sampled_from([b'"', b",", b"\n", b"\r", b"{", b"]", b"\xff"]),
    ).map(lambda m: sample[: m[0]] + m[2] + sample[m[0] + m[1] :])


@_FUZZ
@given(_mutated(_SAMPLE_CSV))
def test_parse_never_raises_on_a_mutated_csv_sample(raw):
    _check(raw)


@_FUZZ
@given(_mutated(_SAMPLE_JSON))
def test_parse_never_raises_on_a_mutated_json_sample(raw):
    _check(raw)
