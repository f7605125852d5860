"""Ranking a searcher's partial record against candidates with the matcher's model."""

from __future__ import annotations

import pytest

from matching.blocking import keys_of
from matching.model import Model, default_model_path
from matching.record import prepare
from matching.search import query_keys, rank


@pytest.fixture(scope="module")
def model() -> Model:
    return Model.load(default_model_path())


def record(record_id: str, given: str, family: str, dob: str | None = None, postcode=None):
    return prepare(
        {
            "record_id": record_id,
            "given_name": given,
            "family_name": family,
            "date_of_birth": dob,
            "postcode": postcode,
        }
    )


def query(**fields):
    return prepare(fields)


@pytest.mark.parametrize(
    ("typed", "held"),
    [
        ("Bob", "Robert"),
        ("Mohammed", "Muhammad"),
        ("Amelai", "Amelia"),  # a typo
        ("Amelia", "Amelia"),
    ],
)
def test_a_record_filed_under_another_form_of_the_name_shares_a_search_key(typed, held):
    stored = set(keys_of(record("1", held, "Smith", "2018-04-12")))
    searched = set(query_keys(query(given_name=typed, family_name="Smith")))
    assert stored & searched


def test_exact_comes_first_and_each_hit_says_why(model):
    candidates = [
        record("typo", "Robret", "Smith"),
        record("nick", "Bob", "Smith"),
        record("exact", "Robert", "Smith"),
    ]
    hits = rank(model, query(given_name="Robert", family_name="Smith"), candidates)
    assert hits[0].record_id == "exact" and {h.record_id for h in hits} == {"typo", "nick", "exact"}
    why = {h.record_id: dict(h.reasons) for h in hits}
    assert why["nick"] == {"given_name": "nickname_or_transliteration", "family_name": "exact"}
    assert why["typo"]["given_name"].startswith("jaro_winkler")
    assert hits[0].weight > max(hits[1].weight, hits[2].weight) > 0


def test_a_field_the_query_contradicts_outright_drops_the_candidate(model):
    candidates = [record("born-2018", "Amelia", "Nowak", "2018-04-12")]
    assert rank(model, query(family_name="Nowak", date_of_birth="2001-01-01"), candidates) == []
    swapped = rank(model, query(family_name="Nowak", date_of_birth="2018-12-04"), candidates)
    assert dict(swapped[0].reasons)["date_of_birth"] == "day_month_swapped"


def test_fields_the_query_leaves_out_weigh_nothing(model):
    """A record with no date of birth is not ranked below one with it when none was typed."""
    candidates = [record("a", "Evie", "Jones", "2019-01-01"), record("b", "Evie", "Jones")]
    hits = rank(model, query(given_name="Evie", family_name="Jones"), candidates)
    assert [h.weight for h in hits] == [hits[0].weight] * 2
    assert all("date_of_birth" not in dict(h.reasons) for h in hits)


def test_a_different_name_is_not_found(model):
    candidates = [record("1", "Robert", "Smith")]
    assert rank(model, query(given_name="Zebedee", family_name="Smith"), candidates) == []


def test_an_exact_common_name_ranks_above_a_misspelling_of_it(model):
    """The matcher discounts agreement on a common name (it says less about identity); a
    searcher who typed that name still expects the records spelled so first."""
    candidates = [record("typo", "Olivia", "Bown"), record("exact", "Olivia", "Brown")]
    hits = rank(model, query(given_name="Olivia", family_name="Brown"), candidates)
    assert [h.record_id for h in hits] == ["exact", "typo"]
