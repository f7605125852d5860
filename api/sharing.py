"""The sharing ledger and legal holds of one person.

Who decided is always the signed-in user, never a field of the body (an unknown field such as
`decided_by` is refused). Scope comes first: a person outside the actor's area answers 404, the
same as no one, before the body is even read.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from marshmallow import Schema, fields, validate

from api import hub
from api.auth import actor, record, record_read
from api.openapi import documented
from api.views import UTCDateTime
from hub import retention, sharing
from hub.access import CASE_ROLES, LAWFUL_BASES, visible_person
from hub.errors import NotFound
from hub.models import LegalHold

bp = Blueprint("sharing", __name__, url_prefix="/api/v1/persons")
MANAGERS = ("team_manager",)


def _text(max_len: int, **kwargs) -> fields.String:
    return fields.String(validate=validate.Length(min=1, max=max_len), **kwargs)


class DisclosureRequestSchema(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(sharing.DECISIONS))
    what = _text(sharing.MAX_WHAT, required=True)
    recipient = _text(sharing.MAX_RECIPIENT, required=True)
    purpose = _text(sharing.MAX_PURPOSE, required=True)
    lawful_basis = fields.String(required=True, validate=validate.OneOf(LAWFUL_BASES))
    consent = fields.String(required=True, validate=validate.OneOf(sharing.CONSENTS))
    # Required when consent is refused or not sought: hub.sharing says so, per field.
    consent_note = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=sharing.MAX_NOTE)
    )


class DisclosureSchema(Schema):
    id = fields.Integer()
    person_id = fields.Integer()
    decision = fields.String()
    what = fields.String()
    recipient = fields.String()
    purpose = fields.String()
    lawful_basis = fields.String()
    consent = fields.String()
    consent_note = fields.String(allow_none=True)
    decided_by = fields.String()
    decided_at = UTCDateTime()


class HoldRequestSchema(Schema):
    reason = _text(retention.MAX_REASON, required=True)


class HoldSchema(Schema):
    id = fields.Integer()
    person_id = fields.Integer()
    reason = fields.String()
    placed_by = fields.String()
    placed_at = UTCDateTime()
    released_by = fields.String(allow_none=True)
    released_at = UTCDateTime(allow_none=True)


_DISCLOSURE = DisclosureSchema()
_HOLD = HoldSchema()


@documented(
    "Record a decision to share (or not): what, to whom, why, lawful basis, consent",
    CASE_ROLES,
    body=DisclosureRequestSchema,
    response=DisclosureSchema,
    status=201,
)
@bp.post("/<int:person_id>/disclosures")
def record_disclosure(person_id: int):
    who = actor(CASE_ROLES)
    with hub().sessions() as session, session.begin():
        current = visible_person(session, who, person_id)
        body = DisclosureRequestSchema().load(request.get_json(silent=True) or {})
        entry = sharing.record_disclosure(session, who.username, current, **body)
        detail = {"disclosure": entry.id, "decision": entry.decision, "consent": entry.consent}
        record("disclosure_recorded", "person", current, detail, db=session)
        return jsonify(_DISCLOSURE.dump(entry)), 201


@documented("The sharing ledger of a person", CASE_ROLES)
@bp.get("/<int:person_id>/disclosures")
def list_disclosures(person_id: int):
    who = actor(CASE_ROLES)
    with hub().sessions() as session, session.begin():
        current = visible_person(session, who, person_id)
        entries = sharing.disclosures_for(session, current)
        record_read(session, "read_disclosures", "person", current, {"count": len(entries)})
        return jsonify(person_id=current, disclosures=_DISCLOSURE.dump(entries, many=True))


@documented(
    "Place a legal hold (retention will not purge)",
    "team_manager",
    body=HoldRequestSchema,
    response=HoldSchema,
    status=201,
)
@bp.post("/<int:person_id>/legal-holds")
def place_hold(person_id: int):
    who = actor(MANAGERS)
    with hub().sessions() as session, session.begin():
        current = visible_person(session, who, person_id)
        body = HoldRequestSchema().load(request.get_json(silent=True) or {})
        hold = retention.place_hold(session, current, body["reason"], who.username)
        record("legal_hold_placed", "person", current, {"hold": hold.id}, db=session)
        return jsonify(_HOLD.dump(hold)), 201


@documented("Release a legal hold", "team_manager", response=HoldSchema, errors=(401, 403, 404))
@bp.post("/legal-holds/<int:hold_id>/release")
def release_hold(hold_id: int):
    who = actor(MANAGERS)
    with hub().sessions() as session, session.begin():
        hold = session.get(LegalHold, hold_id)
        if hold is None:
            raise NotFound(f"no legal hold {hold_id}")
        visible_person(session, who, hold.person_id)  # a hold outside scope looks absent too
        released = retention.release_hold(session, hold_id, who.username)
        record("legal_hold_released", "person", released.person_id, {"hold": hold_id}, db=session)
        return jsonify(_HOLD.dump(released))
