"""Case-view benchmark: a person's timeline and person search on PostgreSQL at scale, through
gunicorn under concurrent clients (locust), beside the same SQL sent straight from psycopg.

    python -m bench.caseview generate [--persons 1000000] [--concerns 10000000] [--heavy 200]
    python -m bench.caseview run [--clients 50] [--seconds 60] [--think 0,1]
                                 [--scenarios timeline,search] [--out bench/results/caseview.json]

Both start their own PostgreSQL the way the deploy script does (data dir /var/tmp/mash-bench-pg,
port 5434; `--pg-data-dir`, `--pg-port`), or use `--database-url`, so the test database on
5433 is never touched. `run` leaves the server as it found it (stops it only if it started it).

generate: the schema from the project's migrations, then persons, source records (1-3 per
person, 4-6 for the heavy persons), links, addresses, concerns (heavy-tailed; 200 "heavy"
persons with exactly 500 concerns from >= 4 agencies), one revision per concern, and the
records' blocking keys (which search reads), loaded with COPY before the bulk tables'
constraints and indexes are re-created; then VACUUM ANALYZE. `--blocking-keys-only` rebuilds
just the blocking keys. Writes bench/results/caseview-generate.json.

run: brings the schema to the newest migration, makes a mash_practitioner in E08000025 with an
API token (hub.accounts) and the probes (`bench/caseview_http.py` makes every request path):
  timeline  GET /api/v1/persons/<heavy person>/timeline?page=<1..10>&per_page=50
  search    GET /api/v1/persons?q=<family given> (20% with a typo, 25% with a date of birth)
Every probe goes once through the app in-process, which records the SQL it sends (statement
counts, a one-client latency) for the raw baseline to replay. Then gunicorn with
deploy/gunicorn.conf.py and, for each scenario and think time, a headless locust run of
`--clients` users for `--seconds` (after a `--warmup` run); then the raw baseline: the captured
SQL, less the token lookup and audit append, from `--clients` psycopg threads, same duration
and think time. Also EXPLAIN (ANALYZE, BUFFERS), CPU seconds by process group and what the
database backends were waiting on. Writes bench/results/caseview.json and
caseview-explain.txt and prints a Markdown table (`python -m bench.caseview_report` reprints it).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.linkage import machine as linkage_machine

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS = BENCH_DIR / "results"
POSTGRES_SH = ROOT / "deploy" / "postgres" / "postgres.sh"
DEFAULT_PG_DIR = "/var/tmp/mash-bench-pg"
DEFAULT_PG_PORT = 5434


def log(message: str) -> None:
    print(f"[caseview {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- PostgreSQL ------------------------------------------------------------------------------


class Postgres:
    """The bench's own server, started and stopped through deploy/postgres/postgres.sh."""

    def __init__(self, data_dir: str, port: int) -> None:
        self.env = {**os.environ, "MASH_PG_DATA_DIR": data_dir, "MASH_PG_PORT": str(port)}
        self.started = False

    def _sh(self, command: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["bash", str(POSTGRES_SH), command], env=self.env, capture_output=True, text=True
        )

    def start(self) -> str:
        was_running = self._sh("status").returncode == 0
        proc = self._sh("start")
        if proc.returncode != 0:
            raise SystemExit(f"postgres.sh start failed:\n{proc.stdout}\n{proc.stderr}")
        self.started = not was_running
        return proc.stdout.strip().splitlines()[-1]

    def stop(self) -> None:
        self._sh("stop")


def database_url(args: argparse.Namespace) -> tuple[str, Postgres | None]:
    if args.database_url:
        return args.database_url, None
    server = Postgres(args.pg_data_dir, args.pg_port)
    url = server.start()
    log(f"PostgreSQL at {url.rsplit('@', 1)[-1]} ({'started' if server.started else 'running'})")
    return url, server


# --- environment -----------------------------------------------------------------------------


def machine(psycopg_url: str | None = None) -> dict[str, Any]:
    info = linkage_machine(
        ("sqlalchemy", "psycopg", "flask", "gunicorn", "locust", "numpy", "marshmallow")
    )
    info["nproc"] = info.pop("cores")
    info["loadavg_at_start"] = os.getloadavg()
    if psycopg_url:
        import psycopg

        with psycopg.connect(psycopg_url) as conn:
            info["postgresql"] = conn.execute("SHOW server_version").fetchone()[0]
            info["postgresql_settings"] = dict(
                conn.execute(
                    "SELECT name, setting || coalesce(unit, '') FROM pg_settings WHERE name IN"
                    " ('shared_buffers', 'work_mem', 'effective_cache_size', 'max_connections',"
                    " 'synchronous_commit', 'fsync', 'jit', 'random_page_cost',"
                    " 'max_parallel_workers_per_gather')"
                ).fetchall()
            )
    info["code"] = code_version()
    return info


def code_version() -> dict[str, str | None]:
    """The checked-out commit, read from .git (no git command is run)."""
    git = ROOT / ".git"
    try:
        head = (git / "HEAD").read_text().strip()
        if head.startswith("ref: "):
            ref = head[5:]
            ref_file = git / ref
            if ref_file.exists():
                return {"ref": ref, "commit": ref_file.read_text().strip()}
            for line in (git / "packed-refs").read_text().splitlines():
                if line.endswith(" " + ref):
                    return {"ref": ref, "commit": line.split()[0]}
            return {"ref": ref, "commit": None}
        return {"ref": None, "commit": head}
    except OSError:
        return {"ref": None, "commit": None}


