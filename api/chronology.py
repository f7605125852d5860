"""A person's chronology: every agency's concerns in time order, filtered and paged, as JSON,
CSV or PDF. One query schema serves all three, so an export shows exactly what the screen
showed."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, jsonify, request
from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy import select
from sqlalchemy.orm import Session

from api import hub
from api.auth import actor, record_read
from api.openapi import documented
from api.views import TimelinePageSchema
from hub import chronology_export, queries
from hub.access import CASE_ROLES, Actor, shown, visible_person
from hub.models import Link, SourceRecord
from hub.schemas import AGENCIES, SEVERITIES

bp = Blueprint("chronology", __name__, url_prefix="/api/v1/persons")
MAX_EXPORT = 5000


class _Several(fields.List):
    """A list given as repeated parameters or comma-separated (?agency=police,school)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = [part for part in value.split(",") if part]
        return super()._deserialize(value, attr, data, **kwargs)


class TimelineQuerySchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=50, validate=validate.Range(1, queries.MAX_PER_PAGE))
    agency = _Several(fields.String(validate=validate.OneOf(list(AGENCIES))), load_default=list)
    category = _Several(fields.String(validate=validate.Length(1, 60)), load_default=list)
    severity = _Several(fields.String(validate=validate.OneOf(SEVERITIES)), load_default=list)
    since = fields.Date(data_key="from")
    until = fields.Date(data_key="to")
    order = fields.String(load_default="newest", validate=validate.OneOf(("newest", "oldest")))
    include_withdrawn = fields.Boolean(load_default=False)

    @validates_schema
    def _dates_in_order(self, data: dict, **_) -> None:
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise ValidationError("Must not be before 'from'.", "to")


def timeline_query(args, **defaults) -> dict:
    """Load the query string (repeated parameters kept as lists); 422 with field errors."""
    raw = {**defaults}
    for name in args:
        values = args.getlist(name)
        raw[name] = values if len(values) > 1 else values[0]
    return TimelineQuerySchema().load(raw)


def filter_of(query: dict) -> queries.TimelineFilter:
    return queries.TimelineFilter(
        agencies=tuple(query["agency"]),
        categories=tuple(query["category"]),
        severities=tuple(query["severity"]),
        since=query.get("since"),
        until=query.get("until"),
        oldest_first=query["order"] == "oldest",
        include_withdrawn=query["include_withdrawn"],
    )


def visible_timeline(session: Session, who: Actor, person_id: int, query: dict) -> dict:
    """A page of the person's chronology as the actor may see it, audited (API and web)."""
    current = visible_person(session, who, person_id)
    result = queries.timeline(
        session, person_id, query["page"], query["per_page"], filter_of(query), current
    )
    body = _page(result)
    body["items"] = [shown(who, entry) for entry in result.items]
    record_read(session, "read_timeline", "person", current, {"page": query["page"]})
    return body


@documented(
    "The chronology: every agency's concerns in time order, filtered and paged",
    CASE_ROLES,
    query=TimelineQuerySchema,
    response=TimelinePageSchema,
)
@bp.get("/<int:person_id>/timeline")
def person_timeline(person_id: int):
    who = actor()
    query = timeline_query(request.args)
    with hub().sessions() as session, session.begin():
        return jsonify(visible_timeline(session, who, person_id, query))


@documented(
    "The chronology as CSV or PDF for a conference or case review (oldest first; audited)",
    CASE_ROLES,
    query=TimelineQuerySchema,
)
@bp.get("/<int:person_id>/chronology.<any(csv, pdf):kind>")
def export_chronology(person_id: int, kind: str):
    """The chronology for a conference or a case review, oldest first unless asked; audited
    as an export with its filters."""
    who = actor()
    query = timeline_query(request.args, order="oldest")
    with hub().sessions() as session, session.begin():
        current = visible_person(session, who, person_id)
        entries = _all_entries(session, who, person_id, current, query)
        header = {
            "person_id": current,
            "generated_by": who.username,
            "role": who.role,
            "generated_at": dt.datetime.now(dt.UTC),
            "filters": _described(query),
            "names": _names(session, current),
        }
        detail = {"format": kind, "entries": len(entries), "filters": _described(query)}
        record_read(session, "export", "person", current, detail)
    if kind == "csv":
        body, mimetype = chronology_export.to_csv(header, entries), "text/csv; charset=utf-8"
    else:
        body, mimetype = chronology_export.to_pdf(header, entries), "application/pdf"
    filename = f"chronology-person-{current}.{kind}"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _all_entries(session: Session, who: Actor, person_id: int, current: int, query: dict) -> list:
    found = queries.timeline(session, person_id, 1, MAX_EXPORT, filter_of(query), current)
    if found.total > MAX_EXPORT:
        raise ValidationError(
            {"to": [f"{found.total} concerns: narrow the dates or agencies to {MAX_EXPORT}."]}
        )
    return [shown(who, entry) for entry in found.items]


def _page(result: queries.Page) -> dict:
    """TimelinePageSchema's shape; its items are already plain (queries.timeline)."""
    return {
        "person_id": result.person_id,
        "requested_id": result.requested_id,
        "total": result.total,
        "page": result.page,
        "per_page": result.per_page,
    }


def _described(query: dict) -> dict[str, str]:
    described = {}
    for name in ("agency", "category", "severity"):
        if query[name]:
            described[name] = ", ".join(query[name])
    for name, key in (("from", "since"), ("to", "until")):
        if query.get(key):
            described[name] = query[key].isoformat()
    if query["include_withdrawn"]:
        described["include_withdrawn"] = "yes"
    return described


def _names(session: Session, person_id: int) -> list[str]:
    rows = session.execute(
        select(SourceRecord.given_name, SourceRecord.family_name)
        .join(Link, Link.source_record_id == SourceRecord.id)
        .where(Link.person_id == person_id)
    ).all()
    return sorted({" ".join(p for p in row if p) for row in rows if any(row)})
