"""Sign-in and who is asking: one seam (`load_actor`) that every request passes through.

People sign in on the login page (argon2 passwords, lockout after repeated failures, a rate
limit per address) and get a signed session cookie (Secure, HttpOnly, SameSite=Strict) that
lapses after `idle_timeout_minutes` without a request. API clients send a bearer token instead;
a request with an Authorization header never uses the cookie. Every unsafe request made with
the cookie must carry the CSRF token (a form field or the X-CSRFToken header). An OIDC sign-in
would replace `login` and set the same session fields.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import time
from pathlib import Path

from flask import (
    Blueprint,
    Flask,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import orm

from api import hub
from hub import accounts, audit
from hub.access import CASE_ROLES, Actor, require_role
from hub.errors import HubError, Unauthenticated
from hub.models import User
from hub.settings import Settings

bp = Blueprint("auth", __name__)
csrf = CSRFProtect()
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def secret_key(settings: Settings) -> str:
    """MASH_SECRET_KEY; for a one-machine hub without it, a random key kept in the data dir."""
    if settings.secret_key:
        return str(settings.secret_key)
    path = Path(settings.data_dir) / "secret_key"
    if not path.exists():  # several gunicorn workers may race here: the first link wins
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, candidate = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(48))
        try:
            os.link(candidate, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(candidate)
    return path.read_text().strip()


def init(app: Flask, settings: Settings) -> None:
    app.secret_key = secret_key(settings)
    app.config.update(
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_NAME="mash_session",
        WTF_CSRF_CHECK_DEFAULT=False,  # checked in load_actor, for cookie-borne requests only
        WTF_CSRF_TIME_LIMIT=None,  # the session's idle timeout bounds it
        MASH_IDLE_SECONDS=settings.idle_timeout_minutes * 60,
    )
    csrf.init_app(app)
    app.before_request(load_actor)
    app.register_blueprint(bp)
    # Per app, so counts never leak between apps in one process. Each gunicorn worker counts
    # on its own: the account lockout in `accounts` is what holds across workers.
    limiter = Limiter(get_remote_address, app=app, storage_uri="memory://")
    limited = limiter.limit(settings.login_rate_limit, methods=["POST"])
    app.view_functions["auth.login"] = limited(app.view_functions["auth.login"])


def load_actor() -> None:
    g.actor = None
    header = request.headers.get("Authorization")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() == "bearer" and token.strip().startswith(accounts.TOKEN_PREFIX):
            with hub().sessions() as db:
                g.actor = Actor.of(accounts.user_for_token(db, token.strip()))
        return  # agency keys are read by the endpoints that take them
    user_id = session.get("uid")
    if user_id is None:
        return
    if time.time() - session.get("seen", 0) > current_app.config["MASH_IDLE_SECONDS"]:
        session.clear()
        g.session_expired = True
        return
    with hub().sessions() as db:
        user = db.get(User, user_id)
        if user is None or not user.active:
            session.clear()
            return
        g.actor = Actor.of(user)
    session["seen"] = time.time()
    if request.method not in SAFE_METHODS and request.endpoint != "auth.login":
        csrf.protect()


def actor(roles: tuple[str, ...] = CASE_ROLES) -> Actor:
    """The signed-in actor, if their role may do this (401 if no one, 403 if not allowed)."""
    current = g.get("actor")
    if current is None:
        raise Unauthenticated("Sign in, or send a token: Authorization: Bearer <token>.")
    require_role(current, roles)
    return current


def _entry(action, subject_type, subject_id, detail, reason) -> dict:
    current = g.get("actor")
    return {
        "actor": current.username if current else "anonymous",
        "role": current.role if current else None,
        "action": action,
        "subject_type": subject_type,
        "subject_id": None if subject_id is None else str(subject_id),
        "detail": detail or {},
        "remote_addr": request.remote_addr,
        "reason": reason,
    }


def record(
    action: str,
    subject_type: str | None = None,
    subject_id: object = None,
    detail: dict | None = None,
    reason: str | None = None,
    db=None,
) -> None:
    """An audit entry for the current request: who, role, what, when, from where, why; in the
    caller's transaction (`db`: a change and its entry land together) or its own."""
    fields = _entry(action, subject_type, subject_id, detail, reason)
    if db is not None:
        audit.record(db, **fields)
        return
    with hub().sessions() as own, own.begin():
        audit.record(own, **fields)


def record_read(
    db: orm.Session,
    action: str,
    subject_type: str | None = None,
    subject_id: object = None,
    detail: dict | None = None,
) -> None:
    """Audit a read in the reading transaction, after its reads: if the entry cannot be
    written the transaction fails and the reader gets a 500, not the data. It never waits:
    straight onto the chain when the audit lock is free, else into the inbox for the next
    sealer (`audit.append_reads`)."""
    audit.append_reads(db, [_entry(action, subject_type, subject_id, detail, None)])


def _safe_next(target: str | None) -> str:
    """Only a path on this site (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("web.search_page")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        expired = request.args.get("expired") == "1"
        return render_template("login.html", next=request.args.get("next"), expired=expired)
    csrf.protect()
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    with hub().sessions() as db:
        try:
            user = accounts.authenticate(db, username, password)
        except HubError as exc:
            detail = {"username": username[:120], "why": exc.code}
            record("sign_in_failed", "user", None, detail, db=db)
            db.commit()  # the failed attempt counts towards the lockout
            page = render_template("login.html", next=request.form.get("next"), error=str(exc))
            return page, exc.status
        session.clear()
        session.update(uid=user.id, seen=time.time())
        g.actor = Actor.of(user)
        record("sign_in", "user", user.id, db=db)
        db.commit()
    return redirect(_safe_next(request.form.get("next")))


@bp.post("/logout")
def logout():
    if g.get("actor") is not None:
        record("sign_out", "user", g.actor.user_id)
    session.clear()
    return redirect(url_for("auth.login"))
