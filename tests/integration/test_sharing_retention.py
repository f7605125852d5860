"""Retention on both stacks (on PostgreSQL the foreign keys are checked at every DELETE, so
the purge's order must hold), and the `users` and `retention` command groups."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from connectors.base import message_key
from hub import accounts, audit, credentials, retention
from hub.cli_retention import retention as retention_cli
from hub.cli_users import users as users_cli
from hub.errors import Unauthenticated
from hub.models import (
    AuditEvent,
    Base,
    BusMessage,
    Concern,
    DeadLetter,
    Link,
    Person,
    SourceRecord,
    User,
)
from hub.schemas import ConcernSubmissionSchema, to_event
from tests.factories import submission
from tests.integration.stacks import Stack, run_pipeline
from tests.unit.hub.test_retention import attach_everything

NOW = dt.datetime.now(dt.UTC)
RECENT = (NOW - dt.timedelta(days=30)).isoformat()
PASSWORD = "correct horse battery staple"
NAMES = ("Oliver", "Quist", "1985-02-03", "POL-OLD", "Old Road")


def event(ref: str, given: str, family: str, born: str, line: str, postcode: str, **more):
    body = submission(
        person__source_ref=ref,
        person__given_name=given,
        person__family_name=family,
        person__date_of_birth=born,
        person__addresses=[{"line": line, "postcode": postcode}],
        **more,
    )
    return to_event(ConcernSubmissionSchema().load(body))


def publish(stack: Stack, *events: dict) -> None:
    for e in events:
        stack.bus.publish(stack.settings.concerns_topic, message_key(e), json.dumps(e).encode())
    stack.bus.flush()


def person_of(stack: Stack, concern_ref: str) -> int:
    return stack.scalar(select(Concern.person_id).where(Concern.concern_ref == concern_ref))


@pytest.fixture
def people(stack) -> dict[str, int]:
    old = ("POL-OLD", "Oliver", "Quist", "1985-02-03", "1 Old Road", "B1 1AA")
    publish(
        stack,
        event(
            *old,
            concern__ref="C-OLD-1",
            concern__occurred_at="1995-05-01T10:00:00+00:00",
            person__relationships=[{"type": "mother", "source_ref": "POL-OLDMUM"}],
        ),
        event(*old, concern__ref="C-OLD-2", concern__occurred_at="1998-07-02T10:00:00+00:00"),
        event(
            *old,
            concern__ref="C-OLD-1",
            concern__occurred_at="1995-05-01T10:00:00+00:00",
            concern__revision=2,
        ),
        event(
            "POL-NEW",
            "Rita",
            "Vance",
            "2015-01-01",
            "2 New Street",
            "B2 2BB",
            concern__ref="C-NEW",
            concern__occurred_at=RECENT,
        ),
        event(
            "POL-HELD",
            "Hector",
            "Lund",
            "1984-04-04",
            "4 Held Close",
            "B4 4DD",
            concern__ref="C-HELD",
            concern__occurred_at="1994-01-01T10:00:00+00:00",
        ),
    )
    assert run_pipeline(stack, 5).stored == 5
    people = {name: person_of(stack, ref) for name, ref in (("old", "C-OLD-2"), ("new", "C-NEW"))}
    people["held"] = person_of(stack, "C-HELD")
    with stack.sessions() as session, session.begin():
        attach_everything(session, people)
        session.add_all(
            [
                DeadLetter(
                    payload_sha256="a" * 64,
                    source_topic="t",
                    payload=b"{}",
                    reason="invalid_json",
                    errors={},
                    received_at=NOW - dt.timedelta(days=400),
                ),
                BusMessage(topic="t", value=b"{}", published_at=NOW - dt.timedelta(days=60)),
            ]
        )
    return people


def table_counts(stack: Stack) -> dict[str, int]:
    with stack.sessions() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }


def test_purge_removes_an_expired_person_in_foreign_key_order(stack, people):
    before = table_counts(stack)
    with stack.sessions() as session, session.begin():
        dry = retention.purge(session, retention.RetentionPolicy(), dry_run=True)
    assert table_counts(stack) == before
    with stack.sessions() as session, session.begin():
        report = retention.purge(session, retention.RetentionPolicy())
    assert report.persons == dry.persons == [people["old"]] and report.held == 1
    assert report.rows == dry.rows
    assert report.rows["concerns"] == 2 and report.rows["concern_revisions"] == 3
    assert report.rows["review_tasks"] == 1 and report.rows["declared_relationships"] == 1
    assert (report.dead_letters, report.bus_messages) == (1, 1)

    old = people["old"]
    after = table_counts(stack)
    assert after["concerns"] == before["concerns"] - 2 == 2
    assert after["source_records"] == before["source_records"] - 1
    assert stack.count(Concern, Concern.person_id == old) == 0
    assert stack.count(Link, Link.person_id == old) == 0
    assert stack.count(Person, Person.id == old) == 1  # the tombstone
    assert stack.count(SourceRecord, SourceRecord.source_ref == "POL-OLD") == 0
    for kept in ("new", "held"):
        assert stack.count(Concern, Concern.person_id == people[kept]) == 1
    with stack.sessions() as session:
        assert audit.verify(session).ok
        entries = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "retention_purge")
        ).all()
    assert [(e.subject_type, e.subject_id) for e in entries] == [
        ("person", str(old)),
        ("messages", None),
    ]
    written = json.dumps([audit.as_dict(e) for e in entries])
    assert not any(name in written for name in NAMES)


def invoke(stack: Stack, group, args: list[str], **kwargs):
    env = {"MASH_DATABASE_URL": str(stack.settings.database_url), "MASH_KAFKA_BOOTSTRAP": ""}
    env.update(kwargs.pop("env", {}))
    return CliRunner().invoke(group, args, env=env, **kwargs)


def test_users_add_token_list_disable(stack):
    added = invoke(
        stack,
        users_cli,
        ["add", "tm.patel", "--role", "team_manager", "--area", "E09000001"],
        env={"MASH_NEW_PASSWORD": PASSWORD},
    )
    assert added.exit_code == 0, added.output
    prompted = invoke(
        stack,
        users_cli,
        ["add", "sw.ali", "--role", "social_worker", "--area", "E09000001"]
        + ["--manager", "tm.patel"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert prompted.exit_code == 0, prompted.output
    assert PASSWORD not in prompted.output  # the prompt hides what is typed

    issued = invoke(stack, users_cli, ["token", "sw.ali", "--label", "laptop", "--days", "7"])
    assert issued.exit_code == 0, issued.output
    token = issued.stdout.strip()
    assert token.startswith(accounts.TOKEN_PREFIX)
    with stack.sessions() as session:
        assert accounts.user_for_token(session, token).username == "sw.ali"
        assert accounts.authenticate(session, "sw.ali", PASSWORD).role == "social_worker"

    listed = invoke(stack, users_cli, ["list"])
    assert listed.exit_code == 0, listed.output
    assert "sw.ali" in listed.stdout and "tm.patel" in listed.stdout
    assert "argon2" not in listed.output
    with stack.sessions() as session:
        hashes = session.scalars(select(User.password_hash)).all()
    assert not any(h in listed.output for h in hashes)

    assert invoke(stack, users_cli, ["disable", "sw.ali"]).exit_code == 0
    with stack.sessions() as session, pytest.raises(Unauthenticated):
        accounts.user_for_token(session, token)

    with stack.sessions() as session:
        actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["user_created", "user_created", "token_issued", "user_disabled"]


def test_users_refuses_bad_input_without_a_traceback(stack):
    env = {"MASH_NEW_PASSWORD": PASSWORD}
    bad_role = invoke(stack, users_cli, ["add", "x", "--role", "wizard"], env=env)
    assert bad_role.exit_code == 2 and "--role" in bad_role.output
    short = invoke(
        stack,
        users_cli,
        ["add", "x", "--role", "auditor"],
        env={"MASH_NEW_PASSWORD": "short"},
    )
    assert short.exit_code == 1 and "password: At least" in short.output
    assert invoke(stack, users_cli, ["add", "x", "--role", "auditor"], env=env).exit_code == 0
    again = invoke(stack, users_cli, ["add", "x", "--role", "auditor"], env=env)
    assert again.exit_code == 1 and "already exists" in again.output
    missing = invoke(stack, users_cli, ["token", "nobody"])
    assert missing.exit_code == 1 and "no user" in missing.output


def test_password_and_revoke_tokens(stack):
    env = {"MASH_NEW_PASSWORD": PASSWORD}
    assert invoke(stack, users_cli, ["add", "aud", "--role", "auditor"], env=env).exit_code == 0
    token = invoke(stack, users_cli, ["token", "aud"]).stdout.strip()
    revoked = invoke(stack, users_cli, ["revoke-tokens", "aud"])
    assert revoked.exit_code == 0 and "revoked 1 token(s)" in revoked.output
    new_password = "another long passphrase"
    changed = invoke(stack, users_cli, ["password", "aud"], env={"MASH_NEW_PASSWORD": new_password})
    assert changed.exit_code == 0, changed.output
    with stack.sessions() as session:
        assert accounts.authenticate(session, "aud", new_password).username == "aud"
        with pytest.raises(Unauthenticated):
            accounts.user_for_token(session, token)


def test_rotate_agency_revokes_every_key_and_prints_one_new(stack):
    with stack.sessions() as session, session.begin():
        old_keys = [credentials.issue(session, "school", "SIS") for _ in range(2)]
    rotated = invoke(stack, users_cli, ["rotate-agency", "school", "--label", "SIS v2"])
    assert rotated.exit_code == 0, rotated.output
    new_key = rotated.stdout.strip()
    assert new_key.startswith(credentials.PREFIX) and "revoked 2 key(s)" in rotated.output
    with stack.sessions() as session:
        assert credentials.agency_for(session, new_key) == "school"
        for key in old_keys:
            with pytest.raises(Unauthenticated):
                credentials.agency_for(session, key)
    unknown = invoke(stack, users_cli, ["rotate-agency", "aliens"])
    assert unknown.exit_code == 2 and "unknown agency" in unknown.output


def test_retention_purge_dry_run_hold_and_release(stack, people):
    before = table_counts(stack)
    dry = invoke(stack, retention_cli, ["purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert (
        "dry run" in dry.stdout and "persons: would remove 1; kept by a legal hold: 1" in dry.stdout
    )
    assert table_counts(stack) == before

    held = invoke(stack, retention_cli, ["hold", str(people["old"]), "--reason", "Inquiry"])
    assert held.exit_code == 0, held.output
    hold_id = int(held.stdout.strip())
    dry = invoke(stack, retention_cli, ["purge", "--dry-run"])
    assert "persons: would remove 0; kept by a legal hold: 2" in dry.stdout

    assert invoke(stack, retention_cli, ["release", str(hold_id)]).exit_code == 0
    again = invoke(stack, retention_cli, ["release", str(hold_id)])
    assert again.exit_code == 1 and "already released" in again.output
    purged = invoke(stack, retention_cli, ["purge"])
    assert purged.exit_code == 0, purged.output
    assert "persons: removed 1" in purged.stdout
    assert stack.count(Concern, Concern.person_id == people["old"]) == 0

    bad = invoke(stack, retention_cli, ["purge"], env={"MASH_RETAIN_CONCERNS_DAYS": "0"})
    assert bad.exit_code == 1 and "MASH_RETAIN_CONCERNS_DAYS" in bad.output