def write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, default=str) + "\n")
    log(f"wrote {path}")


# --- generate --------------------------------------------------------------------------------


def cmd_generate(args: argparse.Namespace) -> int:
    from bench.caseview_data import Plan, generate, psycopg_url

    url, _server = database_url(args)
    if args.blocking_keys_only:
        return blocking_keys_only(url, args)
    plan = Plan.sized(
        args.persons, args.concerns, args.heavy, seed=args.seed, revisions=not args.no_revisions
    )
    log(f"generating {plan}")
    result = generate(url, plan, log=lambda m: log(m))
    result["command"] = " ".join(["python -m bench.caseview", *sys.argv[1:]])
    result["started"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    result["machine"] = machine(psycopg_url(url))
    write_json(args.out, result)
    rows = sum(result["rows"].values())
    log(
        f"{rows:,} rows in {result['total_seconds']:.0f}s: COPY phase"
        f" {result['copy_rows_per_s']:,} rows/s, overall {result['overall_rows_per_s']:,} rows/s,"
        f" database {result['database_bytes'] / 1024**3:.1f} GiB"
    )
    return 0


def blocking_keys_only(url: str, args: argparse.Namespace) -> int:
    """(Re)build blocking_keys from the loaded records; fold the figures into the JSON of the
    generate run that loaded them, if it is there."""
    from bench.caseview_data import load_blocking_keys, psycopg_url

    keys = load_blocking_keys(psycopg_url(url), lambda m: log(m))
    result = json.loads(args.out.read_text()) if args.out.exists() else {}
    if result.get("rows"):
        result["rows"]["blocking_keys"] = keys["rows"]
        result["seconds"]["blocking_keys"] = keys["seconds"]
        result["index_seconds"].update(keys["index_seconds"])
        result["blocking_keys_copy_seconds"] = keys["copy_seconds"]
        result["blocking_keys_added_by"] = "python -m bench.caseview generate --blocking-keys-only"
        rows = sum(result["rows"].values())
        copy_s = keys["copy_seconds"] + sum(
            v for k, v in result["seconds"].items() if k.startswith(("copy", "generate"))
        )
        result["total_seconds"] = round(result["total_seconds"] + keys["seconds"], 1)
        result["copy_rows_per_s"] = round(rows / copy_s)
        result["overall_rows_per_s"] = round(rows / result["total_seconds"])
    else:
        result = {"blocking_keys": keys}
    write_json(args.out, result)
    log(f"blocking keys: {keys['rows']:,} rows in {keys['seconds']:.0f}s")
    return 0


# --- run -------------------------------------------------------------------------------------


def cmd_run(args: argparse.Namespace) -> int:
    from bench.caseview_run import run

    url, server = database_url(args)
    try:
        result = run(url, args, log)
        result["command"] = " ".join(["python -m bench.caseview", *sys.argv[1:]])
        write_json(args.out, result)
        from bench.caseview_report import markdown

        table = markdown(result, args.out.with_name("caseview-generate.json"))
        print(table)
        if args.markdown:
            args.markdown.write_text(table)
    finally:
        if server is not None and server.started and not args.keep_postgres:
            server.stop()
            log("PostgreSQL stopped (this run started it)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--database-url", help="SQLAlchemy URL; default: start the bench server")
        p.add_argument("--pg-data-dir", default=DEFAULT_PG_DIR)
        p.add_argument("--pg-port", type=int, default=DEFAULT_PG_PORT)

    gen = sub.add_parser("generate", help="create the schema and bulk-load synthetic data")
    common(gen)
    gen.add_argument("--persons", type=int, default=1_000_000)
    gen.add_argument("--concerns", type=int, default=10_000_000)
    gen.add_argument("--heavy", type=int, default=None, help="timeline probes (default 200)")
    gen.add_argument("--seed", type=int, default=7)
    gen.add_argument("--no-revisions", action="store_true", help="skip concern_revisions")
    gen.add_argument(
        "--blocking-keys-only",
        action="store_true",
        help="only (re)build blocking_keys from the records already loaded",
    )
    gen.add_argument("--out", type=Path, default=RESULTS / "caseview-generate.json")
    gen.set_defaults(func=cmd_generate)

    run = sub.add_parser("run", help="gunicorn + locust, and the raw psycopg baseline")
    common(run)
    run.add_argument("--clients", type=int, default=50)
    run.add_argument("--seconds", type=int, default=60)
    run.add_argument("--warmup", type=int, default=10, help="seconds before each measurement")
    run.add_argument(
        "--think", default="0,1", help="seconds each client waits between requests; a list"
    )
    run.add_argument("--scenarios", default="timeline,search")
    run.add_argument("--skip", default="", help="comma list of: api,raw,explain")
    run.add_argument("--per-page", type=int, default=50)
    run.add_argument("--timeline-probes", type=int, default=1000, help="(person, page) pairs")
    run.add_argument("--search-probes", type=int, default=100, help="distinct queries")
    run.add_argument("--port", type=int, default=8765, help="gunicorn's port (127.0.0.1)")
    run.add_argument("--seed", type=int, default=7)
    run.add_argument("--keep-postgres", action="store_true", help="leave the server running")
    run.add_argument("--out", type=Path, default=RESULTS / "caseview.json")
    run.add_argument("--markdown", type=Path, help="also write the Markdown table here")
    run.set_defaults(func=cmd_run)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
