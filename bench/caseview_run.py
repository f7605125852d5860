"""`python -m bench.caseview run`: the API under locust and the same SQL from psycopg threads.

The raw baseline does not re-implement the endpoints' SQL. Before any timing, every probe (a
timeline page, a search query) goes once through the app in-process (Flask test client, a
SQLAlchemy cursor hook records each statement and its parameters). The raw threads replay those
statements exactly, one transaction per request, minus the token lookup and the audit append
(the app's own bookkeeping, not the endpoint's reads). The in-process pass also gives the
statements per request and a one-client latency without HTTP.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import os
import random
import resource
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import psutil
import psycopg

from bench.caseview_data import BENCH_LA, BULK_TABLES, HEAVY_CONCERNS, psycopg_url
from bench.caseview_http import (
    SEARCH,
    TIMELINE,
    auth_headers,
    check,
    result_count,
    search_request,
    timeline_request,
)

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
BENCH_USER = "bench-caseview"
ROLE = "mash_practitioner"
SEARCH_PROBES = 2000
TYPO_SHARE = 0.2
DOB_SHARE = 0.25
Log = Callable[[str], None]
Statement = tuple[str, Any]


# --- probes, user ----------------------------------------------------------------------------


def heavy_persons(conn: psycopg.Connection) -> list[int]:
    """Persons with exactly HEAVY_CONCERNS concerns from at least four agencies."""
    candidates = [
        row[0]
        for row in conn.execute(
            "SELECT person_id FROM concerns GROUP BY person_id HAVING count(*) = %s",
            (HEAVY_CONCERNS,),
        )
    ]
    return [
        row[0]
        for row in conn.execute(
            "SELECT person_id FROM concerns WHERE person_id = ANY(%s) GROUP BY person_id"
            " HAVING count(DISTINCT agency_code) >= 4 ORDER BY person_id",
            (candidates,),
        )
    ]


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word + rng.choice("aeiou")
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("swap", "drop", "change"))
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    return word[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + word[i + 1 :]


def search_probes(conn: psycopg.Connection, seed: int) -> list[dict[str, Any]]:
    """Queries made from names in the bench user's area: family and given name, some with a
    typo in the family name, some with the date of birth (d/m/Y or ISO)."""
    # A fixed pseudo-random order (md5 of the id and the seed): the same names for the same
    # data, whatever the table's statistics or physical layout.
    rows = conn.execute(
        "SELECT given_name, family_name, date_of_birth FROM source_records"
        " WHERE local_authority = %s AND given_name IS NOT NULL AND family_name IS NOT NULL"
        " ORDER BY md5(id::text || ':' || %s::text) LIMIT %s",
        (BENCH_LA, seed, SEARCH_PROBES),
    ).fetchall()
    rng = random.Random(seed)
    probes = []
    for given, family, dob in rows:
        kinds = []
        if rng.random() < TYPO_SHARE:
            family = _typo(rng, family)
            kinds.append("typo")
        q = f"{family} {given}"
        if dob is not None and rng.random() < DOB_SHARE:
            q += " " + (dob.strftime("%d/%m/%Y") if rng.random() < 0.5 else dob.isoformat())
            kinds.append("dob")
        probes.append({"q": q, "kind": "+".join(kinds) or "name"})
    return probes


def bench_token(sqlalchemy_url: str) -> str:
    """A fresh API token of the bench's practitioner in BENCH_LA (created if missing)."""
    from sqlalchemy.orm import Session

    from hub import accounts
    from hub.db import make_engine
    from hub.errors import NotFound
    from hub.settings import Settings

    engine = make_engine(Settings.from_env({}, database_url=sqlalchemy_url))
    with Session(engine) as session, session.begin():
        try:
            accounts.get_user(session, BENCH_USER)
        except NotFound:
            password = secrets.token_urlsafe(18)
            accounts.create_user(session, BENCH_USER, password, ROLE, BENCH_LA)
        token = accounts.issue_token(session, BENCH_USER, label="caseview bench", days=1)
    engine.dispose()
    return token


# --- capture and replay ----------------------------------------------------------------------


