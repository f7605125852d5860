"""The case view's API on both stacks: the chronology filtered and ordered, the person's
statuses, the household around the child (men and visitors included; members from another
area shown as there, not described), the CSV and PDF exports, and a constant number of SQL
statements per timeline whatever its length."""

from __future__ import annotations

import csv
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import Engine, event, select

from hub.models import AuditEvent, Concern
from tests.factories import submission
from tests.integration.conftest import AREA
from tests.integration.stacks import run_pipeline

HOME = [{"line": "12 Mill Lane", "postcode": "B12 9QT"}]
CHILD = {
    "person__source_ref": "CHILD",
    "person__given_name": "Amelia",
    "person__family_name": "Nowak",
    "person__date_of_birth": "2018-04-12",
    "person__role": "child",
    "person__addresses": HOME,
}
# agency, ref, category, severity, when
CHILD_CONCERNS = [
    ("childrens_social_care", "SC-0", "case_closure", "low", "2025-12-01"),
    ("police", "P-1", "domestic_abuse", "high", "2026-01-10"),
    ("childrens_social_care", "SC-1", "referral", "medium", "2026-01-15"),
    ("health_ae", "AE-1", "injury", "medium", "2026-02-01"),
    ("childrens_social_care", "SC-2", "child_protection_plan_start", "high", "2026-02-10"),
    ("school", "S-1", "attendance", "low", "2026-03-01"),
    ("gp", "GP-1", "neglect", "medium", "2026-04-01"),
]


def concern(agency, ref, category, severity, when, **person):
    return submission(
        agency=agency,
        concern__ref=ref,
        concern__category=category,
        concern__severity=severity,
        concern__sensitivity="standard",
        concern__occurred_at=f"{when}T10:00:00+00:00",
        concern__summary=f"{category} seen by {agency}",
        concern__recorded_by=f"{agency} worker",
        **{**person, "person__source_ref": f"{agency}-{person['person__source_ref']}"},
    )


@pytest.fixture
def family(client, stack) -> dict:
    sent = [concern(*row, **CHILD) for row in CHILD_CONCERNS]
    mother = {**CHILD, "person__source_ref": "MUM", "person__given_name": "Grace",
              "person__date_of_birth": "1990-02-03", "person__role": "carer"}  # fmt: skip
    sent.append(concern("police", "P-M", "domestic_abuse", "high", "2026-01-10", **mother))
    visitor = {**CHILD, "person__source_ref": "VIS", "person__given_name": "Reece",
               "person__family_name": "Cole", "person__date_of_birth": "1986-07-30",
               "person__role": "visitor", "person__local_authority": "E09000001"}  # fmt: skip
    sent.append(concern("probation", "PR-V", "offender_contact", "high", "2026-01-20", **visitor))
    for body in sent:
        assert client.post("/api/v1/concerns", json=body).status_code == 202
    run_pipeline(stack, len(sent))
    with stack.sessions() as session:
        person_of = dict(session.execute(select(Concern.concern_ref, Concern.person_id)).all())
    return {"child": person_of["P-1"], "mother": person_of["P-M"], "visitor": person_of["PR-V"]}


def timeline(client, person_id, **query):
    response = client.get(f"/api/v1/persons/{person_id}/timeline", query_string=query)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_the_chronology_joins_every_agency_and_filters_and_orders(client, family):
    everything = timeline(client, family["child"])
    assert everything["total"] == len(CHILD_CONCERNS)
    assert [e["concern_ref"] for e in everything["items"]][:2] == ["GP-1", "S-1"]
    first = everything["items"][0]
    assert (first["agency_name"], first["recorded_by"]) == ("General practice", "gp worker")
    assert first["action_taken"] and first["summary"] == "neglect seen by gp"

    oldest = timeline(client, family["child"], order="oldest")
    assert [e["concern_ref"] for e in oldest["items"]][0] == "SC-0"
    two = timeline(client, family["child"], agency="police,school")
    assert sorted(e["agency"] for e in two["items"]) == ["police", "school"]
    repeated = client.get(
        f"/api/v1/persons/{family['child']}/timeline?agency=police&agency=school"
    ).get_json()
    assert repeated["total"] == two["total"] == 2
    high = timeline(client, family["child"], severity="high")
    assert {e["concern_ref"] for e in high["items"]} == {"P-1", "SC-2"}
    spring = timeline(client, family["child"], **{"from": "2026-02-01", "to": "2026-03-01"})
    assert [e["concern_ref"] for e in spring["items"]] == ["S-1", "SC-2", "AE-1"]
    injuries = timeline(client, family["child"], category="injury")
    assert [e["concern_ref"] for e in injuries["items"]] == ["AE-1"]
    paged = timeline(client, family["child"], per_page=3, page=3)
    assert (paged["total"], len(paged["items"])) == (7, 1)

    bad = client.get(
        f"/api/v1/persons/{family['child']}/timeline",
        query_string={"agency": "martians", "severity": "dire", "from": "2026-05-01",
                      "to": "2026-01-01", "order": "sideways", "per_page": "1000"},
    )  # fmt: skip
    assert bad.status_code == 422
    assert set(bad.get_json()["fields"]) == {"agency", "severity", "order", "per_page"}
    backwards = client.get(
        f"/api/v1/persons/{family['child']}/timeline?from=2026-05-01&to=2026-01-01"
    )
    assert backwards.status_code == 422 and "to" in backwards.get_json()["fields"]


