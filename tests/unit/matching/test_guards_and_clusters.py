import numpy as np

from matching.cluster import cluster
from matching.guards import conflict
from matching.record import prepare

BASE = {
    "family_name": "Khan",
    "date_of_birth": "2019-05-01",
    "postcode": "B12 9QT",
    "address_line": "12 Mill Lane",
    "sex": "male",
}


def rec(record_id: str, **fields):
    return prepare({"record_id": record_id, **BASE, **fields})


def real(name: str) -> bool:
    return name in {"jayden", "jaden", "muhammad", "ibrahim"}


def test_two_different_valid_nhs_numbers_conflict():
    a = rec("a", given_name="Muhammad", nhs_number="9434765919")
    b = rec("b", given_name="Muhammad", nhs_number="4010232137")
    assert conflict(a, b) == "different_nhs_numbers"


def test_an_invalid_nhs_number_is_not_decisive():
    a = rec("a", given_name="Muhammad", nhs_number="9434765919")
    b = rec("b", given_name="Muhammad", nhs_number="9434765918")
    assert conflict(a, b) is None


def test_twins_with_different_names_conflict():
    assert conflict(rec("a", given_name="Muhammad"), rec("b", given_name="Ibrahim")) == (
        "possible_twins"
    )


def test_twins_with_similar_real_names_conflict_but_a_typo_does_not():
    jayden, jaden = rec("a", given_name="Jayden"), rec("b", given_name="Jaden")
    assert conflict(jayden, jaden, real) == "possible_twins"
    assert conflict(jayden, rec("c", given_name="Jaydne"), real) is None


def test_the_same_nhs_number_overrides_the_twin_pattern():
    a = rec("a", given_name="Muhammad", nhs_number="9434765919")
    b = rec("b", given_name="Mo Ibrahim", nhs_number="9434765919")
    assert conflict(a, b) is None


def test_father_and_son_with_the_same_name_conflict_on_date_of_birth():
    son = rec("a", given_name="Muhammad")
    father = rec("b", given_name="Muhammad", date_of_birth="1984-11-30")
    assert conflict(son, father) == "different_dates_of_birth"


def test_a_one_digit_date_error_is_not_a_conflict():
    a = rec("a", given_name="Muhammad")
    assert conflict(a, rec("b", given_name="Muhammad", date_of_birth="2019-05-07")) is None
    assert conflict(a, rec("c", given_name="Muhammad", date_of_birth="2019-01-05")) is None


def test_a_nameless_record_between_twins_joins_neither():
    twin_a = rec("a", given_name="Muhammad")
    twin_b = rec("b", given_name="Ibrahim")
    nameless = rec("c")  # links strongly to both on date of birth, surname and address
    records = [twin_a, twin_b, nameless]
    pairs = np.array([[0, 2], [1, 2], [0, 1]])
    probabilities = np.array([0.99, 0.98, 0.10])
    labels, held = cluster(records, pairs, probabilities, threshold=0.95)
    assert len(set(labels)) == 3
    assert held == [(1, 2, "possible_twins"), (2, 2, "would_bridge_persons")]


def test_a_record_clearly_closer_to_one_twin_joins_that_twin():
    twin_a = rec("a", given_name="Muhammad")
    twin_b = rec("b", given_name="Ibrahim")
    nameless = rec("c")
    records = [twin_a, twin_b, nameless]
    pairs = np.array([[0, 2], [1, 2]])
    labels, held = cluster(records, pairs, np.array([0.99999, 0.96]), threshold=0.95)
    assert labels[0] == labels[2] != labels[1]
    assert held == [(1, 2, "possible_twins")]


def test_clustering_joins_a_consistent_chain():
    records = [rec(str(i), given_name="Muhammad") for i in range(4)]
    pairs = np.array([[0, 1], [1, 2], [2, 3]])
    labels, held = cluster(records, pairs, np.array([0.99, 0.97, 0.96]), threshold=0.95)
    assert len(set(labels)) == 1 and held == []


def test_siblings_with_different_names_and_near_dates_conflict():
    sister = rec("a", given_name="Amira", date_of_birth="2019-05-01")
    brother = rec("b", given_name="Yusuf", date_of_birth="2019-05-11")
    assert conflict(sister, brother) == "different_given_names"


def test_household_evidence_alone_is_not_enough():
    unborn = rec("a", date_of_birth="", sex="")
    sibling = rec("b", given_name="Yusuf")
    assert conflict(unborn, sibling) == "only_household_evidence"
