"""`mash retention`: purge expired personal data, and legal holds that stop it.

The periods come from MASH_RETAIN_*_DAYS (see `hub.retention.RetentionPolicy`). Run
`mash retention purge --dry-run` first: it reports what would go and changes nothing.
"""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from hub.cli_users import audit_cli, operator, session_scope

console = Console(stderr=True, soft_wrap=True)


@click.group()
def retention() -> None:
    """Retention of personal data, and legal holds."""


@retention.command("purge")
@click.option("--dry-run", is_flag=True, help="Report what would be removed; change nothing.")
def purge(dry_run: bool) -> None:
    """Remove persons' data past the concern retention (unless held), and old messages."""
    from hub import retention as rules

    try:
        policy = rules.RetentionPolicy.from_env()
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    with session_scope() as session:
        report = rules.purge(session, policy, dry_run=dry_run)
    _print(report, policy)


def _print(report, policy) -> None:
    verb = "would remove" if report.dry_run else "removed"
    out = Console(soft_wrap=True)
    out.print(
        f"retention (concerns {policy.concerns_days} d, dead letters "
        f"{policy.dead_letters_days} d, bus messages {policy.bus_messages_days} d)"
        + (" — dry run, nothing changed" if report.dry_run else "")
    )
    out.print(f"persons: {verb} {len(report.persons)}; kept by a legal hold: {report.held}")
    if report.rows:
        table = Table("table", "rows")
        for name, count in report.rows.items():
            table.add_row(name, str(count))
        out.print(table)
    out.print(f"dead letters: {verb} {report.dead_letters}")
    out.print(f"bus messages: {verb} {report.bus_messages}")


@retention.command("hold")
@click.argument("person_id", type=int)
@click.option("--reason", required=True, help="Why the records must be kept (e.g. a case ref).")
def hold(person_id: int, reason: str) -> None:
    """Place a legal hold on PERSON_ID: no purge touches their records until it is released."""
    from hub.retention import place_hold

    with session_scope() as session:
        placed = place_hold(session, person_id, reason, operator())
        audit_cli(session, "legal_hold_placed", "person", placed.person_id, hold=placed.id)
    click.echo(placed.id)
    console.print(f"legal hold {placed.id} placed on person {placed.person_id}")


@retention.command("release")
@click.argument("hold_id", type=int)
def release(hold_id: int) -> None:
    """Release legal hold HOLD_ID."""
    from hub.retention import release_hold

    with session_scope() as session:
        released = release_hold(session, hold_id, operator())
        audit_cli(session, "legal_hold_released", "person", released.person_id, hold=hold_id)
    console.print(f"legal hold {hold_id} on person {released.person_id} released")
