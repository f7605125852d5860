"""End-to-end benchmark: connector → Kafka → pipeline (matching included) → committed rows,
beside raw kafka-python produce + consume of the same messages on the same broker, in one run.

    python -m bench.e2e [--concerns 4000] [--pipelines 1,2] [--rates 50,100,200,1000]
                        [--seconds 20] [--out bench/results/e2e.json]

Needs a running broker and PostgreSQL (`deploy/kafka/kafka.sh start`,
`deploy/postgres/postgres.sh start`); MASH_BENCH_KAFKA_BOOTSTRAP and MASH_BENCH_DATABASE_URL
override the deploy scripts' addresses. It works in its own database, `mash_bench` (created,
and emptied before each measurement), and on fresh topics, so it touches nothing else.

Measurements:
- **raw**: the same payloads produced (acks=all, idempotent) to a fresh 3-partition topic and
  consumed back by one consumer; messages/s from the first send to the last message read.
- **throughput, N pipelines**: the police sample parsed and published by the connector, then
  N `mash pipeline` processes consume it; concerns/s from the start of publishing to the moment
  the last concern is committed in the database.
- **latency**: concerns published at each steady rate for a while to a running pipeline; for
  each event, the time from its publish to its row being visible to a reader of the database
  the timeline API reads (polled every 20 ms). Above the pipeline's throughput the backlog
  grows for the whole run, and so does the latency.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from kafka import KafkaConsumer, KafkaProducer
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from bench.linkage import git_state, machine
from connectors.base import message_key, publish
from connectors.police import parse as parse_police
from hub.bus.kafka import KafkaBus
from hub.db import make_engine
from hub.migrate import upgrade
from hub.models import ConcernRevision
from hub.settings import Settings
from hub.synthetic.feeds.police import csv_bytes, sample_incidents

DEFAULT_DB = "postgresql+psycopg://mash:mash@127.0.0.1:5433/mash"
DEFAULT_KAFKA = "127.0.0.1:9092"
BENCH_DB = "mash_bench"


def bench_database(url: str) -> str:
    """The URL of `mash_bench` on the same server, created if missing."""
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": BENCH_DB}
        )
        if not exists:
            connection.execute(text(f"CREATE DATABASE {BENCH_DB}"))
    admin.dispose()
    return make_url(url).set(database=BENCH_DB).render_as_string(hide_password=False)


def police_events(concerns: int, seed: int) -> list[dict]:
    """At least `concerns` canonical events from the police connector's synthetic export
    (several people per incident, so matching meets families, not strangers)."""
    incidents = max(concerns // 3, 1)
    while True:
        raw = csv_bytes(sample_incidents(seed, incidents))
        events = [e for e in parse_police(raw, "police") if isinstance(e, dict)]
        if len(events) >= concerns:
            return events[:concerns]
        incidents = int(incidents * 1.5) + 1


def raw_kafka(bootstrap: str, payloads: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    topic = f"bench-raw-{uuid.uuid4().hex[:8]}"
    KafkaBus(bootstrap).ensure_topics([topic])
    producer = KafkaProducer(
        bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=5
    )
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"{topic}-reader",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    consumer.poll(timeout_ms=1000)  # join the group before timing
    start = time.perf_counter()
    for key, value in payloads:
        producer.send(topic, key=key, value=value)
    producer.flush()
    produced = time.perf_counter()
    read = 0
    while read < len(payloads):
        for records in consumer.poll(timeout_ms=1000, max_records=500).values():
            read += len(records)
        consumer.commit()
    done = time.perf_counter()
    producer.close()
    consumer.close()
    return {
        "messages": len(payloads),
        "seconds": done - start,
        "per_s": len(payloads) / (done - start),
        "produce_per_s": len(payloads) / (produced - start),
    }


class Hub:
    """A bench hub: its own database and topics, and `mash pipeline` processes on them."""

    def __init__(self, database_url: str, bootstrap: str) -> None:
        self.prefix = f"bench{uuid.uuid4().hex[:8]}."
        self.settings = Settings.from_env(
            {},
            database_url=database_url,
            kafka_bootstrap=bootstrap,
            topic_prefix=self.prefix,
            consumer_group=f"{self.prefix}pipeline",
        )
        self.engine = make_engine(self.settings)
        with self.engine.begin() as connection:  # mash_bench is the benchmark's own database
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        upgrade(self.engine)
        self.bus = KafkaBus(bootstrap)
        self.bus.ensure_topics(
            [
                self.settings.concerns_topic,
                self.settings.linked_topic,
                self.settings.deadletter_topic,
            ]
        )
        self.workers: list[subprocess.Popen] = []

    def start_pipelines(self, count: int) -> None:
        env = dict(os.environ)
        env.update(
            MASH_DATABASE_URL=str(self.settings.database_url),
            MASH_KAFKA_BOOTSTRAP=self.settings.kafka_bootstrap or "",
            MASH_TOPIC_PREFIX=self.prefix,
            MASH_CONSUMER_GROUP=self.settings.consumer_group,
        )
        for _ in range(count):
            self.workers.append(
                subprocess.Popen(
                    [sys.executable, "-m", "hub.cli", "pipeline"],
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )

    def stored(self) -> int:
        """Events committed: every event (a first report, an amendment) is a revision row."""
        with self.engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(ConcernRevision)) or 0

    def wait_stored(self, count: int, timeout_s: float = 1800) -> float:
        deadline = time.monotonic() + timeout_s
        while self.stored() < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.stored()} of {count} stored after {timeout_s} s")
            time.sleep(0.05)
        return time.perf_counter()

    def close(self) -> None:
        for worker in self.workers:
            worker.terminate()
        for worker in self.workers:
            worker.wait(timeout=60)
        self.bus.close()
        self.engine.dispose()


def wait_for_group(seconds: float = 15.0) -> None:
    """Give the pipelines time to start, join the group and be assigned partitions."""
    time.sleep(seconds)


def throughput(database_url: str, bootstrap: str, events: list[dict], pipelines: int) -> dict:
    hub = Hub(database_url, bootstrap)
    try:
        hub.start_pipelines(pipelines)
        wait_for_group()
        start = time.perf_counter()
        publish(hub.bus, hub.settings.concerns_topic, events)
        published = time.perf_counter()
        done = hub.wait_stored(len(events))
    finally:
        hub.close()
    return {
        "pipelines": pipelines,
        "events": len(events),
        "seconds": done - start,
        "per_s": len(events) / (done - start),
        "publish_per_s": len(events) / (published - start),
    }


class Visibility(threading.Thread):
    """Notes when each event becomes visible to readers: polls the committed revisions (what
    the timeline API reads) every `every_s` seconds, so a reading is late by at most that."""

    def __init__(self, engine, every_s: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.engine, self.every_s = engine, every_s
        self.seen: dict[str, float] = {}
        self.done = threading.Event()

    def run(self) -> None:
        last = 0
        with self.engine.connect() as connection:
            while not self.done.is_set():
                rows = connection.execute(
                    select(ConcernRevision.id, ConcernRevision.event_id)
                    .where(ConcernRevision.id > last)
                    .order_by(ConcernRevision.id)
                ).all()
                connection.commit()  # end the snapshot so the next poll sees new commits
                now = time.time()
                for row_id, event_id in rows:
                    self.seen[event_id] = now
                    last = row_id
                self.done.wait(self.every_s)


def latency(database_url: str, bootstrap: str, events: list[dict], rate: float, seconds: float):
    """Events published at a steady `rate` (a flush every 10 ms tick) to one running pipeline;
    for each, the time from its publish to its row being visible in the database."""
    hub = Hub(database_url, bootstrap)
    sent: dict[str, float] = {}
    watcher = Visibility(hub.engine)
    try:
        hub.start_pipelines(1)
        wait_for_group()
        watcher.start()
        count = min(len(events), int(rate * seconds))
        start = time.time()
        n = 0
        while n < count:
            tick = time.time()
            due = min(count, int((tick - start) * rate) + 1)
            for event in events[n:due]:
                hub.bus.publish(
                    hub.settings.concerns_topic, message_key(event), json.dumps(event).encode()
                )
                sent[event["event_id"]] = tick
            hub.bus.flush()
            n = due
            time.sleep(max(start + n / rate - time.time(), 0.01))
        offered = count / (time.time() - start)
        hub.wait_stored(count)
        time.sleep(3 * watcher.every_s)
    finally:
        watcher.done.set()
        hub.close()
    delays = sorted(watcher.seen[event_id] - at for event_id, at in sent.items())
    return {
        "target_rate": rate,
        "offered_rate": offered,
        "events": len(delays),
        "p50_s": statistics.median(delays),
        "p99_s": delays[int(0.99 * (len(delays) - 1))],
        "max_s": delays[-1],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--concerns", type=int, default=4000)
    parser.add_argument("--pipelines", default="1,2")
    parser.add_argument(
        "--rates", default="50,100,200,1000", help="latency runs: steady concerns/s, each"
    )
    parser.add_argument("--seconds", type=float, default=20.0, help="latency run: duration")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("bench/results/e2e.json"))
    args = parser.parse_args(argv)

    database_url = bench_database(os.environ.get("MASH_BENCH_DATABASE_URL", DEFAULT_DB))
    bootstrap = os.environ.get("MASH_BENCH_KAFKA_BOOTSTRAP", DEFAULT_KAFKA)
    # Distinct concerns for every run: each run has its own topics and emptied database.
    events = police_events(args.concerns, args.seed)
    payloads = [
        (f"{e['agency']}:{e['person']['source_ref']}".encode(), json.dumps(e).encode())
        for e in events
    ]
    result: dict[str, Any] = {
        "command": " ".join(sys.argv),
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": machine(),
        "git": git_state(),
        "raw": raw_kafka(bootstrap, payloads),
        "throughput": [
            throughput(database_url, bootstrap, events, int(n)) for n in args.pipelines.split(",")
        ],
    }
    result["latency"] = [
        latency(
            database_url,
            bootstrap,
            police_events(int(rate * args.seconds), args.seed + 1),
            rate,
            args.seconds,
        )
        for rate in (float(r) for r in args.rates.split(","))
    ]
    for run in result["throughput"]:
        run["ratio_to_raw"] = run["per_s"] / result["raw"]["per_s"]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, default=str))
    print(json.dumps({k: result[k] for k in ("raw", "throughput", "latency")}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
