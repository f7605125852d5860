import pytest

from matching.comparisons import ADDRESS, DOB, FAMILY, GIVEN, NHS, SEX, compare
from matching.record import prepare


def rec(**fields) -> object:
    return prepare({"record_id": "x", **fields})


def level(comparison, left: dict, right: dict) -> str:
    return comparison.label(comparison.level_of(rec(**left), rec(**right)))


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("Oliver", "", "null"),
        ("Oliver", "OLIVER", "exact"),
        ("Zoë", "Zoe", "exact"),
        ("Tom", "Thomas", "nickname_or_transliteration"),
        ("Liz", "Elizabeth", "nickname_or_transliteration"),
        ("Alfie", "Alfred", "nickname_or_transliteration"),
        ("Muhammad", "Mohammed", "nickname_or_transliteration"),
        ("Mohamed", "Muhammed", "nickname_or_transliteration"),
        ("Abdul Rahman", "Abdulrahman", "nickname_or_transliteration"),
        ("Yusuf", "Youssef", "nickname_or_transliteration"),
        ("Łukasz", "Lukasz", "exact"),
        ("Amellia", "Amelia", "jaro_winkler_0.92"),
        ("Anne Marie", "Annemarie", "nickname_or_transliteration"),
        ("Callum", "Calum", "jaro_winkler_0.92"),
        ("Kacper", "Kasper", "jaro_winkler_0.80"),
        ("J", "James", "initial"),
        ("Amelia", "Grace", "else"),
    ],
)
def test_given_name_levels(left, right, expected):
    assert level(GIVEN, {"given_name": left}, {"given_name": right}) == expected


def test_middle_name_used_as_first_name():
    left = {"given_name": "Grace", "middle_names": "Amelia"}
    assert level(GIVEN, left, {"given_name": "Amelia"}) == "middle_name_or_swapped"


def test_given_and_family_swapped():
    left = {"given_name": "Wei", "family_name": "Zhang"}
    right = {"given_name": "Zhang", "family_name": "Wei"}
    assert level(GIVEN, left, right) == "middle_name_or_swapped"
    assert level(FAMILY, left, right) == "swapped_with_given"


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("Smith", "smith", "exact"),
        ("Smith-Jones", "Jones", "shares_a_part"),
        ("Smith Jones", "Smith", "shares_a_part"),
        ("O'Brien", "OBrien", "exact"),
        ("Hussain", "Hussein", "jaro_winkler_0.92"),
        ("Nowak", "Nowack", "jaro_winkler_0.92"),
        ("Okafor", "Mensah", "else"),
        (None, "Smith", "null"),
    ],
)
def test_family_name_levels(left, right, expected):
    assert level(FAMILY, {"family_name": left}, {"family_name": right}) == expected


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("2018-04-12", "2018-04-12", "exact"),
        ("2018-04-12", "2018-12-04", "day_month_swapped"),
        ("2018-04-12", "2018-04-13", "one_digit"),
        ("2018-04-12", "2018-04-21", "one_digit"),
        ("2018-04-30", "2018-05-01", "one_day"),
        ("2018", "2018-04-12", "same_year"),
        ("2018", "2019", "else"),
        ("2018-04-12", "1985-07-30", "else"),
        ("", "2018-04-12", "null"),
        ("not a date", "2018-04-12", "null"),
    ],
)
def test_date_of_birth_levels(left, right, expected):
    assert level(DOB, {"date_of_birth": left}, {"date_of_birth": right}) == expected


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        (("B12 9QT", "12 Mill Lane"), ("b129qt", "12, Mill Ln"), "same_address"),
        (("B12 9QT", "Flat 2, 12 Mill Lane"), ("B12 9QT", "12 Mill Lane"), "same_address"),
        (("B12 9QT", "12 Mill Lane"), ("B12 9QT", "40 Canal Walk"), "same_postcode"),
        (("B12 9QT", "12 Mill Lane"), ("B12 9QT", "123 Mill Lane"), "same_postcode"),
        (("B12 9QT", ""), ("B12 9QT", ""), "same_postcode"),
        (("", "12 Mill Lane"), ("B12 9QT", "12 Mill Lane"), "same_postcode"),
        (("B12 9QT", ""), ("B12 9QU", ""), "postcode_sector_or_one_character"),
        (("2600", ""), ("2601", ""), "postcode_sector_or_one_character"),
        (("B12 9QT", ""), ("B12 4AB", ""), "district"),
        (("B12 9QT", ""), ("LS6 2AA", ""), "else"),
        (("", ""), ("B12 9QT", ""), "null"),
    ],
)
def test_address_levels(left, right, expected):
    def fields(pair):
        return {"postcode": pair[0], "address_line": pair[1]}

    assert level(ADDRESS, fields(left), fields(right)) == expected


def test_identifier_and_sex_levels():
    assert level(NHS, {"nhs_number": "943 476 5919"}, {"nhs_number": "9434765919"}) == "exact"
    assert level(NHS, {"nhs_number": "9434765919"}, {"nhs_number": "9434765991"}) == "one_character"
    assert level(NHS, {"nhs_number": "9434765919"}, {"nhs_number": "4010232137"}) == "different"
    assert level(SEX, {"sex": "F"}, {"sex": "female"}) == "same"
    assert level(SEX, {"sex": "male"}, {"sex": "female"}) == "different"


def test_compare_gives_one_level_per_comparison():
    assert compare(rec(), rec()) == (0,) * 8
