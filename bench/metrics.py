"""Linkage quality metrics: pairwise precision/recall/F1, false merges, twin merges, latency.

Pure standard library (CI imports this without pandas or splink).

A *clustering* is a mapping ``record_id -> cluster id``. Two records are a predicted pair when
they share a predicted cluster and a true pair when they share a true entity. Pair counts are
computed from cluster sizes, so nothing is quadratic in the number of records.

Records present in the truth but missing from a prediction are treated as singletons.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class PairwiseScores:
    true_positives: int
    predicted_pairs: int
    true_pairs: int

    @property
    def false_positives(self) -> int:
        return self.predicted_pairs - self.true_positives

    @property
    def false_negatives(self) -> int:
        return self.true_pairs - self.true_positives

    @property
    def precision(self) -> float:
        # No predicted pairs means no wrong claims: precision is vacuously 1.
        return self.true_positives / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        out = asdict(self)
        out.update(
            false_positives=self.false_positives,
            false_negatives=self.false_negatives,
            precision=self.precision,
            recall=self.recall,
            f1=self.f1,
        )
        return out


def _pairs_in_groups(groups: Mapping[Hashable, Counter], cross_source_only: bool) -> int:
    """Pairs within each group; a group is a Counter of source -> record count.

    All pairs: ``n*(n-1)/2`` for a group of ``n``. Cross-source only: pairs whose two records
    come from different sources, ``(n^2 - sum(n_s^2)) / 2``.
    """
    total = 0
    for by_source in groups.values():
        n = sum(by_source.values())
        if cross_source_only:
            total += (n * n - sum(c * c for c in by_source.values())) // 2
        else:
            total += n * (n - 1) // 2
    return total


def pairwise_scores(
    predicted: Mapping[str, Hashable],
    truth: Mapping[str, Hashable],
    sources: Mapping[str, Hashable] | None = None,
) -> PairwiseScores:
    """Pairwise scores of ``predicted`` against ``truth`` over the records in ``truth``.

    If ``sources`` is given (record_id -> source, e.g. file 'a'/'b'), only cross-source pairs
    are scored: this is how a two-file link-only task (FEBRL4) is evaluated.
    """
    pred_groups: dict[Hashable, Counter] = defaultdict(Counter)
    true_groups: dict[Hashable, Counter] = defaultdict(Counter)
    both_groups: dict[tuple, Counter] = defaultdict(Counter)
    for record_id, entity in truth.items():
        cluster = predicted.get(record_id)
        cluster = ("singleton", record_id) if cluster is None else ("c", cluster)
        source = sources[record_id] if sources is not None else None
        pred_groups[cluster][source] += 1
        true_groups[entity][source] += 1
        both_groups[(cluster, entity)][source] += 1
    cross = sources is not None
    return PairwiseScores(
        true_positives=_pairs_in_groups(both_groups, cross),
        predicted_pairs=_pairs_in_groups(pred_groups, cross),
        true_pairs=_pairs_in_groups(true_groups, cross),
    )


def pairs_from_edges_scores(
    edges: Iterable[tuple[str, str]],
    truth: Mapping[str, Hashable],
    sources: Mapping[str, Hashable] | None = None,
) -> PairwiseScores:
    """Scores of an explicit list of predicted pairs (e.g. Splink's edges above a threshold).

    With ``sources``, only cross-source edges and cross-source true pairs count.
    """
    seen: set[tuple[str, str]] = set()
    tp = 0
    for a, b in edges:
        if a == b or (sources is not None and sources[a] == sources[b]):
            continue
        key = (a, b) if a < b else (b, a)
        if key in seen:
            continue
        seen.add(key)
        if a in truth and b in truth and truth[a] == truth[b]:
            tp += 1
    true_groups: dict[Hashable, Counter] = defaultdict(Counter)
    for record_id, entity in truth.items():
        true_groups[entity][sources[record_id] if sources is not None else None] += 1
    true_pairs = _pairs_in_groups(true_groups, sources is not None)
    return PairwiseScores(true_positives=tp, predicted_pairs=len(seen), true_pairs=true_pairs)


def clusters_of(predicted: Mapping[str, Hashable]) -> dict[Hashable, list[str]]:
    out: dict[Hashable, list[str]] = defaultdict(list)
    for record_id, cluster in predicted.items():
        out[cluster].append(record_id)
    return dict(out)


@dataclass(frozen=True)
class FalseMerges:
    clusters: int  # predicted clusters holding records of two or more true persons
    records: int  # records in those clusters
    persons: int  # distinct true persons in those clusters

    def as_dict(self) -> dict:
        return asdict(self)


def false_merges(predicted: Mapping[str, Hashable], truth: Mapping[str, Hashable]) -> FalseMerges:
    clusters = records = persons = 0
    for members in clusters_of(predicted).values():
        people = {truth[r] for r in members if r in truth}
        if len(people) >= 2:
            clusters += 1
            records += len(members)
            persons += len(people)
    return FalseMerges(clusters=clusters, records=records, persons=persons)


def twin_keys(
    records: Iterable[Mapping[str, str]],
    person_field: str = "true_person_id",
    household_field: str = "true_household_id",
) -> dict[str, tuple[str, str, str]]:
    """true person -> (household, family name, date of birth), for telling twins apart.

    Each person's key uses their most common non-blank family name and full date of birth
    across their records (so a typo in one record does not hide a twin). Persons without a
    full date of birth or a household get no key.
    """
    families: dict[str, Counter] = defaultdict(Counter)
    dobs: dict[str, Counter] = defaultdict(Counter)
    households: dict[str, Counter] = defaultdict(Counter)
    for rec in records:
        person = rec[person_field]
        family = (rec.get("family_name") or "").strip().casefold()
        dob = (rec.get("date_of_birth") or "").strip()
        household = (rec.get(household_field) or "").strip()
        if family:
            families[person][family] += 1
        if len(dob) == 10:
            dobs[person][dob] += 1
        if household:
            households[person][household] += 1
    out = {}
    for person in set(families) & set(dobs) & set(households):
        out[person] = (
            households[person].most_common(1)[0][0],
            families[person].most_common(1)[0][0],
            dobs[person].most_common(1)[0][0],
        )
    return out


@dataclass(frozen=True)
class TwinMerges:
    clusters: int  # predicted clusters holding two or more true persons who are twins
    twin_pairs: int  # distinct pairs of twin persons merged together

    def as_dict(self) -> dict:
        return asdict(self)


def twin_false_merges(
    predicted: Mapping[str, Hashable],
    truth: Mapping[str, Hashable],
    person_twin_key: Mapping[Hashable, Hashable],
) -> TwinMerges:
    """Predicted clusters that put together two true persons sharing a twin key.

    ``person_twin_key`` maps true person -> (household, family name, dob), see ``twin_keys``.
    """
    clusters = pairs = 0
    for members in clusters_of(predicted).values():
        people = {truth[r] for r in members if r in truth}
        if len(people) < 2:
            continue
        by_key = Counter(person_twin_key[p] for p in people if p in person_twin_key)
        merged = sum(n * (n - 1) // 2 for n in by_key.values())
        if merged:
            clusters += 1
            pairs += merged
    return TwinMerges(clusters=clusters, twin_pairs=pairs)


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of an ascending sequence."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(q / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def latency_summary(seconds: Iterable[float]) -> dict[str, float]:
    values = sorted(seconds)
    return {
        "count": len(values),
        "p50_ms": percentile(values, 50) * 1000,
        "p99_ms": percentile(values, 99) * 1000,
        "max_ms": (values[-1] * 1000) if values else math.nan,
    }


def cluster_ids_from_pairs(ids: Iterable[str], pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Connected components (union-find) of ``pairs`` over ``ids``; cluster id = smallest id."""
    parent: dict[str, str] = {i: i for i in ids}

    def find(x: str) -> str:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for a, b in pairs:
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        ra, rb = find(a), find(b)
        if ra != rb:
            if rb < ra:
                ra, rb = rb, ra
            parent[rb] = ra
    return {i: find(i) for i in parent}


def held_apart_same_person(
    held: Iterable[tuple[str, str, str]], person_ids: Mapping[str, str], truth: Mapping[str, str]
) -> dict[str, int]:
    """Strong pairs the engine's guards held apart that were in truth one person, and ended
    in different clusters, counted by the guard's reason: what the guards cost in recall."""
    counts: Counter = Counter()
    for a, b, reason in held:
        if a != b and truth[a] == truth[b] and person_ids[a] != person_ids[b]:
            counts[reason] += 1
    return dict(counts.most_common())
