"""The OpenAPI document is generated from the views' own schemas: every /api/v1 route is in
it, with the schemas it really loads and dumps, and the docs page renders it."""

from __future__ import annotations

import pytest

from api import create_app
from api.openapi import API_PREFIX, build_spec
from hub.settings import Settings


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("MASH_DATA_DIR", str(tmp_path))
    application = create_app(Settings.from_env())
    yield application
    application.extensions["mash"].close()


def test_every_api_route_and_method_is_documented(app):
    spec = build_spec(app)
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(API_PREFIX):
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            documented = [
                path
                for path, operations in spec["paths"].items()
                if method.lower() in operations and _matches(path, rule.rule)
            ]
            assert documented, f"{method} {rule.rule} is not in the OpenAPI document"


def _matches(path: str, rule: str) -> bool:
    import re

    pattern = re.sub(r"<any\(([^)]*)\):\w+>", lambda m: "(" + m[1].replace(", ", "|") + ")", rule)
    pattern = re.sub(r"<(?:\w+:)?\w+>", r"{\\w+}", pattern)
    return re.fullmatch(pattern, path) is not None


def test_the_document_carries_the_real_schemas(app):
    spec = build_spec(app)
    timeline = spec["paths"]["/api/v1/persons/{person_id}/timeline"]["get"]
    names = {p["name"] for p in timeline["parameters"]}
    assert {"person_id", "agency", "severity", "from", "to", "order", "page", "per_page"} <= names
    ok = timeline["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert ok.endswith("/TimelinePage")
    entry = spec["components"]["schemas"]["TimelineEntry"]["properties"]
    assert {"agency_name", "recorded_by", "summary", "action_taken"} <= set(entry)
    assert "404" in timeline["responses"]
    pdf = spec["paths"]["/api/v1/persons/{person_id}/chronology.pdf"]["get"]
    assert "application/pdf" in pdf["responses"]["200"]["content"]
    concern = spec["paths"]["/api/v1/concerns"]["post"]
    assert concern["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ConcernSubmission"
    )
    assert spec["paths"]["/api/v1/concerns"]["post"]["description"] == "Roles: agency_submitter."


def test_the_docs_are_served_as_json_and_as_a_page_without_script(app):
    client = app.test_client()
    assert client.get("/api/docs/openapi.json").get_json()["openapi"] == "3.0.3"
    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "GET /api/v1/persons/{person_id}/household" in html and "<script" not in html
