"""The FHIR R4 connector: Bundles (or NDJSON of Bundles) → canonical concern events."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors.base import Rejected
from connectors.fhir import MOTHER_EXTENSION, NHS_NUMBER_SYSTEM, parse
from hub.synthetic.feeds.fhir import bad_bundles, sample_bundles, write_sample

CHILD_NHS = "9434765919"  # valid modulus 11; invented for these tests
MOTHER_NHS = "9434765870"
V3_ROLE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"


# --- builders ------------------------------------------------------------------------------


def patient(pid: str = "hv-1", **fields) -> dict:
    resource = {
        "resourceType": "Patient",
        "id": pid,
        "identifier": [
            {"system": "https://trust.example/mrn", "value": f"MRN-{pid}"},
            {"system": NHS_NUMBER_SYSTEM, "value": CHILD_NHS},
        ],
        "name": [
            {"use": "old", "family": "Smith", "given": ["Amy"]},
            {"use": "official", "family": "Nowak", "given": ["Amelia", "Rose", "Jane"]},
        ],
        "birthDate": "2025-03-04",
        "gender": "female",
        "address": [
            {
                "line": ["Flat 2", "12 Mill Lane"],
                "city": "Leeds",
                "postalCode": "ls6 2aa",
                "period": {"start": "2025-03-04"},
            }
        ],
    }
    resource.update(fields)
    return {key: value for key, value in resource.items() if value is not None}


def encounter(eid: str = "e1", subject: str = "Patient/hv-1", **fields) -> dict:
    resource = {
        "resourceType": "Encounter",
        "id": eid,
        "status": "finished",
        "class": {"code": "HH", "display": "home health"},
        "type": [{"text": "Health visitor home visit"}],
        "subject": {"reference": subject},
        "period": {"start": "2026-07-01T10:15:00+01:00"},
    }
    resource.update(fields)
    return {key: value for key, value in resource.items() if value is not None}


def observation(oid: str, subject: str, text: str, when: str = "2026-03-02T09:00:00Z") -> dict:
    return {
        "resourceType": "Observation",
        "id": oid,
        "status": "final",
        "code": {"text": text},
        "subject": {"reference": subject},
        "effectiveDateTime": when,
    }


def flag(fid: str = "f1", status: str = "active", text: str = "Safeguarding concern") -> dict:
    return {
        "resourceType": "Flag",
        "id": fid,
        "status": status,
        "code": {"text": text},
        "subject": {"reference": "Patient/hv-1"},
        "period": {"start": "2026-01-10"},
    }


def bundle(*resources: dict, kind: str = "collection") -> dict:
    return {"resourceType": "Bundle", "type": kind, "entry": [{"resource": r} for r in resources]}


def run(*resources: dict, agency: str = "health_visitor") -> list:
    return list(parse(json.dumps(bundle(*resources)).encode(), agency))


def events(out: list) -> list[dict]:
    assert not [o for o in out if isinstance(o, Rejected)], out
    return out


# --- good input ----------------------------------------------------------------------------


def test_a_health_visitor_home_visit_becomes_one_canonical_event():
    visit = encounter(
        meta={"versionId": "3"},
        text={"status": "generated", "div": "<div><p>Home visit: baby &amp; mum well.</p></div>"},
    )
    [event] = events(run(patient(), visit))

    assert event["agency"] == "health_visitor"
    assert event["person"] == {
        "source_ref": "hv-1",
        "local_authority": None,
        "given_name": "Amelia",
        "middle_names": "Rose Jane",
        "family_name": "Nowak",
        "date_of_birth": "2025-03-04",
        "sex": "female",
        "nhs_number": CHILD_NHS,
        "upn": None,
        "role": "child",
        "addresses": [
            {
                "line": "Flat 2, 12 Mill Lane, Leeds",
                "postcode": "LS6 2AA",
                "valid_from": "2025-03-04",
                "valid_to": None,
            }
        ],
        "relationships": [],
    }
    concern = event["concern"]
    assert concern["ref"] == "Encounter/e1"
    assert concern["revision"] == 3
    assert concern["withdrawn"] is False
    assert concern["category"] == "health_visitor_contact"
    assert concern["severity"] == "low"
    assert concern["sensitivity"] == "health_confidential"
    assert concern["occurred_at"] == "2026-07-01T10:15:00+01:00"
    assert concern["summary"] == "Home visit: baby & mum well."
    assert concern["recorded_by"] is None  # the Encounter names no participant


# --- recorded_by: a role, never a name ------------------------------------------------------

PPRF = {
    "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
    "code": "PPRF",
    "display": "primary performer",
}
STAFF_NAMES = ("Okonkwo", "Chinedu", "Dr C Okonkwo")


def practitioner(rid: str = "pr-1") -> dict:
    name = [{"family": "Okonkwo", "given": ["Chinedu"], "prefix": ["Dr"]}]
    return {"resourceType": "Practitioner", "id": rid, "name": name}


def role(rid: str = "role-1", **code) -> dict:
    return {
        "resourceType": "PractitionerRole",
        "id": rid,
        "practitioner": {"reference": "Practitioner/pr-1", "display": "Dr C Okonkwo"},
        "code": [code or {"coding": [{"code": "R1234", "display": "Health visitor"}]}],
    }


def recorded_by(out: list) -> str | None:
    [event] = events(out)
    value = event["concern"]["recorded_by"]
    assert not any(name in str(value) for name in STAFF_NAMES)
    return value


def test_recorded_by_is_the_code_of_a_contained_practitioner_role_not_the_name():
    visit = encounter(
        contained=[role("r")],
        participant=[
            {
                "type": [{"coding": [PPRF]}],
                "individual": {"reference": "#r", "display": "Dr C Okonkwo"},
            }
        ],
    )
    assert recorded_by(run(patient(), practitioner(), visit)) == "Health visitor"


def test_recorded_by_is_the_participant_type_when_no_role_is_given():
    staff = {"reference": "Practitioner/pr-1", "display": "Dr C Okonkwo"}
    visit = encounter(participant=[{"type": [{"coding": [PPRF]}], "individual": staff}])
    assert recorded_by(run(patient(), practitioner(), visit)) == "primary performer"
    by_text = encounter(participant=[{"type": [{"text": "School nurse"}], "individual": staff}])
    assert recorded_by(run(patient(), by_text)) == "School nurse"


def test_a_relative_taking_part_in_an_encounter_is_not_who_recorded_it():
    escort = {"type": [{"text": "escort"}], "individual": {"reference": "RelatedPerson/gran"}}
    assert recorded_by(run(patient(), encounter(participant=[escort]))) is None
    unnamed = {"individual": {"reference": "Practitioner/pr-1", "display": "Dr C Okonkwo"}}
    assert recorded_by(run(patient(), encounter(participant=[unnamed]))) is None


def test_a_flag_author_and_an_observation_performer_give_their_practitioner_role():
    sg_flag = {**flag(), "author": {"reference": "PractitionerRole/role-1"}}
    assert recorded_by(run(patient(), sg_flag, role(text="Designated nurse"))) == (
        "Designated nurse"
    )
    missed = observation("o1", "Patient/hv-1", "Was not brought")
    missed["performer"] = [{"reference": "urn:uuid:6b1d"}, {"reference": "Practitioner/pr-1"}]
    data = bundle(patient(), missed)
    data["entry"].append({"fullUrl": "urn:uuid:6b1d", "resource": role()})
    [event] = events(list(parse(json.dumps(data).encode(), "health_visitor")))
    assert event["concern"]["recorded_by"] == "Health visitor"


def test_a_long_role_is_cut_to_120_and_an_invalid_role_is_passed_over():
    long = {**flag(), "author": {"reference": "PractitionerRole/role-1"}}
    assert recorded_by(run(patient(), long, role(text="Nurse " * 40))) == ("Nurse " * 20).strip()
    broken = {**role(), "active": "perhaps"}
    assert recorded_by(run(patient(), long, broken)) is None


def test_source_ref_falls_back_to_the_local_identifier_and_gender_other_is_unknown():
    transaction_patient = patient("T1", gender="other")
    del transaction_patient["id"]  # a transaction creating the record: no server id yet
    entry = {"fullUrl": "urn:uuid:0a1b", "resource": transaction_patient}
    data = bundle(encounter(subject="urn:uuid:0a1b"), kind="transaction")
    data["entry"].insert(0, entry)
    [event] = events(list(parse(json.dumps(data).encode(), "gp")))
    assert event["person"]["source_ref"] == "MRN-T1"
    assert event["person"]["sex"] == "unknown"
    assert event["concern"]["ref"] == "Encounter/e1"


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ("2026-01-10", "2026-01-10T00:00:00+00:00"),  # winter: GMT
        ("2026-07-01", "2026-07-01T00:00:00+01:00"),  # summer: BST
        ("2026-07-01T23:30:00Z", "2026-07-01T23:30:00+00:00"),
    ],
)
def test_a_date_alone_is_midnight_uk_local_time(start, expected):
    [event] = events(run(patient(), encounter(period={"start": start})))
    assert event["concern"]["occurred_at"] == expected


def test_missed_appointments_are_medium_and_high_when_repeated_for_the_same_child():
    other = patient("hv-2", identifier=None, name=[{"family": "Okafor", "given": ["Kwame"]}])
    out = events(
        run(
            patient(),
            other,
            encounter("e1", status="cancelled", type=[{"text": "6-8 week review"}]),
            observation("o1", "Patient/hv-1", "Child was not brought to appointment"),
            observation("o2", "Patient/hv-2", "WNB - immunisations"),
        )
    )
    got = [(e["concern"]["ref"], e["concern"]["category"], e["concern"]["severity"]) for e in out]
    assert got == [
        ("Encounter/e1", "was_not_brought", "high"),
        ("Observation/o1", "was_not_brought", "high"),
        ("Observation/o2", "was_not_brought", "medium"),
    ]
    assert "2 missed appointments" in out[0]["concern"]["summary"]


def test_an_adult_missing_an_appointment_did_not_attend_rather_than_was_not_brought():
    mother = patient("mw-1", birthDate="1995-06-01")
    missed = encounter(subject="Patient/mw-1", status="cancelled", type=[{"text": "Antenatal"}])
    [event] = events(run(mother, missed, agency="midwifery"))
    assert event["concern"]["category"] == "did_not_attend"
    assert event["person"]["role"] is None


def test_entered_in_error_withdraws_the_same_concern():
    original = encounter(meta={"versionId": "1"})
    withdrawal = encounter(meta={"versionId": "2"}, status="entered-in-error")
    [first] = events(run(patient(), original))
    [second] = events(run(patient(), withdrawal))
    assert second["concern"]["ref"] == first["concern"]["ref"] == "Encounter/e1"
    assert (second["concern"]["withdrawn"], second["concern"]["revision"]) == (True, 2)
    assert second["concern"]["category"] == "health_visitor_contact"
    assert second["event_id"] != first["event_id"]
    [flag_withdrawn] = events(run(patient(), flag(status="entered-in-error")))
    assert flag_withdrawn["concern"]["ref"] == "Flag/f1"
    assert flag_withdrawn["concern"]["withdrawn"] is True


def test_a_safeguarding_flag_is_high_and_an_ended_one_low():
    [active] = events(run(patient(), flag()))
    assert (active["concern"]["category"], active["concern"]["severity"]) == (
        "safeguarding_flag",
        "high",
    )
    [ended] = events(run(patient(), flag(status="inactive")))
    assert ended["concern"]["category"] == "safeguarding_flag_ended"
    assert ended["concern"]["ref"] == "Flag/f1"


def _mother() -> dict:
    return patient(
        "mw-7",
        identifier=[{"system": NHS_NUMBER_SYSTEM, "value": MOTHER_NHS}],
        name=[{"family": "Khan", "given": ["Maryam"]}],
        birthDate="1996-05-01",
    )


def _unborn(**fields) -> dict:
    return {
        "resourceType": "Patient",
        "id": "mw-8",
        "name": [{"family": "Khan"}],
        **fields,
    }


def test_a_booking_gives_the_mother_a_concern_and_the_unborn_child_one_naming_her():
    mother = {
        **_mother(),
        "link": [{"other": {"reference": "RelatedPerson/rp1"}, "type": "seealso"}],
    }
    related = {
        "resourceType": "RelatedPerson",
        "id": "rp1",
        "patient": {"reference": "Patient/mw-8"},
        "relationship": [{"coding": [{"system": V3_ROLE, "code": "MTH"}]}],
    }
    booking = encounter(
        "bk1",
        subject="Patient/mw-7",
        type=[{"text": "Antenatal booking appointment"}],
        period={"start": "2026-04-02T09:30:00+01:00"},
    )
    mum, baby = events(run(mother, _unborn(), related, booking, agency="midwifery"))

    assert mum["concern"]["ref"] == "Encounter/bk1"
    assert mum["concern"]["category"] == "pregnancy_booking"
    assert mum["person"]["role"] == "carer"
    assert mum["person"]["relationships"] == [{"type": "child", "source_ref": "mw-8"}]
    assert baby["concern"]["ref"] == "Encounter/bk1:mw-8"
    assert baby["concern"]["category"] == "pregnancy_booking"
    assert baby["person"]["role"] == "unborn"
    assert baby["person"]["date_of_birth"] is None
    assert baby["person"]["relationships"] == [{"type": "mother", "source_ref": "mw-7"}]


def test_a_pregnancy_observation_on_an_unborn_child_linked_by_extension():
    link = [{"url": MOTHER_EXTENSION, "valueReference": {"reference": "Patient/mw-7"}}]
    pregnancy = {
        "resourceType": "Observation",
        "id": "pg1",
        "status": "final",
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "77386006"}]},
        "subject": {"reference": "Patient/mw-8"},
        "effectiveDateTime": "2026-04-02",
    }
    out = events(run(_mother(), _unborn(extension=link), pregnancy, agency="midwifery"))
    roles = {e["person"]["source_ref"]: e["person"]["role"] for e in out}
    assert roles == {"mw-7": "carer", "mw-8": "unborn"}
    assert {e["concern"]["ref"] for e in out} == {"Observation/pg1", "Observation/pg1:mw-7"}


def test_a_mother_link_to_a_patient_outside_the_bundle_names_her_record():
    link = [{"url": MOTHER_EXTENSION, "valueReference": {"reference": "Patient/mw-99"}}]
    [event] = events(run(_unborn(extension=link), flag_on("Patient/mw-8")))
    assert event["person"]["role"] == "unborn"
    assert event["person"]["relationships"] == [{"type": "mother", "source_ref": "mw-99"}]
    dangling = [{**link[0], "valueReference": {"reference": "urn:uuid:9"}}]
    [bad] = run(_unborn(extension=dangling), flag_on("Patient/mw-8"))
    assert (bad.line, bad.reason) == (2, "unresolved_reference")
    assert "entry[0].resource.extension[0].valueReference" in bad.fields


def flag_on(subject: str) -> dict:
    return {**flag(text="Pre-birth safeguarding concern"), "subject": {"reference": subject}}


def test_hostile_strings_are_kept_as_plain_data():
    hostile = "'; DROP TABLE x;-- <script>alert(1)</script>"
    child = patient(name=[{"family": hostile, "given": ["Bobby"]}])
    [event] = events(run(child, flag(text=f"Safeguarding: {hostile}")))
    assert event["person"]["family_name"] == hostile
    assert hostile in event["concern"]["summary"]


def test_resource_types_that_are_not_events_are_ignored():
    allergy = {"resourceType": "AllergyIntolerance", "id": "a1", "patient": {"reference": "x"}}
    out = run(patient(), allergy, {"resourceType": "NotAFhirType"}, encounter())
    assert [o["concern"]["ref"] for o in events(out)] == ["Encounter/e1"]


def test_the_synthetic_sample_maps_without_rejects_and_is_deterministic(tmp_path):
    path = tmp_path / "health.ndjson"
    write_sample(path, seed=1, bundles=14)
    out = events(list(parse(path.read_bytes(), "health_visitor")))
    categories = Counter(e["concern"]["category"] for e in out)
    assert set(categories) == {
        "health_visitor_contact",
        "was_not_brought",
        "pregnancy_booking",
        "safeguarding_flag",
    }
    assert {
        e["concern"]["severity"] for e in out if e["concern"]["category"] == "was_not_brought"
    } == {
        "medium",
        "high",
    }
    unborn = [e for e in out if e["person"]["role"] == "unborn"]
    mothers = {e["person"]["source_ref"] for e in out if e["person"]["role"] == "carer"}
    assert unborn and all(e["person"]["relationships"][0]["source_ref"] in mothers for e in unborn)
    withdrawn = [e for e in out if e["concern"]["withdrawn"]]
    assert withdrawn
    sent = {e["concern"]["ref"] for e in out if not e["concern"]["withdrawn"]}
    assert all(e["concern"]["ref"] in sent and e["concern"]["revision"] == 2 for e in withdrawn)
    assert all(e["person"]["nhs_number"] for e in out if e["person"]["role"] == "child")
    recorders = Counter(e["concern"]["recorded_by"] for e in out)
    assert {"Health visitor", "Named nurse for safeguarding children", None} == set(recorders)
    again = tmp_path / "again.ndjson"
    write_sample(again, seed=1, bundles=14)
    assert again.read_bytes() == path.read_bytes()
    write_sample(again, seed=2, bundles=14)
    assert again.read_bytes() != path.read_bytes()


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(("payload", "reason"), bad_bundles())
def test_each_malformed_payload_is_rejected_for_its_reason(payload, reason):
    [reject] = parse(payload, "health_visitor")
    assert isinstance(reject, Rejected)
    assert reject.reason == reason
    whole_payload = reason in {
        "invalid_json",
        "invalid_encoding",
        "not_a_bundle",
        "unsupported_bundle_type",
        "no_events",
    }
    assert reject.line == (1 if whole_payload else 2)  # else the event is the second entry
    assert reject.fields and all(isinstance(m, list | dict) for m in reject.fields.values())


def test_bad_entries_are_rejected_at_their_entry_number_and_the_others_go_through():
    impossible = patient("hv-3", birthDate="2023-02-30")
    out = run(
        patient(),
        encounter("e1"),
        encounter("e2", subject="Patient/nobody"),
        impossible,
        flag_on("Patient/hv-3"),
        encounter("e5", status="finished", type=[{"text": "GP consultation"}]),
        encounter("e6", period={"start": "2026-07-01T10:15:00"}),
        encounter("e7"),
    )
    summary = [(o.line, o.reason) if isinstance(o, Rejected) else o["concern"]["ref"] for o in out]
    assert summary == [
        "Encounter/e1",
        (3, "unresolved_reference"),
        (5, "invalid_date"),
        (6, "unmapped_event"),
        (7, "invalid_date"),
        "Encounter/e7",
    ]
    assert out[2].fields == {
        "entry[3].resource.birthDate": [
            "invalid date 2023-02-30 (day value is outside expected range)"
        ]
    }
    assert "time zone" in out[4].fields["entry[6].resource.period.start"][0]
    assert "GP consultation" in out[3].fields["entry[5].resource"][0]


def test_an_invalid_nhs_number_and_a_structural_error_name_the_field():
    wrong = patient(identifier=[{"system": NHS_NUMBER_SYSTEM, "value": "943 476 5918"}])
    [reject] = run(wrong, encounter())
    assert reject.reason == "invalid_nhs_number"
    assert "943 476 5918" in reject.fields["entry[0].resource.identifier[0].value"][0]
    [reject] = run(patient(), encounter(status=None))
    assert reject.reason == "invalid_fhir"
    assert reject.fields == {"entry[1].resource.status": ["Required, but missing."]}
    [reject] = run(patient(), encounter(bogus=1))
    assert reject.fields == {
        "entry[1].resource.bogus": ["Not an element of this FHIR R4 resource."]
    }


def test_a_transaction_delete_of_an_event_is_rejected_not_ignored():
    data = bundle(patient(), encounter(), kind="transaction")
    data["entry"].append({"request": {"method": "DELETE", "url": "Encounter/e0"}})
    out = list(parse(json.dumps(data).encode(), "gp"))
    assert isinstance(out[0], dict)
    assert (out[1].line, out[1].reason) == (3, "unsupported_delete")


def test_ndjson_rejects_carry_the_line_and_bad_lines_do_not_stop_the_others():
    good = json.dumps(bundle(patient(), encounter("e1"))).encode()
    unresolved = json.dumps(bundle(patient(), encounter("e2", subject="Patient/x"))).encode()
    latin1 = json.dumps(bundle(patient(), encounter("e3"))).replace("Nowak", "Nów").encode()
    latin1 = latin1.replace("ó".encode(), b"\xf3")
    raw = b"\r\n".join(
        [good, b"", b'{"resourceType": "Bundle",', unresolved, latin1, good.replace(b"e1", b"e4")]
    )
    out = list(parse(raw, "gp"))
    summary = [(o.line, o.reason) if isinstance(o, Rejected) else o["concern"]["ref"] for o in out]
    assert summary == [
        "Encounter/e1",
        (3, "invalid_json"),
        (4, "unresolved_reference"),
        (5, "invalid_encoding"),
        "Encounter/e4",
    ]
    assert "entry[1].resource.subject" in out[2].fields
    assert "0xf3" in out[3].fields["line"][0]


def test_a_truncated_pretty_printed_bundle_is_one_reject_not_one_per_line():
    pretty = json.dumps(bundle(patient(), encounter()), indent=2).encode()
    [reject] = parse(pretty[: len(pretty) // 2], "gp")
    assert (reject.line, reject.reason) == (1, "invalid_json")
    assert [e["concern"]["ref"] for e in parse(b"\xef\xbb\xbf" + pretty, "gp")] == ["Encounter/e1"]


# --- never raises --------------------------------------------------------------------------

_SMALL = json.dumps(sample_bundles(seed=3, bundles=3)[2]).encode()  # the booking, 4 entries
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def _check(out: list) -> None:
    for item in out:
        assert isinstance(item, dict | Rejected)
        if isinstance(item, Rejected):
            assert item.line >= 1 and item.reason and isinstance(item.fields, dict)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_parse_never_raises_on_arbitrary_bytes(raw):
    _check(list(parse(raw, "gp")))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_parse_never_raises_on_mutated_bundles(data):
    raw = bytearray(_SMALL)
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(raw) - 1))
        action = data.draw(st.sampled_from(["replace", "delete", "insert", "cut"]))
        if action == "replace":
            raw[at] = data.draw(st.integers(0, 255))
        elif action == "delete":
            del raw[at]
        elif action == "insert":
            raw[at:at] = data.draw(st.sampled_from([b"\n", b"{", b'"', b"\xff", b"]", b"0"]))
        else:
            del raw[at:]
        if not raw:
            break
    _check(list(parse(bytes(raw), "gp")))


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _paths(inner, (*prefix, index))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_parse_never_raises_when_any_element_is_replaced(data):
    document = json.loads(_SMALL)
    paths = [path for path in _paths(document) if path]
    path = data.draw(st.sampled_from(paths))
    target = document
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = data.draw(_JSON)
    _check(list(parse(json.dumps(document).encode(), "midwifery")))
