"""Persons: search, a person's records and why they are linked, merges."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, jsonify, request
from marshmallow import Schema, fields, validate
from sqlalchemy.orm import Session

from api import hub
from api.auth import actor, record_read
from api.openapi import documented
from api.views import (
    HouseholdsSchema,
    MergeSchema,
    PersonSchema,
    SearchQuerySchema,
    SearchResponseSchema,
    SearchResultSchema,
)
from hub import identity, queries, search
from hub.access import CASE_ROLES, IDENTITY_ROLES, Actor, visible, visible_person
from hub.errors import NotFound
from hub.household_view import household_of
from hub.models import Merge

bp = Blueprint("persons", __name__, url_prefix="/api/v1/persons")
_RESULTS = SearchResultSchema(many=True)
_PERSON = PersonSchema()
_MERGE = MergeSchema()
_HOUSEHOLDS = HouseholdsSchema()


class MergeRequestSchema(Schema):
    into = fields.Integer(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))


def visible_search(session: Session, who: Actor, q: str) -> list[dict]:
    """Search results the actor may see, audited with the terms (the API and the web page)."""
    results = search.search(session, q, who, hub().model)
    record_read(session, "search", detail={"terms": q[:200], "results": len(results)})
    return results


@documented(
    "Search persons by name (nicknames, transliterations, typos), date of birth, postcode,"
    " NHS number or UPN; ranked, each with why",
    CASE_ROLES,
    query=SearchQuerySchema,
    response=SearchResponseSchema,
)
@bp.get("")
def search_persons():
    who = actor()
    q = request.args.get("q", "")
    with hub().sessions() as session, session.begin():
        return jsonify(query=q, results=_RESULTS.dump(visible_search(session, who, q)))


@documented(
    "A person: records from each agency and why each is linked, statuses, areas, relationships",
    CASE_ROLES,
    response=PersonSchema,
)
@bp.get("/<int:person_id>")
def person(person_id: int):
    who = actor()
    with hub().sessions() as session, session.begin():
        return jsonify(visible_person_detail(session, who, person_id))


def visible_person_detail(session: Session, who: Actor, person_id: int) -> dict:
    """The person's records, statuses and links as the actor may see them, audited."""
    current = visible_person(session, who, person_id)
    detail = _PERSON.dump(queries.person_detail(session, person_id))
    record_read(session, "read_person", "person", current)
    return detail


@documented(
    "The households around a person over time: members, roles, relationships, concern counts",
    CASE_ROLES,
    response=HouseholdsSchema,
)
@bp.get("/<int:person_id>/household")
def person_household(person_id: int):
    who = actor()
    with hub().sessions() as session, session.begin():
        return jsonify(visible_household(session, who, person_id))


def visible_household(session: Session, who: Actor, person_id: int) -> dict:
    """The households around the person as the actor may see them, audited (API and web)."""
    current = visible_person(session, who, person_id)
    body = household_of(session, person_id, partial(visible, who))
    record_read(session, "read_household", "person", current)
    return _HOUSEHOLDS.dump(body)


@documented(
    "Merge this person into another (the old id forwards)",
    IDENTITY_ROLES,
    body=MergeRequestSchema,
    response=MergeSchema,
    status=201,
)
@bp.post("/<int:person_id>/merge")
def merge_person(person_id: int):
    who = actor(IDENTITY_ROLES)
    body = MergeRequestSchema().load(request.get_json(silent=True) or {})
    with hub().sessions() as session, session.begin():
        survivor = visible_person(session, who, body["into"])
        merged = visible_person(session, who, person_id)
        result = identity.merge(session, survivor, merged, who.username, body["reason"], who.role)
        return jsonify(_MERGE.dump(result)), 201


@documented(
    "Undo a merge",
    IDENTITY_ROLES,
    response=MergeSchema,
    errors=(401, 403, 404),
)
@bp.post("/merges/<int:merge_id>/undo")
def undo_merge(merge_id: int):
    who = actor(IDENTITY_ROLES)
    with hub().sessions() as session, session.begin():
        merge = session.get(Merge, merge_id)
        if merge is None:
            raise NotFound(f"no merge {merge_id}")
        visible_person(session, who, merge.survivor_id)
        return jsonify(_MERGE.dump(identity.unmerge(session, merge_id, who.username, who.role)))
