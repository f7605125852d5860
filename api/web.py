"""The web UI's pages: search, and a person's joined chronology (server-rendered). Every page
needs a signed-in worker, and shows only what the API would show them."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, g, redirect, render_template, request, url_for

from api import hub
from api.auth import actor, record
from api.views import TimelinePageSchema
from hub import queries
from hub.access import may_see, shown, visible_person
from hub.errors import InvalidQuery

bp = Blueprint("web", __name__)
_PAGE = TimelinePageSchema()


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
                found = queries.search(session, q)
            except InvalidQuery as exc:
                error = "; ".join(m for msgs in exc.fields.values() for m in msgs)
            else:
                results = [r for r in found if may_see(session, who, r["person_id"])]
                record("search", detail={"terms": q[:200], "results": len(results)}, db=session)
    return render_template("search.html", q=q, results=results, error=error, actor=who)


@bp.get("/persons/<int:person_id>")
@signed_in
def person_page(person_id: int):
    who = actor()
    page = max(1, request.args.get("page", 1, type=int))
    with hub().sessions() as session, session.begin():
        current = visible_person(session, who, person_id)
        body = _PAGE.dump(queries.timeline(session, person_id, page=page, per_page=100))
        body["items"] = [shown(who, entry) for entry in body["items"]]
        agencies = sorted({entry["agency_name"] for entry in body["items"]})
        record("read_timeline", "person", current, {"page": page}, db=session)
    return render_template("person.html", page=body, agencies=agencies, actor=who)