class App:
    """The Flask app in-process, with every statement it sends recorded."""

    def __init__(self, sqlalchemy_url: str, token: str, data_dir: str) -> None:
        from sqlalchemy import event

        from api import create_app
        from hub.settings import Settings

        settings = Settings.from_env(
            {},
            database_url=sqlalchemy_url,
            secret_key=secrets.token_urlsafe(32),
            data_dir=Path(data_dir),
        )
        self.app = create_app(settings)
        self.client = self.app.test_client()
        self.headers = auth_headers(token)
        self.statements: list[Statement] = []
        engine = self.app.extensions["mash"].engine
        event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, _conn, _cursor, statement, parameters, _context, _many) -> None:
        self.statements.append((statement, parameters))

    def get(self, path: str) -> tuple[int, Any, list[Statement], float]:
        self.statements = []
        start = time.perf_counter()
        response = self.client.get(path, headers=self.headers)
        elapsed = time.perf_counter() - start
        return response.status_code, response.get_json(silent=True), self.statements, elapsed

    def close(self) -> None:
        self.app.extensions["mash"].close()


def _is_auth(sql: str) -> bool:
    return "api_tokens" in sql


def _is_audit(sql: str) -> bool:
    return "audit_events" in sql or "audit_inbox" in sql or "pg_advisory" in sql


def endpoint_statements(statements: list[Statement]) -> list[Statement]:
    """The endpoint's own reads: no token lookup, no audit append, no writes."""
    return [
        (sql, params)
        for sql, params in statements
        if sql.lstrip().upper().startswith("SELECT") and not _is_auth(sql) and not _is_audit(sql)
    ]


def _fresh(params: Any) -> Any:
    """The captured parameters, with any timestamp (a grant's expiry check) set to now."""
    now = dt.datetime.now(dt.UTC)

    def swap(value: Any) -> Any:
        return now if isinstance(value, dt.datetime) else value

    if isinstance(params, dict):
        return {key: swap(value) for key, value in params.items()}
    if isinstance(params, (list, tuple)):
        return type(params)(swap(value) for value in params)
    return params


def _kind(sql: str) -> str:
    if _is_auth(sql):
        return "auth"
    if _is_audit(sql):
        return "audit"
    if "persons.merged_into_id" in sql and "persons.id =" in sql:
        return "person lookup"
    return "read"


@dataclass
class Captured:
    """One probe's request through the app in-process: what it sent to the database."""

    path: str
    status: int
    results: int
    in_process_ms: float
    kinds: dict[str, int]
    statements: list[Statement]  # the endpoint's own reads, for the raw replay

    def replay(self) -> list[Statement]:
        return [(sql, _fresh(params)) for sql, params in self.statements]


def capture(app: App, name: str, paths: list[str], log: Log) -> list[Captured]:
    out = []
    started = time.perf_counter()
    for i, path in enumerate(paths):
        status, body, statements, elapsed = app.get(path)
        problem = check(name, status, body)
        if problem:
            raise RuntimeError(f"{name} {path}: {problem}: {str(body)[:300]}")
        out.append(
            Captured(
                path,
                status,
                result_count(name, body),
                round(elapsed * 1000, 1),
                dict(Counter(_kind(sql) for sql, _ in statements)),
                endpoint_statements(statements),
            )
        )
        if time.perf_counter() - started > 30 and i % 50 == 0:
            log(f"  captured {i + 1}/{len(paths)} {name} requests")
    return out


def capture_summary(captured: list[Captured]) -> dict[str, Any]:
    n = len(captured)
    kinds: Counter[str] = Counter()
    for c in captured:
        kinds.update(c.kinds)
    statements = [sum(c.kinds.values()) for c in captured]
    return {
        "requests": n,
        "statements_mean": round(sum(statements) / n, 1),
        "statements_max": max(statements),
        "by_kind_mean": {k: round(v / n, 2) for k, v in kinds.most_common()},
        "results_mean": round(sum(c.results for c in captured) / n, 1),
        "empty_results": sum(1 for c in captured if c.results == 0),
        "in_process_1_client_ms": _percentiles([c.in_process_ms for c in captured]),
    }


# --- measuring -------------------------------------------------------------------------------


def _percentiles(latencies_ms: list[float]) -> dict[str, float | None]:
    if not latencies_ms:
        return {"p50": None, "p95": None, "p99": None, "mean": None, "max": None}
    data = sorted(latencies_ms)

    def pct(p: float) -> float:
        return round(data[min(len(data) - 1, max(0, math.ceil(p / 100 * len(data)) - 1))], 1)

    return {
        "p50": pct(50),
        "p95": pct(95),
        "p99": pct(99),
        "mean": round(sum(data) / len(data), 1),
        "max": round(data[-1], 1),
    }


