"""The `mash` command: schema upgrade on PostgreSQL, batch ingest with rejects, and the demo."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from click.testing import CliRunner
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from hub import credentials
from hub.bus.embedded import EmbeddedBus
from hub.cli import main
from hub.errors import Unauthenticated
from hub.models import Agency, AgencyCredential, Base, BusMessage
from hub.schemas import AGENCIES
from tests.factories import submission
from tests.integration.test_gunicorn import free_port


def test_db_upgrade_builds_the_schema_the_models_describe(pg, pg_url):
    with pg.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    result = CliRunner().invoke(main, ["db", "upgrade"], env={"MASH_DATABASE_URL": pg_url})
    assert result.exit_code == 0, result.output
    assert "mash:***@" in result.output and "mash:mash@" not in result.output
    with pg.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        agencies = connection.scalar(select(func.count()).select_from(Agency))
    assert diff == []
    assert agencies == len(AGENCIES)


def test_ingest_publishes_good_lines_and_reports_bad_ones_by_line(tmp_path, sqlite_engine):
    good = submission()
    good.pop("agency")
    bad = submission(concern__severity="dreadful")
    bad.pop("agency")
    feed = tmp_path / "police.jsonl"
    feed.write_text("\n".join([json.dumps(good), "{oops", json.dumps(bad), ""]) + "\n")
    env = {"MASH_DATABASE_URL": str(sqlite_engine.url), "MASH_KAFKA_BOOTSTRAP": ""}
    result = CliRunner().invoke(
        main, ["ingest", "--agency", "police", "--format", "jsonl", str(feed)], env=env
    )
    assert result.exit_code == 0, result.output
    assert "read 3, published 1, rejected 2" in result.output
    rejects = (tmp_path / "police.jsonl.rejects.csv").read_text().splitlines()
    assert rejects[0] == "line,reason,fields"
    assert rejects[1].startswith("2,invalid_json,")
    assert rejects[2].startswith("3,invalid_event,") and "severity" in rejects[2]
    assert EmbeddedBus(sqlite_engine) and _count(sqlite_engine, BusMessage) == 1


def test_ingest_refuses_an_unknown_agency(tmp_path):
    feed = tmp_path / "x.jsonl"
    feed.write_text("")
    result = CliRunner().invoke(main, ["ingest", "--agency", "aliens", str(feed)])
    assert result.exit_code == 2 and "unknown agency" in result.output


def test_an_agency_key_is_shown_once_stored_hashed_and_can_be_revoked(sqlite_engine):
    env = {"MASH_DATABASE_URL": str(sqlite_engine.url), "MASH_KAFKA_BOOTSTRAP": ""}
    issued = CliRunner().invoke(main, ["agency", "key", "school", "--label", "SIS"], env=env)
    assert issued.exit_code == 0, issued.output
    key = issued.stdout.strip()
    assert key.startswith("mash_") and len(key) > 40
    with sqlite_engine.connect() as connection:
        row = connection.execute(select(AgencyCredential.agency_code, AgencyCredential.key_hash))
        ((agency, stored),) = row.all()
    assert agency == "school" and key not in stored
    with Session(sqlite_engine) as session:
        assert credentials.agency_for(session, key) == "school"
    revoked = CliRunner().invoke(main, ["agency", "revoke", "school"], env=env)
    assert revoked.exit_code == 0 and "revoked 1 key(s) of school" in revoked.output
    with Session(sqlite_engine) as session, pytest.raises(Unauthenticated):
        credentials.agency_for(session, key)
    unknown = CliRunner().invoke(main, ["agency", "key", "aliens"], env=env)
    assert unknown.exit_code == 2 and "unknown agency" in unknown.output


def _count(engine, model) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(model))


def test_demo_serves_a_child_known_to_four_agencies(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MASH_")}
    env["MASH_DATA_DIR"] = str(tmp_path)
    log = (tmp_path / "demo.log").open("w")
    demo = subprocess.Popen(
        [sys.executable, "-m", "hub.cli", "demo", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{base}/readyz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            raise AssertionError((tmp_path / "demo.log").read_text())
        printed = (tmp_path / "demo.log").read_text()
        match = re.search(r"a child known to (\d+) agencies: (\S+)/persons/(\d+)", printed)
        assert match, printed
        assert int(match.group(1)) >= 4
        token = re.search(r"API token \(Authorization: Bearer …\): (\S+)", printed).group(1)
        assert re.search(r"sign in as demo_manager with password: \S{12,}", printed)

        def get(path: str, signed_in: bool = True) -> bytes:
            headers = {"Authorization": f"Bearer {token}"} if signed_in else {}
            request = urllib.request.Request(f"{base}{path}", headers=headers)
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.read()

        url = f"/api/v1/persons/{match.group(3)}/timeline?per_page=200"
        items = json.loads(get(url))["items"]
        assert len({item["agency"] for item in items}) == int(match.group(1))
        assert f"from {match.group(1)} agencies".encode() in get(f"/persons/{match.group(3)}")
        search = re.search(r"search: \S+(/\?q=\S+)", printed).group(1)
        assert f'href="/persons/{match.group(3)}"'.encode() in get(search)  # the hint finds her
        assert b"Sign in" in get(f"/persons/{match.group(3)}", signed_in=False)  # redirected
    finally:
        demo.terminate()
        demo.wait(timeout=30)
        log.close()
    deadline = time.monotonic() + 10
    while _processes_using(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _processes_using(tmp_path) == [], "the demo left its pipeline running"


def _processes_using(data_dir) -> list[int]:
    """Processes whose environment points MASH_DATA_DIR at `data_dir` (Linux /proc)."""
    marker = f"MASH_DATA_DIR={data_dir}".encode()
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as handle:
                if marker in handle.read().split(b"\0"):
                    found.append(int(entry))
        except OSError:
            continue
    return found
