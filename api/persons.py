"""Persons: search, and the joined chronology of one person across agencies."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, jsonify, request
from marshmallow import Schema, fields, validate
from sqlalchemy.orm import Session

from api import hub
from api.auth import actor, record
from api.views import MergeSchema, PersonSchema, SearchResultSchema, TimelinePageSchema
from hub import identity, queries, search
from hub.access import IDENTITY_ROLES, Actor, shown, visible, visible_person
from hub.errors import InvalidQuery, NotFound
from hub.models import Merge

bp = Blueprint("persons", __name__, url_prefix="/api/v1/persons")
_PAGE = TimelinePageSchema()
_RESULTS = SearchResultSchema(many=True)
_PERSON = PersonSchema()
_MERGE = MergeSchema()


class MergeRequestSchema(Schema):
    into = fields.Integer(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))


def _int_arg(name: str, default: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise InvalidQuery({name: ["Must be a whole number."]}) from None


def visible_search(session: Session, who: Actor, q: str) -> list[dict]:
    """Search results the actor may see, audited with the terms (the API and the web page)."""
    results = search.search(session, q, partial(visible, who), hub().model)
    record("search", detail={"terms": q[:200], "results": len(results)}, db=session)
    return results


def visible_timeline(
    session: Session,
    who: Actor,
    person_id: int,
    page: int,
    per_page: int,
    include_withdrawn: bool = False,
) -> dict:
    """A page of the person's chronology as the actor may see it, audited."""
    current = visible_person(session, who, person_id)
    result = queries.timeline(
        session, person_id, page=page, per_page=per_page, include_withdrawn=include_withdrawn
    )
    body = _PAGE.dump(result)
    body["items"] = [shown(who, entry) for entry in body["items"]]
    record("read_timeline", "person", current, {"page": page}, db=session)
    return body


@bp.get("")
def search_persons():
    who = actor()
    q = request.args.get("q", "")
    with hub().sessions() as session, session.begin():
        return jsonify(query=q, results=_RESULTS.dump(visible_search(session, who, q)))


@bp.get("/<int:person_id>/timeline")
def person_timeline(person_id: int):
    who = actor()
    page = _int_arg("page", 1)
    per_page = _int_arg("per_page", 50)
    withdrawn = request.args.get("include_withdrawn") in ("1", "true", "yes")
    with hub().sessions() as session, session.begin():
        return jsonify(visible_timeline(session, who, person_id, page, per_page, withdrawn))


@bp.get("/<int:person_id>")
def person(person_id: int):
    who = actor()
    with hub().sessions() as session, session.begin():
        current = visible_person(session, who, person_id)
        detail = queries.person_detail(session, person_id)
        record("read_person", "person", current, db=session)
        return jsonify(_PERSON.dump(detail))


@bp.post("/<int:person_id>/merge")
def merge_person(person_id: int):
    who = actor(IDENTITY_ROLES)
    body = MergeRequestSchema().load(request.get_json(silent=True) or {})
    with hub().sessions() as session, session.begin():
        survivor = visible_person(session, who, body["into"])
        merged = visible_person(session, who, person_id)
        result = identity.merge(session, survivor, merged, who.username, body["reason"], who.role)
        return jsonify(_MERGE.dump(result)), 201


@bp.post("/merges/<int:merge_id>/undo")
def undo_merge(merge_id: int):
    who = actor(IDENTITY_ROLES)
    with hub().sessions() as session, session.begin():
        merge = session.get(Merge, merge_id)
        if merge is None:
            raise NotFound(f"no merge {merge_id}")
        visible_person(session, who, merge.survivor_id)
        return jsonify(_MERGE.dump(identity.unmerge(session, merge_id, who.username, who.role)))
