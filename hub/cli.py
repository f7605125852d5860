"""The `mash` command line."""

from __future__ import annotations

import json
import logging
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote_plus

import click
from rich.console import Console
from rich.progress import Progress

from hub import logmask
from hub.cli_retention import retention
from hub.cli_users import users
from hub.settings import Settings

console = Console(stderr=True, soft_wrap=True)


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log at debug level.")
def main(verbose: bool) -> None:
    """MASH Hub: join up what agencies know about a child."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logmask.install()  # names, dates of birth and identifiers never reach a log line
    logging.getLogger("kafka").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # The development server logs query strings, and searches carry names: keep them out.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply schema migrations (Alembic) up to the latest."""
    from hub.db import make_engine
    from hub.migrate import upgrade

    settings = Settings.from_env()
    engine = make_engine(settings)
    upgrade(engine)
    engine.dispose()
    console.print(f"schema up to date ({settings.describe()})")


@main.group()
def agency() -> None:
    """Agency systems' keys for pushing concerns (the key decides the agency)."""


def _known_agency(code: str, hint: str | None = None) -> str:
    from hub.schemas import AGENCIES

    if code not in AGENCIES:
        raise click.BadParameter(f"unknown agency; one of {', '.join(AGENCIES)}", param_hint=hint)
    return code


@agency.command("key")
@click.argument("code")
@click.option("--label", help="Which system holds the key, for the audit trail.")
def agency_key(code: str, label: str | None) -> None:
    """Issue a key for agency CODE. It is printed once; only its hash is kept."""
    from hub import credentials
    from hub.runtime import opened

    code = _known_agency(code)
    with opened(Settings.from_env()) as hub:
        _upgrade_if_embedded(hub)
        with hub.sessions() as session, session.begin():
            key = credentials.issue(session, code, label)
    click.echo(key)
    console.print(f"key for {code} issued; send it as 'Authorization: Bearer <key>'")


@agency.command("revoke")
@click.argument("code")
def agency_revoke(code: str) -> None:
    """Revoke every key of agency CODE."""
    from hub import credentials
    from hub.runtime import opened

    code = _known_agency(code)
    with opened(Settings.from_env()) as hub, hub.sessions() as session, session.begin():
        count = credentials.revoke(session, code)
    console.print(f"revoked {count} key(s) of {code}")


@main.command()
@click.option("--max-messages", type=int, default=None, help="Stop after this many messages.")
@click.option("--idle-timeout", type=float, default=None, help="Stop after this many idle seconds.")
def pipeline(max_messages: int | None, idle_timeout: float | None) -> None:
    """Consume concern events, link them to persons and store them (SIGTERM stops cleanly)."""
    from hub.pipeline import PipelineRunner
    from hub.runtime import opened

    settings = Settings.from_env()
    logging.getLogger(__name__).info("pipeline starting: %s", settings.describe())
    with opened(settings) as hub:
        _upgrade_if_embedded(hub)
        runner = PipelineRunner(settings, hub.sessions, hub.bus, hub.model)
        stats = runner.run(max_messages=max_messages, idle_timeout=idle_timeout)
    click.echo(json.dumps(stats.__dict__))


@main.command()
@click.option("--agency", required=True, help="The agency this feed belongs to.")
@click.option("--format", "fmt", help="The feed's format (default: the agency's usual one).")
@click.option("--rejects", type=click.Path(path_type=Path), help="Where to write rejected items.")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def ingest(agency: str, fmt: str | None, rejects: Path | None, files: tuple[Path, ...]) -> None:
    """Publish an agency's file(s) of concerns onto the bus; rejects go to FILE.rejects.csv."""
    from connectors.base import write_rejects
    from hub.runtime import opened

    fmt = _feed_format(agency, fmt)
    settings = Settings.from_env()
    with opened(settings) as hub:
        for path in files:
            summary = ingest_file(hub.bus, settings, agency, path, fmt)
            console.print(
                f"{path.name}: read {summary.read}, published {summary.published}, "
                f"rejected {len(summary.rejected)}"
            )
            if summary.rejected:
                target = rejects or path.with_suffix(path.suffix + ".rejects.csv")
                write_rejects(target, summary.rejected)
                console.print(f"  reasons with line numbers: {target}")


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--agency", required=True, help="The agency whose drop folder this is.")
@click.option("--format", "fmt", help="The files' format (default: the agency's usual one).")
@click.option(
    "--interval", type=float, default=2.0, show_default=True, help="Seconds between scans."
)
def watch(folder: Path, agency: str, fmt: str | None, interval: float) -> None:
    """Publish each file an agency drops into FOLDER, then move it to FOLDER/processed."""
    import threading

    from connectors.dropfolder import DropFolder
    from hub.runtime import opened

    fmt = _feed_format(agency, fmt)
    settings = Settings.from_env()
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    folder.mkdir(parents=True, exist_ok=True)
    with opened(settings) as hub:
        drop = DropFolder(folder, hub.bus, settings.concerns_topic, agency, fmt)
        console.print(f"watching {folder} for {agency} ({fmt}) files")
        drop.watch(stop, interval)


