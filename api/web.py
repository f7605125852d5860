"""The web UI's pages: search, and a person's joined chronology (server-rendered). Every page
needs a signed-in worker, and shows only what the API would show them."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, g, redirect, render_template, request, url_for
from marshmallow import ValidationError

from api import hub
from api.auth import actor
from api.breakglass import GrantRequestSchema, open_grant
from api.persons import visible_search, visible_timeline
from hub.access import CASE_ROLES, LAWFUL_BASES, MAX_BREAK_GLASS
from hub.errors import InvalidQuery, NotFound

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
    try:
        with hub().sessions() as session, session.begin():
            body = visible_timeline(session, who, person_id, page, per_page=100)
    except NotFound:  # no such person, or one outside the worker's scope: the same page
        return render_template("not_found.html", person_id=person_id, actor=who), 404
    agencies = sorted({entry["agency_name"] for entry in body["items"]})
    return render_template("person.html", page=body, agencies=agencies, actor=who)


@bp.route("/break-glass", methods=["GET", "POST"])
@signed_in
def break_glass_page():
    """Ask for time-limited access to one person outside one's area (flagged and audited)."""
    who = actor(CASE_ROLES)
    form = request.form if request.method == "POST" else request.args
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            fields = {k: v for k, v in form.items() if k != "csrf_token"}
            body = GrantRequestSchema().load(fields)
            with hub().sessions() as session, session.begin():
                grant = open_grant(session, who, body)
            return redirect(url_for("web.person_page", person_id=grant.person_id))
        except ValidationError as exc:
            errors = exc.normalized_messages()
        except InvalidQuery as exc:
            errors = exc.fields
        except NotFound:
            errors = {"person_id": ["There is no person with this number."]}
    return render_template(
        "breakglass.html",
        form=form,
        errors=errors,
        bases=LAWFUL_BASES,
        max_minutes=int(MAX_BREAK_GLASS.total_seconds() // 60),
        actor=who,
    ), (422 if errors else 200)
