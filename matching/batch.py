"""Link a whole back catalogue at once: prepare, block, train, score, cluster."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from matching.blocking import BlockingReport, candidate_pairs
from matching.cluster import cluster
from matching.households import household_labels
from matching.model import Model, levels_for, train
from matching.record import Record, prepare


@dataclass
class LinkResult:
    person_ids: dict[str, str]
    household_ids: dict[str, str]
    match_probability: dict[str, float]
    model: Model
    blocking: BlockingReport
    review_pairs: list[tuple[str, str, float]] = field(default_factory=list)
    held_apart: list[tuple[str, str, str]] = field(default_factory=list)


def tf_adjustments(
    model: Model, records: Sequence[Record], pairs: np.ndarray, levels: np.ndarray
) -> np.ndarray:
    """Per pair: the change in weight when an exact name match is weighted by its frequency."""
    adjust = np.zeros(len(pairs))
    for index, comparison in enumerate(model.comparisons):
        if not comparison.tf_field or comparison.tf_field not in model.tf:
            continue
        table = model.tf[comparison.tf_field]
        m_exact = max(model.m[index][comparison.exact_level], 1e-9)
        base = model.weights[index][comparison.exact_level]
        frequency = np.array(
            [max(table.get(getattr(r, comparison.tf_field), 0.0), model.tf_floor) for r in records]
        )
        exact = levels[:, index] == comparison.exact_level
        rows = np.flatnonzero(exact)
        adjust[rows] += np.log2(m_exact / frequency[pairs[rows, 0]]) - base
    return adjust


def link_records(
    rows: Sequence[Mapping[str, object]],
    model: Model | None = None,
    progress: Callable[[str, float], None] | None = None,
) -> LinkResult:
    """Cluster rows (the batch input columns) into persons. Trains a model on the rows
    themselves unless one is given."""
    say = progress or (lambda _step, _done: None)
    records = [prepare(row) for row in rows]
    say("blocking", 0.0)
    pairs, report = candidate_pairs(records)
    step = f"comparing {len(pairs)} candidate pairs"
    levels = levels_for(records, pairs, lambda done: say(step, done))
    if model is None:
        say("training", 0.0)
        model = train(records, pairs, levels)
    say("scoring", 0.0)
    probabilities = model.score_levels(levels, tf_adjustments(model, records, pairs, levels))
    say("clustering", 0.0)
    labels, held = cluster(records, pairs, probabilities, model.link_threshold, model.is_real_name)
    label_of = np.asarray(labels)
    together = label_of[pairs[:, 0]] == label_of[pairs[:, 1]] if len(pairs) else np.empty(0, bool)
    best = np.zeros(len(records))
    linked = (probabilities >= model.link_threshold) & together
    for side in (0, 1):
        np.maximum.at(best, pairs[linked, side], probabilities[linked])
    ids = [r.record_id for r in records]
    uncertain = np.flatnonzero((probabilities >= model.review_threshold) & ~together)
    review = [
        (ids[pairs[row, 0]], ids[pairs[row, 1]], float(probabilities[row])) for row in uncertain
    ]
    numbers = {label: n + 1 for n, label in enumerate(dict.fromkeys(labels))}
    persons = [numbers[label] for label in labels]
    households = household_labels(records, persons)
    return LinkResult(
        person_ids={ids[i]: f"P{persons[i]:07d}" for i in range(len(records))},
        household_ids={ids[i]: f"H{households[i]:07d}" for i in range(len(records))},
        match_probability={ids[i]: float(best[i]) for i in range(len(records))},
        model=model,
        blocking=report,
        review_pairs=review,
        held_apart=[(ids[i], ids[j], reason) for i, j, reason in held],
    )
