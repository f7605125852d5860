"""Who may see what, on both stacks: every endpoint × every role × a person in the reader's
area, a person in another area and a person who does not exist; sensitivity; break-glass;
and the attacks the access issue names (IDOR, bad tokens, a submitter reading, injection,
CSRF, brute force)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pytest
from sqlalchemy import select, update

from api import create_app
from hub import audit, search
from hub.models import ApiToken, AuditEvent, Concern, Link, Person, ReviewTask, SourceRecord
from hub.schemas import ConcernSubmissionSchema, to_event
from tests.factories import submission
from tests.integration.conftest import AREA, PASSWORD
from tests.integration.stacks import run_pipeline
from tests.integration.test_pipeline import publish

OTHER_AREA = "E09000001"
NOBODY = 999_999
CASE = ("mash_practitioner", "social_worker", "team_manager")
IDENTITY = ("mash_practitioner", "team_manager")
ALL = ("anonymous", "agency_submitter", *CASE, "auditor", "admin", "elsewhere")


def event(**overrides) -> dict:
    return to_event(ConcernSubmissionSchema().load(submission(**overrides)))


@pytest.fixture
def world(stack, tokens):
    """A child here (four concerns of every sensitivity), a child in another area."""
    here = [
        event(
            person__source_ref="HERE-1",
            person__given_name="Amelia",
            concern__ref=f"H-{sensitivity}",
            concern__sensitivity=sensitivity,
            concern__summary=f"{sensitivity} summary <script>alert(1)</script>",
        )
        for sensitivity in ("standard", "police_intelligence", "health_confidential", "restricted")
    ]
    there = event(
        person__source_ref="THERE-1",
        person__given_name="Zofia",
        person__family_name="Nowak",
        person__date_of_birth="2016-02-02",
        person__nhs_number=None,
        person__local_authority=OTHER_AREA,
        person__addresses=[],
        concern__ref="T-1",
    )
    publish(stack, *here, there)
    run_pipeline(stack, 5)
    with stack.sessions() as session:
        person_of = dict(session.execute(select(Concern.concern_ref, Concern.person_id)).all())
    return {
        "here": person_of["H-standard"],
        "there": person_of["T-1"],
        "event": here[0]["event_id"],
        "there_event": there["event_id"],
        "tokens": tokens,
    }


def as_role(app, world, role):
    client = app.test_client()
    token = world["tokens"].get(role)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return lambda method, path, **kw: client.open(path, method=method, headers=headers, **kw)


def person_paths(pid: int) -> list[str]:
    return [
        f"/api/v1/persons/{pid}",
        f"/api/v1/persons/{pid}/timeline",
        f"/api/v1/persons/{pid}/disclosures",
        f"/persons/{pid}",
    ]


def expected_for_person(role: str, area: str | None) -> int:
    if role == "anonymous":
        return 401
    if role in ("agency_submitter", "auditor", "admin"):
        return 403
    return 200 if area == (OTHER_AREA if role == "elsewhere" else AREA) else 404


@pytest.mark.parametrize("role", ALL)
def test_every_person_endpoint_for_every_role_in_and_out_of_scope(app, world, role):
    call = as_role(app, world, role)
    targets = ((world["here"], AREA), (world["there"], OTHER_AREA), (NOBODY, None))
    for target, area in targets:
        for path in person_paths(target):
            response = call("GET", path)
            expected = expected_for_person(role, area)
            if path.startswith("/persons/") and expected == 401:
                expected = 302  # the web page sends them to sign in
            assert response.status_code == expected, (role, path, response.get_data()[:200])
    other = world["here"] if role == "elsewhere" else world["there"]
    out_of_scope = call("GET", f"/api/v1/persons/{other}/timeline")
    missing = call("GET", f"/api/v1/persons/{NOBODY}/timeline")
    assert out_of_scope.status_code == missing.status_code
    if missing.status_code == 404:  # nothing in the answer tells the two apart
        strip = lambda r: re.sub(r"\d+", "N", r.get_data(as_text=True))  # noqa: E731
        assert strip(out_of_scope) == strip(missing)


@pytest.mark.parametrize("role", ALL)
def test_every_other_endpoint_for_every_role(app, world, role):
    call = as_role(app, world, role)
    denied = 401 if role == "anonymous" else 403
    case_ok = 200 if role in (*CASE, "elsewhere") else denied
    identity_ok = 200 if role in (*IDENTITY, "elsewhere") else denied
    expectations = [
        ("GET", "/api/v1/persons?q=Amelia", case_ok),
        (
            "GET",
            f"/api/v1/concerns/{world['event']}/history",
            404 if role == "elsewhere" else case_ok,
        ),
        (
            "GET",
            f"/api/v1/concerns/{world['there_event']}/history",
            404 if case_ok == 200 else denied,
        ),
        ("GET", "/api/v1/review", identity_ok),
        ("GET", "/api/v1/audit", 200 if role == "auditor" else denied),
        ("GET", "/api/v1/break-glass/flagged", 200 if role == "team_manager" else denied),
        ("GET", "/api/v1/users", 200 if role == "admin" else denied),
        ("POST", "/api/v1/users/nobody/revoke-tokens", 404 if role == "admin" else denied),
        ("GET", "/healthz", 200),
    ]
    if role == "elsewhere":
        expectations[2] = ("GET", f"/api/v1/concerns/{world['there_event']}/history", 200)
    for method, path, expected in expectations:
        response = call(method, path)
        assert response.status_code == expected, (role, path, response.get_data()[:200])


def test_search_shows_only_the_readers_area(app, world):
    here = as_role(app, world, "social_worker")("GET", "/api/v1/persons?q=Amelia").get_json()
    assert [r["person_id"] for r in here["results"]] == [world["here"]]
    there = as_role(app, world, "social_worker")("GET", "/api/v1/persons?q=Zofia").get_json()
    assert there["results"] == []
    elsewhere = as_role(app, world, "elsewhere")("GET", "/api/v1/persons?q=Zofia").get_json()
    assert [r["person_id"] for r in elsewhere["results"]] == [world["there"]]


@pytest.mark.parametrize(
    ("role", "readable"),
    [
        ("social_worker", {"standard", "health_confidential"}),
        ("mash_practitioner", {"standard", "police_intelligence", "health_confidential"}),
        ("team_manager", {"standard", "police_intelligence", "health_confidential", "restricted"}),
    ],
)
def test_entries_a_role_is_not_cleared_for_show_only_that_they_exist_and_whom_to_ask(
    app, world, role, readable
):
    items = as_role(app, world, role)("GET", f"/api/v1/persons/{world['here']}/timeline")
    entries = {e["sensitivity"]: e for e in items.get_json()["items"]}
    assert len(entries) == 4
    for sensitivity, entry in entries.items():
        if sensitivity in readable:
            assert entry["summary"].startswith(sensitivity) and not entry["withheld"]
        else:
            assert entry["withheld"] and entry["summary"] is None and entry["category"] is None
            assert entry["ask"] and entry["agency_name"] and entry["occurred_at"]
    page = as_role(app, world, role)("GET", f"/persons/{world['here']}").get_data(as_text=True)
    assert ("not cleared to read" in page) == (len(readable) < 4)


def test_a_script_in_a_summary_renders_inert(app, world):
    page = as_role(app, world, "team_manager")("GET", f"/persons/{world['here']}")
    html = page.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "q", ["Robert'); DROP TABLE persons;--", "' OR '1'='1", "%", "_", "<img src=x onerror=1>"]
)
def test_hostile_search_terms_are_only_search_terms(app, world, stack, q):
    response = as_role(app, world, "social_worker")("GET", "/api/v1/persons", query_string={"q": q})
    assert response.status_code in (200, 422)
    assert stack.count(Person) >= 2
    page = as_role(app, world, "social_worker")("GET", "/", query_string={"q": q})
    assert page.status_code == 200 and "<img src=x" not in page.get_data(as_text=True)


def test_break_glass_opens_one_person_for_a_while_flags_the_manager_and_is_audited(
    app, world, stack
):
    call = as_role(app, world, "elsewhere")
    timeline = f"/api/v1/persons/{world['here']}/timeline"
    assert call("GET", timeline).status_code == 404
    short = {"person_id": world["here"], "justification": "because", "lawful_basis": "x"}
    refused = call("POST", "/api/v1/break-glass", json=short)
    assert refused.status_code == 422
    assert set(refused.get_json()["fields"]) == {"justification", "lawful_basis"}
    body = {
        "person_id": world["here"],
        "justification": "Child presented at our A&E; police report a sibling at this address.",
        "lawful_basis": "Children Act 1989 s47",
        "minutes": 30,
    }
    granted = call("POST", "/api/v1/break-glass", json=body)
    assert granted.status_code == 201
    assert call("GET", timeline).status_code == 200
    assert call("GET", f"/api/v1/persons/{world['there'] + NOBODY}/timeline").status_code == 404
    flagged = as_role(app, world, "team_manager")("GET", "/api/v1/break-glass/flagged")
    assert [g["username"] for g in flagged.get_json()["grants"]] == ["elsewhere"]
    with stack.sessions() as session:
        entry = session.scalars(select(AuditEvent).where(AuditEvent.action == "break_glass")).one()
        assert (entry.actor, entry.subject_id) == ("elsewhere", str(world["here"]))
        assert "Children Act 1989 s47" in entry.reason
        assert audit.verify(session).ok


def test_every_read_and_search_is_in_the_audit_trail(app, world, stack):
    call = as_role(app, world, "social_worker")
    call("GET", f"/api/v1/persons/{world['here']}")
    call("GET", f"/api/v1/persons/{world['here']}/timeline")
    call("GET", "/api/v1/persons?q=Amelia")
    entries = as_role(app, world, "auditor")("GET", "/api/v1/audit?actor=social_worker").get_json()
    actions = [(e["action"], e["role"]) for e in entries["entries"]]
    assert actions == [
        ("search", "social_worker"),
        ("read_timeline", "social_worker"),
        ("read_person", "social_worker"),
    ]
    assert entries["entries"][0]["detail"]["terms"] == "Amelia"
    assert as_role(app, world, "auditor")("GET", "/api/v1/audit?limit=0").status_code == 422


@pytest.mark.parametrize("mangle", ["tampered", "expired", "revoked", "agency_key"])
def test_bad_tokens_are_refused(app, world, stack, agency_keys, mangle):
    token = world["tokens"]["social_worker"]
    if mangle == "tampered":
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    elif mangle == "agency_key":
        token = agency_keys["police"]
    else:
        column = "expires_at" if mangle == "expired" else "revoked_at"
        past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
        with stack.sessions() as session, session.begin():
            session.execute(update(ApiToken).values({column: past}))
    response = app.test_client().get(
        f"/api/v1/persons/{world['here']}/timeline", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 401


def test_a_user_token_cannot_publish_and_an_agency_key_cannot_read(app, world, agency_keys):
    user = {"Authorization": f"Bearer {world['tokens']['team_manager']}"}
    pushed = app.test_client().post("/api/v1/concerns", json=submission(), headers=user)
    assert pushed.status_code == 401
    key = {"Authorization": f"Bearer {agency_keys['police']}"}
    read = app.test_client().get(f"/api/v1/persons/{world['here']}", headers=key)
    assert read.status_code == 401


SAME_SITE = {"Referer": "https://localhost/"}  # as a browser sends it (Referrer-Policy same-origin)


def _signed_in(app, username="social_worker", password=PASSWORD):
    client = app.test_client()
    page = client.get("/login", base_url="https://localhost").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {"username": username, "password": password, "csrf_token": token, "next": "/"}
    response = client.post("/login", data=form, base_url="https://localhost", headers=SAME_SITE)
    return client, token, response


def test_sign_in_sets_a_hardened_cookie_and_forms_need_the_csrf_token(app, world):
    client, token, response = _signed_in(app)
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert all(flag in cookie for flag in ("Secure", "HttpOnly", "SameSite=Strict"))
    page = client.get(f"/persons/{world['here']}", base_url="https://localhost")
    assert page.status_code == 200
    stale, token = token, re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(True))[1]
    assert stale != token  # signing in starts a new session: no token from before it works
    merge = {"into": world["here"], "reason": "x"}
    forged = client.post(
        f"/api/v1/persons/{NOBODY}/merge", json=merge, base_url="https://localhost"
    )
    assert forged.status_code == 400 and "CSRF" in forged.get_json()["message"]
    for form in ({}, {"csrf_token": stale}):
        refused = client.post("/logout", data=form, base_url="https://localhost", headers=SAME_SITE)
        assert refused.status_code == 400
    out = client.post(
        "/logout", data={"csrf_token": token}, base_url="https://localhost", headers=SAME_SITE
    )
    assert out.status_code == 302
    after = client.get(f"/persons/{world['here']}", base_url="https://localhost")
    assert after.status_code == 302 and "/login" in after.headers["Location"]


def test_a_login_without_the_csrf_token_is_refused(app, world):
    form = {"username": "social_worker", "password": PASSWORD}
    assert app.test_client().post("/login", data=form).status_code == 400


def test_brute_force_locks_the_account_even_for_the_right_password(app, world):
    for _ in range(5):
        _, _, wrong = _signed_in(app, password="not the password at all")
        assert wrong.status_code == 401
    _, _, right = _signed_in(app)
    assert right.status_code == 429 and "locked" in right.get_data(as_text=True)
    _, _, other = _signed_in(app, username="team_manager")
    assert other.status_code == 302  # only that account is locked


def test_an_unknown_user_gets_the_same_answer_as_a_wrong_password(app, world):
    _, _, unknown = _signed_in(app, username="nobody-here")
    _, _, wrong = _signed_in(app, password="not the password at all")
    assert unknown.status_code == wrong.status_code == 401
    message = re.compile(r'role="alert">([^<]+)<')
    assert message.search(unknown.get_data(as_text=True)).group(1) == (
        message.search(wrong.get_data(as_text=True)).group(1)
    )


def test_an_idle_session_lapses(app, world):
    app.config["MASH_IDLE_SECONDS"] = 0
    client, _, _ = _signed_in(app)
    lapsed = client.get(f"/persons/{world['here']}", base_url="https://localhost")
    assert lapsed.status_code == 302 and "expired=1" in lapsed.headers["Location"]


def test_disclosures_are_recorded_with_their_basis_including_decisions_not_to_share(app, world):
    call = as_role(app, world, "social_worker")
    path = f"/api/v1/persons/{world['here']}/disclosures"
    missing_note = {
        "decision": "not_shared",
        "what": "Chronology of police concerns",
        "recipient": "Housing (E08000025)",
        "purpose": "Rehousing assessment",
        "lawful_basis": "Children Act 1989 s17",
        "consent": "not_sought",
    }
    refused = call("POST", path, json=missing_note)
    assert refused.status_code == 422 and "consent_note" in refused.get_json()["fields"]
    note = "Seeking consent would place the child at risk of harm."
    stored = call("POST", path, json={**missing_note, "consent_note": note})
    assert stored.status_code == 201
    assert stored.get_json()["decided_by"] == "social_worker"
    listed = call("GET", path).get_json()
    assert [d["decision"] for d in listed["disclosures"]] == ["not_shared"]
    outside = as_role(app, world, "elsewhere")("POST", path, json=missing_note)
    assert outside.status_code == 404


def test_sign_in_attempts_are_rate_limited_per_address(stack, world):
    limited = create_app(replace(stack.settings, login_rate_limit="3 per minute"), bus=stack.bus)
    statuses = [_signed_in(limited, username=f"guess-{n}")[2].status_code for n in range(4)]
    assert statuses == [401, 401, 401, 429]


def test_scope_applies_before_the_result_limits(app, world, stack):
    """Hundreds of same-named people in another area, each waiting in the review queue, do
    not push the reader's own child (recorded after them) out of their search or queue."""

    def add_person(session, ref: str, area: str) -> int:
        person = Person()
        record = SourceRecord(
            agency_code="police",
            source_ref=ref,
            local_authority=area,
            given_name="Amelia",
            given_key="amelia",
            family_key="crowd",
        )
        session.add_all([person, record])
        session.flush()
        session.add(Link(source_record_id=record.id, person_id=person.id, **LINK))
        session.add(ReviewTask(source_record_id=record.id, candidate_person_id=person.id, **TASK))
        return person.id

    with stack.sessions() as session, session.begin():
        for n in range(search.SEARCH_LIMIT * 5):
            add_person(session, f"CROWD-{n}", OTHER_AREA)
        mine = add_person(session, "MINE-1", AREA)
    found = as_role(app, world, "mash_practitioner")("GET", "/api/v1/persons?q=Amelia Crowd")
    assert [r["person_id"] for r in found.get_json()["results"]] == [mine]
    queue = as_role(app, world, "mash_practitioner")("GET", "/api/v1/review").get_json()
    assert [t["candidate_person_id"] for t in queue["tasks"]] == [mine]
    crowd = as_role(app, world, "elsewhere")("GET", "/api/v1/persons?q=Amelia Crowd").get_json()
    assert len(crowd["results"]) == search.SEARCH_LIMIT


