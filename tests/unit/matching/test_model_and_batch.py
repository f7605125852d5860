"""The engine on a labelled synthetic population: learnt weights, decisions, whole batches."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

import pytest

from hub.synthetic.population import generate_population
from matching.batch import link_records
from matching.blocking import blocking_recall, count_pairs
from matching.households import household_labels
from matching.index import PersonIndex
from matching.model import Model
from matching.online import LINK, NEW, REVIEW
from matching.record import prepare

FIELDS = ("record_id", "agency", "local_authority", "source_ref", "given_name", "middle_names",
          "family_name", "date_of_birth", "sex", "nhs_number", "upn", "postcode", "address_line",
          "role")  # fmt: skip


@pytest.fixture(scope="module")
def population() -> list[dict]:
    return [
        {**{f: getattr(r, f) for f in FIELDS}, "truth": r.true_person_id}
        for r in generate_population(400, seed=11)
    ]


@pytest.fixture(scope="module")
def linked(population):
    return link_records(population)


def pair_scores(population, labels) -> tuple[float, float]:
    def pairs(key) -> set:
        groups = defaultdict(list)
        for row in population:
            groups[key(row)].append(row["record_id"])
        return {tuple(sorted(p)) for g in groups.values() for p in combinations(g, 2)}

    predicted, true = pairs(lambda r: labels[r["record_id"]]), pairs(lambda r: r["truth"])
    hits = len(predicted & true)
    return hits / max(len(predicted), 1), hits / max(len(true), 1)


def test_a_batch_links_most_true_pairs_and_almost_never_wrongly(population, linked):
    precision, recall = pair_scores(population, linked.person_ids)
    assert precision >= 0.99
    assert recall >= 0.85


def test_no_predicted_person_mixes_twins(population, linked):
    twins = defaultdict(set)
    for row in population:
        twins[(row["family_name"].lower(), row["date_of_birth"], row["postcode"])].add(row["truth"])
    twin_sets = [people for people in twins.values() if len(people) > 1]
    assert twin_sets, "the sample should contain twins"
    person_of = {row["record_id"]: linked.person_ids[row["record_id"]] for row in population}
    truths_in = defaultdict(set)
    for row in population:
        truths_in[person_of[row["record_id"]]].add(row["truth"])
    for people in twin_sets:
        assert not any(len(people & mixed) > 1 for mixed in truths_in.values())


def test_learnt_weights_favour_agreement_and_penalise_disagreement(linked):
    model = linked.model
    for comparison, weights in zip(model.comparisons, model.weights, strict=True):
        if comparison.name in ("given_name", "family_name", "date_of_birth", "nhs_number"):
            assert weights[1] > 5, comparison.name
            assert weights[-1] < -1, comparison.name
    assert 0 < model.prior < 0.01


def test_a_common_name_counts_for_less_than_a_rare_one(linked):
    model = linked.model
    common = max(model.tf["family"], key=model.tf["family"].get)
    rare = min(model.tf["family"], key=model.tf["family"].get)

    def weight(name: str) -> float:
        a = prepare({"record_id": "a", "family_name": name})
        return model.explain(a, a)["fields"][1]["weight"]

    assert weight(common) < weight(rare) - 2


def test_model_round_trips_through_its_file_with_a_stable_version(linked, tmp_path):
    version = linked.model.save(tmp_path / "model.json")
    loaded = Model.load(tmp_path / "model.json")
    assert version == loaded.version == linked.model.version
    a = prepare({"record_id": "a", "given_name": "Amelia", "family_name": "Jones"})
    assert loaded.explain(a, a) == linked.model.explain(a, a)


def test_blocking_reaches_nearly_every_true_pair_with_few_candidates(population):
    records = [prepare(row) for row in population]
    assert blocking_recall(records, [row["truth"] for row in population]) >= 0.97
    assert count_pairs(records).total_pairs < 25 * len(records)


def test_online_index_links_reviews_and_starts_new_persons(linked):
    index = PersonIndex(linked.model)
    mum = {"given_name": "Grace", "family_name": "Okafor", "date_of_birth": "1990-02-03",
           "postcode": "B12 9QT", "address_line": "12 Mill Lane", "sex": "female"}  # fmt: skip
    first, decision = index.add(prepare({"record_id": "1", **mum, "nhs_number": "9434765919"}))
    assert decision.action == NEW
    same, decision = index.add(prepare({"record_id": "2", **mum, "given_name": "Gracie"}))
    assert (decision.action, same) == (LINK, first)
    assert {f["field"] for f in decision.explanation["fields"]} >= {"given_name", "address"}
    other_nhs = prepare({"record_id": "3", **mum, "nhs_number": "4010232137"})
    assert index.match(other_nhs).action == REVIEW
    assert index.match(other_nhs).reason == "different_nhs_numbers"
    son = prepare({"record_id": "4", **mum, "given_name": "Kwame", "date_of_birth": "2015-06-01",
                   "sex": "male"})  # fmt: skip
    assert index.match(son).action == NEW


def test_online_a_boy_known_by_his_middle_name_joins_his_person(linked):
    index = PersonIndex(linked.model)
    boy = {"family_name": "Malik", "date_of_birth": "2016-04-09", "postcode": "M8 0QT",
           "address_line": "4 Elm Road", "sex": "male"}  # fmt: skip
    person, _ = index.add(prepare({"record_id": "1", **boy, "given_name": "Muhammad Adam"}))
    index.add(prepare({"record_id": "2", **boy, "given_name": "Muhammad"}))
    decision = index.match(prepare({"record_id": "3", **boy, "given_name": "Adam"}))
    assert (decision.action, decision.person_id) == (LINK, person)
    twin = index.match(prepare({"record_id": "4", **boy, "given_name": "Ibrahim"}))
    assert twin.action != LINK


def test_households_join_people_through_shared_addresses():
    rows = [
        {"record_id": "mum", "postcode": "B12 9QT", "address_line": "12 Mill Lane"},
        {"record_id": "mum-new", "postcode": "LS6 2AA", "address_line": "3 Canal Walk"},
        {"record_id": "child", "postcode": "LS6 2AA", "address_line": "3, Canal Walk"},
        {"record_id": "visitor", "postcode": "B12 9QT", "address_line": "12 Mill Ln"},
        {"record_id": "neighbour", "postcode": "B12 9QT", "address_line": "14 Mill Lane"},
    ]
    records = [prepare(row) for row in rows]
    labels = household_labels(records, [1, 1, 2, 3, 4])
    assert labels[0] == labels[1] == labels[2] == labels[3]
    assert labels[4] != labels[0]


def test_comparing_in_parallel_gives_the_same_levels(population, monkeypatch):
    import numpy as np

    from matching import model as model_module
    from matching.blocking import candidate_pairs

    records = [prepare(row) for row in population]
    pairs, _ = candidate_pairs(records)
    serial = model_module.levels_for(records, pairs)
    monkeypatch.setattr(model_module, "PARALLEL_FROM", 0)
    monkeypatch.setattr(model_module.os, "cpu_count", lambda: 2)
    assert np.array_equal(model_module.levels_for(records, pairs), serial)
