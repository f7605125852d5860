"""People who sign in, and the bearer tokens of their API clients.

Passwords are hashed with argon2 (argon2-cffi's defaults); tokens are random and only their
SHA-256 is kept. After `MAX_FAILED` wrong passwords in a row an account is locked for
`LOCKOUT`, and while it is locked even the right password is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.errors import Conflict, InvalidQuery, Locked, NotFound, Unauthenticated
from hub.models import ApiToken, User, as_utc, utcnow

ROLES = (
    "agency_submitter",
    "mash_practitioner",
    "social_worker",
    "team_manager",
    "auditor",
    "admin",
)
MIN_PASSWORD = 12
MAX_FAILED = 5
LOCKOUT = dt.timedelta(minutes=15)
TOKEN_PREFIX = "mashu_"
_HASHER = PasswordHasher()
# Verified against when the username is unknown, so both answers take the same time.
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))
WRONG = "Wrong username or password."


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidQuery({"password": [f"At least {MIN_PASSWORD} characters."]})


def create_user(
    session: Session,
    username: str,
    password: str,
    role: str,
    local_authority: str | None = None,
    manager: str | None = None,
) -> User:
    if role not in ROLES:
        raise InvalidQuery({"role": [f"One of {', '.join(ROLES)}."]})
    _check_password(password)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"user {username!r} already exists")
    user = User(
        username=username,
        password_hash=_HASHER.hash(password),
        role=role,
        local_authority=local_authority,
        manager_id=get_user(session, manager).id if manager else None,
        active=True,
        failed_logins=0,
    )
    session.add(user)
    session.flush()
    return user


def get_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"no user {username!r}")
    return user


def set_password(session: Session, username: str, password: str) -> None:
    _check_password(password)
    user = get_user(session, username)
    user.password_hash, user.failed_logins, user.locked_until = _HASHER.hash(password), 0, None


def authenticate(
    session: Session, username: str, password: str, now: dt.datetime | None = None
) -> User:
    """The user, if the password is right and the account active and not locked. Every
    failure counts towards the lockout; the answer never says whether the user exists."""
    now = now or utcnow()
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        _verify(_DUMMY_HASH, password)
        raise Unauthenticated(WRONG)
    locked_until = as_utc(user.locked_until)
    if locked_until is not None and locked_until > now:
        raise Locked("Too many failed sign-ins: the account is locked for a while; try later.")
    if not _verify(user.password_hash, password) or not user.active:
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILED:
            user.locked_until, user.failed_logins = now + LOCKOUT, 0
        session.flush()
        raise Unauthenticated(WRONG)
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
    if _HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = _HASHER.hash(password)
    session.flush()
    return user


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, username: str, label: str | None = None, days: int = 30) -> str:
    """A bearer token for the user's API client (returned once, never stored)."""
    user = get_user(session, username)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(
        ApiToken(
            user_id=user.id,
            token_hash=_digest(token),
            label=label,
            expires_at=utcnow() + dt.timedelta(days=days),
        )
    )
    session.flush()
    return token


def user_for_token(session: Session, token: str, now: dt.datetime | None = None) -> User:
    """The active user a token belongs to; refuses unknown, revoked and expired tokens."""
    now = now or utcnow()
    row = session.execute(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == _digest(token))
    ).first()
    if row is None:
        raise Unauthenticated("The token is not valid.")
    found, user = row
    if found.revoked_at is not None or as_utc(found.expires_at) <= now or not user.active:
        raise Unauthenticated("The token is not valid (revoked or expired).")
    return user


def revoke_tokens(session: Session, username: str) -> int:
    user = get_user(session, username)
    live = session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    ).all()
    for token in live:
        token.revoked_at = utcnow()
    session.flush()
    return len(live)
