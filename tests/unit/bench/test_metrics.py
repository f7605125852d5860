"""Benchmark metrics on hand-made clusterings (no splink, no pandas)."""

from __future__ import annotations

import itertools
import math

import pytest

from bench import metrics
from bench.engines import naive_exact_engine

# Truth: person X = a1 a2 a3, person Y = b1 b2, person Z = c1 (alone).
TRUTH = {"a1": "X", "a2": "X", "a3": "X", "b1": "Y", "b2": "Y", "c1": "Z"}


def brute_force(predicted, truth, sources=None):
    """Enumerate every pair: the reference the counting formulas must agree with."""
    tp = pred = true = 0
    for r, s in itertools.combinations(sorted(truth), 2):
        if sources is not None and sources[r] == sources[s]:
            continue
        same_pred = r in predicted and s in predicted and predicted[r] == predicted[s]
        same_true = truth[r] == truth[s]
        pred += same_pred
        true += same_true
        tp += same_pred and same_true
    return tp, pred, true


def test_perfect_clustering():
    scores = metrics.pairwise_scores(TRUTH, TRUTH)
    assert (scores.true_positives, scores.predicted_pairs, scores.true_pairs) == (4, 4, 4)
    assert scores.precision == scores.recall == scores.f1 == 1.0


def test_all_singletons_has_no_recall_and_vacuous_precision():
    scores = metrics.pairwise_scores({r: r for r in TRUTH}, TRUTH)
    assert scores.predicted_pairs == 0
    assert scores.precision == 1.0
    assert scores.recall == 0.0
    assert scores.f1 == 0.0


def test_split_and_merge():
    # a3 split off; Y merged with Z.
    predicted = {"a1": 1, "a2": 1, "a3": 2, "b1": 3, "b2": 3, "c1": 3}
    scores = metrics.pairwise_scores(predicted, TRUTH)
    # predicted pairs: a1a2, b1b2, b1c1, b2c1 = 4; true pairs: 3 (X) + 1 (Y) = 4; tp: a1a2, b1b2
    assert (scores.true_positives, scores.predicted_pairs, scores.true_pairs) == (2, 4, 4)
    assert scores.false_positives == 2
    assert scores.false_negatives == 2
    assert scores.precision == pytest.approx(0.5)
    assert scores.recall == pytest.approx(0.5)
    assert scores.f1 == pytest.approx(0.5)
    assert brute_force(predicted, TRUTH) == (2, 4, 4)


def test_everything_in_one_cluster():
    scores = metrics.pairwise_scores(dict.fromkeys(TRUTH, "all"), TRUTH)
    assert (scores.true_positives, scores.predicted_pairs, scores.true_pairs) == (4, 15, 4)
    assert scores.recall == 1.0
    assert scores.precision == pytest.approx(4 / 15)
    assert scores.f1 == pytest.approx(2 * (4 / 15) / (4 / 15 + 1))


def test_missing_predictions_are_singletons():
    scores = metrics.pairwise_scores({"a1": 1, "a2": 1}, TRUTH)
    assert (scores.true_positives, scores.predicted_pairs, scores.true_pairs) == (1, 1, 4)


def test_cluster_labels_of_any_hashable_type_do_not_collide_with_missing_records():
    # A prediction whose label happens to equal a missing record's id must not join it.
    scores = metrics.pairwise_scores({"a1": "a2", "a3": "a2"}, TRUTH)
    assert scores.predicted_pairs == 1


def test_cross_source_scoring_ignores_within_source_pairs():
    # Two files: a1 b1 c1 in A; a2 a3 b2 in B. One A/B cluster of everything from X.
    sources = {"a1": "A", "b1": "A", "c1": "A", "a2": "B", "a3": "B", "b2": "B"}
    predicted = {"a1": 1, "a2": 1, "a3": 1, "b1": 2, "b2": 3, "c1": 4}
    scores = metrics.pairwise_scores(predicted, TRUTH, sources)
    # true cross pairs: a1a2, a1a3, b1b2 = 3; predicted cross: a1a2, a1a3 = 2, both right.
    assert (scores.true_positives, scores.predicted_pairs, scores.true_pairs) == (2, 2, 3)
    assert brute_force(predicted, TRUTH, sources) == (2, 2, 3)
    # The same clustering over all pairs also counts the within-B pair a2a3.
    assert metrics.pairwise_scores(predicted, TRUTH).true_positives == 3


def test_counting_matches_brute_force_on_every_clustering_of_six_records():
    records = sorted(TRUTH)
    sources = {r: ("A" if i % 2 else "B") for i, r in enumerate(records)}
    # Every assignment of 6 records to at most 3 labels (729 clusterings).
    for labels in itertools.product(range(3), repeat=len(records)):
        predicted = dict(zip(records, labels, strict=True))
        for src in (None, sources):
            s = metrics.pairwise_scores(predicted, TRUTH, src)
            assert (s.true_positives, s.predicted_pairs, s.true_pairs) == brute_force(
                predicted, TRUTH, src
            )


def test_edge_scores_deduplicate_and_drop_self_pairs():
    edges = [("a1", "a2"), ("a2", "a1"), ("a1", "a1"), ("b1", "c1")]
    scores = metrics.pairs_from_edges_scores(edges, TRUTH)
    assert (scores.true_positives, scores.predicted_pairs, scores.true_pairs) == (1, 2, 4)


def test_edge_scores_cross_source():
    sources = {"a1": "A", "b1": "A", "c1": "A", "a2": "B", "a3": "B", "b2": "B"}
    edges = [("a1", "a2"), ("a2", "a3"), ("b1", "b2")]
    scores = metrics.pairs_from_edges_scores(edges, TRUTH, sources)
    assert (scores.true_positives, scores.predicted_pairs, scores.true_pairs) == (2, 2, 3)


