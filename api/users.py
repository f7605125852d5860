"""Users, for the admin role: list, create, disable, revoke tokens. Admins manage accounts; they
never read case content (no person, concern or audit endpoint admits them)."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from marshmallow import Schema, fields, validate
from sqlalchemy import select
from sqlalchemy.orm import aliased

from api import hub
from api.auth import actor, record
from api.openapi import documented
from api.views import UTCDateTime
from hub import accounts
from hub.models import User

bp = Blueprint("users", __name__, url_prefix="/api/v1/users")
ADMIN = ("admin",)


class NewUserSchema(Schema):
    username = fields.String(
        required=True,
        validate=validate.Regexp(r"^[A-Za-z0-9._@-]{2,120}$", error="2-120 of A-Z a-z 0-9 . _ @ -"),
    )
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=200))
    role = fields.String(required=True, validate=validate.OneOf(accounts.ROLES))
    local_authority = fields.String(validate=validate.Length(max=60), allow_none=True)
    manager = fields.String(validate=validate.Length(max=120), allow_none=True)


class UserSchema(Schema):
    id = fields.Integer()
    username = fields.String()
    role = fields.String()
    local_authority = fields.String(allow_none=True)
    manager = fields.String(allow_none=True)
    active = fields.Boolean()
    locked_until = UTCDateTime(allow_none=True)
    last_login_at = UTCDateTime(allow_none=True)


def _dump(user: User, manager: str | None) -> dict:
    names = ("id", "username", "role", "local_authority", "active", "locked_until")
    return UserSchema().dump(
        {
            **{name: getattr(user, name) for name in names},
            "manager": manager,
            "last_login_at": user.last_login_at,
        }
    )


@documented("Users (admins only)", "admin", errors=(401, 403))
@bp.get("")
def list_users():
    actor(ADMIN)
    manager = aliased(User)
    with hub().sessions() as session:
        rows = session.execute(
            select(User, manager.username)
            .outerjoin(manager, manager.id == User.manager_id)
            .order_by(User.username)
        ).all()
        return jsonify(users=[_dump(user, name) for user, name in rows])


@documented(
    "Create a user",
    "admin",
    body=NewUserSchema,
    response=UserSchema,
    status=201,
    errors=(401, 403, 409, 422),
)
@bp.post("")
def create_user():
    actor(ADMIN)
    body = NewUserSchema().load(request.get_json(silent=True) or {})
    with hub().sessions() as session, session.begin():
        user = accounts.create_user(
            session,
            body["username"],
            body["password"],
            body["role"],
            body.get("local_authority"),
            body.get("manager"),
        )
        detail = {"role": user.role, "area": user.local_authority}
        record("user_created", "user", user.id, detail, db=session)
        return jsonify(_dump(user, body.get("manager"))), 201


@documented("Disable a user and revoke their tokens", "admin", errors=(401, 403, 404))
@bp.post("/<username>/disable")
def disable_user(username: str):
    actor(ADMIN)
    with hub().sessions() as session, session.begin():
        user = accounts.get_user(session, username)
        user.active = False
        revoked = accounts.revoke_tokens(session, username)
        record("user_disabled", "user", user.id, {"tokens_revoked": revoked}, db=session)
        return jsonify(username=username, active=False, tokens_revoked=revoked)


@documented("Revoke a user's API tokens", "admin", errors=(401, 403, 404))
@bp.post("/<username>/revoke-tokens")
def revoke_user_tokens(username: str):
    actor(ADMIN)
    with hub().sessions() as session, session.begin():
        user = accounts.get_user(session, username)
        revoked = accounts.revoke_tokens(session, username)
        record("tokens_revoked", "user", user.id, {"count": revoked}, db=session)
        return jsonify(username=username, tokens_revoked=revoked)
