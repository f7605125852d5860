"""The labelled synthetic population: shape, determinism, valid identifiers, and the hard cases.

The hard cases (twins, fathers and sons sharing a name, transliterations, year-only dates of birth,
unborn children later born, moves between local authorities) are found through the truth, the
true person and household behind each record, not through any flag the generator sets.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections import Counter, defaultdict

import pytest
from stdnum.gb import nhs, upn

from hub.synthetic.population import (
    AGENCIES,
    COLUMNS,
    LOCAL_AUTHORITIES,
    ROLES,
    PopulationConfig,
    PopulationRecord,
    TruePerson,
    generate_population,
    iter_households,
    iter_population,
    read_population_csv,
    write_population_csv,
)

SEED = 11
HOUSEHOLDS = 2000
SPEC_COLUMNS = (
    "record_id",
    "agency",
    "local_authority",
    "source_ref",
    "given_name",
    "middle_names",
    "family_name",
    "date_of_birth",
    "sex",
    "nhs_number",
    "upn",
    "postcode",
    "address_line",
    "role",
    "true_person_id",
    "true_household_id",
)
MUHAMMAD = {"Muhammad", "Mohammed", "Mohamed", "Mohammad", "Muhammed", "Mohamad", "Maxamed"}
NICKNAMES = {
    ("Thomas", "Tom"),
    ("Thomas", "Tommy"),
    ("William", "Will"),
    ("William", "Bill"),
    ("James", "Jim"),
    ("James", "Jamie"),
    ("Daniel", "Dan"),
    ("Daniel", "Danny"),
    ("Samuel", "Sam"),
    ("Joseph", "Joe"),
    ("Michael", "Mike"),
    ("Elizabeth", "Liz"),
    ("Elizabeth", "Beth"),
    ("Katherine", "Kate"),
    ("Rebecca", "Becky"),
    ("Jessica", "Jess"),
    ("Alfie", "Alfred"),
    ("Alfred", "Alfie"),
    ("Eleanor", "Ellie"),
    ("Ellie", "Eleanor"),
}
STRICT_POSTCODE = re.compile(r"^[A-Z]{1,2}\d{1,2} \d[A-Z]{2}$")


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


@pytest.fixture(scope="module")
def records() -> list[PopulationRecord]:
    return generate_population(HOUSEHOLDS, seed=SEED)


@pytest.fixture(scope="module")
def truth() -> dict[str, TruePerson]:
    return {p.person_id: p for h in iter_households(HOUSEHOLDS, seed=SEED) for p in h.people}


@pytest.fixture(scope="module")
def by_person(records: list[PopulationRecord]) -> dict[str, list[PopulationRecord]]:
    grouped: dict[str, list[PopulationRecord]] = defaultdict(list)
    for record in records:
        grouped[record.true_person_id].append(record)
    return grouped


# --- shape -----------------------------------------------------------------------------------


def test_columns_are_exactly_as_specified():
    assert COLUMNS == SPEC_COLUMNS
    assert tuple(f.name for f in dataclasses.fields(PopulationRecord)) == SPEC_COLUMNS


def test_values_are_well_formed(records):
    la_codes = {la.code for la in LOCAL_AUTHORITIES}
    assert len({r.record_id for r in records}) == len(records)
    assert len({(r.agency, r.source_ref) for r in records}) == len(records)
    for r in records:
        assert re.fullmatch(r"r\d{7}", r.record_id)
        assert re.fullmatch(r"p\d{6}", r.true_person_id)
        assert re.fullmatch(r"h\d{6}", r.true_household_id)
        assert r.agency in AGENCIES
        assert r.role in ROLES
        assert r.sex in ("female", "male", "")
        assert r.local_authority in la_codes or r.local_authority == ""
        assert r.source_ref
        dob = r.date_of_birth
        assert re.fullmatch(r"(\d{4}-\d{2}-\d{2}|\d{4})?", dob), dob
        if len(dob) == 10:
            assert dt.date.fromisoformat(dob) < PopulationConfig().reference_date
    postcodes = [r.postcode for r in records if r.postcode]
    strict = sum(bool(STRICT_POSTCODE.match(p)) for p in postcodes)
    assert 0.8 < strict / len(postcodes) < 1.0  # mostly clean, some typed loosely


def test_every_agency_and_role_appears(records):
    assert {r.agency for r in records} == set(AGENCIES)
    assert {r.role for r in records} == set(ROLES)


# --- determinism -------------------------------------------------------------------------------


def test_deterministic_for_a_seed():
    assert generate_population(150, seed=3) == generate_population(150, seed=3)


def test_different_seeds_differ():
    first = generate_population(150, seed=3)
    second = generate_population(150, seed=4)
    assert first != second
    people = lambda rs: {(r.given_name, r.family_name, r.date_of_birth) for r in rs}  # noqa: E731
    assert len(people(first) & people(second)) < 0.05 * len(people(first))


def test_a_smaller_population_is_a_prefix_of_a_larger_one():
    small = generate_population(40, seed=8)
    assert generate_population(80, seed=8)[: len(small)] == small
    assert list(iter_population(40, seed=8)) == small


# --- identifiers ---------------------------------------------------------------------------------


def test_nhs_numbers_are_valid_unless_garbled(records, truth):
    true_numbers = [p.nhs for p in truth.values() if p.nhs]
    assert len(set(true_numbers)) == len(true_numbers)
    assert all(nhs.is_valid(n) for n in true_numbers)
    carried = [r for r in records if r.nhs_number]
    wrong = [r for r in carried if nhs.compact(r.nhs_number) != truth[r.true_person_id].nhs]
    wrong_ids = {r.record_id for r in wrong}
    for r in carried:
        if r.record_id not in wrong_ids:
            assert nhs.is_valid(r.nhs_number), r
    assert 0 < len(wrong) < 0.03 * len(carried)
    assert sum(not nhs.is_valid(r.nhs_number) for r in wrong) > 0.6 * len(wrong)


def test_upns_are_valid_unless_garbled(records, truth):
    carried = [r for r in records if r.upn]
    assert {r.agency for r in carried} <= {"school", "childrens_social_care"}
    wrong = [r for r in carried if r.upn != truth[r.true_person_id].upn]
    assert all(upn.is_valid(r.upn) for r in carried if r.upn == truth[r.true_person_id].upn)
    assert 0 < len(wrong) < 0.03 * len(carried)
    school = [r for r in records if r.agency == "school"]
    assert sum(bool(r.upn) for r in school) > 0.9 * len(school)


def test_health_agencies_carry_nhs_numbers_and_others_rarely(records):
    share = defaultdict(list)
    for r in records:
        share[r.agency].append(bool(r.nhs_number))
    rate = {agency: sum(v) / len(v) for agency, v in share.items()}
    assert rate["gp"] > 0.85 and rate["health_visitor"] > 0.85
    assert rate["police"] < 0.1 and rate["housing"] < 0.1 and rate["school"] < 0.1


# --- CSV -----------------------------------------------------------------------------------------


def test_csv_round_trip(tmp_path, records):
    path = tmp_path / "population.csv"
    write_population_csv(iter(records), path)
    assert path.read_text(encoding="utf-8").splitlines()[0] == ",".join(SPEC_COLUMNS)
    assert read_population_csv(path) == records
    assert any(not (r.given_name + r.family_name).isascii() for r in records)


def test_reading_a_csv_with_other_columns_fails(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("record_id,agency\nr1,gp\n", encoding="utf-8")
    with pytest.raises(ValueError):
        read_population_csv(path)


# --- people and households ---------------------------------------------------------------------


def test_records_per_person_within_bounds(by_person, truth):
    assert set(by_person) == set(truth)  # every invented person is known to some agency
    for rows in by_person.values():
        agencies = {r.agency for r in rows}
        assert 1 <= len(agencies) <= 6
        assert len(rows) <= 2 * len(agencies)
    mean = sum(map(len, by_person.values())) / len(by_person)
    assert 1.8 < mean < 4.0
    duplicated = sum(
        1 for rows in by_person.values() for n in Counter(r.agency for r in rows).values() if n > 1
    )
    assert duplicated > 50


def test_households_have_men_in_them(truth, by_person):
    households = defaultdict(list)
    for person in truth.values():
        households[person.household_id].append(person)
    with_men = sum(
        any(p.sex == "male" and p.role in ("partner", "visitor", "carer") for p in people)
        for people in households.values()
    )
    assert with_men > 0.5 * len(households)
    visitors = [r for pid, rows in by_person.items() for r in rows if truth[pid].role == "visitor"]
    assert sum(r.agency in ("police", "probation") for r in visitors) > 0.6 * len(visitors)


def test_contains_twins(truth, by_person):
    births = defaultdict(list)
    for p in truth.values():
        if p.role in ("child", "unborn") and p.dob is not None:
            births[(p.household_id, p.dob)].append(p)
    multiples = [group for group in births.values() if len(group) > 1]
    assert len(multiples) >= 15
    assert all(len({(p.given, p.middle) for p in group}) == len(group) for group in multiples)
    # Seen in the records: same date of birth, surname and postcode, different given names.
    visible = 0
    for group in multiples:
        a, b = (by_person[p.person_id] for p in group[:2])
        visible += any(
            x.date_of_birth == y.date_of_birth
            and _key(x.family_name) == _key(y.family_name)
            and x.postcode == y.postcode
            and _key(x.given_name) != _key(y.given_name)
            for x in a
            for y in b
        )
    assert visible >= 10


def test_contains_fathers_and_sons_with_the_same_name(truth, by_person):
    pairs = [
        (truth[p.father_id], p)
        for p in truth.values()
        if p.father_id
        and p.sex == "male"
        and p.dob is not None
        and p.given == truth[p.father_id].given
        and p.family == truth[p.father_id].family
    ]
    assert len(pairs) >= 5
    assert sum(son.given not in MUHAMMAD for _, son in pairs) >= 3  # named after him, not by chance
    assert all(_age_gap(dad, son) >= 14 for dad, son in pairs)
    same_on_record = sum(
        any(
            _key(x.given_name) == _key(y.given_name) and _key(x.family_name) == _key(y.family_name)
            for x in by_person[dad.person_id]
            for y in by_person[son.person_id]
        )
        for dad, son in pairs
    )
    assert same_on_record >= 3


def _age_gap(older: TruePerson, younger: TruePerson) -> float:
    assert older.dob is not None and younger.dob is not None
    return (younger.dob - older.dob).days / 365.25


def test_contains_transliterated_variants(by_person):
    spelled_two_ways = sum(
        len({r.given_name.strip() for r in rows} & MUHAMMAD) >= 2 for rows in by_person.values()
    )
    assert spelled_two_ways >= 5
    others = [{"Yusuf", "Yousef", "Youssef", "Yousuf", "Yusef"}, {"Fatima", "Fatimah", "Fatema"}]
    assert any(
        len({r.given_name.strip() for r in rows} & group) >= 2
        for rows in by_person.values()
        for group in others
    )


def test_contains_names_in_other_scripts_and_accents(records):
    scripts = Counter()
    for r in records:
        for char in r.given_name + r.family_name:
            if not char.isascii() and char.isalpha():
                scripts[unicodedata.name(char).split()[0]] += 1
    assert scripts["ARABIC"] or scripts["CYRILLIC"] or scripts["CJK"]
    assert scripts["LATIN"]  # Łukasz, Zoë, Nguyễn kept by some agencies


def test_contains_year_only_dates_of_birth(records, truth):
    year_only = [
        r for r in records if len(r.date_of_birth) == 4 and truth[r.true_person_id].dob is not None
    ]
    assert len(year_only) >= 20
    assert all(
        int(r.date_of_birth) - truth[r.true_person_id].dob.year in (-1, 0, 1) for r in year_only
    )


def test_contains_unborn_children_later_born(records, truth, by_person):
    unborn = [r for r in records if r.role == "unborn"]
    assert len(unborn) >= 20
    assert all(r.date_of_birth == "" for r in unborn)
    assert {r.agency for r in unborn} <= {"midwifery", "childrens_social_care"}
    household_mothers = {p.household_id for p in truth.values() if p.relation == "mother"}
    assert all(r.true_household_id in household_mothers for r in unborn)
    born_later = {
        r.true_person_id
        for r in unborn
        for other in by_person[r.true_person_id]
        if other.role == "child" and other.date_of_birth and other.agency == "health_visitor"
    }
    assert len(born_later) >= 5


def test_contains_moves_between_local_authorities(by_person):
    households = defaultdict(set)
    people_in_two = 0
    for rows in by_person.values():
        las = {r.local_authority for r in rows if r.local_authority}
        households[rows[0].true_household_id] |= las
        people_in_two += len(las) > 1
    assert sum(len(las) > 1 for las in households.values()) >= 50
    assert people_in_two >= 50


def test_common_names_are_common(truth):
    given = Counter(p.given for p in truth.values())
    family = Counter(p.family for p in truth.values())
    assert sum(given[name] for name in MUHAMMAD) > 0.02 * len(truth)
    assert {"Smith", "Khan"} <= {name for name, _ in family.most_common(15)}
    assert len(given) > 300 and len(family) > 300


def test_contains_nicknames_maiden_names_and_swapped_names(by_person, truth):
    nickname = maiden = swapped = 0
    for pid, rows in by_person.items():
        person = truth[pid]
        for r in rows:
            nickname += (person.given, r.given_name.strip().title()) in NICKNAMES
            maiden_name = dict(person.alt_families).get("maiden")
            maiden += bool(maiden_name) and _key(r.family_name) == _key(maiden_name)
            swapped += _key(r.given_name) == _key(person.family) != _key(person.given)
    assert nickname >= 10 and maiden >= 20 and swapped >= 20


# --- configuration ------------------------------------------------------------------------------


def test_switching_errors_off_gives_clean_identifiers_and_dates():
    config = PopulationConfig(
        identifier_typo_rate=0.0,
        identifier_of_relative_rate=0.0,
        identifier_format_rate=0.0,
        dob_missing_rate=0.0,
        dob_year_only_rate=0.0,
        dob_day_month_swap_rate=0.0,
        dob_digit_error_rate=0.0,
        dob_off_by_one_rate=0.0,
    )
    truth = {p.person_id: p for h in iter_households(300, seed=2, config=config) for p in h.people}
    for r in generate_population(300, seed=2, config=config):
        person = truth[r.true_person_id]
        assert r.nhs_number in ("", person.nhs)
        assert r.upn in ("", person.upn)
        if r.role != "unborn" and not person.dob_assigned:
            assert r.date_of_birth == person.dob.isoformat()


def test_raising_a_rate_raises_its_phenomenon():
    def births_of(size: int, config: PopulationConfig) -> int:
        births = Counter(
            (p.household_id, p.dob)
            for h in iter_households(400, seed=5, config=config)
            for p in h.people
            if p.relation == "child" and p.dob is not None
        )
        return sum(n == size for n in births.values())

    assert births_of(2, PopulationConfig(twin_rate=0.2)) > 3 * max(
        1, births_of(2, PopulationConfig())
    )
    assert births_of(3, PopulationConfig(triplet_rate=0.05)) >= 5
    assert births_of(3, PopulationConfig(triplet_rate=0.0)) == 0


def test_twenty_thousand_households_generate():
    count, persons = 0, set()
    for record in iter_population(20_000, seed=1):
        count += 1
        persons.add(record.true_person_id)
    assert count > 150_000
    assert len(persons) > 60_000
