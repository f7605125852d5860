"""The production server: gunicorn with deploy/gunicorn.conf.py, on PostgreSQL and Kafka."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from sqlalchemy.orm import Session

from hub import accounts

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, headers: dict | None = None) -> tuple[int, dict]:
    try:
        request = urllib.request.Request(url, headers=headers or {})
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_gunicorn_serves_a_ready_api_on_the_real_services(pg, kafka_bootstrap, tmp_path):
    port = free_port()
    env = dict(
        os.environ,
        MASH_DATABASE_URL=pg.url.render_as_string(hide_password=False),
        MASH_KAFKA_BOOTSTRAP=kafka_bootstrap,
        MASH_BIND=f"127.0.0.1:{port}",
        MASH_WEB_WORKERS="2",
        MASH_DATA_DIR=str(tmp_path),
    )
    with Session(pg) as session, session.begin():
        accounts.create_user(session, "sw", "a long enough password", "social_worker", "E08000025")
        token = accounts.issue_token(session, "sw")
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        status, body = 0, {}
        while time.monotonic() < deadline:
            try:
                status, body = get(f"http://127.0.0.1:{port}/readyz")
                if status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.3)
        assert (status, body.get("bus")) == (200, "kafka"), (tmp_path / "gunicorn.log").read_text()
        timeline = f"http://127.0.0.1:{port}/api/v1/persons/1/timeline"
        status, body = get(timeline)
        assert (status, body["error"]) == (401, "unauthenticated")
        for _ in range(4):  # each worker knows the token (and the same signing key)
            status, body = get(timeline, {"Authorization": f"Bearer {token}"})
            assert (status, body["error"]) == (404, "not_found")
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
