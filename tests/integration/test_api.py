"""The HTTP API over both stacks: push a concern, see it in the joined chronology, search."""

from __future__ import annotations

import json

from sqlalchemy import select

from api import create_app
from connectors import hl7v2, jsonl
from connectors.base import publish
from hub import credentials
from hub.models import Concern
from hub.settings import Settings
from hub.synthetic.feeds.hl7v2 import bad_messages, sample_messages
from tests.factories import DELETE, submission
from tests.integration.stacks import run_pipeline


def post(client, body) -> tuple[int, dict]:
    response = client.post("/api/v1/concerns", json=body)
    return response.status_code, response.get_json()


def test_a_pushed_concern_is_accepted_then_visible_in_the_timeline(client, stack):
    status, body = post(client, submission(concern__ref="HTTP-1"))
    assert status == 202 and body["status"] == "accepted"
    run_pipeline(stack, 1)
    person_id = stack.scalar(select(Concern.person_id).limit(1))
    timeline = client.get(f"/api/v1/persons/{person_id}/timeline").get_json()
    assert [e["event_id"] for e in timeline["items"]] == [body["event_id"]]
    assert timeline["items"][0]["agency_name"] == "Police"
    assert timeline["items"][0]["occurred_at"] == "2026-03-01T21:15:00+00:00"


def test_the_same_concern_over_http_and_from_a_file_appears_once(client, stack, tmp_path):
    concern = submission(agency="health_ae", concern__ref="AE-77", person__nhs_number="9434765919")
    status, body = post(client, concern)
    assert status == 202
    line = dict(concern)
    line.pop("agency")
    events = list(jsonl.parse(json.dumps(line).encode(), "health_ae"))
    assert events[0]["event_id"] == body["event_id"]
    publish(stack.bus, stack.settings.concerns_topic, events)
    run_pipeline(stack, 2)

    person_id = stack.scalar(select(Concern.person_id).limit(1))
    timeline = client.get(f"/api/v1/persons/{person_id}/timeline").get_json()
    assert timeline["total"] == 1


def test_invalid_submissions_get_422_with_field_errors_and_nothing_is_queued(client, stack):
    bad = submission(
        person__nhs_number="1234567890", concern__severity="extreme", concern__summary=DELETE
    )
    status, body = post(client, bad)
    assert status == 422
    assert body["error"] == "validation_failed"
    assert "modulus-11" in body["fields"]["person"]["nhs_number"][0]
    assert body["fields"]["concern"]["severity"][0].startswith("Must be one of")
    assert body["fields"]["concern"]["summary"] == ["Missing data for required field."]

    status, body = post(client, [1, 2])
    assert status == 422 and "_body" in body["fields"]
    response = client.post("/api/v1/concerns", data="{nope", content_type="application/json")
    assert response.status_code == 422

    consumer = stack.bus.consumer([stack.settings.concerns_topic], "peek")
    assert consumer.poll(timeout_s=2, max_records=10) == []
    consumer.close()


def test_an_oversized_request_is_refused_with_json(client):
    big = submission(concern__summary="x" * 40_000)
    response = client.post("/api/v1/concerns", json=big)
    assert response.status_code == 413
    assert response.get_json()["error"] == "request_entity_too_large"


def test_timeline_is_newest_first_and_paged(client, stack):
    for day in (3, 1, 4, 2, 5):
        occurred = f"2026-03-0{day}T10:00:00+00:00"
        post(
            client,
            submission(
                person__source_ref="P", concern__ref=f"D{day}", concern__occurred_at=occurred
            ),
        )
    run_pipeline(stack, 5)
    person_id = stack.scalar(select(Concern.person_id).limit(1))
    first = client.get(f"/api/v1/persons/{person_id}/timeline?per_page=2").get_json()
    second = client.get(f"/api/v1/persons/{person_id}/timeline?per_page=2&page=2").get_json()
    days = [e["occurred_at"][8:10] for e in first["items"] + second["items"]]
    assert days == ["05", "04", "03", "02"]
    assert first["total"] == 5

    assert client.get(f"/api/v1/persons/{person_id}/timeline?page=0").status_code == 422
    assert client.get(f"/api/v1/persons/{person_id}/timeline?per_page=x").status_code == 422


