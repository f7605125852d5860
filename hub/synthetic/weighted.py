"""Frequency-weighted tables: names and cumulative weights, drawn from with a seeded rng."""

from __future__ import annotations

import bisect
import itertools
import random

Weighted = tuple[tuple[str, ...], tuple[float, ...]]


def weighted(table: str) -> Weighted:
    """'Olivia:40 Abdul_Rahman:3' -> names and cumulative weights ('_' stands for a space)."""
    names: list[str] = []
    weights: list[float] = []
    for token in table.split():
        name, _, weight = token.partition(":")
        names.append(name.replace("_", " "))
        weights.append(float(weight) if weight else 1.0)
    return tuple(names), tuple(itertools.accumulate(weights))


def draw(rng: random.Random, table: Weighted) -> str:
    """One name, with probability in proportion to its weight."""
    names, cumulative = table
    return names[bisect.bisect(cumulative, rng.random() * cumulative[-1])]
