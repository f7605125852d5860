"""Incremental matching: one new record against the persons already known.

Every candidate person is judged by their best-matching record, and no person is linked if any
of their records conflicts with the new one (see guards). A record that would fit two persons
goes to review rather than merging them, and an uncertain match goes to review too.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

from matching.comparisons import compare
from matching.guards import first_conflict
from matching.model import Model, probability
from matching.record import Record

LINK, REVIEW, NEW = "link", "review", "new"


@dataclass(frozen=True)
class PersonScore:
    person_id: Hashable
    probability: float
    best_record_id: str
    conflict: str | None


@dataclass(frozen=True)
class Decision:
    action: str  # link | review | new
    person_id: Hashable | None
    probability: float
    reason: str
    explanation: dict = field(default_factory=dict)
    candidates: tuple[PersonScore, ...] = ()


def prior_weight_for(model: Model, population: int) -> float:
    """The chance that a new record matches one given existing record falls as the population
    grows; below the training size the trained prior is kept (never more eager to link)."""
    prior = model.prior
    if population > model.trained_on > 0:
        prior = model.prior * model.trained_on / population
    return math.log2(prior / (1 - prior))


def decide(
    model: Model,
    record: Record,
    candidates: Sequence[tuple[Hashable, Record]],
    population: int,
    top: int = 5,
) -> Decision:
    """Link, review or new person for `record`, given candidate (person_id, record) pairs that
    should include every record of each candidate person (for the conflict check)."""
    prior_weight = prior_weight_for(model, population)
    best: dict[Hashable, tuple[float, Record]] = {}
    for person_id, other in candidates:
        levels = compare(record, other)
        p = probability(prior_weight + sum(model.field_weights(record, other, levels)))
        if person_id not in best or p > best[person_id][0]:
            best[person_id] = (p, other)
    # Conflicts matter only for persons who could be linked or reviewed: check every record of
    # those, and skip the (many) weak candidates.
    records_of: dict[Hashable, list[Record]] = {}
    for person_id, other in candidates:
        if best[person_id][0] >= model.review_threshold:
            records_of.setdefault(person_id, []).append(other)
    conflicts: dict[Hashable, str] = {}
    for person_id, others in records_of.items():
        reason = first_conflict([record], others, model.is_real_name)
        if reason:
            conflicts[person_id] = reason
    ranked = sorted(
        (
            PersonScore(pid, p, other.record_id, conflicts.get(pid))
            for pid, (p, other) in best.items()
        ),
        key=lambda s: -s.probability,
    )[:top]
    if not ranked or ranked[0].probability < model.review_threshold:
        return Decision(
            NEW,
            None,
            ranked[0].probability if ranked else 0.0,
            "no_match",
            candidates=tuple(ranked),
        )
    strong = [s for s in ranked if s.probability >= model.link_threshold]
    linkable = [s for s in strong if s.conflict is None]
    top_score = ranked[0]
    explanation = model.explain(record, best[top_score.person_id][1], prior_weight)
    if len(strong) == 1 and linkable:
        return Decision(
            LINK, top_score.person_id, top_score.probability, "match", explanation, tuple(ranked)
        )
    if len(strong) > 1:
        reason = "would_bridge_persons"
    elif top_score.conflict:
        reason = top_score.conflict
    else:
        reason = "uncertain"
    return Decision(
        REVIEW, top_score.person_id, top_score.probability, reason, explanation, tuple(ranked)
    )