LINK = {"method": "deterministic", "explanation": {}, "model_version": "t", "linked_by": "test"}
TASK = {"probability": 0.5, "reason": "uncertain", "model_version": "t"}


def test_break_glass_from_the_web_page(app, world, stack):
    client, _, _ = _signed_in(app, "elsewhere")
    https = {"base_url": "https://localhost", "headers": SAME_SITE}
    hidden = client.get(f"/persons/{world['here']}", **https)
    missing = client.get(f"/persons/{world['here'] + NOBODY}", **https)
    assert hidden.status_code == missing.status_code == 404
    assert "ask for break-glass access" in hidden.get_data(as_text=True)
    form_page = client.get(f"/break-glass?person_id={world['here']}", **https)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form_page.get_data(True))[1]
    reason = "Police report the child at a sibling's address in our area tonight."
    form = {
        "person_id": str(world["here"]),
        "justification": reason,
        "lawful_basis": "Children Act 1989 s47",
        "minutes": "30",
    }
    assert client.post("/break-glass", data=form, **https).status_code == 400  # no CSRF token
    short = client.post(
        "/break-glass", data={**form, "justification": "urgent", "csrf_token": token}, **https
    )
    assert short.status_code == 422 and "at least 20 characters" in short.get_data(True)
    assert client.get(f"/persons/{world['here']}", **https).status_code == 404
    granted = client.post("/break-glass", data={**form, "csrf_token": token}, **https)
    assert granted.status_code == 302
    assert granted.headers["Location"].endswith(f"/persons/{world['here']}")
    assert client.get(f"/persons/{world['here']}", **https).status_code == 200
    with stack.sessions() as session:
        entry = session.scalars(select(AuditEvent).where(AuditEvent.action == "break_glass")).one()
        assert entry.actor == "elsewhere" and reason in entry.reason


