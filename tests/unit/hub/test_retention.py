"""Retention on SQLite (foreign keys on): expired persons become empty tombstones, held and
recent ones are untouched, a dry run changes nothing, and the audit trail says what went."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hub import access, accounts, audit, retention, sharing
from hub.bus import Message
from hub.errors import Conflict, InvalidQuery, NotFound
from hub.models import (
    AuditEvent,
    Base,
    BusMessage,
    Concern,
    DeadLetter,
    Household,
    HouseholdMembership,
    Link,
    Person,
    ReviewTask,
    SourceRecord,
)
from hub.pipeline import handle_batch
from hub.retention import RetentionPolicy
from hub.schemas import ConcernSubmissionSchema, to_event
from hub.settings import Settings
from matching.model import Model, default_model_path
from tests.factories import submission

NOW = dt.datetime.now(dt.UTC)
RECENT = (NOW - dt.timedelta(days=30)).isoformat()
POLICY = RetentionPolicy()
# Every table whose rows point at a person or a source record is either purged or kept on
# purpose: the tombstone itself, and merges (ids only, so unmerges and the trail still read).
KEPT = {"persons", "merges"}


@pytest.fixture(scope="module")
def model() -> Model:
    return Model.load(default_model_path())


def child(ref: str, given: str, family: str, born: str, line: str, postcode: str, **more):
    return {
        "person__source_ref": ref,
        "person__given_name": given,
        "person__family_name": family,
        "person__date_of_birth": born,
        "person__addresses": [{"line": line, "postcode": postcode}],
        **more,
    }


OLD = child("POL-OLD", "Oliver", "Quist", "1985-02-03", "1 Old Road", "B1 1AA")
NEW = child("POL-NEW", "Rita", "Vance", "2015-01-01", "2 New Street", "B2 2BB")
MIXED = child("POL-MIX", "Maxine", "Ruiz", "1990-03-03", "3 Mixed Way", "B3 3CC")
HELD = child("POL-HELD", "Hector", "Lund", "1984-04-04", "4 Held Close", "B4 4DD")
PERSONAL = ("Oliver", "Quist", "1985-02-03", "POL-OLD", "Old Road", "B1 1AA")


def store(engine, model: Model, *submissions: dict) -> list[int]:
    """Run submissions through the real pipeline rule; returns each one's person id."""
    settings = Settings.from_env({}, database_url=str(engine.url))
    messages = [
        Message("t.concerns", 0, n, None, json.dumps(to_event(_load(s))).encode())
        for n, s in enumerate(submissions)
    ]
    with Session(engine) as session, session.begin():
        outcomes = handle_batch(session, messages, settings, model)
    assert [o.status for o in outcomes] == ["stored"] * len(submissions), outcomes
    return [o.person_id for o in outcomes]


def _load(overrides: dict) -> dict:
    return ConcernSubmissionSchema().load(submission(**overrides))


def concern(person: dict, ref: str, occurred: str, **more) -> dict:
    return {**person, "concern__ref": ref, "concern__occurred_at": occurred, **more}


@pytest.fixture
def people(sqlite_engine, model) -> dict[str, int]:
    """Four children: one whose concerns are all 25+ years old, one recent, one with both,
    and one old but under a legal hold. The old one also has a relative's record named,
    a revision, a disclosure, a break-glass grant, a released hold and a review task."""
    ids = store(
        sqlite_engine,
        model,
        concern(
            OLD,
            "C-OLD-1",
            "1995-05-01T10:00:00+00:00",
            person__relationships=[{"type": "mother", "source_ref": "POL-OLDMUM"}],
        ),
        concern(OLD, "C-OLD-2", "1998-07-02T10:00:00+00:00"),
        concern(NEW, "C-NEW-1", RECENT),
        concern(MIXED, "C-MIX-1", "1996-01-01T10:00:00+00:00"),
        concern(MIXED, "C-MIX-2", RECENT),
        concern(HELD, "C-HELD-1", "1994-01-01T10:00:00+00:00"),
    )
    # An amendment of the first old concern: a second revision row.
    store(
        sqlite_engine,
        model,
        concern(OLD, "C-OLD-1", "1995-05-01T10:00:00+00:00", concern__revision=2),
    )
    people = {"old": ids[0], "new": ids[2], "mixed": ids[3], "held": ids[5]}
    assert ids[0] == ids[1] and ids[3] == ids[4] and len(set(people.values())) == 4
    with Session(sqlite_engine) as session, session.begin():
        attach_everything(session, people)
    return people


