"""The pipeline end to end on both stacks: validate, link, store, dead-letter, replay."""

from __future__ import annotations

import json

from sqlalchemy import select

from connectors.base import message_key
from hub import audit, records
from hub.models import (
    AuditEvent,
    Concern,
    ConcernRevision,
    DeadLetter,
    Household,
    HouseholdMembership,
    Link,
    Person,
)
from hub.schemas import ConcernSubmissionSchema, to_event
from tests.factories import DELETE, submission
from tests.integration.busutil import drain
from tests.integration.stacks import Stack, run_pipeline

MAX_EVENT_BYTES = 8 * 1024


def event(**overrides) -> dict:
    return to_event(ConcernSubmissionSchema().load(submission(**overrides)))


def publish(stack: Stack, *events: dict) -> None:
    for e in events:
        stack.bus.publish(stack.settings.concerns_topic, message_key(e), json.dumps(e).encode())
    stack.bus.flush()


def test_concerns_from_four_agencies_join_into_one_chronology(stack):
    child = {"person__given_name": "Amelia", "person__date_of_birth": "2018-04-12"}
    publish(
        stack,
        event(agency="police", person__source_ref="POL-1", concern__ref="P-1", **child),
        event(
            agency="health_ae",
            person__source_ref="AE-1",
            person__nhs_number="9434765919",
            concern__ref="AE-1",
            concern__category="injury",
            **child,
        ),
        event(
            agency="school",
            person__source_ref="SCH-1",
            person__upn="H801200001001",
            concern__ref="S-1",
            concern__category="attendance",
            concern__severity="low",
            **child,
        ),
    )
    assert run_pipeline(stack, 3).stored == 3
    # The GP spells her name differently and gives no date of birth: the NHS number links her.
    publish(
        stack,
        event(
            agency="gp",
            person__source_ref="GP-1",
            person__given_name="Amy",
            person__date_of_birth=DELETE,
            person__nhs_number="943 476 5919",
            concern__ref="GP-1",
            concern__category="neglect",
            concern__severity="medium",
        ),
    )
    assert run_pipeline(stack, 1).stored == 1

    with stack.sessions() as session:
        persons = set(session.scalars(select(Concern.person_id)))
        assert len(persons) == 1
        links = {
            agency: link
            for agency, link in session.execute(
                select(Concern.agency_code, Link).join(
                    Link, Link.source_record_id == Concern.source_record_id
                )
            )
        }
    assert links["police"].method == "new_person"
    assert {links[a].method for a in ("health_ae", "school", "gp")} == {"probabilistic"}
    gp_fields = {f["field"]: f["level"] for f in links["gp"].explanation["fields"]}
    assert gp_fields["nhs_number"] == "exact"
    assert gp_fields["given_name"] == "nickname_or_transliteration"  # Amy / Amelia
    assert gp_fields["date_of_birth"] == "null"
    assert links["gp"].model_version == stack.model.version
    assert links["gp"].score > stack.model.link_threshold
    assert stack.count(Person) == 1
    with stack.sessions() as session:  # every link the matcher made is in the audit trail
        entries = session.scalars(select(AuditEvent).where(AuditEvent.action == "link")).all()
        audited = {tuple(made) for entry in entries for made in entry.detail["links"]}
        assert {e.actor for e in entries} == {"pipeline"}
        assert audited == {
            (link.source_record_id, link.person_id, link.method) for link in links.values()
        }
        assert audit.verify(session).ok


def test_a_different_child_stays_a_different_person(stack):
    publish(
        stack,
        event(person__source_ref="A", concern__ref="1"),
        event(person__source_ref="B", person__given_name="Evie", concern__ref="2"),
        event(person__source_ref="C", person__date_of_birth="1986-01-02", concern__ref="3"),
    )
    run_pipeline(stack, 3)
    assert stack.count(Person) == 3


