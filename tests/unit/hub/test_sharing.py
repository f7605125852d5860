"""The sharing ledger: both decisions recorded, with the reasoning the guidance asks for."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from hub import sharing
from hub.access import LAWFUL_BASES
from hub.errors import InvalidQuery, NotFound
from hub.models import Disclosure, Person

ENTRY = {
    "decision": "shared",
    "what": "Dates of the last three A&E attendances",
    "recipient": "MASH police team",
    "purpose": "Strategy discussion under s47",
    "lawful_basis": LAWFUL_BASES[0],
    "consent": "given",
}


@pytest.fixture
def session(sqlite_engine):
    with Session(sqlite_engine) as session:
        yield session


@pytest.fixture
def person_id(session) -> int:
    person = Person()
    session.add(person)
    session.flush()
    return person.id


def test_a_decision_to_share_is_recorded_as_the_deciding_user(session, person_id):
    entry = sharing.record_disclosure(
        session, "sw.jones", person_id, **{**ENTRY, "what": "  Dates of attendances  "}
    )
    assert entry.id and entry.person_id == person_id
    assert entry.decided_by == "sw.jones" and entry.decided_at is not None
    assert entry.what == "Dates of attendances"
    assert entry.consent_note is None


def test_a_decision_not_to_share_is_recorded_too_and_the_ledger_keeps_order(session, person_id):
    first = sharing.record_disclosure(session, "sw.jones", person_id, **ENTRY)
    second = sharing.record_disclosure(
        session,
        "tm.patel",
        person_id,
        **{
            **ENTRY,
            "decision": "not_shared",
            "consent": "refused",
            "consent_note": "Mother refused; sharing would not be proportionate at this stage.",
        },
    )
    assert [d.id for d in sharing.disclosures_for(session, person_id)] == [first.id, second.id]
    assert second.decision == "not_shared" and second.consent == "refused"
    assert sharing.disclosures_for(session, person_id + 1000) == []


@pytest.mark.parametrize("consent", ["refused", "not_sought"])
@pytest.mark.parametrize("note", [None, "", "   "])
def test_refused_or_unsought_consent_needs_a_note_saying_why(session, person_id, consent, note):
    with pytest.raises(InvalidQuery) as caught:
        sharing.record_disclosure(
            session, "sw.jones", person_id, **{**ENTRY, "consent": consent, "consent_note": note}
        )
    assert list(caught.value.fields) == ["consent_note"]
    assert consent in caught.value.fields["consent_note"][0]


def test_not_sought_with_a_reason_is_accepted(session, person_id):
    entry = sharing.record_disclosure(
        session,
        "sw.jones",
        person_id,
        **{
            **ENTRY,
            "consent": "not_sought",
            "consent_note": "Seeking it would place the child at risk.",
        },
    )
    assert entry.consent_note == "Seeking it would place the child at risk."


def test_every_bad_field_is_reported_at_once(session, person_id):
    with pytest.raises(InvalidQuery) as caught:
        sharing.record_disclosure(
            session,
            "sw.jones",
            person_id,
            decision="maybe",
            what=" ",
            recipient="x" * (sharing.MAX_RECIPIENT + 1),
            purpose="",
            lawful_basis="because",
            consent="implied",
            consent_note="y" * (sharing.MAX_NOTE + 1),
        )
    fields = caught.value.fields
    assert set(fields) == {
        "decision",
        "what",
        "recipient",
        "purpose",
        "lawful_basis",
        "consent",
        "consent_note",
    }
    assert fields["recipient"] == [f"At most {sharing.MAX_RECIPIENT} characters."]
    assert fields["what"] == ["Required."]
    assert session.scalars(select(Disclosure)).all() == []


def test_the_deciding_user_is_required(session, person_id):
    with pytest.raises(InvalidQuery) as caught:
        sharing.record_disclosure(session, "  ", person_id, **ENTRY)
    assert list(caught.value.fields) == ["decided_by"]


def test_an_unknown_person_is_not_found(session):
    with pytest.raises(NotFound):
        sharing.record_disclosure(session, "sw.jones", 999_999, **ENTRY)