def attach_everything(session: Session, people: dict[str, int]) -> None:
    """A row in every table that refers to a person: a break-glass grant, a disclosure, a
    released and an open legal hold, a review task naming the old person as the candidate."""
    worker = accounts.create_user(
        session, "sw.jones", "a long enough password", "social_worker", "E09000001"
    )
    access.break_glass(
        session,
        access.Actor.of(worker),
        people["old"],
        "Strategy meeting needs the history now.",
        access.LAWFUL_BASES[0],
        60,
    )
    sharing.record_disclosure(
        session,
        "sw.jones",
        people["old"],
        decision="shared",
        what="Attendance history",
        recipient="MASH police team",
        purpose="Strategy discussion",
        lawful_basis=access.LAWFUL_BASES[0],
        consent="given",
    )
    released = retention.place_hold(session, people["old"], "Complaint, since closed", "tm")
    retention.release_hold(session, released.id, "tm")
    retention.place_hold(session, people["held"], "Care proceedings ref 123", "tm")
    new_record = session.scalar(
        select(Link.source_record_id).where(Link.person_id == people["new"])
    )
    session.add(
        ReviewTask(
            source_record_id=new_record,
            candidate_person_id=people["old"],
            probability=0.5,
            reason="test",
            explanation={},
            model_version="test",
        )
    )


def counts(engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table.name: connection.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
        }


def rows_of(engine, person_id: int) -> dict[str, int]:
    """The person's rows in the tables that say who they are and what happened."""
    with Session(engine) as session:
        records = select(Link.source_record_id).where(Link.person_id == person_id)
        return {
            "concerns": session.scalar(
                select(func.count()).select_from(Concern).where(Concern.person_id == person_id)
            ),
            "links": len(session.scalars(records).all()),
            "memberships": session.scalar(
                select(func.count())
                .select_from(HouseholdMembership)
                .where(HouseholdMembership.person_id == person_id)
            ),
            "holds": len(retention.holds_for(session, person_id)),
            "disclosures": len(sharing.disclosures_for(session, person_id)),
        }


def purge(engine, **kwargs) -> retention.PurgeReport:
    with Session(engine) as session, session.begin():
        return retention.purge(session, kwargs.pop("policy", POLICY), now=NOW, **kwargs)


def test_the_policy_has_safe_defaults_and_reads_the_environment_once():
    assert RetentionPolicy.from_env({}) == RetentionPolicy(9131, 90, 30)
    env = {
        "MASH_RETAIN_CONCERNS_DAYS": "3650",
        "MASH_RETAIN_DEAD_LETTERS_DAYS": " 7 ",
        "MASH_RETAIN_BUS_MESSAGES_DAYS": "",
    }
    assert RetentionPolicy.from_env(env) == RetentionPolicy(3650, 7, 30)


@pytest.mark.parametrize("value", ["0", "-5", "ten", "1.5"])
def test_a_bad_period_is_an_error_naming_the_variable_not_a_purge(value):
    with pytest.raises(ValueError, match="MASH_RETAIN_CONCERNS_DAYS"):
        RetentionPolicy.from_env({"MASH_RETAIN_CONCERNS_DAYS": value})


def test_an_expired_person_becomes_an_empty_tombstone(sqlite_engine, people):
    old = people["old"]
    with Session(sqlite_engine) as session:
        old_records = session.scalars(
            select(Link.source_record_id).where(Link.person_id == old)
        ).all()
    assert rows_of(sqlite_engine, old) == {
        "concerns": 2,
        "links": 1,
        "memberships": 1,
        "holds": 1,
        "disclosures": 1,
    }
    assert _households_at(sqlite_engine, "B1 1AA") == 1
    report = purge(sqlite_engine)
    assert report.persons == [old] and report.held == 1 and not report.dry_run
    assert rows_of(sqlite_engine, old) == dict.fromkeys(
        ("concerns", "links", "memberships", "holds", "disclosures"), 0
    )
    with Session(sqlite_engine) as session:
        assert session.get(Person, old) is not None  # the id still resolves
        assert (
            session.scalars(select(SourceRecord).where(SourceRecord.id.in_(old_records))).all()
            == []
        )
        assert session.scalar(select(func.count()).select_from(ReviewTask)) == 0
    # The old child's household had no one else in it; it (an address) has gone too.
    assert _households_at(sqlite_engine, "B1 1AA") == 0
    rows = report.rows
    assert rows["concerns"] == 2 and rows["concern_revisions"] == 3
    assert rows["source_records"] == 1 and rows["links"] == 1 and rows["source_addresses"] == 1
    assert rows["declared_relationships"] == 1 and rows["blocking_keys"] > 0
    assert rows["household_memberships"] == 1 and rows["households"] == 1
    assert rows["disclosures"] == 1 and rows["break_glass_grants"] == 1
    assert rows["legal_holds"] == 1 and rows["review_tasks"] == 1


def _households_at(engine, postcode: str) -> int:
    with Session(engine) as session:
        at = Household.address_key.startswith(f"{postcode}|")
        return session.scalar(select(func.count()).select_from(Household).where(at)) or 0


def test_recent_mixed_and_held_persons_are_untouched(sqlite_engine, people):
    before = {name: rows_of(sqlite_engine, pid) for name, pid in people.items() if name != "old"}
    purge(sqlite_engine)
    after = {name: rows_of(sqlite_engine, pid) for name, pid in people.items() if name != "old"}
    assert after == before
    assert after["mixed"]["concerns"] == 2 and after["held"]["holds"] == 1


