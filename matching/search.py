"""Person search with the matcher's own judgement: the blocking keys a query may share with
a record (names under their nicknames and other transliterations, by sound so typos still
meet), and a ranking by the model's weights for the fields the query gives, each with why.

A query is a partial record: a searcher types what they know. Fields the query leaves out
weigh nothing (their comparison level is `null`), so a record is ranked by how well it agrees
on what was asked, the same way the pipeline weighs evidence when it links."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from matching.blocking import RULES, keys_of
from matching.comparisons import compare
from matching.model import Model
from matching.names import variants
from matching.record import Record, _sound

# The comparisons a searcher's query can speak to.
QUERY_FIELDS = ("given_name", "family_name", "date_of_birth", "address")


@dataclass(frozen=True)
class Hit:
    record_id: str
    weight: float
    reasons: tuple[tuple[str, str], ...]  # (field, level), e.g. ("given_name", "exact")


def query_keys(query: Record) -> list[str]:
    """Blocking keys under which a record matching the query may be filed: the query's own,
    and the name-sound keys of each form of the given name (Bob finds Robert, Mohammed finds
    Muhammad)."""
    keys = set(keys_of(query))
    if query.given and query.family_sound:
        for form in variants(query.given):
            sound = _sound(form)
            if sound:
                keys.add(f"{_NAMES_RULE}={'|'.join(sorted((sound, query.family_sound)))}")
    return sorted(keys)


_NAMES_RULE = next(rule.name for rule in RULES if rule.name == "name_sounds_either_order")


def rank(model: Model, query: Record, candidates: Sequence[Record]) -> list[Hit]:
    """Candidates that agree with the query more than they disagree (total weight > 0) and
    contradict none of its fields outright (no field at its last level, `else`: a searcher who
    typed a date of birth does not want someone born years apart), best first, ties by record
    id; each with the level of every field the query gave."""
    hits = []
    for candidate in candidates:
        levels = compare(query, candidate)
        # The level weights without name-frequency adjustment: a searcher ranks by how well a
        # record agrees with what they typed, so an exact "Brown" must not fall below "Bown".
        weights = [float(w[level]) for w, level in zip(model.weights, levels, strict=True)]
        reasons = tuple(
            (comparison.name, comparison.label(level))
            for comparison, level in zip(model.comparisons, levels, strict=True)
            if comparison.name in QUERY_FIELDS and level != 0
        )
        total = sum(weights)
        contradicts = any(
            level == len(comparison.levels) - 1
            for comparison, level in zip(model.comparisons, levels, strict=True)
            if comparison.name in QUERY_FIELDS
        )
        if reasons and total > 0 and not contradicts:
            hits.append(Hit(candidate.record_id, round(total, 3), reasons))
    return sorted(hits, key=lambda hit: (-hit.weight, hit.record_id))