def test_a_record_that_gains_an_nhs_number_is_found_by_it(stack):
    nhs = "9434765919"
    publish(stack, event(agency="gp", person__source_ref="GP-1", concern__ref="1"))
    run_pipeline(stack, 1)
    publish(
        stack,
        event(agency="gp", person__source_ref="GP-1", person__nhs_number=nhs, concern__ref="2"),
    )
    run_pipeline(stack, 1)
    # New surname, day and month swapped, another city: only the NHS number can find her.
    elsewhere = event(
        agency="health_ae",
        person__source_ref="AE-9",
        person__family_name="Okafor",
        person__date_of_birth="2018-12-04",
        person__nhs_number=nhs,
        person__addresses=[{"line": "3 Canal Walk", "postcode": "LS6 2AA"}],
        concern__ref="3",
    )
    publish(stack, elsewhere)
    run_pipeline(stack, 1)
    assert stack.count(Person) == 1


def test_malformed_messages_are_dead_lettered_with_reasons_while_good_ones_pass(stack):
    topic = stack.settings.concerns_topic
    good = [event(person__source_ref=f"G{i}", concern__ref=f"G{i}") for i in range(3)]
    missing = event(concern__ref="M1")
    del missing["concern"]["summary"]
    wrong_type = event(concern__ref="W1")
    wrong_type["person"]["date_of_birth"] = 20180412
    oversized = event(concern__ref="O1", concern__summary="x" * 4000)
    oversized["concern"]["action_taken"] = "y" * 4000
    bad = [
        b"{this is not json",
        b"\xff\xfe not utf-8",
        json.dumps([1, 2, 3]).encode(),
        json.dumps(missing).encode(),
        json.dumps(wrong_type).encode(),
        json.dumps(oversized).encode() + b" " * 1024,
    ]
    publish(stack, good[0])
    for raw in bad:
        stack.bus.publish(topic, "police:BAD", raw)
    publish(stack, *good[1:])

    stats = run_pipeline(stack, len(good) + len(bad))
    assert (stats.stored, stats.dead_letter) == (3, 6)
    assert stack.count(Concern) == 3

    with stack.sessions() as session:
        letters = {bytes(d.payload): d for d in session.scalars(select(DeadLetter))}
    assert set(letters) == set(bad)
    assert letters[bad[0]].reason == "invalid_json"
    assert letters[bad[1]].reason == "invalid_encoding"
    assert letters[bad[2]].reason == "invalid_event"
    assert letters[bad[3]].errors == {"concern": {"summary": ["Missing data for required field."]}}
    assert "date_of_birth" in letters[bad[4]].errors["person"]
    assert letters[bad[5]].reason == "oversized"

    consumer = stack.bus.consumer([stack.settings.deadletter_topic], "dlq-reader")
    published = [json.loads(m.value) for m in drain(consumer, 6)]
    consumer.close()
    assert sorted(p["reason"] for p in published) == sorted(d.reason for d in letters.values())


def test_replaying_every_event_changes_nothing(stack):
    names = ["Amelia", "Evie"]
    events = [
        event(person__source_ref=f"R{i % 2}", person__given_name=names[i % 2], concern__ref=f"R{i}")
        for i in range(6)
    ]
    publish(stack, *events)
    stack.bus.publish(stack.settings.concerns_topic, "police:BAD", b"not json")
    stack.bus.flush()
    first = run_pipeline(stack, 7)
    assert (first.stored, first.dead_letter) == (6, 1)
    before = (stack.count(Concern), stack.count(Person), stack.count(Link), stack.count(DeadLetter))

    publish(stack, *events)  # the agency sends everything again...
    replay = run_pipeline(
        stack, 13, group="replay-from-the-start"
    )  # ...and a new group re-reads it all
    assert (replay.stored, replay.duplicate, replay.dead_letter) == (0, 12, 1)
    after = (stack.count(Concern), stack.count(Person), stack.count(Link), stack.count(DeadLetter))
    assert after == before == (6, 2, 2, 1)
    with stack.sessions() as session:  # a replay links nothing, so audits no link
        linked = session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "link"))
        assert sum(len(detail["links"]) for detail in linked) == 2


def test_a_linked_event_follows_every_stored_concern(stack):
    events = [event(person__source_ref=f"L{i}", concern__ref=f"L{i}") for i in range(4)]
    publish(stack, *events)
    run_pipeline(stack, 4)
    consumer = stack.bus.consumer([stack.settings.linked_topic], "linked-reader")
    linked = [json.loads(m.value) for m in drain(consumer, 4)]
    consumer.close()
    assert sorted(e["event_id"] for e in linked) == sorted(e["event_id"] for e in events)
    with stack.sessions() as session:
        stored = dict(session.execute(select(Concern.event_id, Concern.person_id)).all())
    assert all(stored[e["event_id"]] == e["person_id"] for e in linked)


