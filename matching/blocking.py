"""Blocking: keys that put likely matches together, so no one compares all pairs.

Each rule turns a record into at most one key; two records are candidates if they share a key
under any rule. Very large blocks (a common name in a big area) are skipped and counted: the
other rules still reach those records.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from matching.record import Record

MAX_BLOCK = 400


def _dob_given(r: Record) -> str | None:
    return f"{r.dob.digits}|{r.given[0]}" if r.dob.is_full and r.given else None


def _dob_family(r: Record) -> str | None:
    return f"{r.dob.digits}|{r.family_sound[:2]}" if r.dob.is_full and r.family_sound else None


def _family_year(r: Record) -> str | None:
    if not (r.family_sound and r.dob.year and r.given):
        return None
    return f"{r.family_sound}|{r.dob.year}|{r.given[0]}"


def _names(r: Record) -> str | None:
    if not (r.given_sound and r.family_sound):
        return None
    return "|".join(sorted((r.given_sound, r.family_sound)))


def _postcode_given(r: Record) -> str | None:
    return f"{r.postcode.full}|{r.given[0]}" if r.postcode.full and r.given else None


def _postcode_family(r: Record) -> str | None:
    return f"{r.postcode.full}|{r.family_sound}" if r.postcode.full and r.family_sound else None


def _dob_postcode(r: Record) -> str | None:
    return f"{r.dob.digits}|{r.postcode.full}" if r.dob.is_full and r.postcode.full else None


@dataclass(frozen=True)
class BlockingRule:
    name: str
    key: Callable[[Record], str | None]


RULES: tuple[BlockingRule, ...] = (
    BlockingRule("nhs_number", lambda r: r.nhs),
    BlockingRule("upn", lambda r: r.upn),
    BlockingRule("other_id", lambda r: r.other_id),
    BlockingRule("dob_given_initial", _dob_given),
    BlockingRule("dob_family_sound", _dob_family),
    BlockingRule("family_sound_year_initial", _family_year),
    BlockingRule("name_sounds_either_order", _names),
    BlockingRule("postcode_given_initial", _postcode_given),
    BlockingRule("postcode_family_sound", _postcode_family),
    BlockingRule("dob_postcode", _dob_postcode),
)


def keys_of(record: Record, rules: Sequence[BlockingRule] = RULES) -> list[str]:
    """Namespaced keys, e.g. 'nhs_number=9434765919', for an index or a database table."""
    keys = []
    for rule in rules:
        value = rule.key(record)
        if value:
            keys.append(f"{rule.name}={value}")
    return keys


@cache
def _upper_triangle(size: int) -> tuple[np.ndarray, np.ndarray]:
    return np.triu_indices(size, k=1)


@dataclass
class BlockingReport:
    pairs_per_rule: dict[str, int]
    skipped_blocks: dict[str, int]
    total_pairs: int


def _blocks(records: Sequence[Record], rule: BlockingRule) -> dict[str, list[int]]:
    blocks: dict[str, list[int]] = defaultdict(list)
    for index, record in enumerate(records):
        value = rule.key(record)
        if value:
            blocks[value].append(index)
    return blocks


def candidate_pairs(
    records: Sequence[Record],
    rules: Sequence[BlockingRule] = RULES,
    max_block: int = MAX_BLOCK,
) -> tuple[np.ndarray, BlockingReport]:
    """Distinct candidate pairs (i < j) as an (n, 2) int array, and what each rule produced."""
    chunks: list[np.ndarray] = []
    per_rule: dict[str, int] = {}
    skipped: dict[str, int] = {}
    for rule in rules:
        produced = 0
        for members in _blocks(records, rule).values():
            size = len(members)
            if size < 2:
                continue
            if size > max_block:
                skipped[rule.name] = skipped.get(rule.name, 0) + 1
                continue
            ids = np.asarray(members, dtype=np.int64)
            left, right = _upper_triangle(size)
            chunks.append(ids[left] * len(records) + ids[right])
            produced += len(left)
        per_rule[rule.name] = produced
    if not chunks:
        return np.empty((0, 2), dtype=np.int64), BlockingReport(per_rule, skipped, 0)
    codes = np.unique(np.concatenate(chunks))  # members are in index order, so i < j
    pairs = np.stack([codes // len(records), codes % len(records)], axis=1)
    return pairs, BlockingReport(per_rule, skipped, len(pairs))


def count_pairs(records: Sequence[Record], rules: Sequence[BlockingRule] = RULES) -> BlockingReport:
    """How many candidate pairs these rules would produce, before running anything on them."""
    return candidate_pairs(records, rules)[1]


def blocking_recall(
    records: Sequence[Record], truth: Iterable[str], rules: Sequence[BlockingRule] = RULES
) -> float:
    """Share of true matching pairs (same truth label) that some rule makes candidates."""
    labels = list(truth)
    by_label: dict[str, list[int]] = defaultdict(list)
    for index, label in enumerate(labels):
        by_label[label].append(index)
    true_pairs = {
        (members[i], members[j])
        for members in by_label.values()
        for i in range(len(members))
        for j in range(i + 1, len(members))
    }
    if not true_pairs:
        return 1.0
    pairs, _ = candidate_pairs(records, rules)
    found = {(int(i), int(j)) for i, j in pairs}
    return len(true_pairs & found) / len(true_pairs)
