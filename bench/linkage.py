"""Record-linkage benchmark runner: our engine vs Splink (and a naive stand-in).

    python -m bench.linkage [--suite febrl|generated|scale|all] [--out results.json]
                            [--engines ours,naive_exact,splink] [--sizes 100000,1000000]
                            [--households 1000,20000] [--markdown table.md]

Every (dataset, engine) job runs in its own subprocess (``bench.worker``) so timings and peak
memory are that engine's alone. See BENCHMARKS.md for what each suite measures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from bench import datasets, engines

SUITES = ("febrl", "generated", "scale")
FEBRL_SPECS = (
    {"kind": "febrl4", "ssid": True},
    {"kind": "febrl4", "ssid": False},
    {"kind": "febrl3", "ssid": True},
    {"kind": "febrl3", "ssid": False},
)
DEFAULT_HOUSEHOLDS = (1_000, 20_000)
DEFAULT_SIZES = (100_000, 1_000_000)
ONLINE_PROBES = 1_000
PACKAGES = ("splink", "duckdb", "recordlinkage", "pandas", "numpy", "pyarrow", "sqlglot", "rich")
BENCH_DIR = Path(__file__).resolve().parent

# Wide enough for the results table when output is piped to a file or CI log.
console = Console(width=None if sys.stdout.isatty() else 200)


# --- environment -------------------------------------------------------------------------


def machine(packages: tuple[str, ...] = PACKAGES) -> dict[str, Any]:
    info: dict[str, Any] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cores": os.cpu_count(),
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["ram_gib"] = round(int(line.split()[1]) / 1024**2, 1)
                break
    except OSError:
        pass
    versions = {}
    for name in packages:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    info["packages"] = versions
    return info


def git_state() -> dict[str, Any]:
    """Commit under test, and whether the engine's code differs from it (work in progress)."""

    def git(*cmd: str) -> str | None:
        try:
            proc = subprocess.run(
                ["git", *cmd], capture_output=True, text=True, cwd=BENCH_DIR.parent, timeout=30
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        return proc.stdout.strip() if proc.returncode == 0 else None

    status = git("status", "--porcelain", "--", "matching")
    return {"commit": git("rev-parse", "HEAD"), "matching_uncommitted": bool(status)}


def splink_installed() -> bool:
    try:
        metadata.version("splink")
    except metadata.PackageNotFoundError:
        return False
    return True


def available_engines(requested: list[str]) -> dict[str, str | None]:
    """engine -> None if it can run, else why not."""
    why = {
        engines.OURS: None if engines.ours_available() else "pending: matching.batch not found",
        engines.NAIVE: None,
        engines.SPLINK: None if splink_installed() else "skipped: splink not installed",
    }
    return {e: why[e] for e in requested}


# --- jobs --------------------------------------------------------------------------------


def run_job(job: dict[str, Any], timeout: float | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        out = Path(tmp) / "result.json"
        start = time.perf_counter()
        try:
            proc = subprocess.run(
                [sys.executable, "-m", "bench.worker", json.dumps(job), str(out)],
                capture_output=True,
                text=True,
                timeout=timeout,
                cwd=BENCH_DIR.parent,
            )
        except subprocess.TimeoutExpired:
            return {"status": f"error: timed out after {timeout:.0f} s"}
        if proc.returncode != 0 or not out.exists():
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-15:]
            return {"status": f"error: exit {proc.returncode}", "stderr_tail": tail}
        result = json.loads(out.read_text())
        result["status"] = "ok"
        result["process_seconds"] = time.perf_counter() - start
        return result


def batch_rows(
    suite: str,
    name: str,
    spec: dict[str, Any],
    engine_status: dict[str, str | None],
    timeout: float | None,
    edges: bool = True,
) -> list[dict[str, Any]]:
    rows = []
    for engine, unavailable in engine_status.items():
        base = {"suite": suite, "dataset": name, "engine": engine}
        if unavailable:
            rows.append({**base, "status": unavailable})
            continue
        console.print(f"[dim]{suite}: {name} with {engine}…[/dim]")
        job = {"task": "batch", "engine": engine, "dataset": spec, "edges": edges}
        result = run_job(job, timeout)
        rows.append({**base, **result, "dataset": name})
        if result["status"] != "ok":
            console.print(f"[red]{name} / {engine}: {result['status']}[/red]")
            for line in result.get("stderr_tail", []):
                console.print(Text("  " + line, style="red"))
    add_ratios(rows)
    return rows


def add_ratios(rows: list[dict[str, Any]]) -> None:
    """Ours (and the naive floor) relative to Splink on the same dataset."""
    splink = next((r for r in rows if r["engine"] == engines.SPLINK and r["status"] == "ok"), None)
    if splink is None:
        return
    for row in rows:
        if row["engine"] == engines.SPLINK or row["status"] != "ok":
            continue
        row["vs_splink"] = {
            "f1": _ratio(row["pairwise"]["f1"], splink["pairwise"]["f1"]),
            "precision": _ratio(row["pairwise"]["precision"], splink["pairwise"]["precision"]),
            "seconds": _ratio(row["seconds"], splink["seconds"]),
            "records_per_s": _ratio(row["records_per_s"], splink["records_per_s"]),
            "peak_mb": _ratio(row["peak_mb"], splink["peak_mb"]),
            "engine_mb": _ratio(row["engine_mb"], max(splink["engine_mb"], 1.0)),
        }


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


# --- suites ------------------------------------------------------------------------------


def febrl_suite(args, engine_status) -> dict[str, Any]:
    rows = []
    for spec in FEBRL_SPECS:
        name = spec["kind"] + ("" if spec["ssid"] else "-no-ssid")
        rows += batch_rows("febrl", name, dict(spec), engine_status, args.timeout)
    return {"rows": rows}


def _generator_missing() -> str | None:
    if datasets.generator_available():
        return None
    return "skipped: hub.synthetic.population (generate_population) is not available yet"


def ensure_population(cache: Path, seed: int, households: int, timeout: float | None) -> dict:
    path = cache / f"population-h{households}-s{seed}.csv"
    job = {"task": "generate", "csv": str(path), "seed": seed, "households": households}
    console.print(f"[dim]generating {households} households (seed {seed}) → {path}[/dim]")
    meta = run_job(job, timeout)
    if meta["status"] != "ok":
        raise RuntimeError(f"generator failed: {meta}")
    return {**meta, "csv": str(path)}


def generated_suite(args, engine_status) -> dict[str, Any]:
    missing = _generator_missing()
    if missing:
        console.print(f"[yellow]generated suite {missing}[/yellow]")
        return {"status": missing, "rows": []}
    rows, populations = [], []
    for households in args.households:
        pop = ensure_population(args.cache_dir, args.seed, households, args.timeout)
        populations.append(pop)
        spec = {"kind": "generated", "csv": pop["csv"], "name": f"generated-{households}h"}
        rows += batch_rows("generated", spec["name"], spec, engine_status, args.timeout)
    return {"populations": populations, "rows": rows}


def scale_suite(args, engine_status) -> dict[str, Any]:
    missing = _generator_missing()
    if missing:
        console.print(f"[yellow]scale suite {missing}[/yellow]")
        return {"status": missing, "rows": [], "online": []}
    biggest = max(args.sizes)
    households = datasets.households_for(
        args.seed, records=biggest + ONLINE_PROBES, persons=biggest + ONLINE_PROBES
    )
    pop = ensure_population(args.cache_dir, args.seed, households, args.timeout)
    rows = []
    for size in args.sizes:
        name = f"scale-{_short(size)}"
        spec = {"kind": "generated", "csv": pop["csv"], "limit": size, "name": name}
        rows += batch_rows("scale", name, spec, engine_status, args.timeout, edges=False)
    online = []
    for size in args.sizes:
        if engine_status.get(engines.OURS) is not None:
            online.append({"persons": size, "status": engine_status[engines.OURS]})
        elif not engines.person_index_available():
            online.append({"persons": size, "status": "not available: no matching.index"})
        else:
            console.print(f"[dim]online: index of {size} persons…[/dim]")
            job = {
                "task": "online",
                "csv": pop["csv"],
                "persons": size,
                "probes": ONLINE_PROBES,
                "seed": args.seed,
            }
            online.append({"persons": size, **run_job(job, args.timeout)})
    return {"population": pop, "rows": rows, "online": online}


def _short(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1_000 and n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


# --- output ------------------------------------------------------------------------------

COLUMNS = (
    "dataset",
    "engine",
    "precision",
    "recall",
    "F1",
    "false merges (clusters/records)",
    "twin merges",
    "seconds",
    "records/s",
    "peak MB (+engine)",
    "÷ Splink: F1 · rec/s · engine MB",
)


def _fmt(value: float | None, spec: str) -> str:
    return "–" if value is None else format(value, spec)


def row_cells(row: dict[str, Any]) -> list[str]:
    if row["status"] != "ok":
        return [row["dataset"], row["engine"], row["status"], *[""] * (len(COLUMNS) - 3)]
    p = row["pairwise"]
    fm = row["false_merges"]
    twins = row.get("twin_merges")
    ratio = row.get("vs_splink")
    ratio_text = ""
    if ratio:
        ratio_text = (
            f"{_fmt(ratio['f1'], '.4f')} · {_fmt(ratio['records_per_s'], '.2f')}× · "
            f"{_fmt(ratio['engine_mb'], '.2f')}×"
        )
    return [
        row["dataset"],
        row["engine"],
        f"{p['precision']:.4f}",
        f"{p['recall']:.4f}",
        f"{p['f1']:.4f}",
        f"{fm['clusters']}/{fm['records']}",
        "–" if twins is None else str(twins["clusters"]),
        f"{row['seconds']:.2f}",
        _fmt(row["records_per_s"], ",.0f"),
        f"{row['peak_mb']:,.0f} (+{row['engine_mb']:,.0f})",
        ratio_text,
    ]


def print_rows(title: str, rows: list[dict[str, Any]]) -> None:
    table = Table(title=title)
    for col in COLUMNS:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*row_cells(row))
        edges = row.get("pairwise_edges")
        if edges and row["status"] == "ok":
            table.add_row(
                "",
                "  splink edges ≥0.5",
                f"{edges['precision']:.4f}",
                f"{edges['recall']:.4f}",
                f"{edges['f1']:.4f}",
                *[""] * (len(COLUMNS) - 5),
            )
    console.print(table)


def print_online(online: list[dict[str, Any]]) -> None:
    table = Table(title="online: PersonIndex.match latency")
    for col in ("persons", "status", "probes", "p50 ms", "p99 ms", "build s", "index MB"):
        table.add_column(col)
    for item in online:
        if item.get("status") != "ok":
            table.add_row(f"{item['persons']:,}", item.get("status", "?"), *[""] * 5)
            continue
        lat = item["latency"]
        table.add_row(
            f"{item['persons']:,}",
            "ok",
            str(item["probes"]),
            f"{lat['p50_ms']:.3f}",
            f"{lat['p99_ms']:.3f}",
            f"{item['build_seconds']:.1f}",
            f"{item['index_mb']:,.0f}",
        )
    console.print(table)


def markdown_table(rows: list[dict[str, Any]]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in rows:
        lines.append("| " + " | ".join(row_cells(row)) + " |")
        edges = row.get("pairwise_edges")
        if edges and row["status"] == "ok":
            cells = [
                "",
                "splink edges ≥0.5",
                f"{edges['precision']:.4f}",
                f"{edges['recall']:.4f}",
                f"{edges['f1']:.4f}",
            ]
            lines.append("| " + " | ".join(cells + [""] * (len(COLUMNS) - 5)) + " |")
    return "\n".join(lines) + "\n"


# --- main --------------------------------------------------------------------------------


def _int_list(text: str) -> list[int]:
    return [int(x.replace("_", "")) for x in text.split(",") if x.strip()]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.linkage",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--suite", choices=[*SUITES, "all"], default="febrl")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "results" / "linkage.json")
    parser.add_argument("--markdown", type=Path, help="also write the result tables as Markdown")
    parser.add_argument(
        "--engines",
        default=",".join(engines.ENGINES),
        help=f"comma-separated subset of {','.join(engines.ENGINES)}",
    )
    parser.add_argument(
        "--sizes",
        type=_int_list,
        default=list(DEFAULT_SIZES),
        help="scale suite: records per batch run and persons per online index",
    )
    parser.add_argument(
        "--households",
        type=_int_list,
        default=list(DEFAULT_HOUSEHOLDS),
        help="generated suite: population sizes in households",
    )
    parser.add_argument("--seed", type=int, default=20240917)
    parser.add_argument("--cache-dir", type=Path, default=BENCH_DIR / ".cache")
    parser.add_argument("--timeout", type=float, default=4 * 3600, help="per job, seconds")
    args = parser.parse_args(argv)
    args.engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = set(args.engines) - set(engines.ENGINES)
    if unknown:
        parser.error(f"unknown engine(s): {', '.join(sorted(unknown))}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    engine_status = available_engines(args.engines)
    for engine, why in engine_status.items():
        if why:
            console.print(f"[yellow]{engine}: {why}[/yellow]")
    suites = SUITES if args.suite == "all" else (args.suite,)
    runners = {"febrl": febrl_suite, "generated": generated_suite, "scale": scale_suite}
    results: dict[str, Any] = {
        "command": "python -m bench.linkage " + " ".join(sys.argv[1:] if argv is None else argv),
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": machine(),
        "git": git_state(),
        "engines": engine_status,
        "suites": {},
    }
    markdown = []
    for suite in suites:
        outcome = runners[suite](args, engine_status)
        results["suites"][suite] = outcome
        if outcome["rows"]:
            print_rows(f"linkage: {suite}", outcome["rows"])
            markdown.append(f"### {suite}\n\n" + markdown_table(outcome["rows"]))
        if outcome.get("online"):
            print_online(outcome["online"])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, default=str) + "\n")
    console.print(f"results written to {args.out}")
    if args.markdown:
        args.markdown.write_text("\n".join(markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