def test_an_admin_manages_users_but_reads_no_case(app, world, stack):
    admin = as_role(app, world, "admin")
    new = {
        "username": "new.worker",
        "password": "a long enough passphrase",
        "role": "social_worker",
        "local_authority": AREA,
        "manager": "team_manager",
    }
    created = admin("POST", "/api/v1/users", json=new)
    assert created.status_code == 201 and "password" not in created.get_json()
    assert admin("POST", "/api/v1/users", json=new).status_code == 409
    bad = admin("POST", "/api/v1/users", json={**new, "username": "x y", "role": "root"})
    assert bad.status_code == 422 and set(bad.get_json()["fields"]) == {"username", "role"}
    listed = {u["username"]: u for u in admin("GET", "/api/v1/users").get_json()["users"]}
    assert listed["new.worker"]["manager"] == "team_manager" and listed["new.worker"]["active"]
    worker, _, signed_in = _signed_in(app, "new.worker", new["password"])
    assert signed_in.status_code == 302
    https = {"base_url": "https://localhost"}
    assert worker.get(f"/api/v1/persons/{world['here']}", **https).status_code == 200
    assert admin("POST", "/api/v1/users/new.worker/disable").status_code == 200
    assert _signed_in(app, "new.worker", new["password"])[2].status_code != 302
    assert admin("GET", f"/api/v1/persons/{world['here']}").status_code == 403
    with stack.sessions() as session:
        done = session.scalars(select(AuditEvent.action).where(AuditEvent.actor == "admin")).all()
        assert {"user_created", "user_disabled"} <= set(done)


