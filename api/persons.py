"""Persons: search, and the joined chronology of one person across agencies."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from marshmallow import Schema, fields, validate

from api import hub
from api.views import MergeSchema, PersonSchema, SearchResultSchema, TimelinePageSchema
from hub import identity, queries
from hub.errors import InvalidQuery

bp = Blueprint("persons", __name__, url_prefix="/api/v1/persons")
_PAGE = TimelinePageSchema()
_RESULTS = SearchResultSchema(many=True)
_PERSON = PersonSchema()
_MERGE = MergeSchema()


class MergeRequestSchema(Schema):
    into = fields.Integer(required=True)
    by = fields.String(required=True, validate=validate.Length(min=1, max=120))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))


class UndoRequestSchema(Schema):
    by = fields.String(required=True, validate=validate.Length(min=1, max=120))


def _int_arg(name: str, default: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise InvalidQuery({name: ["Must be a whole number."]}) from None


@bp.get("")
def search_persons():
    q = request.args.get("q", "")
    with hub().sessions() as session:
        results = queries.search(session, q)
        return jsonify(query=q, results=_RESULTS.dump(results))


@bp.get("/<int:person_id>/timeline")
def person_timeline(person_id: int):
    page = _int_arg("page", 1)
    per_page = _int_arg("per_page", 50)
    with hub().sessions() as session:
        result = queries.timeline(
            session,
            person_id,
            page=page,
            per_page=per_page,
            include_withdrawn=request.args.get("include_withdrawn") in ("1", "true", "yes"),
        )
        return jsonify(_PAGE.dump(result))


@bp.get("/<int:person_id>")
def person(person_id: int):
    with hub().sessions() as session:
        return jsonify(_PERSON.dump(queries.person_detail(session, person_id)))


@bp.post("/<int:person_id>/merge")
def merge_person(person_id: int):
    body = MergeRequestSchema().load(request.get_json(silent=True) or {})
    with hub().sessions() as session, session.begin():
        merged = identity.merge(session, body["into"], person_id, body["by"], body["reason"])
        return jsonify(_MERGE.dump(merged)), 201


@bp.post("/merges/<int:merge_id>/undo")
def undo_merge(merge_id: int):
    body = UndoRequestSchema().load(request.get_json(silent=True) or {})
    with hub().sessions() as session, session.begin():
        return jsonify(_MERGE.dump(identity.unmerge(session, merge_id, body["by"])))
