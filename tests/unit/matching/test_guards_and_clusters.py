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
    return name in {"jayden", "jaden", "harry", "harvey", "daniel", "daniela", "olena", "elena"}


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
    harry, harvey = rec("a", given_name="Harry"), rec("b", given_name="Harvey")
    assert conflict(harry, harvey, real) == "possible_twins"
    assert conflict(harry, rec("c", given_name="Hrary"), real) is None


def test_one_name_spelled_two_ways_is_not_twins():
    for first, second in (("Jayden", "Jaden"), ("Olena", "Elena")):
        assert conflict(rec("a", given_name=first), rec("b", given_name=second), real) is None


def test_a_boy_and_a_girl_with_near_names_are_twins():
    daniel = rec("a", given_name="Daniel")
    daniela = rec("b", given_name="Daniela", sex="female")
    assert conflict(daniel, daniela, real) == "possible_twins"
    assert conflict(daniel, rec("c", given_name="Daniela"), real) is None  # sex not recorded


def test_a_carer_is_not_the_child_of_the_same_name():
    father = rec("a", given_name="Jordan", date_of_birth="", role="carer")
    son = rec("b", given_name="Jordan", role="child")
    assert conflict(father, son) == "child_and_adult_roles"
    assert conflict(son, father) == "child_and_adult_roles"


def test_a_name_alone_is_not_enough_without_a_date_of_birth():
    elsewhere = rec("a", given_name="Viktor", date_of_birth="", postcode="LS15 0SN")
    here = rec("b", given_name="Viktor", postcode="LS28 1LY", address_line="5 Oak Road")
    assert conflict(elsewhere, here) == "only_name_evidence"
    same_address = rec(
        "c", given_name="Viktor", date_of_birth="", postcode="LS28 1LY", address_line="5 Oak Road"
    )
    assert conflict(same_address, here) is None


def test_a_shared_identifier_with_the_same_given_name_outweighs_a_wrong_date():
    a = rec("a", given_name="Edward", nhs_number="9434765919")
    b = rec("b", given_name="Edward", nhs_number="9434765919", date_of_birth="1966-03-06")
    assert conflict(a, b) is None
    baby_on_mums_number = rec("c", given_name="Amira", nhs_number="9434765919")
    mother = rec("d", given_name="Sana", nhs_number="9434765919", date_of_birth="1990-01-01")
    assert conflict(baby_on_mums_number, mother) == "different_dates_of_birth"


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


def test_clusters_that_share_a_name_join_across_a_name_conflict():
    # {Muhammad Adam, Muhammad} and {Adam}: one boy who goes by his middle name.
    full = rec("a", given_name="Muhammad", middle_names="Adam")
    first = rec("b", given_name="Muhammad")
    middle = rec("c", given_name="Adam")
    records = [full, first, middle]
    pairs = np.array([[0, 1], [0, 2], [1, 2]])
    labels, held = cluster(records, pairs, np.array([0.999, 0.99, 0.10]), threshold=0.95)
    assert len(set(labels)) == 1 and held == []


def test_a_twin_who_shares_a_middle_name_as_first_name_stays_apart():
    # Caitlin Florence and her twin Florence Grace: "Florence" alone could be either.
    caitlin = rec("a", given_name="Caitlin", middle_names="Florence")
    florence = rec("b", given_name="Florence", middle_names="Grace")
    assert conflict(caitlin, florence, real) == "possible_twins"


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
