"""The engines the runner knows: ours (``matching.batch``), a naive stand-in, and Splink.

``naive_exact_engine`` is *not* a matcher anyone should use: it links records whose given name,
family name and date of birth are all present and identical (case-insensitive). It exists to
test the benchmark's plumbing before ``matching.batch`` lands, and is reported as a crude floor.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Sequence
from dataclasses import dataclass

OURS = "ours"
NAIVE = "naive_exact"
SPLINK = "splink"
ENGINES = (OURS, NAIVE, SPLINK)


@dataclass
class LinkResult:
    person_ids: dict[str, str]


def naive_exact_engine(records: Sequence[dict[str, str]]) -> LinkResult:
    groups: dict[tuple[str, str, str], str] = {}
    person_ids: dict[str, str] = {}
    for rec in records:
        key = (
            rec.get("given_name", "").strip().casefold(),
            rec.get("family_name", "").strip().casefold(),
            rec.get("date_of_birth", "").strip(),
        )
        if all(key):
            person_ids[rec["record_id"]] = groups.setdefault(key, rec["record_id"])
        else:
            person_ids[rec["record_id"]] = rec["record_id"]
    return LinkResult(person_ids=person_ids)


def _module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def ours_available() -> bool:
    return _module_exists("matching.batch")


def our_engine() -> Callable[[list[dict[str, str]]], object]:
    """``matching.batch.link_records``; import errors inside an existing module propagate."""
    return importlib.import_module("matching.batch").link_records


def person_index_available() -> bool:
    if not _module_exists("matching.index"):
        return False
    return hasattr(importlib.import_module("matching.index"), "PersonIndex")


def batch_engine(name: str) -> Callable[[list[dict[str, str]]], object]:
    if name == OURS:
        return our_engine()
    if name == NAIVE:
        return naive_exact_engine
    raise ValueError(f"{name!r} is not a pure-Python batch engine")


class OnlineIndex:
    """Adapter over ``matching.index.PersonIndex`` for the online-latency measurement.

    Copes with the index's constructor needing a trained model (the hub's saved model if there
    is one, else one trained by ``link_records`` on ``training_rows``), with records needing
    ``matching.record.prepare`` first (timed as part of ``match``: a raw record arrives), and
    with ``add`` taking a known person id (bulk load, as the hub loads existing persons).
    """

    def __init__(self, training_rows: Sequence[dict[str, str]] = ()) -> None:
        import inspect

        index_cls = importlib.import_module("matching.index").PersonIndex
        self.model_source = None
        params = [
            p
            for p in list(inspect.signature(index_cls).parameters.values())
            if p.default is inspect.Parameter.empty
            and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
        if params and params[0].name == "model":
            self.index = index_cls(self._model(training_rows))
        else:
            self.index = index_cls()
        record_mod = (
            importlib.import_module("matching.record")
            if _module_exists("matching.record")
            else None
        )
        self.prepare = getattr(record_mod, "prepare", None) or (lambda row: row)
        add_params = inspect.signature(self.index.add).parameters
        self.bulk = "person_id" in add_params
        self._next = 0

    def _model(self, training_rows: Sequence[dict[str, str]]):
        model_mod = importlib.import_module("matching.model")
        default_path = getattr(model_mod, "default_model_path", None)
        if default_path is not None and default_path().exists():
            self.model_source = f"saved model {default_path()}"
            return model_mod.Model.load(default_path())
        self.model_source = f"trained by link_records on {len(training_rows)} records"
        return our_engine()(list(training_rows)).model

    def add(self, row: dict[str, str]) -> None:
        record = self.prepare(row)
        if self.bulk:
            self._next += 1
            self.index.add(record, person_id=self._next)
        else:
            self.index.add(record)

    def match(self, row: dict[str, str]) -> object:
        return self.index.match(self.prepare(row))
