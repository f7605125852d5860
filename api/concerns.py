"""POST /api/v1/concerns: an agency pushes a concern; it is validated and put on the bus."""

from __future__ import annotations

import json

from flask import Blueprint, jsonify, request
from marshmallow import ValidationError

from api import hub
from api.views import ConcernHistorySchema
from hub import queries
from hub.bus import BusError
from hub.errors import BusUnavailable
from hub.schemas import ConcernSubmissionSchema, to_event

bp = Blueprint("concerns", __name__, url_prefix="/api/v1/concerns")
_SUBMISSION = ConcernSubmissionSchema()
_HISTORY = ConcernHistorySchema()


@bp.post("")
def submit_concern():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationError({"_body": ["Send a JSON object (Content-Type: application/json)."]})
    event = to_event(_SUBMISSION.load(body))
    context = hub()
    key = f"{event['agency']}:{event['person']['source_ref']}"
    try:
        context.bus.send(context.settings.concerns_topic, key, json.dumps(event).encode())
    except BusError as exc:
        raise BusUnavailable("The hub could not queue the concern; try again.") from exc
    return jsonify(event_id=event["event_id"], status="accepted"), 202


@bp.get("/<event_id>/history")
def concern_history(event_id: str):
    """Every revision of a concern (first report, amendments, withdrawal), oldest first."""
    with hub().sessions() as session:
        return jsonify(_HISTORY.dump(queries.concern_history(session, event_id)))
