"""Persons: search, and the joined chronology of one person across agencies."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from api import hub
from api.views import SearchResultSchema, TimelinePageSchema
from hub import queries
from hub.errors import InvalidQuery

bp = Blueprint("persons", __name__, url_prefix="/api/v1/persons")
_PAGE = TimelinePageSchema()
_RESULTS = SearchResultSchema(many=True)


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
        result = queries.timeline(session, person_id, page=page, per_page=per_page)
        return jsonify(_PAGE.dump(result))
