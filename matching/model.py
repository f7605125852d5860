"""The Fellegi-Sunter model: m and u probabilities per comparison level, learnt from the data.

u (how often non-matches agree at a level) comes from random pairs, which are almost all
non-matches. m (how often matches do) comes from expectation-maximisation over candidate
pairs, in sessions that each hold one kind of agreement fixed, as Splink does, so that a
field is never used to train itself. Exact name agreement is weighted by how common the name
is (term-frequency adjustment): Muhammad Khan matching counts for less than a rare name.
"""

from __future__ import annotations

import hashlib
import json
import math
import multiprocessing as mp
import os
import signal
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from matching.comparisons import COMPARISONS, Comparison, compare
from matching.names import known_given_names
from matching.record import Record

FORMAT = 1
DEFAULT_LINK_THRESHOLD = 0.95
DEFAULT_REVIEW_THRESHOLD = 0.50
_TINY = 1e-9

# Each EM session takes the candidate pairs that agree exactly on these comparisons, and learns
# m for every other comparison. None holds an address fixed: pairs at one address are mostly
# different members of one household, and EM would learn "same household" instead of "same
# person".
TRAINING_SESSIONS: tuple[tuple[str, ...], ...] = (
    ("date_of_birth",),
    ("given_name", "family_name"),
    ("nhs_number",),
    ("other_id",),
)


@dataclass
class Model:
    names: tuple[str, ...]
    m: list[np.ndarray]
    u: list[np.ndarray]
    prior: float
    tf: dict[str, dict[str, float]] = field(default_factory=dict)
    tf_floor: float = 1e-6
    link_threshold: float = DEFAULT_LINK_THRESHOLD
    review_threshold: float = DEFAULT_REVIEW_THRESHOLD
    trained_on: int = 0

    def __post_init__(self) -> None:
        self.weights = [
            np.log2(np.maximum(m, _TINY) / np.maximum(u, _TINY))
            for m, u in zip(self.m, self.u, strict=True)
        ]
        for w in self.weights:
            w[0] = 0.0
        self.prior_weight = math.log2(self.prior / (1 - self.prior))
        self.comparisons = [c for c in COMPARISONS if c.name in self.names]

    @cached_property
    def version(self) -> str:
        """A digest of everything the model says (computed once: a model is not changed after
        it is made, and the digest of its frequency tables is costly)."""
        digest = hashlib.sha256(json.dumps(self.to_dict(), sort_keys=True).encode()).hexdigest()
        return f"fs-{digest[:12]}"

    def is_real_name(self, given: str | None) -> bool:
        """A given name in use: seen in at least five training records, or a known name. A typo
        is rarely repeated that often."""
        if not given:
            return False
        seen = self.tf.get("given", {}).get(given, 0.0) * self.trained_on
        return seen >= 5 - 1e-9 or given in known_given_names()

    # scoring -----------------------------------------------------------------------------
    def _tf_weight(self, comparison: Comparison, index: int, a: Record) -> float | None:
        table = self.tf.get(comparison.tf_field or "")
        if table is None:
            return None
        value = getattr(a, comparison.tf_field)  # type: ignore[arg-type]
        frequency = max(table.get(value, self.tf_floor), self.tf_floor)
        return math.log2(max(self.m[index][comparison.exact_level], _TINY) / frequency)

    def field_weights(self, a: Record, b: Record, levels: Sequence[int]) -> list[float]:
        out = []
        for index, (comparison, level) in enumerate(zip(self.comparisons, levels, strict=True)):
            weight = float(self.weights[index][level])
            if level == comparison.exact_level and comparison.tf_field:
                adjusted = self._tf_weight(comparison, index, a)
                if adjusted is not None:
                    weight = adjusted
            out.append(weight)
        return out

    def score(self, a: Record, b: Record) -> tuple[float, tuple[int, ...], list[float]]:
        """Match probability of the pair, its comparison levels, and each field's weight."""
        levels = compare(a, b)
        weights = self.field_weights(a, b, levels)
        return probability(self.prior_weight + sum(weights)), levels, weights

    def explain(self, a: Record, b: Record, prior_weight: float | None = None) -> dict:
        """Every field's level and weight (log2 Bayes factor), the prior, total and probability."""
        _, levels, weights = self.score(a, b)
        prior = self.prior_weight if prior_weight is None else prior_weight
        return {
            "model_version": self.version,
            "prior_weight": round(prior, 3),
            "fields": [
                {"field": c.name, "level": c.label(level), "weight": round(weight, 3)}
                for c, level, weight in zip(self.comparisons, levels, weights, strict=True)
            ],
            "total_weight": round(prior + sum(weights), 3),
            "match_probability": round(probability(prior + sum(weights)), 6),
        }

    def score_levels(self, levels: np.ndarray, tf_adjust: np.ndarray | None = None) -> np.ndarray:
        """Vectorised: probabilities for an (n, comparisons) array of levels."""
        total = np.full(len(levels), self.prior_weight)
        for index in range(len(self.comparisons)):
            total += self.weights[index][levels[:, index]]
        if tf_adjust is not None:
            total += tf_adjust
        return 1.0 / (1.0 + np.exp2(-np.clip(total, -60, 60)))

    # persistence -------------------------------------------------------------------------
    def to_dict(self) -> dict:
        return {
            "format": FORMAT,
            "comparisons": [
                {
                    "name": c.name,
                    "levels": list(c.levels),
                    "m": list(map(float, m)),
                    "u": list(map(float, u)),
                }
                for c, m, u in zip(self.comparisons, self.m, self.u, strict=True)
            ],
            "prior": self.prior,
            "tf": self.tf,
            "tf_floor": self.tf_floor,
            "link_threshold": self.link_threshold,
            "review_threshold": self.review_threshold,
            "trained_on": self.trained_on,
        }

    def save(self, path: str | Path) -> str:
        data = self.to_dict()
        data["version"] = self.version
        Path(path).write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
        return data["version"]

    @classmethod
    def load(cls, path: str | Path) -> Model:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(f"unsupported model format {data.get('format')}")
        known = {c.name: c for c in COMPARISONS}
        for entry in data["comparisons"]:
            if entry["name"] not in known or tuple(entry["levels"]) != known[entry["name"]].levels:
                raise ValueError(f"model comparison {entry['name']} does not match this code")
        return cls(
            names=tuple(e["name"] for e in data["comparisons"]),
            m=[np.array(e["m"]) for e in data["comparisons"]],
            u=[np.array(e["u"]) for e in data["comparisons"]],
            prior=data["prior"],
            tf=data["tf"],
            tf_floor=data["tf_floor"],
            link_threshold=data["link_threshold"],
            review_threshold=data["review_threshold"],
            trained_on=data["trained_on"],
        )


