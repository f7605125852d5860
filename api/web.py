"""The web UI's first pages: search, and a person's joined chronology (server-rendered)."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from api import hub
from hub import queries
from hub.errors import InvalidQuery

bp = Blueprint("web", __name__)


@bp.get("/")
def search_page():
    q = request.args.get("q", "").strip()
    results, error = [], None
    if q:
        with hub().sessions() as session:
            try:
                results = queries.search(session, q)
            except InvalidQuery as exc:
                error = "; ".join(m for msgs in exc.fields.values() for m in msgs)
    return render_template("search.html", q=q, results=results, error=error)


@bp.get("/persons/<int:person_id>")
def person_page(person_id: int):
    page = max(1, request.args.get("page", 1, type=int))
    with hub().sessions() as session:
        result = queries.timeline(session, person_id, page=page, per_page=100)
        agencies = sorted({c.agency.name for c in result.items})
        return render_template("person.html", page=result, agencies=agencies)
