"""GET /api/v1/audit: the audit trail for auditors, newest first, filterable and paged."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, jsonify, request
from marshmallow import Schema, fields, validate

from api import hub
from api.auth import actor, record_read
from api.openapi import documented
from hub import audit

bp = Blueprint("audit", __name__, url_prefix="/api/v1/audit")


class AuditQuerySchema(Schema):
    actor = fields.String(validate=validate.Length(max=120))
    action = fields.String(validate=validate.Length(max=60))
    subject_type = fields.String(validate=validate.Length(max=40))
    subject_id = fields.String(validate=validate.Length(max=64))
    since = fields.AwareDateTime(default_timezone=dt.UTC)
    until = fields.AwareDateTime(default_timezone=dt.UTC)
    limit = fields.Integer(load_default=100, validate=validate.Range(1, audit.MAX_PAGE))
    before_id = fields.Integer(validate=validate.Range(min=1))


@documented(
    "The audit trail, newest first, filterable and paged", "auditor", query=AuditQuerySchema
)
@bp.get("")
def list_entries():
    actor(("auditor",))
    filters = AuditQuerySchema().load(request.args.to_dict())
    with hub().sessions() as session, session.begin():
        entries = audit.search(session, **filters)
        detail = {"filters": sorted(filters), "entries": len(entries)}
        record_read(session, "read_audit", detail=detail)
    next_before = entries[-1]["id"] if len(entries) == filters["limit"] else None
    return jsonify(entries=entries, next_before_id=next_before)
