"""The review queue: uncertain links wait here for a person to decide."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, jsonify, request
from marshmallow import Schema, fields, validate
from sqlalchemy.orm import Session

from api import hub
from api.auth import actor
from api.openapi import documented
from api.views import ReviewTaskSchema, TasksSchema
from hub import identity, queries
from hub.access import IDENTITY_ROLES, Actor, may_see, visible
from hub.errors import NotFound
from hub.models import ReviewTask

bp = Blueprint("review", __name__, url_prefix="/api/v1/review")
_TASKS = ReviewTaskSchema(many=True)
_TASK = ReviewTaskSchema()


class DecisionSchema(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(identity.DECISIONS))


def _in_scope(session, who: Actor, task: ReviewTask) -> bool:
    """The worker may see the record waiting or the person it might be."""
    linked = task.source_record.link
    return may_see(session, who, task.candidate_person_id) or (
        linked is not None and may_see(session, who, linked.person_id)
    )


@documented(
    "The review queue: uncertain links in the reader's area",
    IDENTITY_ROLES,
    response=TasksSchema,
)
@bp.get("")
def list_tasks():
    who = actor(IDENTITY_ROLES)
    status = request.args.get("status", "open")
    with hub().sessions() as session:
        tasks = queries.review_tasks(session, partial(visible, who), status)
        return jsonify(tasks=_TASKS.dump(tasks))


@documented(
    "Decide a review task: link, or not the same person",
    IDENTITY_ROLES,
    body=DecisionSchema,
    response=ReviewTaskSchema,
    errors=(401, 403, 404, 422),
)
@bp.post("/<int:task_id>/decision")
def decide(task_id: int):
    who = actor(IDENTITY_ROLES)
    body = DecisionSchema().load(request.get_json(silent=True) or {})
    with hub().sessions() as session, session.begin():
        return jsonify(_TASK.dump(decide_task(session, who, task_id, body["decision"])))


def decide_task(session: Session, who: Actor, task_id: int, decision: str) -> ReviewTask:
    """A decision on a task in the worker's scope (API and web page)."""
    task = session.get(ReviewTask, task_id)
    if task is None or not _in_scope(session, who, task):
        raise NotFound(f"no review task {task_id}")
    return identity.decide_review(session, task_id, decision, who.username, who.role)
