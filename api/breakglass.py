"""Break-glass: reading one person outside one's area, with a typed reason and a lawful basis,
for a limited time; the grant is flagged to the worker's manager and written to the audit."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from marshmallow import Schema, fields, validate
from sqlalchemy import select
from sqlalchemy.orm import Session

from api import hub
from api.auth import actor, record
from api.openapi import documented
from api.views import UTCDateTime
from hub import access
from hub.access import CASE_ROLES, Actor
from hub.models import BreakGlassGrant, User

bp = Blueprint("breakglass", __name__, url_prefix="/api/v1/break-glass")


class GrantRequestSchema(Schema):
    """Types only: `access.break_glass` checks the values (one rule for every way in)."""

    person_id = fields.Integer(required=True)
    justification = fields.String(required=True, validate=validate.Length(max=2000))
    lawful_basis = fields.String(required=True)
    minutes = fields.Integer(load_default=60)


class GrantSchema(Schema):
    id = fields.Integer()
    person_id = fields.Integer()
    username = fields.String()
    justification = fields.String()
    lawful_basis = fields.String()
    granted_at = UTCDateTime()
    expires_at = UTCDateTime()


def open_grant(session: Session, who: Actor, body: dict) -> BreakGlassGrant:
    """Grant and audit (the API and the web form)."""
    grant = access.break_glass(
        session,
        who,
        body["person_id"],
        body["justification"],
        body["lawful_basis"],
        body["minutes"],
    )
    record(
        "break_glass",
        "person",
        grant.person_id,
        {"grant": grant.id, "minutes": body["minutes"], "manager_id": grant.manager_id},
        reason=f"{grant.lawful_basis}: {grant.justification}",
        db=session,
    )
    return grant


@documented(
    "Break-glass: time-limited access to one person outside one's area (flagged, audited)",
    CASE_ROLES,
    body=GrantRequestSchema,
    response=GrantSchema,
    status=201,
    errors=(401, 403, 404, 422),
)
@bp.post("")
def post_grant():
    who = actor()
    body = GrantRequestSchema().load(request.get_json(silent=True) or {})
    with hub().sessions() as session, session.begin():
        grant = open_grant(session, who, body)
        return jsonify(GrantSchema().dump({**_fields(grant), "username": who.username})), 201


@documented("Break-glass grants of the manager's team", "team_manager", errors=(401, 403))
@bp.get("/flagged")
def flagged_to_me():
    """Grants opened by the manager's team: what they must look at."""
    who = actor(("team_manager",))
    with hub().sessions() as session:
        rows = session.execute(
            select(BreakGlassGrant, User.username)
            .join(User, User.id == BreakGlassGrant.user_id)
            .where(BreakGlassGrant.manager_id == who.user_id)
            .order_by(BreakGlassGrant.granted_at.desc())
            .limit(200)
        ).all()
        grants = [{**_fields(grant), "username": name} for grant, name in rows]
        return jsonify(grants=GrantSchema(many=True).dump(grants))


def _fields(grant: BreakGlassGrant) -> dict:
    names = ("id", "person_id", "justification", "lawful_basis", "granted_at", "expires_at")
    return {name: getattr(grant, name) for name in names}