def test_search_by_name_date_of_birth_and_identifiers(client, stack):
    post(
        client,
        submission(
            agency="school", person__source_ref="S1", person__upn="H801200001001", concern__ref="S1"
        ),
    )
    post(
        client,
        submission(
            agency="gp", person__source_ref="G1", person__nhs_number="9434765919", concern__ref="G1"
        ),
    )
    post(
        client,
        submission(
            person__source_ref="X",
            person__given_name="Zoë",
            person__family_name="O'Brien-Smith",
            person__date_of_birth="2015-06-01",
            concern__ref="X1",
        ),
    )
    run_pipeline(stack, 3)

    def found(q: str) -> list[set[str]]:
        response = client.get("/api/v1/persons", query_string={"q": q})
        assert response.status_code == 200, response.get_json()
        return [{r["agency"] for r in p["records"]} for p in response.get_json()["results"]]

    assert found("amelia nowak") == [{"school", "gp"}]
    assert found("Nowak 2018-04-12") == [{"school", "gp"}]
    assert found("943 476 5919") == [{"gp"}]
    assert found("H801200001001") == [{"school"}]
    assert found("zoe smith") == [{"police"}]
    assert found("obrien") == [{"police"}]
    assert found("Nowak 2001-01-01") == []
    assert client.get("/api/v1/persons?q=").status_code == 422


def test_search_finds_nicknames_transliterations_typos_and_postcodes_ranked_with_why(client, stack):
    people = [
        ("R", "Robert", "Smith", "2017-05-09", "M1 1AA"),
        ("M", "Muhammad", "Khan", "2016-11-23", "M1 1AA"),
        ("O", "Oliwia", "Wiśniewska", "2019-02-14", "B12 9QT"),
    ]
    for ref, given, family, dob, postcode in people:
        post(
            client,
            submission(
                person__source_ref=ref,
                person__given_name=given,
                person__family_name=family,
                person__date_of_birth=dob,
                person__nhs_number=None,
                person__addresses=[{"line": "1 High Street", "postcode": postcode}],
                concern__ref=f"C-{ref}",
            ),
        )
    run_pipeline(stack, len(people))

    def search(q: str) -> list[tuple[str, dict]]:
        response = client.get("/api/v1/persons", query_string={"q": q})
        assert response.status_code == 200, response.get_json()
        return [
            (r["records"][0]["given_name"], {w["field"]: w["level"] for w in r["why"]})
            for r in response.get_json()["results"]
        ]

    assert search("Bob Smith") == [
        ("Robert", {"given_name": "nickname_or_transliteration", "family_name": "exact"})
    ]
    assert [name for name, _ in search("Mohammed Khan")] == ["Muhammad"]
    assert [name for name, _ in search("Olivia Wisniewska")] == ["Oliwia"]
    assert [name for name, _ in search("Robret Smith")] == ["Robert"]  # a typo in either
    assert [name for name, _ in search("Robert Smiht")] == ["Robert"]
    assert [name for name, _ in search("Smith Robert")] == ["Robert"]  # in the other order
    assert sorted(name for name, _ in search("m1 1aa")) == ["Muhammad", "Robert"]
    assert [name for name, _ in search("Khan M1 1AA")] == ["Muhammad"]
    assert search("Zebedee Smith") == []
    ranked = client.get("/api/v1/persons", query_string={"q": "Robert Smith"}).get_json()
    assert ranked["results"][0]["score"] > 0


def test_unknown_person_and_unknown_route_are_json_404(client):
    response = client.get("/api/v1/persons/999999/timeline")
    assert response.status_code == 404 and response.get_json()["error"] == "not_found"
    response = client.get("/no/such/page")
    assert response.status_code == 404 and response.is_json


def test_health_and_readiness(client, stack):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json()["checks"] == {"database": True, "bus": True}
    assert ready.get_json()["bus"] == stack.bus.kind


def test_readiness_fails_when_the_broker_is_unreachable(tmp_path):
    settings = Settings.from_env(
        {"MASH_DATA_DIR": str(tmp_path), "MASH_KAFKA_BOOTSTRAP": "127.0.0.1:1"}
    )
    app = create_app(settings)
    response = app.test_client().get("/readyz")
    app.extensions["mash"].engine.dispose()
    assert response.status_code == 503
    assert response.get_json()["checks"]["bus"] is False


