"""Batch clustering: strongest links first, never joining clusters that hold a conflict.

Plain connected components would chain A~B and B~C into one person even when A and C are
twins; here each union is checked against every pair across the two clusters first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from matching.guards import conflict, first_conflict
from matching.record import Record

# log2 odds: a record whose best link to another person is within this of its best link to its
# own person could be either of them.
AMBIGUITY_MARGIN = 4.0


class Clusters:
    """Union-find over record indexes, with the members of each root kept for conflict checks."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))
        self.members: dict[int, list[int]] = {i: [i] for i in range(size)}

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def union(self, a: int, b: int) -> None:
        if len(self.members[a]) < len(self.members[b]):
            a, b = b, a
        self.parent[b] = a
        self.members[a].extend(self.members.pop(b))


def cluster(
    records: Sequence[Record],
    pairs: np.ndarray,
    probabilities: np.ndarray,
    threshold: float,
    is_real_name: Callable[[str], bool] | None = None,
) -> tuple[list[int], list[tuple[int, int, str]]]:
    """Cluster label per record, and the strong pairs held apart with the reason."""
    clusters = Clusters(len(records))
    held_apart: list[tuple[int, int, str]] = []
    strong = np.flatnonzero(probabilities >= threshold)
    order = strong[np.argsort(-probabilities[strong], kind="stable")]
    for row in order:
        i, j = int(pairs[row, 0]), int(pairs[row, 1])
        root_i, root_j = clusters.find(i), clusters.find(j)
        if root_i == root_j:
            continue
        reason = conflict(records[i], records[j], is_real_name) or first_conflict(
            [records[k] for k in clusters.members[root_i]],
            [records[k] for k in clusters.members[root_j]],
            is_real_name,
        )
        if reason:
            held_apart.append((i, j, reason))
            continue
        clusters.union(root_i, root_j)
    labels = [clusters.find(i) for i in range(len(records))]
    for record in _ambiguous_records(labels, pairs[strong], probabilities[strong]):
        labels[record] = len(records) + record  # a person of its own, pending review
        held_apart.append((record, record, "would_bridge_persons"))
    return labels, held_apart


def _ambiguous_records(
    labels: list[int], strong_pairs: np.ndarray, probabilities: np.ndarray
) -> list[int]:
    """Records that fit another person about as well as the one they joined (a dateless
    record beside two brothers of one name, a nameless one beside twins): they are taken out
    to wait for review rather than guessed into either."""
    weights = np.log2(probabilities / np.maximum(1 - probabilities, 1e-300))
    own: dict[int, float] = {}
    other: dict[int, float] = {}
    for (i, j), weight in zip(strong_pairs.tolist(), weights.tolist(), strict=True):
        table = own if labels[i] == labels[j] else other
        for record in (i, j):
            table[record] = max(table.get(record, -1e9), weight)
    return [
        record
        for record, weight in other.items()
        if record in own and weight >= own[record] - AMBIGUITY_MARGIN
    ]
