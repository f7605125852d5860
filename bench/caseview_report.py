"""Markdown for BENCHMARKS.md from the JSON of `python -m bench.caseview run` (and generate)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

TARGET_P99 = {"timeline": 50.0, "search": 100.0}


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def _ratio(a: float | None, b: float | None) -> str:
    return "–" if not a or not b else f"{a / b:.2f}×"


def machine_line(m: dict[str, Any]) -> str:
    pg = m.get("postgresql_settings", {})
    return (
        f"nproc {m.get('nproc')} ({m.get('cpu', '?')}), {m.get('ram_gib')} GiB RAM,"
        f" {m.get('platform', '')}, Python {m.get('python')}, PostgreSQL"
        f" {m.get('postgresql', '?')} (shared_buffers {pg.get('shared_buffers', '?')}"
        f" = 8kB pages, synchronous_commit {pg.get('synchronous_commit', '?')},"
        f" fsync {pg.get('fsync', '?')}), load average at start"
        f" {', '.join(f'{x:.1f}' for x in m.get('loadavg_at_start', []))}"
    )


def generate_table(gen: dict[str, Any]) -> str:
    rows = gen["rows"]
    lines = [
        f"Generation: `{gen.get('command', 'python -m bench.caseview generate')}`",
        "",
        "| table | rows |",
        "|---|---|",
        *(f"| {t} | {n:,} |" for t, n in rows.items()),
        "",
        "| phase | seconds |",
        "|---|---|",
        *(f"| {k} | {v:,.1f} |" for k, v in gen["seconds"].items()),
        f"| **total** | **{gen['total_seconds']:,.0f}** |",
        "",
        f"{sum(rows.values()):,} rows; generate+COPY phases {gen['copy_rows_per_s']:,} rows/s,"
        f" overall (with indexes, keys, VACUUM ANALYZE) {gen['overall_rows_per_s']:,} rows/s;"
        f" database {gen['database_bytes'] / 1024**3:.1f} GiB.",
    ]
    return "\n".join(lines)


def markdown(result: dict[str, Any], generate_json: Path | None = None) -> str:
    m = result["machine"]
    data = result.get("data", {})
    rows = data.get("rows_estimate", {})
    g = result.get("gunicorn", {})
    lines = [
        f"Command: `{result.get('command', 'python -m bench.caseview run')}`"
        f" ({result.get('started')}, code {(m.get('code') or {}).get('commit', '?')})",
        "",
        f"Machine: {machine_line(m)}. Load generator (locust / the raw threads) on the same"
        " machine.",
        "",
        f"Data: {rows.get('persons', 0):,} persons, {rows.get('source_records', 0):,} source"
        f" records, {rows.get('concerns', 0):,} concerns, {rows.get('concern_revisions', 0):,}"
        f" revisions (estimates); database {data.get('database_gib')} GiB. gunicorn"
        f" {g.get('workers')} workers × {g.get('threads')} threads ({g.get('worker_class')}).",
        "",
        "| scenario | path | clients | think | req/s | p50 ms | p95 ms | p99 ms | errors |"
        " p99 target |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    runs = result.get("runs", [])
    index = {(r["scenario"], r["path"], r["think"]): r for r in runs}
    keys = sorted(
        {(r["scenario"], r["think"]) for r in runs}, key=lambda k: (k[0] != "timeline", k[1])
    )
    for scenario, think in keys:
        target = TARGET_P99.get(scenario)
        for path in ("api", "raw"):
            r = index.get((scenario, path, think))
            if r is None:
                continue
            ok = ""
            if target is not None and r["p99"] is not None and path == "api":
                ok = f"≤ {target:.0f}: **{'met' if r['p99'] <= target else 'missed'}**"
            label = "API (gunicorn + locust)" if path == "api" else "raw psycopg"
            lines.append(
                f"| {scenario} | {label} | {r['clients']} | {think:g} s | {r['per_s']:,.1f} |"
                f" {_ms(r['p50'])} | {_ms(r['p95'])} | {_ms(r['p99'])} |"
                f" {r['errors']}/{r['requests']:,} | {ok} |"
            )
        api, raw = index.get((scenario, "api", think)), index.get((scenario, "raw", think))
        if api and raw:
            lines.append(
                f"| {scenario} | API ÷ raw | | | {_ratio(api['per_s'], raw['per_s'])} |"
                f" {_ratio(api['p50'], raw['p50'])} | {_ratio(api['p95'], raw['p95'])} |"
                f" {_ratio(api['p99'], raw['p99'])} | | |"
            )
    lines += [
        "",
        "CPU seconds over each measured run (2 cores × run length available) and the mean"
        " number of database backends in each state (pg_stat_activity every 50 ms):",
        "",
        "| run | gunicorn | postgres | load generator | other processes | machine busy |"
        " backends |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        u = r.get("usage") or {}
        cpu = u.get("cpu_s", {})
        states = ", ".join(f"{k} {v}" for k, v in list(u.get("backends", {}).items())[:4])
        lines.append(
            f"| {r['path']} {r['scenario']} think {r['think']:g} s | {cpu.get('gunicorn', '–')} |"
            f" {cpu.get('postgres', '–')} | {cpu.get('load_generator', '–')} |"
            f" {cpu.get('other_processes', '–')} | {u.get('machine_busy_pct', '–')}% |"
            f" {states} |"
        )
    in_process = result.get("in_process")
    if in_process:
        lines += [
            "",
            "Every probe once through the app in-process before the runs (Flask test client, one"
            " client, no HTTP, no gunicorn); statements per request by kind (auth = token lookup,"
            " audit = the inbox insert and, when the lock is free, the seal into the chain;"
            " person lookup = the person's forwarding id):",
            "",
            "| scenario | requests | p50 ms | p99 ms | statements (mean / max) | by kind (mean) |"
            " results (mean, empty) |",
            "|---|---|---|---|---|---|---|",
        ]
        for scenario, s in in_process.items():
            lat = s["in_process_1_client_ms"]
            kinds = ", ".join(f"{k} {v}" for k, v in s["by_kind_mean"].items())
            lines.append(
                f"| {scenario} | {s['requests']} | {_ms(lat['p50'])} | {_ms(lat['p99'])} |"
                f" {s['statements_mean']} / {s['statements_max']} | {kinds} |"
                f" {s['results_mean']}, {s['empty_results']} empty |"
            )
    explain = result.get("explain")
    if explain:
        lines += ["", f"EXPLAIN (ANALYZE, BUFFERS), warm: `{explain['file']}`", ""]
        for label, ms in explain["execution_ms"].items():
            lines.append(f"- {label}: " + " + ".join(f"{x:.1f}" for x in ms) + " ms")
    if generate_json and generate_json.exists():
        lines += ["", generate_table(json.loads(generate_json.read_text()))]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import sys

    result_path = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/results/caseview.json")
    gen_path = result_path.with_name("caseview-generate.json")
    print(markdown(json.loads(result_path.read_text()), gen_path))
