"""locustfile for `python -m bench.caseview run`: one user class per scenario.

    CASEVIEW_PROBES=probes.json CASEVIEW_THINK=0 \
        locust -f bench/caseview_locust.py --headless -u 50 -r 50 -t 60s TimelineUser

The probes file (written by bench.caseview_run) holds the token and, per scenario, the request
paths (made by bench.caseview_http); each request picks one at random. CASEVIEW_THINK is the
mean wait between one client's requests (uniform from half to one and a half times it; 0: none),
and each client's first request comes after such a wait.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import gevent
from locust import FastHttpUser, between, constant, task

from bench.caseview_http import SEARCH, TIMELINE, auth_headers, check

_PROBES = json.loads(Path(os.environ["CASEVIEW_PROBES"]).read_text())
_THINK = float(os.environ.get("CASEVIEW_THINK", "0"))
_HEADERS = auth_headers(_PROBES["token"])


class _CaseViewUser(FastHttpUser):
    abstract = True
    wait_time = between(_THINK * 0.5, _THINK * 1.5) if _THINK > 0 else constant(0)
    # Sockets wait while gunicorn's workers are all busy: that wait is part of the latency.
    network_timeout = 120.0
    connection_timeout = 120.0

    def on_start(self) -> None:
        self.rng = random.Random()
        # Staff do not all click in the same millisecond: with a think time, each client starts
        # at a random point of its first pause, or the 50 first requests land at once and
        # that one burst is the run's p99.
        if _THINK > 0:
            gevent.sleep(self.rng.uniform(0, _THINK * 1.5))

    def _get(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, headers=_HEADERS, catch_response=True) as resp:
            try:
                body = resp.json()
            except ValueError:
                body = None
            problem = check(name, resp.status_code or 0, body)
            if problem:
                resp.failure(problem)
            else:
                resp.success()


class TimelineUser(_CaseViewUser):
    @task
    def timeline(self) -> None:
        self._get(self.rng.choice(_PROBES["paths"][TIMELINE]), TIMELINE)


class SearchUser(_CaseViewUser):
    @task
    def search(self) -> None:
        self._get(self.rng.choice(_PROBES["paths"][SEARCH]), SEARCH)
