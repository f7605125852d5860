"""The web UI's pages: search, and a person's joined chronology (server-rendered). Every page
needs a signed-in worker, and shows only what the API would show them."""

from __future__ import annotations

from functools import partial, wraps

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from api import hub
from api.auth import actor
from api.breakglass import GrantRequestSchema, open_grant
from api.chronology import timeline_query, visible_timeline
from api.persons import visible_household, visible_person_detail, visible_search
from api.review import decide_task
from api.swimlane import swimlane_svg
from api.views import TasksSchema
from hub import identity, queries
from hub.access import CASE_ROLES, IDENTITY_ROLES, LAWFUL_BASES, MAX_BREAK_GLASS, visible
from hub.errors import Conflict, InvalidQuery, NotFound
from hub.schemas import AGENCIES, SEVERITIES

MAX_ON_PAGE = 2000  # concerns drawn and listed on one person page

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
    """The case view: swimlane, chronology, household, records and why they are linked."""
    who = actor()
    try:
        query = timeline_query(request.args)
    except ValidationError as exc:
        query, errors = timeline_query(MultiDict()), exc.normalized_messages()
    else:
        errors = {}
    query = {**query, "page": 1, "per_page": MAX_ON_PAGE}
    try:
        with hub().sessions() as session, session.begin():
            body = visible_timeline(session, who, person_id, query)
            person = visible_person_detail(session, who, person_id)
            household = visible_household(session, who, person_id)
    except NotFound:  # no such person, or one outside the worker's scope: the same page
        return render_template("not_found.html", person_id=person_id, actor=who), 404
    exports = {k: v for k, v in request.args.items(multi=True) if k not in ("page", "per_page")}
    return render_template(
        "person.html",
        page=body,
        person=person,
        household=household,
        swimlane=swimlane_svg(body["items"]),
        agencies=sorted({e["agency_name"] for e in body["items"]}),
        all_agencies=AGENCIES,
        severities=SEVERITIES,
        query=query,
        errors=errors,
        exports=exports,
        actor=who,
    ), (422 if errors else 200)


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


@bp.get("/review")
@signed_in
def review_page():
    """The uncertain-link queue: each waiting record beside the person it might be, with the
    matcher's reasons, and the two decisions."""
    who = actor(IDENTITY_ROLES)
    with hub().sessions() as session:
        tasks = TasksSchema().dump({"tasks": queries.review_tasks(session, partial(visible, who))})
    return render_template("review.html", tasks=tasks["tasks"], actor=who)


@bp.post("/review/<int:task_id>")
@signed_in
def review_decision(task_id: int):
    who = actor(IDENTITY_ROLES)
    decision = request.form.get("decision", "")
    if decision not in identity.DECISIONS:
        raise ValidationError({"decision": [f"One of {', '.join(identity.DECISIONS)}."]})
    try:
        with hub().sessions() as session, session.begin():
            decide_task(session, who, task_id, decision)
    except Conflict as exc:  # someone else decided it first
        flash(f"Not changed: {exc}.")
    else:
        flash(f"Task {task_id}: {decision.replace('_', ' ')}.")
    return redirect(url_for("web.review_page"))