def test_false_merges_count_clusters_records_and_persons():
    predicted = {"a1": 1, "a2": 1, "a3": 2, "b1": 2, "b2": 2, "c1": 2}
    fm = metrics.false_merges(predicted, TRUTH)
    assert fm == metrics.FalseMerges(clusters=1, records=4, persons=3)
    assert metrics.false_merges(TRUTH, TRUTH) == metrics.FalseMerges(0, 0, 0)


def test_false_merges_two_bad_clusters():
    predicted = {"a1": 1, "b1": 1, "a2": 2, "b2": 2, "a3": 3, "c1": 4}
    assert metrics.false_merges(predicted, TRUTH) == metrics.FalseMerges(2, 4, 4)


def _row(record_id, person, household, family, dob):
    return {
        "record_id": record_id,
        "true_person_id": person,
        "true_household_id": household,
        "family_name": family,
        "date_of_birth": dob,
    }


POPULATION = [
    # Twins T1 and T2: same household, family name and date of birth; one typo in a T1 record.
    _row("t1a", "T1", "H1", "Okafor", "2015-03-04"),
    _row("t1b", "T1", "H1", "Okafor", "2015-03-04"),
    _row("t1c", "T1", "H1", "Okafro", "2015-03-04"),
    _row("t2a", "T2", "H1", "okafor", "2015-03-04"),
    # A sibling: same household and family name, different date of birth.
    _row("s1a", "S1", "H1", "Okafor", "2012-07-30"),
    # Same family name and date of birth but another household: not a twin.
    _row("o1a", "O1", "H2", "Okafor", "2015-03-04"),
    # Year-only date of birth: no twin key.
    _row("y1a", "Y1", "H1", "Okafor", "2015"),
]
POP_TRUTH = {r["record_id"]: r["true_person_id"] for r in POPULATION}


def test_twin_keys_use_the_most_common_spelling_and_full_dates_only():
    keys = metrics.twin_keys(POPULATION)
    assert keys["T1"] == keys["T2"] == ("H1", "okafor", "2015-03-04")
    assert keys["S1"] != keys["T1"]
    assert keys["O1"] != keys["T1"]
    assert "Y1" not in keys


def test_twin_merge_detected():
    keys = metrics.twin_keys(POPULATION)
    predicted = {r: POP_TRUTH[r] for r in POP_TRUTH}
    predicted["t2a"] = "T1"  # twin T2's record put into T1's cluster
    assert metrics.twin_false_merges(predicted, POP_TRUTH, keys) == metrics.TwinMerges(1, 1)


def test_sibling_or_lookalike_merge_is_not_a_twin_merge():
    keys = metrics.twin_keys(POPULATION)
    predicted = dict(POP_TRUTH)
    predicted["s1a"] = "T1"  # sibling merged: a false merge, but not of twins
    predicted["o1a"] = "T2"  # same name and dob, other household: not twins either
    predicted["y1a"] = "T2"
    assert metrics.twin_false_merges(predicted, POP_TRUTH, keys) == metrics.TwinMerges(0, 0)
    assert metrics.false_merges(predicted, POP_TRUTH).clusters == 2


def test_correct_clustering_has_no_twin_merges():
    keys = metrics.twin_keys(POPULATION)
    assert metrics.twin_false_merges(POP_TRUTH, POP_TRUTH, keys) == metrics.TwinMerges(0, 0)


def test_latency_percentiles():
    summary = metrics.latency_summary([i / 1000 for i in range(1, 101)])  # 1..100 ms
    assert summary["count"] == 100
    assert summary["p50_ms"] == pytest.approx(50)
    assert summary["p99_ms"] == pytest.approx(99)
    assert summary["max_ms"] == pytest.approx(100)
    assert math.isnan(metrics.percentile([], 50))


def test_cluster_ids_from_pairs():
    clusters = metrics.cluster_ids_from_pairs(["a", "b", "c", "d"], [("b", "c"), ("c", "a")])
    assert clusters == {"a": "a", "b": "a", "c": "a", "d": "d"}


def test_naive_exact_engine_links_only_complete_identical_keys():
    blank = dict.fromkeys(("given_name", "family_name", "date_of_birth"), "")
    records = [
        {**blank, "record_id": "1", "given_name": "Amy", "family_name": "Lee",
         "date_of_birth": "2010-01-02"},
        {**blank, "record_id": "2", "given_name": "amy ", "family_name": "LEE",
         "date_of_birth": "2010-01-02"},
        {**blank, "record_id": "3", "given_name": "Amy", "family_name": "Lee"},
        {**blank, "record_id": "4", "given_name": "Amy", "family_name": "Lee"},
    ]  # fmt: skip
    ids = naive_exact_engine(records).person_ids
    assert ids["1"] == ids["2"]
    assert len({ids["1"], ids["3"], ids["4"]}) == 3


def test_held_apart_counts_only_one_true_person_left_apart():
    truth = {"a": "p1", "b": "p1", "c": "p2", "d": "p1"}
    person_ids = {"a": "X", "b": "Y", "c": "Z", "d": "X"}
    held = [
        ("a", "b", "possible_twins"),  # one person, left apart: counted
        ("a", "c", "possible_twins"),  # two people: the guard was right
        ("a", "d", "different_dates_of_birth"),  # one person, joined anyway via others
        ("b", "b", "would_bridge_persons"),  # a record taken out for review
    ]
    assert metrics.held_apart_same_person(held, person_ids, truth) == {"possible_twins": 1}