def test_a_held_person_is_purged_once_the_hold_is_released(sqlite_engine, people):
    held = people["held"]
    assert held not in purge(sqlite_engine).persons
    with Session(sqlite_engine) as session, session.begin():
        (hold,) = retention.holds_for(session, held)
        retention.release_hold(session, hold.id, "tm")
    assert purge(sqlite_engine).persons == [held]
    assert rows_of(sqlite_engine, held)["concerns"] == 0


def test_a_dry_run_reports_the_same_and_changes_nothing(sqlite_engine, people):
    before = counts(sqlite_engine)
    dry = purge(sqlite_engine, dry_run=True)
    assert counts(sqlite_engine) == before  # no audit entry either
    real = purge(sqlite_engine)
    assert dry.dry_run and (dry.persons, dry.held, dry.rows) == (real.persons, real.held, real.rows)


def test_one_audit_entry_per_purged_person_with_counts_and_no_personal_data(sqlite_engine, people):
    report = purge(sqlite_engine)
    with Session(sqlite_engine) as session:
        entries = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "retention_purge").order_by(AuditEvent.id)
        ).all()
        assert audit.verify(session).ok
    by_person = [e for e in entries if e.subject_type == "person"]
    assert [(e.subject_id, e.actor, e.role) for e in by_person] == [
        (str(people["old"]), "retention", "system")
    ]
    assert by_person[0].detail["rows"] == report.rows
    (run,) = [e for e in entries if e.subject_type == "messages"]
    assert run.detail["persons"] == 1 and run.detail["held"] == 1
    written = json.dumps([audit.as_dict(e) for e in entries])
    for personal in PERSONAL:
        assert personal not in written


def test_a_second_purge_finds_nothing_more(sqlite_engine, people):
    purge(sqlite_engine)
    again = purge(sqlite_engine)
    assert again.persons == [] and again.rows == {}


def test_a_household_shared_with_a_recent_person_is_kept(sqlite_engine, model):
    lodger = child("POL-LODGE", "Olga", "Brandt", "1970-06-06", "2 New Street", "B2 2BB")
    old_id, new_id = store(
        sqlite_engine,
        model,
        concern(lodger, "C-LODGE", "1990-01-01T00:00:00+00:00", person__role="carer"),
        concern(NEW, "C-NEW", RECENT),
    )
    report = purge(sqlite_engine)
    assert report.persons == [old_id] and report.rows["households"] == 0
    with Session(sqlite_engine) as session:
        members = session.scalars(select(HouseholdMembership.person_id)).all()
    assert members == [new_id]


def test_old_dead_letters_and_bus_messages_go_recent_ones_stay(sqlite_engine):
    with Session(sqlite_engine) as session, session.begin():
        for n, days in enumerate((200, 91, 10)):
            session.add(
                DeadLetter(
                    payload_sha256=f"{n:064d}",
                    source_topic="t",
                    payload=b"{}",
                    reason="invalid_json",
                    errors={},
                    received_at=NOW - dt.timedelta(days=days),
                )
            )
        for days in (45, 31, 29, 1):
            session.add(
                BusMessage(topic="t", value=b"{}", published_at=NOW - dt.timedelta(days=days))
            )
    report = purge(sqlite_engine)
    assert (report.dead_letters, report.bus_messages) == (2, 2)
    remaining = counts(sqlite_engine)
    assert remaining["dead_letters"] == 1 and remaining["bus_messages"] == 2
    with Session(sqlite_engine) as session:
        (run,) = session.scalars(select(AuditEvent).where(AuditEvent.subject_type == "messages"))
    assert run.detail["dead_letters"] == 2 and run.detail["bus_messages"] == 2


def test_every_table_pointing_at_persons_or_records_is_purged_or_kept_on_purpose():
    purged = {name for name, _ in retention._steps(1, [], [])}
    pointing = {
        table.name
        for table in Base.metadata.sorted_tables
        for key in table.foreign_keys
        if key.column.table.name in ("persons", "source_records")
    }
    assert pointing <= purged | KEPT, pointing - purged - KEPT


def test_holds_follow_a_merge_and_are_released_once(sqlite_engine):
    with Session(sqlite_engine) as session, session.begin():
        survivor, merged = Person(), Person()
        session.add_all([survivor, merged])
        session.flush()
        merged.merged_into_id = survivor.id
        hold = retention.place_hold(session, merged.id, "  Inquiry  ", "tm")
        assert (hold.person_id, hold.reason, hold.placed_by) == (survivor.id, "Inquiry", "tm")
        with pytest.raises(InvalidQuery):
            retention.place_hold(session, survivor.id, " ", "tm")
        with pytest.raises(NotFound):
            retention.place_hold(session, 999_999, "Inquiry", "tm")
        released = retention.release_hold(session, hold.id, "tm2")
        assert released.released_by == "tm2" and released.released_at is not None
        with pytest.raises(Conflict):
            retention.release_hold(session, hold.id, "tm2")
        with pytest.raises(NotFound):
            retention.release_hold(session, 999_999, "tm2")
        assert [h.id for h in retention.holds_for(session, survivor.id)] == [hold.id]