def default_model_path() -> Path:
    """The model shipped with the engine, trained on the project's synthetic population."""
    return Path(__file__).with_name("default_model.json")


def probability(weight: float) -> float:
    return 1.0 / (1.0 + 2.0 ** (-max(min(weight, 60.0), -60.0)))


# training ----------------------------------------------------------------------------------
def term_frequencies(records: Sequence[Record]) -> dict[str, dict[str, float]]:
    tables = {}
    for comparison in COMPARISONS:
        if not comparison.tf_field:
            continue
        counts = Counter(getattr(r, comparison.tf_field) for r in records)
        counts.pop(None, None)
        total = sum(counts.values()) or 1
        tables[comparison.tf_field] = {value: n / total for value, n in counts.items()}
    return tables


PARALLEL_FROM = 100_000  # pairs; below this a second process costs more than it saves
_SHARED: Sequence[Record] = ()


def _levels_chunk(pairs: np.ndarray) -> np.ndarray:
    out = np.empty((len(pairs), len(COMPARISONS)), dtype=np.int8)
    for row, (i, j) in enumerate(pairs.tolist()):
        out[row] = compare(_SHARED[i], _SHARED[j])
    return out


def _default_signals() -> None:
    """A forked worker inherits its parent's handlers: a service that catches SIGTERM to stop
    gracefully would leave the pool's workers deaf to the pool's own terminate()."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def levels_for(
    records: Sequence[Record],
    pairs: np.ndarray,
    progress: Callable[[float], None] | None = None,
) -> np.ndarray:
    """Comparison levels of every pair, as an (n, comparisons) array. Large jobs use every
    core: forked workers see the records without copying them."""
    global _SHARED
    _SHARED = records
    chunks = np.array_split(pairs, max(1, len(pairs) // 50_000))
    workers = os.cpu_count() or 1
    results: list[np.ndarray] = []
    try:
        if len(pairs) >= PARALLEL_FROM and workers > 1 and "fork" in mp.get_all_start_methods():
            with mp.get_context("fork").Pool(workers, initializer=_default_signals) as pool:
                for done, chunk in enumerate(pool.imap(_levels_chunk, chunks), start=1):
                    results.append(chunk)
                    if progress:
                        progress(done / len(chunks))
        else:
            for done, chunk in enumerate(chunks, start=1):
                results.append(_levels_chunk(chunk))
                if progress:
                    progress(done / len(chunks))
    finally:
        _SHARED = ()
    if not results:
        return np.empty((0, len(COMPARISONS)), dtype=np.int8)
    return np.concatenate(results)


def _random_pairs(n: int, count: int, rng: np.random.Generator) -> np.ndarray:
    left = rng.integers(0, n, size=count)
    right = rng.integers(0, n, size=count)
    keep = left != right
    return np.stack([left[keep], right[keep]], axis=1)


def estimate_u(
    records: Sequence[Record], samples: int, rng: np.random.Generator
) -> list[np.ndarray]:
    levels = levels_for(records, _random_pairs(len(records), samples, rng))
    u = []
    for index, comparison in enumerate(COMPARISONS):
        counts = np.bincount(levels[:, index], minlength=len(comparison.levels)).astype(float)
        counts[0] = 0.0
        smoothed = counts + 0.5
        smoothed[0] = 0.0
        probabilities = smoothed / smoothed.sum()
        probabilities[0] = 1.0
        u.append(probabilities)
    return u


def _initial_m(comparison: Comparison) -> np.ndarray:
    """Start EM from "matches mostly agree exactly": 0.85 on exact, the rest halving."""
    rest = 0.5 ** np.arange(1, len(comparison.levels) - 1)
    return np.concatenate([[1.0, 0.85], 0.15 * rest / rest.sum()])


def _em_session(
    levels: np.ndarray,
    fixed: set[int],
    m: list[np.ndarray],
    u: list[np.ndarray],
    iterations: int = 30,
) -> tuple[dict[int, np.ndarray], float]:
    patterns, counts = np.unique(levels, axis=0, return_counts=True)
    active = [c for c in range(len(COMPARISONS)) if c not in fixed]
    m_new = {c: m[c].copy() for c in active}
    weights = 0.1
    for _ in range(iterations):
        log_bf = np.zeros(len(patterns))
        for c in active:
            log_bf += np.log2(np.maximum(m_new[c], _TINY) / np.maximum(u[c], _TINY))[patterns[:, c]]
        odds = (weights / (1 - weights)) * np.exp2(np.clip(log_bf, -60, 60))
        posterior = odds / (1 + odds)
        expected = counts * posterior
        weights = float(np.clip(expected.sum() / counts.sum(), 1e-6, 1 - 1e-6))
        for c in active:
            size = len(COMPARISONS[c].levels)
            totals = np.bincount(patterns[:, c], weights=expected, minlength=size)
            totals[0] = 0.0
            if totals.sum() <= 0:
                continue
            smoothed = totals + 1e-3
            smoothed[0] = 0.0
            m_c = smoothed / smoothed.sum()
            m_c[0] = 1.0
            m_new[c] = m_c
    return m_new, weights


def train(
    records: Sequence[Record],
    pairs: np.ndarray,
    pair_levels: np.ndarray | None = None,
    u_samples: int = 150_000,
    seed: int = 0,
) -> Model:
    """Learn a model from the records themselves (unsupervised), given candidate pairs."""
    rng = np.random.default_rng(seed)
    n = len(records)
    u = estimate_u(records, u_samples, rng)
    if pair_levels is None:
        pair_levels = levels_for(records, pairs)
    names = [c.name for c in COMPARISONS]
    m = [_initial_m(c) for c in COMPARISONS]
    learnt: dict[int, list[np.ndarray]] = {}
    session_matches: list[tuple[tuple[int, ...], float]] = []
    for session in TRAINING_SESSIONS:
        fixed = {names.index(name) for name in session}
        mask = np.all(pair_levels[:, sorted(fixed)] == 1, axis=1)
        if mask.sum() < 50:
            continue
        m_session, share = _em_session(pair_levels[mask], fixed, m, u)
        for c, m_c in m_session.items():
            learnt.setdefault(c, []).append(m_c)
        session_matches.append((tuple(sorted(fixed)), share * float(mask.sum())))
    for c, estimates in learnt.items():
        m[c] = np.mean(estimates, axis=0)
    prior = _estimate_prior(n, m, session_matches)
    return Model(
        names=tuple(names),
        m=m,
        u=u,
        prior=prior,
        tf=term_frequencies(records),
        tf_floor=1.0 / max(n, 1),
        trained_on=n,
    )


def _estimate_prior(
    n: int, m: list[np.ndarray], session_matches: list[tuple[tuple[int, ...], float]]
) -> float:
    """Matches found in a session are the share m(exact on the session's fields) of all
    matches; so each session estimates the total number of matching pairs."""
    all_pairs = max(n * (n - 1) / 2, 1.0)
    estimates = []
    for fixed, matches in session_matches:
        share = float(np.prod([m[c][1] for c in fixed]))
        if share > 0.05 and matches > 0:
            estimates.append(matches / share)
    total = float(np.exp(np.mean(np.log(estimates)))) if estimates else n / 2
    return float(np.clip(total / all_pairs, 1e-12, 0.5))