@main.command()
@click.option("--agency", required=True, help="The agency whose HL7 feed this is.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=2575, show_default=True)
def mllp(agency: str, host: str, port: int) -> None:
    """Listen for HL7 v2 over MLLP: acknowledge each message (AA, or AE with the reason),
    publish what maps, keep what does not as a dead letter. SIGTERM stops cleanly."""
    from connectors.base import publish
    from connectors.hl7v2 import mllp_handler
    from connectors.mllp import run_mllp
    from hub import deadletters
    from hub.runtime import opened

    _known_agency(agency, "--agency")
    settings = Settings.from_env()
    with opened(settings) as hub:
        _upgrade_if_embedded(hub)

        def keep(reject, payload: bytes) -> None:
            with hub.sessions() as session, session.begin():
                errors = {"position": reject.line, **reject.fields}
                deadletters.keep(session, f"mllp:{agency}", None, payload, reject.reason, errors)

        handle = mllp_handler(
            agency, lambda events: publish(hub.bus, settings.concerns_topic, events), keep
        )
        console.print(f"MLLP listener for {agency} on {host}:{port}")
        run_mllp(host, port, handle)


def _feed_format(agency: str, fmt: str | None) -> str:
    from connectors import DEFAULT_FORMAT, FORMATS

    fmt = fmt or DEFAULT_FORMAT[_known_agency(agency, "--agency")]
    if fmt not in FORMATS:
        raise click.BadParameter(
            f"unknown format; one of {', '.join(FORMATS)}", param_hint="--format"
        )
    return fmt


def ingest_file(bus, settings: Settings, agency: str, path: Path, fmt: str = "jsonl"):
    """Parse one file with the format's connector and publish its events, with a progress bar."""
    from connectors.ingest import ingest as ingest_payload

    raw = path.read_bytes()
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task(path.name, total=max(raw.count(b"\n"), 1))
        return ingest_payload(
            bus, settings.concerns_topic, agency, fmt, raw, lambda _item: bar.advance(task)
        )


@main.group()
def model() -> None:
    """The matching model (m/u probabilities, name frequencies, thresholds)."""


@model.command("train")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def model_train(source: Path, out: Path) -> None:
    """Learn a model, unsupervised, from a CSV in the `mash link` input format."""
    from hub.linkfile import read_rows
    from matching.blocking import candidate_pairs
    from matching.model import train
    from matching.record import prepare

    read = read_rows(source)
    with console.status("training"):
        records = [prepare(row) for row in read.rows]
        pairs, _ = candidate_pairs(records)
        version = train(records, pairs).save(out)
    console.print(f"model {version} trained on {len(records)} records; wrote {out}")


@main.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--rejects", type=click.Path(dir_okay=False, path_type=Path))
def link(source: Path, out: Path, rejects: Path | None) -> None:
    """Link a back catalogue CSV into persons and households (record_id, person_id, ...)."""
    from hub.linkfile import link_file

    with Progress(console=console) as bar:
        task = bar.add_task("reading", total=1.0)

        def progress(step: str, done: float) -> None:
            bar.update(task, description=step, completed=done)

        rows, persons, rejected = link_file(source, out, rejects, progress)
    console.print(f"{rows} records → {persons} persons; {rejected} rows rejected; wrote {out}")
    if rejected:
        target = rejects or out.with_suffix(".rejects.csv")
        console.print(f"rows that could not be read, with line numbers and reasons: {target}")


@main.command()
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
def serve(host: str, port: int) -> None:
    """Serve the API and web UI (development server; production uses gunicorn)."""
    from api import create_app

    app = create_app()
    _upgrade_if_embedded(app.extensions["mash"])
    app.run(host=host, port=port)


def _upgrade_if_embedded(hub) -> None:
    """The embedded mode keeps its own SQLite schema current; production runs `mash db upgrade`."""
    from hub.migrate import upgrade

    if hub.engine.dialect.name == "sqlite":
        upgrade(hub.engine)


@main.command()
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@click.option("--families", default=12, type=int, help="How many synthetic families.")
def demo(host: str, port: int, families: int) -> None:
    """Run the whole hub on this machine with synthetic multi-agency demo data."""
    from api import create_app
    from hub.bus import make_bus
    from hub.db import make_engine
    from hub.migrate import upgrade
    from hub.synthetic.demo import demo_submissions

    settings = Settings.from_env()
    engine = make_engine(settings)
    upgrade(engine)
    drop = settings.data_dir / "demo"
    drop.mkdir(parents=True, exist_ok=True)
    by_agency: dict[str, list[dict]] = {}
    for submission in demo_submissions(families):
        by_agency.setdefault(submission.pop("agency"), []).append(submission)
    bus = make_bus(settings, engine)
    for agency, rows in sorted(by_agency.items()):
        path = drop / f"{agency}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        summary = ingest_file(bus, settings, agency, path)
        console.print(f"{agency}: published {summary.published} concerns from {path}")
    worker = subprocess.Popen(
        [sys.executable, "-m", "hub.cli", "pipeline"], preexec_fn=_die_with_parent
    )
    # SIGTERM must unwind through `finally`, or the pipeline child would outlive the demo.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        _wait_for_pipeline(engine, sum(len(rows) for rows in by_agency.values()))
        base = f"http://{host}:{port}"
        console.print(f"\n[bold]MASH Hub is running: {base}/[/bold]  (Ctrl-C stops)")
        person_id, agencies = _most_joined_person(engine)
        if person_id:
            console.print(f"  a child known to {agencies} agencies: {base}/persons/{person_id}")
        username, password, token = _demo_user(engine, person_id)
        console.print(f"  sign in as {username} with password: {password}")
        q = quote_plus(_family_name(engine, person_id) or "Smith")
        console.print(f"  search: {base}/?q={q}   API: {base}/api/v1/persons?q={q}")
        console.print(f"  API token (Authorization: Bearer …): {token}\n")
        create_app(settings).run(host=host, port=port)
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def _die_with_parent() -> None:
    """Linux: the child gets SIGTERM when the demo process dies, however it dies."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _most_joined_person(engine) -> tuple[int | None, int]:
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from hub.models import Concern

    agencies = func.count(func.distinct(Concern.agency_code))
    with Session(engine) as session:
        row = session.execute(
            select(Concern.person_id, agencies)
            .group_by(Concern.person_id)
            .order_by(agencies.desc(), Concern.person_id)
            .limit(1)
        ).first()
    return (row[0], row[1]) if row else (None, 0)


def _family_name(engine, person_id: int | None) -> str | None:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from hub.models import Link, SourceRecord

    with Session(engine) as session:
        return session.scalar(
            select(SourceRecord.family_name)
            .join(Link, Link.source_record_id == SourceRecord.id)
            .where(Link.person_id == person_id)
            .limit(1)
        )


def _demo_user(engine, person_id: int | None) -> tuple[str, str, str]:
    """A team manager in the area of the demo's best-known child, with a fresh random password
    and API token each run (nothing secret is kept in the repository)."""
    import secrets

    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from hub import accounts
    from hub.models import Concern, User

    username, password = "demo_manager", secrets.token_urlsafe(12)
    with Session(engine) as session, session.begin():
        area = session.scalar(
            select(Concern.local_authority).where(Concern.person_id == person_id).limit(1)
        )
        if session.scalar(select(User.id).where(User.username == username)) is None:
            accounts.create_user(session, username, password, "team_manager", area)
        else:
            accounts.set_password(session, username, password)
        token = accounts.issue_token(session, username, "demo", days=1)
    return username, password, token


def _wait_for_pipeline(engine, expected: int, timeout_s: float = 120) -> None:
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from hub.models import Concern

    deadline = time.monotonic() + timeout_s
    with Session(engine) as session:
        while time.monotonic() < deadline:
            stored = session.scalar(select(func.count()).select_from(Concern)) or 0
            if stored >= expected:
                console.print(f"pipeline has stored {stored} concerns")
                return
            session.rollback()
            time.sleep(0.5)
    console.print("[yellow]pipeline still catching up; the UI will fill in as it goes[/yellow]")


@main.group("audit")
def audit_group() -> None:
    """The append-only, hash-chained audit trail."""


@audit_group.command("verify")
def audit_verify() -> None:
    """Check every entry of the audit trail; exit 1 at the first edit, deletion or reordering.
    Also says how many entries wait in the inbox, not yet sealed into the chain."""
    from hub.audit import verify_engine
    from hub.db import make_engine
    from hub.migrate import upgrade

    engine = make_engine(Settings.from_env())
    try:
        if engine.dialect.name == "sqlite":
            upgrade(engine)
        with console.status("verifying the audit trail"):
            result = verify_engine(engine)
    finally:
        engine.dispose()
    if result.ok:
        click.echo(f"audit trail intact: {result.count} entries")
    else:
        click.echo(f"audit trail broken at entry {result.entry_id}: {result.reason}")
    if result.unsealed:
        click.echo(
            f"{_entries(result.unsealed)} not yet sealed (in the inbox, not checked): "
            "`mash audit seal` chains them"
        )
    if not result.ok:
        sys.exit(1)


@audit_group.command("seal")
def audit_seal() -> None:
    """Seal the audit inbox: chain every entry waiting there (waits for the audit lock)."""
    from hub.audit import seal_engine
    from hub.db import make_engine
    from hub.migrate import upgrade

    engine = make_engine(Settings.from_env())
    try:
        if engine.dialect.name == "sqlite":
            upgrade(engine)
        with console.status("sealing the audit inbox"):
            sealed = seal_engine(engine)
    finally:
        engine.dispose()
    click.echo(f"sealed {_entries(sealed)} into the audit trail")


def _entries(count: int) -> str:
    return f"{count} entry" if count == 1 else f"{count} entries"


main.add_command(users)
main.add_command(retention)


if __name__ == "__main__":
    main()
