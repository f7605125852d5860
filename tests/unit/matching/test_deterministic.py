import datetime as dt

import pytest

from matching.deterministic import Candidate, RecordKeys, decide
from matching.normalise import name_key

DOB = dt.date(2018, 4, 12)


def keys(**kw) -> RecordKeys:
    base = {"given_key": "amelia", "family_key": "nowak", "date_of_birth": DOB}
    base.update(kw)
    return RecordKeys(**base)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Zoë", "zoe"),
        ("  O'Brien-Smith ", "obrien smith"),
        ("ŁUKASZ", "lukasz"),
        ("Anne  Marie", "anne marie"),
        ("محمد", "mhmd"),
        ("", None),
        (None, None),
        ("---", None),
    ],
)
def test_name_key(raw, expected):
    assert name_key(raw) == expected


def test_no_candidates_is_a_new_person():
    decision = decide(keys(), [])
    assert decision.is_new_person and decision.method == "new_person"


def test_same_nhs_number_links_even_with_different_spelling():
    record = keys(given_key="amy", nhs_number="9434765919")
    decision = decide(record, [Candidate(7, keys(nhs_number="9434765919"))])
    assert decision.person_id == 7
    assert decision.method == "nhs_number"
    assert decision.explanation["fields"] == {"nhs_number": "exact"}


def test_same_upn_links():
    decision = decide(keys(upn="H801200001001"), [Candidate(3, keys(upn="H801200001001"))])
    assert (decision.person_id, decision.method) == (3, "upn")


def test_exact_name_and_date_of_birth_links():
    decision = decide(keys(), [Candidate(4, keys())])
    assert (decision.person_id, decision.method) == (4, "name_dob")


def test_two_different_nhs_numbers_never_link_on_name_and_dob():
    record = keys(nhs_number="9434765919")
    decision = decide(record, [Candidate(4, keys(nhs_number="9434765870"))])
    assert decision.is_new_person


def test_father_and_son_with_the_same_name_are_kept_apart_by_date_of_birth():
    son = keys(given_key="tomasz", date_of_birth=dt.date(2012, 1, 5))
    father = keys(given_key="tomasz", date_of_birth=dt.date(1985, 7, 30))
    assert decide(son, [Candidate(1, father)]).is_new_person


def test_twins_with_different_given_names_do_not_link():
    twin = keys(given_key="ruby")
    assert decide(twin, [Candidate(1, keys(given_key="evie"))]).is_new_person


def test_a_record_matching_two_persons_does_not_bridge_them():
    decision = decide(keys(), [Candidate(1, keys()), Candidate(2, keys())])
    assert decision.is_new_person
    assert decision.method == "ambiguous"
    assert decision.explanation["candidates"] == [1, 2]


def test_identifier_outranks_name_and_dob():
    record = keys(nhs_number="9434765919")
    candidates = [Candidate(1, keys()), Candidate(2, keys(nhs_number="9434765919"))]
    assert decide(record, candidates).person_id == 2


def test_missing_date_of_birth_never_links_on_name_alone():
    record = keys(date_of_birth=None)
    assert decide(record, [Candidate(1, keys(date_of_birth=None))]).is_new_person
