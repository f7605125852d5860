"""Why records are linked, the review queue, and merge/unmerge — through the API, both stacks."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hub.models import AuditEvent, Concern, HouseholdMembership, ReviewTask
from tests.factories import DELETE, submission
from tests.integration.stacks import Stack, run_pipeline

NHS_A, NHS_B = "9434765919", "4010232137"  # both valid, different


def person_of(stack: Stack, agency: str) -> int:
    return stack.scalar(select(Concern.person_id).where(Concern.agency_code == agency))


@pytest.fixture
def conflicting_pair(client, stack):
    """One girl's details twice, but with two different valid NHS numbers: never auto-linked."""
    for agency, nhs in (("gp", NHS_A), ("health_ae", NHS_B)):  # in this order: Kafka partitions
        body = submission(agency=agency, person__nhs_number=nhs, concern__ref=f"{agency}-1")
        assert client.post("/api/v1/concerns", json=body).status_code == 202
        run_pipeline(stack, 1)
    return person_of(stack, "gp"), person_of(stack, "health_ae")


def test_conflicting_records_wait_in_the_review_queue_with_the_reason(client, conflicting_pair):
    gp_person, ae_person = conflicting_pair
    assert gp_person != ae_person
    tasks = client.get("/api/v1/review").get_json()["tasks"]
    assert len(tasks) == 1
    task = tasks[0]
    assert task["reason"] == "different_nhs_numbers"
    assert task["candidate_person_id"] == gp_person
    assert task["source_record"]["agency"] == "health_ae"
    fields = {f["field"]: f["level"] for f in task["explanation"]["fields"]}
    assert fields["nhs_number"] == "different"
    assert fields["date_of_birth"] == "exact"


def test_person_shows_each_source_record_and_why_it_is_linked(client, conflicting_pair):
    gp_person, _ = conflicting_pair
    body = client.get(f"/api/v1/persons/{gp_person}").get_json()
    assert body["person_id"] == gp_person
    (record,) = body["source_records"]
    assert record["agency"] == "gp" and record["nhs_number"] == NHS_A
    assert record["link"]["method"] == "new_person"
    assert record["link"]["model_version"].startswith("fs-")
    assert client.get("/api/v1/persons/424242").status_code == 404


def test_deciding_link_merges_and_undo_puts_every_record_back(client, stack, conflicting_pair):
    gp_person, ae_person = conflicting_pair
    task_id = client.get("/api/v1/review").get_json()["tasks"][0]["id"]
    response = client.post(f"/api/v1/review/{task_id}/decision", json={"decision": "link"})
    assert response.status_code == 200 and response.get_json()["decision"] == "link"

    merged = client.get(f"/api/v1/persons/{ae_person}").get_json()
    assert merged["person_id"] == gp_person and merged["requested_id"] == ae_person
    assert merged["merged_from"] == [ae_person]
    assert {r["agency"] for r in merged["source_records"]} == {"gp", "health_ae"}
    assert client.get(f"/api/v1/persons/{gp_person}/timeline").get_json()["total"] == 2
    assert client.get("/api/v1/review").get_json()["tasks"] == []

    again = client.post(f"/api/v1/review/{task_id}/decision", json={"decision": "link"})
    assert again.status_code == 409

    with stack.sessions() as session:
        merge_id = session.scalar(select(AuditEvent.detail).where(AuditEvent.action == "merge"))[
            "merge_id"
        ]
    undone = client.post(f"/api/v1/persons/merges/{merge_id}/undo")
    assert undone.status_code == 200 and undone.get_json()["undone_by"] == "mash_practitioner"
    assert client.get(f"/api/v1/persons/{gp_person}/timeline").get_json()["total"] == 1
    assert client.get(f"/api/v1/persons/{ae_person}/timeline").get_json()["total"] == 1
    assert client.post(f"/api/v1/persons/merges/{merge_id}/undo").status_code == (409)
    with stack.sessions() as session:
        actions = set(session.scalars(select(AuditEvent.action)))
    assert {"merge", "unmerge", "review_decision", "read_timeline"} <= actions
    with stack.sessions() as session:
        decided = session.execute(
            select(AuditEvent.actor, AuditEvent.role).where(
                AuditEvent.action.in_(("merge", "unmerge", "review_decision"))
            )
        ).all()
    assert set(decided) == {("mash_practitioner", "mash_practitioner")}


