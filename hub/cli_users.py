"""`mash users`: the people who sign in, their API tokens, and rotating an agency's key.

Passwords never travel on the command line (where `ps` and shell history would keep them):
they are typed at a hidden prompt, twice, or given to a script in MASH_NEW_PASSWORD. Tokens and
keys are printed once, on standard output, and only their hashes are kept. Every change is
written to the audit trail as `cli:<operating-system user>`.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager

import click
from rich.console import Console
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from hub.settings import Settings

console = Console(stderr=True, soft_wrap=True)
PASSWORD_ENV = "MASH_NEW_PASSWORD"


def operator() -> str:
    """Who is at the keyboard, for the audit trail."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


@contextmanager
def session_scope() -> Iterator[Session]:
    """One transaction on the configured database. Only the database is opened (not the bus),
    so accounts and keys can be managed while Kafka is down; the embedded SQLite schema is
    brought up to date first, as the other `mash` commands do."""
    from hub.db import make_engine, make_session_factory
    from hub.errors import HubError
    from hub.migrate import upgrade

    engine = make_engine(Settings.from_env())
    try:
        if engine.dialect.name == "sqlite":
            upgrade(engine)
        with make_session_factory(engine)() as session, session.begin():
            yield session
    except HubError as exc:
        raise click.ClickException(_message(exc)) from None
    finally:
        engine.dispose()


def _message(exc: Exception) -> str:
    fields = getattr(exc, "fields", None)
    if fields:
        return "; ".join(f"{name}: {' '.join(problems)}" for name, problems in fields.items())
    return str(exc)


def audit_cli(session: Session, action: str, subject_type: str, subject_id: object, **detail):
    """An audit entry for a command (ids, codes and counts only in `detail`)."""
    from hub import audit

    audit.record(
        session,
        actor=operator(),
        role="cli",
        action=action,
        subject_type=subject_type,
        subject_id=None if subject_id is None else str(subject_id),
        detail=detail,
    )


def _new_password() -> str:
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@click.group()
def users() -> None:
    """People who sign in, their API tokens, and agency keys."""


@users.command("add")
@click.argument("username")
@click.option("--role", required=True, help="One of the roles (see `mash users add --help`).")
@click.option("--area", help="The local authority code whose children the user serves.")
@click.option("--manager", help="The username of the user's manager (sees break-glass use).")
def add(username: str, role: str, area: str | None, manager: str | None) -> None:
    """Create USERNAME with a role; the password is prompted for (or MASH_NEW_PASSWORD)."""
    from hub.accounts import ROLES, create_user

    if role not in ROLES:
        raise click.BadParameter(f"one of {', '.join(ROLES)}", param_hint="--role")
    password = _new_password()
    with session_scope() as session:
        user = create_user(session, username, password, role, area, manager)
        audit_cli(session, "user_created", "user", user.id, role=role, area=area)
    console.print(f"user {username} ({role}) created")


@users.command("list")
def list_users() -> None:
    """Every user: role, area, manager, whether active or locked, last sign-in."""
    from hub.models import User

    manager = aliased(User)
    with session_scope() as session:
        rows = session.execute(
            select(User, manager.username)
            .outerjoin(manager, manager.id == User.manager_id)
            .order_by(User.username)
        ).all()
        table = Table("username", "role", "area", "manager", "active", "locked until", "last login")
        for user, manager_name in rows:
            table.add_row(
                user.username,
                user.role,
                user.local_authority or "-",
                manager_name or "-",
                "yes" if user.active else "no",
                _when(user.locked_until),
                _when(user.last_login_at),
            )
    Console(soft_wrap=True).print(table)


def _when(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"


@users.command("disable")
@click.argument("username")
def disable(username: str) -> None:
    """Stop USERNAME signing in, and revoke their API tokens."""
    from hub.accounts import get_user, revoke_tokens

    with session_scope() as session:
        user = get_user(session, username)
        user.active = False
        revoked = revoke_tokens(session, username)
        audit_cli(session, "user_disabled", "user", user.id, tokens_revoked=revoked)
    console.print(f"user {username} disabled; {revoked} token(s) revoked")


@users.command("password")
@click.argument("username")
def password(username: str) -> None:
    """Set USERNAME's password (prompted for, or MASH_NEW_PASSWORD); unlocks the account."""
    from hub.accounts import get_user, set_password

    new = _new_password()
    with session_scope() as session:
        set_password(session, username, new)
        audit_cli(session, "password_set", "user", get_user(session, username).id)
    console.print(f"password of {username} set")


@users.command("token")
@click.argument("username")
@click.option("--label", help="Which client holds the token, for the audit trail.")
@click.option("--days", type=click.IntRange(1, 366), default=30, show_default=True)
def token(username: str, label: str | None, days: int) -> None:
    """Issue an API token for USERNAME. It is printed once; only its hash is kept."""
    from hub.accounts import get_user, issue_token

    with session_scope() as session:
        issued = issue_token(session, username, label, days)
        audit_cli(session, "token_issued", "user", get_user(session, username).id, days=days)
    click.echo(issued)
    console.print(f"token for {username} valid {days} day(s); send 'Authorization: Bearer <token>'")


@users.command("revoke-tokens")
@click.argument("username")
def revoke_user_tokens(username: str) -> None:
    """Revoke every API token of USERNAME."""
    from hub.accounts import get_user, revoke_tokens

    with session_scope() as session:
        count = revoke_tokens(session, username)
        audit_cli(session, "tokens_revoked", "user", get_user(session, username).id, count=count)
    console.print(f"revoked {count} token(s) of {username}")


@users.command("rotate-agency")
@click.argument("agency")
@click.option("--label", help="Which system holds the new key, for the audit trail.")
def rotate_agency(agency: str, label: str | None) -> None:
    """Revoke every key of AGENCY and issue one new key (printed once)."""
    from hub import credentials
    from hub.schemas import AGENCIES

    if agency not in AGENCIES:
        raise click.BadParameter(f"unknown agency; one of {', '.join(AGENCIES)}")
    with session_scope() as session:
        revoked = credentials.revoke(session, agency)
        key = credentials.issue(session, agency, label)
        audit_cli(session, "agency_key_rotated", "agency", agency, revoked=revoked)
    click.echo(key)
    console.print(f"revoked {revoked} key(s) of {agency}; the new key is above")