def test_the_review_queue_page_decides_only_tasks_in_the_workers_area(app, world, stack):
    with stack.sessions() as session, session.begin():
        mine, theirs = (
            ReviewTask(
                source_record_id=session.scalars(
                    select(Link.source_record_id).where(Link.person_id == person)
                ).first(),
                candidate_person_id=person,
                **TASK,
            )
            for person in (world["here"], world["there"])
        )
        session.add_all([mine, theirs])
        session.flush()
        mine_id, theirs_id = mine.id, theirs.id
    client, _, _ = _signed_in(app, "mash_practitioner")
    https = {"base_url": "https://localhost", "headers": SAME_SITE}
    page = client.get("/review", **https)
    html = page.get_data(as_text=True)
    assert (
        page.status_code == 200 and f"Task {mine_id}:" in html and f"Task {theirs_id}" not in html
    )
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)[1]
    form = {"decision": "not_same_person", "csrf_token": token}
    assert client.post(f"/review/{mine_id}", data={"decision": "link"}, **https).status_code == 400
    assert client.post(f"/review/{theirs_id}", data=form, **https).status_code == 404
    decided = client.post(f"/review/{mine_id}", data=form, follow_redirects=True, **https)
    assert "not same person" in decided.get_data(as_text=True)
    again = client.post(f"/review/{mine_id}", data=form, follow_redirects=True, **https)
    assert "Not changed" in again.get_data(as_text=True)
    with stack.sessions() as session:
        assert session.get(ReviewTask, mine_id).decided_by == "mash_practitioner"
        assert session.get(ReviewTask, theirs_id).status == "open"
    assert _signed_in(app, "social_worker")[0].get("/review", **https).status_code == 403