def test_amendments_and_a_withdrawal_keep_the_latest_version_and_the_whole_history(client, stack):
    def send(revision: int, summary: str, withdrawn: bool = False) -> str:
        body = submission(
            person__source_ref="POL-P-AMEND",
            concern__ref="POL-C-AMEND",
            concern__summary=summary,
            concern__revision=revision,
            concern__withdrawn=withdrawn,
        )
        response = client.post("/api/v1/concerns", json=body)
        assert response.status_code == 202
        return response.get_json()["event_id"]

    latest = "Attended; two children present, one injured."
    first = send(1, "Attended; children present.")
    send(3, latest)
    send(2, "Attended; two children present.")  # arrives late: history only
    run_pipeline(stack, 3)
    person = stack.scalar(select(Concern.person_id))
    timeline = client.get(f"/api/v1/persons/{person}/timeline").get_json()
    (item,) = timeline["items"]
    assert (item["revision"], item["summary"]) == (
        3,
        "Attended; two children present, one injured.",
    )
    assert item["event_id"] == first

    send(3, "Sent in error.", withdrawn=True)
    send(2, "Attended; two children present.")  # a resend of revision 2 changes nothing
    run_pipeline(stack, 2)
    assert client.get(f"/api/v1/persons/{person}/timeline").get_json()["total"] == 0
    kept = client.get(f"/api/v1/persons/{person}/timeline?include_withdrawn=true").get_json()
    assert [(i["revision"], i["withdrawn"]) for i in kept["items"]] == [(3, True)]

    history = client.get(f"/api/v1/concerns/{first}/history").get_json()
    assert [(r["revision"], r["withdrawn"]) for r in history["revisions"]] == [
        (1, False),
        (3, False),
        (2, False),
        (3, True),
    ]
    assert client.get("/api/v1/concerns/no-such-event/history").status_code == 404


def test_the_key_decides_the_agency_and_nothing_else_gets_in(client, stack, agency_keys):
    def push(body, key):
        headers = {"Authorization": f"Bearer {key}" if key else ""}
        return client.post("/api/v1/concerns", json=body, headers=headers)

    school_key = agency_keys["school"]
    unsigned = submission(concern__ref="K-1")
    unsigned.pop("agency")
    response = push(unsigned, school_key)
    assert response.status_code == 202
    assert push(submission(agency="police", concern__ref="K-2"), school_key).status_code == 403
    anonymous = push(submission(concern__ref="K-4"), None)
    assert anonymous.status_code == 401 and "Bearer" in anonymous.get_json()["message"]

    refused = client.post("/api/v1/concerns", json=submission(concern__ref="K-3"),
                          headers={"Authorization": "Bearer mash_not-a-key"})  # fmt: skip
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    with stack.sessions() as session, session.begin():
        assert credentials.revoke(session, "school") == 1
    assert push(unsigned, school_key).status_code == 401

    consumer = stack.bus.consumer([stack.settings.concerns_topic], "peek-keys")
    queued = []
    for _ in range(5):
        queued += consumer.poll(timeout_s=1, max_records=10)
        if queued:
            break
    consumer.close()
    assert [json.loads(m.value)["agency"] for m in queued] == ["school"]


def test_a_feed_pushed_in_the_agency_format_queues_the_good_and_returns_the_bad(
    client, stack, agency_keys
):
    good = submission(concern__ref="F-1")
    good.pop("agency")
    payload = (json.dumps(good) + "\n{oops\n").encode()
    headers = {"Authorization": f"Bearer {agency_keys['police']}"}
    response = client.post("/api/v1/feeds/jsonl", data=payload, headers=headers)
    assert response.status_code == 202
    body = response.get_json()
    assert (body["agency"], body["read"], body["published"]) == ("police", 2, 1)
    ((rejected),) = body["rejected"]
    assert (rejected["line"], rejected["reason"]) == (2, "invalid_json")
    assert rejected["fields"]["line"][0].startswith("Expecting property name")
    nothing = client.post("/api/v1/feeds/jsonl", data=b"{oops\n", headers=headers)
    assert nothing.status_code == 422 and nothing.get_json()["error"] == "nothing_usable"
    assert client.post("/api/v1/feeds/telex", data=b"x", headers=headers).status_code == 404
    assert (
        client.post("/api/v1/feeds/jsonl", data=payload, headers={"Authorization": ""}).status_code
        == 401
    )
    run_pipeline(stack, 1)
    assert stack.count(Concern) == 1


def test_hl7_pushed_over_https_reaches_the_timeline(client, stack, agency_keys):
    messages = sample_messages(seed=3, messages=6)
    bad, reason = next((m, r) for m, r in bad_messages() if r == "invalid_date")
    payload = b"\r".join([*messages, bad])
    headers = {"Authorization": f"Bearer {agency_keys['health_ae']}"}
    response = client.post("/api/v1/hl7", data=payload, headers=headers)
    assert response.status_code == 202, response.get_json()
    body = response.get_json()
    assert (body["agency"], body["format"], body["read"]) == ("health_ae", "hl7v2", 7)
    assert [(r["line"], r["reason"]) for r in body["rejected"]] == [(7, reason)]
    run_pipeline(stack, body["published"])
    events = [e for e in hl7v2.parse(payload, "health_ae") if isinstance(e, dict)]
    visits = {e["concern"]["ref"] for e in events}  # an A08 update is a revision of its visit
    assert len(events) == 6 and stack.count(Concern) == len(visits)
    with stack.sessions() as session:
        assert set(session.scalars(select(Concern.agency_code))) == {"health_ae"}