def test_a_family_at_one_address_forms_a_household_and_a_move_adds_another(stack):
    home = [{"line": "12 Mill Lane", "postcode": "B12 9QT"}]
    people = [
        ("police", "M", "Grace", "1990-02-03", "carer"),
        ("school", "C", "Amelia", "2018-04-12", "child"),
        ("probation", "P", "Reece", "1986-07-30", "visitor"),
    ]
    events = [
        event(agency=agency, person__source_ref=ref, person__given_name=given,
              person__date_of_birth=dob, person__role=role, person__addresses=home,
              concern__ref=f"H-{ref}")
        for agency, ref, given, dob, role in people
    ]  # fmt: skip
    unborn = event(agency="midwifery", person__source_ref="U", person__role="unborn",
                   person__addresses=home, concern__ref="H-U",
                   concern__category="pregnancy_booking", concern__severity="low")  # fmt: skip
    del unborn["person"]["given_name"], unborn["person"]["date_of_birth"]
    publish(stack, *events, unborn)
    run_pipeline(stack, 4)
    moved = event(
        agency="gp",
        person__source_ref="C-GP",
        person__given_name="Amelia",
        person__date_of_birth="2018-04-12",
        person__role="child",
        person__addresses=[{"line": "3 Canal Walk", "postcode": "LS6 2AA"}],
        concern__ref="H-moved",
        concern__occurred_at="2026-06-01T09:00:00+00:00",
    )
    publish(stack, moved)
    run_pipeline(stack, 1)

    with stack.sessions() as session:
        members = session.execute(
            select(
                Household.address_key, HouseholdMembership.role, HouseholdMembership.person_id
            ).join(HouseholdMembership, HouseholdMembership.household_id == Household.id)
        ).all()
    at_home = {role for key, role, _ in members if key == "B12 9QT|12 mill ln"}
    assert at_home == {"carer", "child", "visitor", "unborn"}
    child = {pid for key, role, pid in members if role == "child"}
    assert len(child) == 1, "the child who moved is one person in two households"
    assert {key for key, role, _ in members if role == "child"} == {
        "B12 9QT|12 mill ln",
        "LS6 2AA|3 canal walk",
    }


def test_an_event_sent_twice_in_one_batch_is_stored_once(stack):
    first = event(concern__ref="TWICE-1")
    amended = event(concern__ref="TWICE-1", concern__revision=2, concern__summary="Corrected.")
    publish(stack, first, first, amended, first)
    stats = run_pipeline(stack, 4)
    assert (stats.stored, stats.duplicate) == (2, 2)
    assert stack.count(Concern) == 1
    assert stack.scalar(select(Concern.summary)) == "Corrected."
    assert stack.count(ConcernRevision) == 2


def test_an_event_that_breaks_processing_is_dead_lettered_and_its_batch_still_lands(
    stack, monkeypatch
):
    """Fault injection: matching raises for one record. The batch is retried in halves until
    the one message at fault is found; every other event of the batch is stored."""
    real_decide = records.decide

    def decide(model, record, *args, **kwargs):
        if record.given == "poison":
            raise ValueError("injected fault")
        return real_decide(model, record, *args, **kwargs)

    monkeypatch.setattr(records, "decide", decide)
    names = ["Amelia", "Evie", "Poison", "Noah", "Oliver", "Isla", "Leo"]
    events = [
        event(person__source_ref=f"P{i}", person__given_name=name, concern__ref=f"P{i}")
        for i, name in enumerate(names)
    ]
    publish(stack, *events)
    stats = run_pipeline(stack, len(events))
    assert (stats.stored, stats.dead_letter) == (6, 1)
    with stack.sessions() as session:
        letter = session.scalars(select(DeadLetter)).one()
        stored = set(session.scalars(select(Concern.concern_ref)))
    assert (letter.reason, letter.errors) == ("processing_error", {"error": ["ValueError"]})
    assert json.loads(letter.payload)["person"]["given_name"] == "Poison"
    assert stored == {f"P{i}" for i in range(len(names)) if i != 2}