def test_not_the_same_person_closes_the_task_and_keeps_them_apart(client, stack, conflicting_pair):
    gp_person, ae_person = conflicting_pair
    task_id = client.get("/api/v1/review").get_json()["tasks"][0]["id"]
    body = {"decision": "not_same_person"}
    assert client.post(f"/api/v1/review/{task_id}/decision", json=body).status_code == 200
    assert stack.scalar(select(ReviewTask.status)) == "decided"
    assert person_of(stack, "gp") == gp_person and person_of(stack, "health_ae") == ae_person


def test_bad_decisions_and_merges_get_422_or_409(client, conflicting_pair):
    gp_person, ae_person = conflicting_pair
    task_id = client.get("/api/v1/review").get_json()["tasks"][0]["id"]
    bad = client.post(f"/api/v1/review/{task_id}/decision", json={"decision": "maybe"})
    assert bad.status_code == 422
    assert set(bad.get_json()["fields"]) == {"decision"}
    assert client.post("/api/v1/review/999/decision", json={"decision": "link"}).status_code == 404
    same = {"into": gp_person, "reason": "test"}
    assert client.post(f"/api/v1/persons/{gp_person}/merge", json=same).status_code == 409
    manual = {"into": gp_person, "reason": "same child, confirmed with GP"}
    response = client.post(f"/api/v1/persons/{ae_person}/merge", json=manual)
    assert response.status_code == 201 and response.get_json()["survivor_id"] == gp_person


def test_an_unborn_child_declared_before_its_mother_arrives_joins_her_and_her_household(
    client, stack
):
    unborn = submission(
        agency="midwifery",
        person__source_ref="MW-BABY-1",
        person__given_name=DELETE,
        person__date_of_birth=DELETE,
        person__sex=DELETE,
        person__role="unborn",
        person__addresses=[],
        person__relationships=[{"type": "mother", "source_ref": "MW-MUM-1"}],
        concern__ref="MW-C1",
        concern__category="pregnancy_booking",
    )
    assert client.post("/api/v1/concerns", json=unborn).status_code == 202
    run_pipeline(stack, 1)
    baby = person_of(stack, "midwifery")
    waiting = client.get(f"/api/v1/persons/{baby}").get_json()["relationships"]
    assert waiting == [
        {
            "relationship": "mother",
            "person_id": None,
            "related_source_ref": "MW-MUM-1",
            "declared_by": ["midwifery"],
        }
    ]

    mother = submission(
        agency="midwifery",
        person__source_ref="MW-MUM-1",
        person__given_name="Grace",
        person__date_of_birth="1996-02-03",
        person__role="carer",
        concern__ref="MW-C2",
    )
    assert client.post("/api/v1/concerns", json=mother).status_code == 202
    run_pipeline(stack, 1)
    mum = stack.scalar(select(Concern.person_id).where(Concern.concern_ref == "MW-C2"))
    assert mum != baby, "the unborn child is linked to its mother, not merged into her"
    (to_mum,) = client.get(f"/api/v1/persons/{baby}").get_json()["relationships"]
    assert (to_mum["relationship"], to_mum["person_id"]) == ("mother", mum)
    (to_baby,) = client.get(f"/api/v1/persons/{mum}").get_json()["relationships"]
    assert (to_baby["relationship"], to_baby["person_id"]) == ("child", baby)

    with stack.sessions() as session:
        homes = session.execute(
            select(HouseholdMembership.household_id, HouseholdMembership.person_id)
        ).all()
    assert {h for h, p in homes if p == baby} == {h for h, p in homes if p == mum} != set()

    unborn["concern"]["ref"] = "MW-C3"  # a later concern about the same record says it again
    assert client.post("/api/v1/concerns", json=unborn).status_code == 202
    run_pipeline(stack, 1)
    assert len(client.get(f"/api/v1/persons/{baby}").get_json()["relationships"]) == 1


def test_a_relationship_of_an_unknown_kind_is_refused_with_the_field(client):
    body = submission(person__relationships=[{"type": "aunt", "source_ref": "X-1"}])
    response = client.post("/api/v1/concerns", json=body)
    assert response.status_code == 422
    assert "relationships" in response.get_json()["fields"]["person"]