def test_the_person_shows_statuses_areas_and_why_records_are_linked(client, family):
    person = client.get(f"/api/v1/persons/{family['child']}").get_json()
    statuses = person["statuses"]
    assert statuses["child_protection_plan"]["active"]
    assert statuses["child_protection_plan"]["since"].startswith("2026-02-10")
    assert not statuses["looked_after"]["active"]
    assert statuses["case"] == {
        "status": "open",
        "closed_at": "2025-12-01T10:00:00+00:00",
        "reopened": True,
    }
    assert person["local_authorities"] == [AREA]
    agencies = {r["agency"] for r in person["source_records"]}
    assert agencies == {"police", "health_ae", "school", "gp", "childrens_social_care"}
    assert all(r["link"]["method"] and "explanation" in r["link"] for r in person["source_records"])


def test_the_household_shows_the_adults_and_hides_only_what_is_out_of_scope(client, family):
    body = client.get(f"/api/v1/persons/{family['child']}/household").get_json()
    [home] = body["households"]
    members = {m["role"]: m for m in home["members"]}
    assert set(members) == {"child", "carer", "visitor"}
    assert members["child"]["is_this_person"]
    mother = members["carer"]
    assert mother["person_id"] == family["mother"] and mother["in_scope"]
    assert mother["concerns"]["by_agency"] == {"police": 1}
    assert mother["concerns"]["by_category"] == {"domestic_abuse": 1}
    assert mother["concerns"]["latest"].startswith("2026-01-10")
    assert any("Grace" in name for name in mother["names"])
    visitor = members["visitor"]  # known only in another area: there, but not described
    assert visitor == {
        "person_id": None,
        "is_this_person": False,
        "role": "visitor",
        "from": visitor["from"],
        "to": visitor["to"],
        "in_scope": False,
    }
    assert client.get("/api/v1/persons/999999/household").status_code == 404


def test_exports_carry_the_filtered_chronology_oldest_first_and_are_audited(client, family, stack):
    csv_response = client.get(f"/api/v1/persons/{family['child']}/chronology.csv")
    assert csv_response.status_code == 200
    assert csv_response.mimetype == "text/csv"
    assert "attachment" in csv_response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(csv_response.get_data().decode("utf-8-sig"))))
    refs = [row[rows[0].index("Reference")] for row in rows[1:]]
    assert refs == [ref for _, ref, *_ in CHILD_CONCERNS]
    police_only = client.get(
        f"/api/v1/persons/{family['child']}/chronology.csv?agency=police"
    ).get_data()
    assert len(list(csv.reader(io.StringIO(police_only.decode("utf-8-sig"))))) == 2

    pdf = client.get(f"/api/v1/persons/{family['child']}/chronology.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "OFFICIAL-SENSITIVE" in text and "injury seen by health_ae" in text
    assert client.get("/api/v1/persons/999999/chronology.pdf").status_code == 404
    with stack.sessions() as session:
        exports = session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert [(e.detail["format"], e.detail["entries"]) for e in exports] == [
        ("csv", 7),
        ("csv", 1),
        ("pdf", 7),
    ]
    assert exports[1].detail["filters"] == {"agency": "police"}


def test_a_timeline_costs_the_same_statements_for_seven_concerns_as_for_sixty(
    client, family, stack
):
    def statements(person_id) -> int:
        seen = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(Engine, "before_cursor_execute", listener)
        try:
            timeline(client, person_id, per_page=100)
        finally:
            event.remove(Engine, "before_cursor_execute", listener)
        return len(seen)

    short = statements(family["child"])
    assert 0 < short <= 16  # auth, scope, the person, merges, count, page, the audit entry
    more = [
        concern("police", f"MORE-{n}", "domestic_abuse", "medium", f"2025-0{1 + n % 9}-1{n % 10}",
                **CHILD)
        for n in range(53)
    ]  # fmt: skip
    for body in more:
        assert client.post("/api/v1/concerns", json=body).status_code == 202
    run_pipeline(stack, len(more))
    assert timeline(client, family["child"], per_page=100)["total"] == 60
    assert statements(family["child"]) == short


def test_timeline_entries_are_what_the_documented_schema_would_give(client, family, stack):
    """The chronology is built from plain rows for speed; the OpenAPI document describes it
    with TimelineEntrySchema. The two must agree, field for field."""
    from api.views import TimelineEntrySchema

    entries = timeline(client, family["child"], include_withdrawn="true")["items"]
    with stack.sessions() as session:
        by_event = {c.event_id: c for c in session.scalars(select(Concern))}
        expected = [TimelineEntrySchema().dump(by_event[e["event_id"]]) for e in entries]
    assert len(entries) == len(CHILD_CONCERNS)
    assert entries == [{**d, "withheld": False} for d in expected]


def test_a_page_past_the_end_still_says_how_many_there_are(client, family):
    past = timeline(client, family["child"], per_page=5, page=3)
    assert past["items"] == [] and past["total"] == len(CHILD_CONCERNS)