class Monitor:
    """CPU seconds by process group and the database backends' states, over one phase."""

    def __init__(self, url: str, pg_data_dir: str | None, gunicorn_pid: int | None) -> None:
        self.url, self.pg_data_dir, self.gunicorn_pid = url, pg_data_dir, gunicorn_pid
        self.samples: Counter[str] = Counter()
        self.sample_count = 0
        self._stop = threading.Event()

    def _tree(self, pid: int | None) -> dict[int, float]:
        if pid is None:
            return {}
        try:
            root = psutil.Process(pid)
            procs = [root, *root.children(recursive=True)]
        except psutil.Error:
            return {}
        out = {}
        for proc in procs:
            try:
                times = proc.cpu_times()
                out[proc.pid] = times.user + times.system
            except psutil.Error:
                continue
        return out

    def _postmaster(self) -> int | None:
        if not self.pg_data_dir:
            return None
        try:
            return int((Path(self.pg_data_dir) / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    @staticmethod
    def _busy() -> tuple[float, float]:
        fields = [float(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        idle = fields[3] + fields[4]
        tick = os.sysconf("SC_CLK_TCK")
        return (sum(fields) - idle) / tick, sum(fields) / tick

    def _sample(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self._stop.wait(0.05):
                rows = conn.execute(
                    "SELECT state, wait_event_type, wait_event FROM pg_stat_activity"
                    " WHERE datname = current_database() AND backend_type = 'client backend'"
                    " AND pid <> pg_backend_pid()"
                ).fetchall()
                self.sample_count += 1
                for state, wtype, wevent in rows:
                    if state == "active":
                        key = f"active: {wtype}:{wevent}" if wtype else "active: on CPU"
                    else:
                        key = state or "unknown"
                    self.samples[key] += 1

    def __enter__(self) -> Monitor:
        self.t0 = time.perf_counter()
        self.cpu0 = {
            "gunicorn": self._tree(self.gunicorn_pid),
            "postgres": self._tree(self._postmaster()),
        }
        self.busy0 = self._busy()
        self.self0 = resource.getrusage(resource.RUSAGE_SELF)
        self.children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def finish(self) -> dict[str, Any]:
        """Call before the phase's own connections close (their backends' CPU counts)."""
        wall = time.perf_counter() - self.t0
        cpu1 = {
            "gunicorn": self._tree(self.gunicorn_pid),
            "postgres": self._tree(self._postmaster()),
        }
        busy1 = self._busy()
        self._stop.set()
        self.thread.join()
        self_1 = resource.getrusage(resource.RUSAGE_SELF)
        children1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = {
            group: round(
                sum(cpu1[group][pid] - self.cpu0[group].get(pid, 0.0) for pid in cpu1[group]), 1
            )
            for group in cpu1
        }
        cpu["load_generator"] = round(
            children1.ru_utime
            + children1.ru_stime
            - self.children0.ru_utime
            - self.children0.ru_stime
            + self_1.ru_utime
            + self_1.ru_stime
            - self.self0.ru_utime
            - self.self0.ru_stime,
            1,
        )
        n = max(1, self.sample_count)
        busy_s = busy1[0] - self.busy0[0]
        cpu["other_processes"] = round(busy_s - sum(cpu.values()), 1)
        return {
            "wall_s": round(wall, 1),
            "loadavg_1m_at_end": os.getloadavg()[0],
            "cpu_s": cpu,
            "machine_busy_pct": round(
                100 * (busy1[0] - self.busy0[0]) / max(1e-9, busy1[1] - self.busy0[1]), 1
            ),
            "backends": {k: round(v / n, 2) for k, v in self.samples.most_common()},
        }

    def __exit__(self, *exc: object) -> None:
        self._stop.set()


def run_locust(
    scenario: str,
    think: float,
    clients: int,
    seconds: int,
    probes_path: Path,
    host: str,
    workdir: Path,
) -> dict[str, Any]:
    user = {TIMELINE: "TimelineUser", SEARCH: "SearchUser"}[scenario]
    prefix = workdir / f"locust-{scenario}-think{think:g}-{seconds}s"
    env = {
        **os.environ,
        "CASEVIEW_PROBES": str(probes_path),
        "CASEVIEW_THINK": str(think),
        "PYTHONPATH": str(ROOT),
    }
    cmd = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(BENCH_DIR / "caseview_locust.py"),
        "--headless",
        "-u",
        str(clients),
        "-r",
        str(clients),
        "-t",
        f"{seconds}s",
        "--host",
        host,
        "--stop-timeout",  # requests in flight at the end finish and count
        "120",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        user,
    ]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    stats_file = Path(f"{prefix}_stats.csv")
    if not stats_file.exists():
        raise RuntimeError(f"locust failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    with stats_file.open() as f:
        row = next((r for r in csv.DictReader(f) if r["Name"] == scenario), None)
    if row is None:  # nothing finished within the run
        row = {"Request Count": "0", "Failure Count": "0"}
    failures: list[dict[str, str]] = []
    failures_file = Path(f"{prefix}_failures.csv")
    if failures_file.exists():
        with failures_file.open() as f:
            failures = [
                {"error": r["Error"], "count": r["Occurrences"]} for r in csv.DictReader(f)
            ][:5]

    def num(key: str) -> float | None:
        value = row.get(key)
        return None if value in (None, "", "N/A") else round(float(value), 1)

    return {
        "requests": int(row["Request Count"]),
        "errors": int(row["Failure Count"]),
        "per_s": num("Requests/s"),
        "p50": num("50%"),
        "p95": num("95%"),
        "p99": num("99%"),
        "mean": num("Average Response Time"),
        "max": num("Max Response Time"),
        "failures": failures,
        "locust_csv": str(stats_file),
    }


def run_raw(
    url: str,
    build: Callable[[random.Random], list[Statement]],
    clients: int,
    seconds: int,
    warmup: int,
    think: float,
    monitor: Monitor,
) -> dict[str, Any]:
    """`clients` threads, each on its own connection, one transaction per request."""
    limit = warmup + seconds + 300
    start_barrier = threading.Barrier(clients + 1, timeout=limit)
    results: list[list[tuple[float, float]]] = [[] for _ in range(clients)]
    errors = [0] * clients
    stop_at: list[float] = [0.0]
    done = threading.Barrier(clients + 1, timeout=limit)

    def worker(i: int) -> None:
        rng = random.Random(i)
        with psycopg.connect(url) as conn:
            start_barrier.wait()
            while True:
                started = time.perf_counter()
                if started >= stop_at[0]:
                    break
                statements = build(rng)
                try:
                    with conn.cursor() as cur:
                        for sql, params in statements:
                            cur.execute(sql, params)
                            if cur.description is not None:
                                cur.fetchall()
                    conn.commit()
                except psycopg.Error:
                    conn.rollback()
                    errors[i] += 1
                    continue
                results[i].append((started, (time.perf_counter() - started) * 1000))
                if think > 0:
                    time.sleep(rng.uniform(think * 0.5, think * 1.5))
            done.wait()  # keep the connection (and its backend's CPU count) until measured

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    t0 = time.perf_counter()
    stop_at[0] = t0 + warmup + seconds
    start_barrier.wait()
    time.sleep(warmup)
    measured_from = time.perf_counter()
    with monitor:
        done.wait()
        usage = monitor.finish()
    for thread in threads:
        thread.join()
    latencies = [ms for per in results for started, ms in per if started >= measured_from]
    wall = stop_at[0] - measured_from
    return {
        "requests": len(latencies),
        "errors": sum(errors),
        "per_s": round(len(latencies) / wall, 1),
        **_percentiles(latencies),
        "usage": usage,
    }


# --- gunicorn --------------------------------------------------------------------------------


class Gunicorn:
    def __init__(self, sqlalchemy_url: str, port: int, workdir: Path) -> None:
        self.port = port
        self.log_path = workdir / "gunicorn.log"
        self.env = {
            **os.environ,
            "MASH_DATABASE_URL": sqlalchemy_url,
            "MASH_SECRET_KEY": secrets.token_urlsafe(32),
            "MASH_DATA_DIR": str(workdir / "data"),
            "MASH_BIND": f"127.0.0.1:{port}",
            "PYTHONPATH": str(ROOT),
        }
        self.proc: subprocess.Popen | None = None

    @property
    def host(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        log_file = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
            cwd=ROOT,
            env=self.env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.host + "/readyz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"gunicorn not ready after 60s; see {self.log_path}")

    def config(self) -> dict[str, Any]:
        out = subprocess.run(
            [
                sys.executable,
                "-c",
                "import runpy, json; c = runpy.run_path('deploy/gunicorn.conf.py');"
                "print(json.dumps({k: c[k] for k in ('workers', 'threads', 'worker_class')}))",
            ],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
        )
        return json.loads(out.stdout)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()


# --- EXPLAIN ---------------------------------------------------------------------------------


def explain(url: str, label: str, statements: list[Statement]) -> tuple[str, list[float]]:
    """EXPLAIN (ANALYZE, BUFFERS) of each statement, run twice; the second (warm) is kept."""
    lines = [f"===== {label} ====="]
    times = []
    with psycopg.connect(url) as conn:
        cur = psycopg.ClientCursor(conn)
        for sql, params in statements:
            literal = cur.mogrify(sql, params)
            for _ in range(2):
                plan = [r[0] for r in cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + literal)]
            conn.rollback()
            ms = next(
                (float(p.split(":")[1].split()[0]) for p in plan if p.startswith("Execution")),
                0.0,
            )
            times.append(ms)
            lines += ["", "-- " + literal.replace("\n", " "), *plan]
    return "\n".join(lines) + "\n", times


# --- the run ---------------------------------------------------------------------------------


def code_fingerprint() -> dict[str, str]:
    """SHA-256 (first 12 hex) of each source file of the app under test: the API is being
    changed while benchmarks run, so the result says which code it measured, and whether that
    code changed during the run."""
    import hashlib

    out = {}
    for folder in ("api", "hub", "matching"):
        for path in sorted((ROOT / folder).glob("*.py")):
            out[f"{folder}/{path.name}"] = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return out


def upgrade_schema(sqlalchemy_url: str, log: Log) -> str | None:
    """The app under test expects the newest schema: apply migrations added since the data
    was generated (the code is changing while the data stays)."""
    from sqlalchemy import text

    from hub import migrate
    from hub.db import make_engine
    from hub.settings import Settings

    engine = make_engine(Settings.from_env({}, database_url=sqlalchemy_url))
    started = time.perf_counter()
    migrate.upgrade(engine)
    with engine.connect() as connection:
        revision = connection.scalar(text("SELECT version_num FROM alembic_version"))
    engine.dispose()
    log(f"schema at migration {revision} ({time.perf_counter() - started:.1f}s)")
    return revision


def data_summary(conn: psycopg.Connection) -> dict[str, Any]:
    counts = dict(
        conn.execute(
            "SELECT relname, reltuples::bigint FROM pg_class WHERE relname = ANY(%s)",
            (list(BULK_TABLES),),
        ).fetchall()
    )
    size = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    return {"rows_estimate": counts, "database_gib": round(size / 1024**3, 2)}


def run(sqlalchemy_url: str, args: argparse.Namespace, log: Log) -> dict[str, Any]:
    from bench.caseview import machine

    url = psycopg_url(sqlalchemy_url)
    skip = set(filter(None, args.skip.split(",")))
    scenarios = [s for s in args.scenarios.split(",") if s]
    thinks = [float(t) for t in args.think.split(",") if t]
    workdir = Path(tempfile.mkdtemp(prefix="caseview-"))
    pg_dir = None if args.database_url else args.pg_data_dir
    result: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": machine(url),
        "workdir": str(workdir),
    }
    rng = random.Random(args.seed)
    code_at_start = code_fingerprint()
    result["code_files"] = code_at_start
    result["schema_revision"] = upgrade_schema(sqlalchemy_url, log)
    with psycopg.connect(url) as conn:
        result["data"] = data_summary(conn)
        log("finding probes")
        heavy = heavy_persons(conn)
        searches = search_probes(conn, args.seed)
    if not heavy:
        raise SystemExit("no heavy persons: run `python -m bench.caseview generate` first")
    searches = rng.sample(searches, min(len(searches), args.search_probes))
    pages = math.ceil(HEAVY_CONCERNS / args.per_page)
    timelines = [(rng.choice(heavy), rng.randint(1, pages)) for _ in range(args.timeline_probes)]
    token = bench_token(sqlalchemy_url)
    paths = {
        TIMELINE: [timeline_request(p, page, args.per_page)[0] for p, page in timelines],
        SEARCH: [search_request(p["q"])[0] for p in searches],
    }
    probes_path = workdir / "probes.json"
    probes_path.write_text(json.dumps({"token": token, "paths": paths}))
    probes_path.chmod(0o600)
    result["probes"] = {
        "heavy_persons": len(heavy),
        "timeline_probes": len(timelines),
        "timeline_pages": pages,
        "per_page": args.per_page,
        "search_queries": len(searches),
        "search_kinds": dict(Counter(p["kind"] for p in searches)),
        "search_examples": [p["q"] for p in searches[:8]],
    }
    log(f"{len(heavy)} heavy persons; {len(timelines)} timeline and {len(searches)} search probes")

    # Every probe once through the app in-process: the statements it sends (replayed by the
    # raw baseline), statement counts, and a one-client, no-HTTP latency.
    app = App(sqlalchemy_url, token, str(workdir / "data"))
    captured: dict[str, list[Captured]] = {}
    for scenario in scenarios:
        log(f"capturing {len(paths[scenario])} {scenario} requests in-process")
        captured[scenario] = capture(app, scenario, paths[scenario], log)
    app.close()
    result["in_process"] = {name: capture_summary(c) for name, c in captured.items()}
    for name, summary in result["in_process"].items():
        log(f"  {name}: {summary}")
    by_kind = {}
    for probe, c in zip(searches, captured.get(SEARCH, []), strict=False):
        by_kind.setdefault(probe["kind"], (probe["q"], c))
    result["search_by_kind_in_process_ms"] = (
        {
            kind: _percentiles(
                [
                    c.in_process_ms
                    for p, c in zip(searches, captured[SEARCH], strict=True)
                    if p["kind"] == kind
                ]
            )
            for kind in by_kind
        }
        if SEARCH in captured
        else {}
    )

    if "explain" not in skip:
        log("EXPLAIN (ANALYZE, BUFFERS)")
        cases = []
        if TIMELINE in captured:
            c = captured[TIMELINE][0]
            cases.append((f"timeline {c.path}", c.replay()))
        for kind, (q, c) in by_kind.items():
            unique = list({sql: (sql, params) for sql, params in c.replay()}.values())
            cases.append((f"search [{kind}] q={q!r} ({c.results} results)", unique))
        texts, timings = [], {}
        for label, statements in cases:
            text, ms = explain(url, label, statements)
            texts.append(text)
            timings[label] = ms
        explain_path = args.out.with_name(args.out.stem + "-explain.txt")
        explain_path.parent.mkdir(parents=True, exist_ok=True)
        explain_path.write_text("\n".join(texts))
        result["explain"] = {"file": str(explain_path), "execution_ms": timings}

    runs: list[dict[str, Any]] = []
    result["runs"] = runs

    def measured(scenario: str, path: str, think: float, figures: dict[str, Any]) -> None:
        runs.append(
            {
                "scenario": scenario,
                "path": path,
                "think": think,
                "clients": args.clients,
                "seconds": args.seconds,
                **figures,
            }
        )
        log(_line(runs[-1]))

    gunicorn = Gunicorn(sqlalchemy_url, args.port, workdir)
    result["gunicorn"] = gunicorn.config()
    if "api" not in skip:
        gunicorn.start()
        try:
            for scenario in scenarios:
                for think in thinks:
                    log(f"api {scenario} think={think:g}s: {args.warmup}s + {args.seconds}s")
                    locust = partial(
                        run_locust,
                        scenario,
                        probes_path=probes_path,
                        host=gunicorn.host,
                        workdir=workdir,
                        clients=args.clients,
                    )
                    locust(think=0, seconds=args.warmup)
                    monitor = Monitor(url, pg_dir, gunicorn.proc.pid if gunicorn.proc else None)
                    with monitor:
                        figures = locust(think=think, seconds=args.seconds)
                        figures["usage"] = monitor.finish()
                    measured(scenario, "api", think, figures)
        finally:
            gunicorn.stop()
    if "raw" not in skip:
        for scenario in scenarios:
            requests = captured[scenario]
            for think in thinks:
                log(f"raw {scenario} think={think:g}s: {args.warmup}s + {args.seconds}s")
                figures = run_raw(
                    url,
                    lambda r, requests=requests: r.choice(requests).replay(),
                    args.clients,
                    args.seconds,
                    args.warmup,
                    think,
                    Monitor(url, pg_dir, None),
                )
                measured(scenario, "raw", think, figures)
    changed = sorted(
        name for name, digest in code_fingerprint().items() if code_at_start.get(name) != digest
    )
    result["code_changed_during_run"] = changed
    if changed:
        log(f"WARNING: app code changed during the run: {', '.join(changed)}")
    return result


def _line(run: dict[str, Any]) -> str:
    return (
        f"  {run['path']} {run['scenario']} think={run['think']:g}: {run['requests']} req,"
        f" {run['per_s']}/s, p50 {run['p50']} ms, p95 {run['p95']} ms, p99 {run['p99']} ms,"
        f" errors {run['errors']}"
    )
