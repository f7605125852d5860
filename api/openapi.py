"""The API's OpenAPI 3 description, built from the marshmallow schemas the endpoints already
use, so the document cannot drift from the code: each `/api/v1` view declares its schemas with
`@documented`, and a test fails if one does not. Served as JSON at `/api/docs/openapi.json`
and as a readable page at `/api/docs` (server-rendered: no script, as the CSP wants)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, Flask, current_app, jsonify, render_template
from marshmallow import Schema

bp = Blueprint("docs", __name__, url_prefix="/api/docs")
API_PREFIX = "/api/v1/"


@dataclass(frozen=True)
class Operation:
    summary: str
    roles: tuple[str, ...]
    query: type[Schema] | None = None
    body: type[Schema] | None = None
    response: type[Schema] | Schema | None = None
    status: int = 200
    content_type: str = "application/json"
    errors: tuple[int, ...] = (401, 403, 422)
    extra: dict = field(default_factory=dict)


def documented(summary: str, roles: tuple[str, ...] | str, **details) -> Callable:
    """Attach an Operation to a view function (read by `build_spec`)."""

    def attach(view: Callable) -> Callable:
        view.openapi = Operation(summary, (roles,) if isinstance(roles, str) else roles, **details)
        return view

    return attach


_ERRORS = {
    401: "Not signed in, or the token is not valid.",
    403: "The role may not do this.",
    404: "No such person (or one outside the reader's area: the same answer).",
    409: "It already exists.",
    413: "The body is too large.",
    422: "Invalid fields; `fields` names each one and why.",
}


def build_spec(app: Flask) -> dict:
    spec = APISpec(
        title="MASH Hub API",
        version="1",
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={
            "description": "Multi-agency safeguarding hub: concerns in, one joined chronology "
            "out. Every endpoint but the health checks needs `Authorization: Bearer <token>` "
            "(a user's API token, or an agency's key for publishing)."
        },
    )
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    spec.components.schema("Error", schema=_ErrorSchema)
    paths: dict[str, dict] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith(API_PREFIX):
            continue
        operation: Operation = app.view_functions[rule.endpoint].openapi
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for path, kind in _paths(rule.rule):
                paths.setdefault(path, {})[method.lower()] = _operation(operation, rule, kind)
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()


def _paths(rule: str) -> list[tuple[str, str | None]]:
    """Flask's rule as OpenAPI paths: `<int:id>` -> `{id}`; `<any(csv, pdf):kind>` -> one
    path per choice."""
    choice = re.search(r"<any\(([^)]*)\):\w+>", rule)
    if choice:
        return [
            (_path(rule.replace(choice.group(), kind.strip())), kind.strip())
            for kind in choice.group(1).split(",")
        ]
    return [(_path(rule), None)]


def _path(rule: str) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)


def _operation(operation: Operation, rule, kind: str | None) -> dict:
    parameters: list[dict] = [
        {
            "in": "path",
            "name": name,
            "required": True,
            "schema": {"type": "integer" if "int:" in rule.rule else "string"},
        }
        for name in rule.arguments
        if name != "kind"
    ]
    if operation.query is not None:
        parameters.append({"in": "query", "schema": operation.query})
    content_type = {"csv": "text/csv", "pdf": "application/pdf"}.get(kind or "")
    content_type = content_type or operation.content_type
    success: dict = {"description": "OK"}
    if operation.response is not None:
        success["content"] = {content_type: {"schema": operation.response}}
    elif content_type != "application/json":
        success["content"] = {content_type: {"schema": {"type": "string", "format": "binary"}}}
    responses = {str(operation.status): success}
    errors = set(operation.errors) | ({404} if "person_id" in rule.arguments else set())
    for status in sorted(errors):
        responses[str(status)] = {
            "description": _ERRORS[status],
            "content": {"application/json": {"schema": "Error"}},
        }
    result = {
        "summary": operation.summary,
        "description": f"Roles: {', '.join(operation.roles)}.",
        "parameters": parameters,
        "responses": responses,
        "security": [] if operation.roles == ("anyone",) else [{"bearer": []}],
        **operation.extra,
    }
    if operation.body is not None:
        result["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": operation.body}},
        }
    return result


class _ErrorSchema(Schema):
    from marshmallow import fields

    error = fields.String(metadata={"description": "a code, e.g. validation_failed"})
    message = fields.String()
    fields_ = fields.Dict(data_key="fields", metadata={"description": "field -> problems"})


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(_cached())


@bp.get("")
def docs_page():
    return render_template("api_docs.html", spec=_cached())


def _cached() -> dict:
    spec = current_app.extensions.get("mash_openapi")
    if spec is None:
        spec = current_app.extensions["mash_openapi"] = build_spec(current_app)
    return spec
