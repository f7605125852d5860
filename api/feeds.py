"""HTTPS push of an agency's own format: POST /api/v1/feeds/<format> (HL7 v2, FHIR, CSV…) and
POST /api/v1/hl7. The key decides the agency; good items are queued, bad ones come back with
their position and reason, and a payload with nothing usable in it is a 422."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, jsonify, request

from api import hub
from api.concerns import sending_agency
from api.openapi import documented
from connectors import FORMATS
from connectors.ingest import ingest
from hub.bus import BusError
from hub.errors import BusUnavailable, NotFound

bp = Blueprint("feeds", __name__, url_prefix="/api/v1")


@documented(
    "Publish an agency's file (csv, fhir, jsonl…): per-line results, rejects with line numbers",
    "agency_submitter",
    content_type="text/plain",
    errors=(401, 403, 413, 422),
)
@bp.post("/feeds/<fmt>")
def push_feed(fmt: str):
    if fmt not in FORMATS:
        raise NotFound(f"No feed format {fmt!r}; one of {', '.join(FORMATS)}.")
    return _ingest(fmt)


@documented(
    "Publish HL7 v2 messages; answered with acknowledgements",
    "agency_submitter",
    errors=(401, 403, 413, 422),
)
@bp.post("/hl7")
def push_hl7():
    return _ingest("hl7v2")


def _ingest(fmt: str):
    agency = sending_agency()
    context = hub()
    try:
        summary = ingest(
            context.bus, context.settings.concerns_topic, agency, fmt, request.get_data()
        )
    except BusError as exc:
        raise BusUnavailable("The hub could not queue the feed; send it again.") from exc
    body = {
        "agency": agency,
        "format": fmt,
        "read": summary.read,
        "published": summary.published,
        "rejected": [asdict(r) for r in summary.rejected],
    }
    status = 422 if summary.published == 0 else 202
    if status == 422:
        body["error"] = "nothing_usable"
        body["message"] = "Nothing in the payload could be accepted; see `rejected`."
    return jsonify(body), status
