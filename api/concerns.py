"""POST /api/v1/concerns: an agency pushes a concern; it is validated and put on the bus."""

from __future__ import annotations

import json

from flask import Blueprint, jsonify, request
from marshmallow import ValidationError

from api import hub
from api.auth import actor, record_read
from api.openapi import documented
from api.views import AcceptedSchema, ConcernHistorySchema
from hub import credentials, queries
from hub.access import CASE_ROLES, may_see, shown
from hub.bus import BusError
from hub.errors import BusUnavailable, Forbidden, NotFound
from hub.records import current_person_id
from hub.schemas import ConcernSubmissionSchema, to_event

bp = Blueprint("concerns", __name__, url_prefix="/api/v1/concerns")
_SUBMISSION = ConcernSubmissionSchema()
_HISTORY = ConcernHistorySchema()


def sending_agency() -> str:
    """The agency whose key came with the request: that, and only that, is who is sending."""
    header = request.headers.get("Authorization", "")
    scheme, _, key = header.partition(" ")
    with hub().sessions() as session:
        return credentials.agency_for(session, key.strip() if scheme.lower() == "bearer" else None)


@documented(
    "Publish a concern (an agency's key; accepted for the pipeline)",
    "agency_submitter",
    body=ConcernSubmissionSchema,
    response=AcceptedSchema,
    status=202,
    errors=(401, 403, 413, 422),
)
@bp.post("")
def submit_concern():
    agency = sending_agency()
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationError({"_body": ["Send a JSON object (Content-Type: application/json)."]})
    claimed = body.setdefault("agency", agency)
    if claimed != agency:
        raise Forbidden(f"This key publishes as {agency}; it cannot publish as {claimed!r}.")
    event = to_event(_SUBMISSION.load(body))
    context = hub()
    key = f"{event['agency']}:{event['person']['source_ref']}"
    try:
        context.bus.send(context.settings.concerns_topic, key, json.dumps(event).encode())
    except BusError as exc:
        raise BusUnavailable("The hub could not queue the concern; try again.") from exc
    return jsonify(event_id=event["event_id"], status="accepted"), 202


@documented(
    "Every revision of a concern, found by any of its event ids",
    CASE_ROLES,
    response=ConcernHistorySchema,
    errors=(401, 403, 404),
)
@bp.get("/<event_id>/history")
def concern_history(event_id: str):
    """Every revision of a concern (first report, amendments, withdrawal), oldest first."""
    who = actor()
    with hub().sessions() as session, session.begin():
        concern = queries.concern_history(session, event_id)
        if not may_see(session, who, current_person_id(session, concern.person_id)):
            raise NotFound(f"No concern has an event {event_id}.")
        body = shown(who, _HISTORY.dump(concern))
        if body["withheld"]:
            body["revisions"] = []
        record_read(session, "read_concern_history", "concern", concern.id)
        return jsonify(body)
