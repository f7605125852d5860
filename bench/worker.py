"""One benchmark job in its own process, so each engine's peak memory is its own.

``python -m bench.worker JOB_JSON RESULT_PATH`` runs the job and writes a JSON result. Tasks:

- ``batch``: load a dataset, link it with one engine, score it.
- ``online``: build ``matching.index.PersonIndex`` over N persons, time ``match`` on probes.
- ``generate``: write a generated population CSV (so the parent process stays small).
"""

from __future__ import annotations

import gc
import json
import random
import resource
import sys
import time
from pathlib import Path
from typing import Any

from bench import datasets, engines, metrics


def rss_mb() -> float:
    """Current resident set size (Linux /proc), MB."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def _timed(fn, *args):
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn(*args)
    return out, time.perf_counter() - wall, time.process_time() - cpu


def batch(job: dict[str, Any]) -> dict[str, Any]:
    engine = job["engine"]
    spec = dict(job["dataset"])
    if spec["kind"] == "generated":
        spec["for_splink"] = engine == engines.SPLINK
    dataset = datasets.load(spec)
    n = len(dataset.truth)
    gc.collect()
    loaded_mb = rss_mb()
    result: dict[str, Any] = {"dataset": dataset.name, "engine": engine, "records": n}

    edges = None
    if engine == engines.SPLINK:
        from bench import splink_baseline

        want_edges = job.get("edges", True)
        out, wall, cpu = _timed(splink_baseline.run, dataset.splink, want_edges)
        person_ids, edges = out.person_ids, out.edges
        result["phases"] = out.seconds
        result["splink_model"] = out.recipe
    else:
        link = engines.batch_engine(engine)
        records = dataset.records
        out, wall, cpu = _timed(link, records)
        person_ids = {str(k): str(v) for k, v in out.person_ids.items()}
        if hasattr(out, "held_apart"):
            result["held_apart_same_person"] = metrics.held_apart_same_person(
                out.held_apart, person_ids, dataset.truth
            )
    result.update(
        seconds=wall,
        cpu_seconds=cpu,
        records_per_s=n / wall if wall else None,
        loaded_mb=loaded_mb,
        peak_mb=peak_mb(),
        engine_mb=max(peak_mb() - loaded_mb, 0.0),
        unassigned=sum(1 for r in dataset.truth if r not in person_ids),
        clusters=len(set(person_ids.values())),
        true_entities=len(set(dataset.truth.values())),
    )
    scope = "cross-source pairs" if dataset.sources is not None else "all pairs"
    result["scope"] = scope
    result["pairwise"] = metrics.pairwise_scores(
        person_ids, dataset.truth, dataset.sources
    ).as_dict()
    if dataset.sources is not None:
        result["pairwise_all_pairs"] = metrics.pairwise_scores(person_ids, dataset.truth).as_dict()
    if edges is not None:
        result["pairwise_edges"] = metrics.pairs_from_edges_scores(
            edges, dataset.truth, dataset.sources
        ).as_dict()
    result["false_merges"] = metrics.false_merges(person_ids, dataset.truth).as_dict()
    if dataset.twin_keys is not None:
        result["twin_merges"] = metrics.twin_false_merges(
            person_ids, dataset.truth, dataset.twin_keys
        ).as_dict()
    return result


def _plan_online(csv_path: str, persons: int, probes: int, seed: int) -> tuple[bytearray, list]:
    """Rows for the index (first record of each of the first N persons) and probe rows."""
    index_rows = bytearray()
    seen: set[str] = set()
    repeat_rows, other_rows = [], []
    for i, row in enumerate(datasets.iter_generated_csv(csv_path)):
        person = row["true_person_id"]
        if person not in seen and len(seen) < persons:
            seen.add(person)
            index_rows.append(1)
            continue
        index_rows.append(0)
        (repeat_rows if person in seen else other_rows).append(i)
    if len(seen) < persons:
        raise ValueError(f"population has {len(seen)} persons, fewer than {persons}")
    # Half the probes are further records of indexed persons, half are persons not indexed.
    rng = random.Random(seed)
    others = rng.sample(other_rows, min(probes // 2, len(other_rows)))
    repeats = rng.sample(repeat_rows, min(probes - len(others), len(repeat_rows)))
    return index_rows, sorted(others + repeats)


def online(job: dict[str, Any]) -> dict[str, Any]:
    persons, n_probes = job["persons"], job.get("probes", 1000)
    index_rows, probe_rows = _plan_online(job["csv"], persons, n_probes, job.get("seed", 0))
    training = [
        datasets.engine_record(r)
        for r in datasets.read_generated_csv(job["csv"], job.get("training_records", 20_000))
    ]
    start = time.perf_counter()
    index = engines.OnlineIndex(training)
    setup_s = time.perf_counter() - start
    del training
    wanted = set(probe_rows)
    gc.collect()
    before_mb = rss_mb()
    probes = []
    build_s = 0.0  # time inside add() only, not CSV parsing
    for i, row in enumerate(datasets.iter_generated_csv(job["csv"])):
        if i < len(index_rows) and index_rows[i]:
            record = datasets.engine_record(row)
            start = time.perf_counter()
            index.add(record)
            build_s += time.perf_counter() - start
        elif i in wanted:
            probes.append(datasets.engine_record(row))
    gc.collect()
    index_mb = rss_mb() - before_mb
    latencies = []
    for rec in probes:
        t = time.perf_counter()
        index.match(rec)
        latencies.append(time.perf_counter() - t)
    return {
        "engine": engines.OURS,
        "persons": persons,
        "probes": len(probes),
        "model": index.model_source,
        "bulk_load": index.bulk,
        "setup_seconds": setup_s,
        "build_seconds": build_s,
        "adds_per_s": persons / build_s if build_s else None,
        "index_mb": index_mb,
        "peak_mb": peak_mb(),
        "latency": metrics.latency_summary(latencies),
    }


def generate(job: dict[str, Any]) -> dict[str, Any]:
    path = Path(job["csv"])
    return datasets.write_generated_csv(path, job["seed"], job["households"])


TASKS = {"batch": batch, "online": online, "generate": generate}


def main(argv: list[str]) -> int:
    job = json.loads(argv[0])
    result = TASKS[job["task"]](job)
    Path(argv[1]).write_text(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
