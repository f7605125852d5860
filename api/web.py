"""The web UI's pages: search, and a person's joined chronology (server-rendered). Every page
needs a signed-in worker, and shows only what the API would show them."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, g, redirect, render_template, request, url_for

from api import hub
from api.auth import actor
from api.persons import visible_search, visible_timeline
from hub.errors import InvalidQuery

bp = Blueprint("web", __name__)


def signed_in(view):
    """Send someone who is not signed in (or whose session lapsed) to the login page."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if g.get("actor") is None:
            expired = "1" if g.get("session_expired") else None
            return redirect(url_for("auth.login", next=request.full_path, expired=expired))
        return view(*args, **kwargs)

    return wrapper


@bp.get("/")
@signed_in
def search_page():
    who = actor()
    q = request.args.get("q", "").strip()
    results, error = [], None
    if q:
        with hub().sessions() as session, session.begin():
            try:
                results = visible_search(session, who, q)
            except InvalidQuery as exc:
                error = "; ".join(m for msgs in exc.fields.values() for m in msgs)
    return render_template("search.html", q=q, results=results, error=error, actor=who)


@bp.get("/persons/<int:person_id>")
@signed_in
def person_page(person_id: int):
    who = actor()
    page = max(1, request.args.get("page", 1, type=int))
    with hub().sessions() as session, session.begin():
        body = visible_timeline(session, who, person_id, page, per_page=100)
        agencies = sorted({entry["agency_name"] for entry in body["items"]})
    return render_template("person.html", page=body, agencies=agencies, actor=who)
