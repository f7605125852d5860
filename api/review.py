"""The review queue: uncertain links wait here for a person to decide."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from marshmallow import Schema, fields, validate

from api import hub
from api.views import ReviewTaskSchema
from hub import identity, queries

bp = Blueprint("review", __name__, url_prefix="/api/v1/review")
_TASKS = ReviewTaskSchema(many=True)
_TASK = ReviewTaskSchema()


class DecisionSchema(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(identity.DECISIONS))
    by = fields.String(required=True, validate=validate.Length(min=1, max=120))


@bp.get("")
def list_tasks():
    status = request.args.get("status", "open")
    with hub().sessions() as session:
        return jsonify(tasks=_TASKS.dump(queries.review_tasks(session, status)))


@bp.post("/<int:task_id>/decision")
def decide(task_id: int):
    body = DecisionSchema().load(request.get_json(silent=True) or {})
    with hub().sessions() as session, session.begin():
        task = identity.decide_review(session, task_id, body["decision"], body["by"])
        return jsonify(_TASK.dump(task))
