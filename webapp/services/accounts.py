"""Accounts: sign-up, log-in checks, passwords and personal API tokens."""

import functools
import hashlib
import secrets
from datetime import timedelta

import argon2.profiles
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from ..config import DEFAULT_PASSWORD_HASH_PROFILE
from ..extensions import db
from ..models import ApiToken, Feed, User, utcnow
from ..schemas.inputs import SignUpSchema, TokenSchema
from ..tasks import enqueue
from ..tasks import saved_searches as saved_search_tasks
from . import sessions
from .errors import Conflict, NotFound, ValidationFailed
from .events import record_event
from .transaction import after_commit, atomic
from .validation import load

TOKEN_PREFIX = "chub_"
# last_used_at is informational: writing it at most once a minute keeps API reads write-free.
TOKEN_USE_RESOLUTION = timedelta(minutes=1)


@functools.cache
def _hasher_for(profile: str) -> PasswordHasher:
    return PasswordHasher.from_parameters(getattr(argon2.profiles, profile))


@functools.cache
def _dummy_hash(profile: str) -> str:
    # Verified against when the username is unknown, so both failures take the same time.
    return _hasher_for(profile).hash("collabhub-timing-equaliser")


def _profile() -> str:
    return current_app.config["PASSWORD_HASH_PROFILE"] if has_app_context() else DEFAULT_PASSWORD_HASH_PROFILE


def _hasher() -> PasswordHasher:
    """argon2id with the configured argon2-cffi profile (PASSWORD_HASH_PROFILE; RFC 9106 low memory)."""
    return _hasher_for(_profile())


def init_app(app) -> None:
    """Check the profile and hash the timing equaliser now, not during someone's first failed log-in."""
    profile = app.config["PASSWORD_HASH_PROFILE"]
    if not isinstance(getattr(argon2.profiles, profile, None), argon2.Parameters):
        raise RuntimeError(f"PASSWORD_HASH_PROFILE={profile!r} is not an argon2-cffi profile")
    if profile == "CHEAPEST" and not app.config.get("TESTING"):
        raise RuntimeError("PASSWORD_HASH_PROFILE=CHEAPEST is for the test suite only")
    _dummy_hash(profile)


def hash_password(password: str) -> str:
    """Return an argon2id hash of `password`."""
    return _hasher().hash(password)


def find_user(login: str) -> User | None:
    """Find a user by username (any case) or by email."""
    login = (login or "").strip()
    if not login or len(login) > 254:
        return None
    column = User.email if "@" in login else func.lower(User.username)
    return db.session.scalar(select(User).where(column == login.lower()))


def authenticate(login: str, password: str) -> User | None:
    """Return the user when the credentials match an active account, else None."""
    user = find_user(login)
    try:
        _hasher().verify(user.password_hash if user else _dummy_hash(_profile()), password or "")
    except (VerificationError, InvalidHashError):
        return None
    if user is None or user.is_suspended:
        return None
    if _hasher().check_needs_rehash(user.password_hash):
        with atomic():
            user.password_hash = hash_password(password)
    return user


def sign_up(data) -> User:
    """Create an account and record `user_joined`."""
    fields = load(SignUpSchema(), data)
    try:
        with atomic():
            user = create_user(fields)
    except IntegrityError:
        # A concurrent sign-up took the name or email between our check and the insert.
        raise ValidationFailed({"username": ["This username or email is taken."]}) from None
    return user


def create_user(fields: dict, record: bool = True, password_hash: str | None = None) -> User:
    """Insert a validated user inside the caller's transaction (`password_hash` skips hashing again)."""
    errors = {}
    if find_user(fields["username"]):
        errors["username"] = ["This username is taken."]
    if find_user(fields["email"]):
        errors["email"] = ["An account with this email exists."]
    if errors:
        raise ValidationFailed(errors)
    user = User(
        username=fields["username"],
        email=fields["email"].lower(),
        password_hash=password_hash or hash_password(fields["password"]),
        role=fields["role"],
    )
    db.session.add(user)
    db.session.flush()
    db.session.add(Feed(user_id=user.id, last_activity_id=0))
    if record:
        record_event(user, "user_joined", user, f"{user.username} joined CollabHub as {user.role}")
        enqueue(saved_search_tasks.match_document, kind="user", ref_id=user.id, actor_id=user.id)
    return user


def password_matches(user: User, password: str) -> bool:
    """Whether `password` is the user's current password."""
    try:
        return _hasher().verify(user.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False


def change_password(user: User, new_password: str, keep_session: str | None = None) -> None:
    """Set a new password and end every other session, every API token and every open socket."""
    load(SignUpSchema(only=("password",)), {"password": new_password})
    with atomic():
        user.password_hash = hash_password(new_password)
        user.session_version += 1
        live_tokens = (ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        db.session.execute(update(ApiToken).where(*live_tokens).values(revoked_at=utcnow()))
        sessions.end_all(user, keep=keep_session)


def change_own_password(user: User, data, keep_session: str | None = None) -> None:
    """The settings form: check the current password, then change it (ending every other session)."""
    if not password_matches(user, (data or {}).get("current_password") or ""):
        raise ValidationFailed({"current_password": ["This is not your current password."]})
    try:
        change_password(user, (data or {}).get("new_password") or "", keep_session=keep_session)
    except ValidationFailed as exc:
        raise ValidationFailed({"new_password": exc.fields.get("password", ["Not a valid password."])}) from None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, data) -> tuple[ApiToken, str]:
    """Create an API token; the plain value is returned once and never stored."""
    fields = load(TokenSchema(), data)
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with atomic():
        token = ApiToken(user_id=user.id, name=fields["name"], token_hash=_digest(plain), prefix=plain[:10])
        db.session.add(token)
    return token, plain


def revoke_token(user: User, token_id: int) -> None:
    """Revoke one of the user's tokens."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound("No such token.")
    if token.revoked_at is not None:
        raise Conflict("This token is already revoked.")
    with atomic():
        token.revoked_at = utcnow()
        # A socket opened with this token closes now, not at its next periodic check.
        after_commit(lambda: sessions.recheck_sockets(user.id))


def user_for_token(plain: str, record_use: bool = False) -> User | None:
    """Return the active user a bearer token belongs to, or None; optionally note the token's use."""
    if not plain or len(plain) > 200 or "\x00" in plain:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(plain)))
    if token is None or token.revoked_at is not None or token.user.is_suspended:
        return None
    if record_use:
        _note_use(token)
    return token.user


def _note_use(token: ApiToken) -> None:
    now = utcnow()
    if token.last_used_at is not None and now - token.last_used_at < TOKEN_USE_RESOLUTION:
        return
    stale = or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now - TOKEN_USE_RESOLUTION)
    with atomic():
        # Conditional: concurrent requests with one token write the timestamp once.
        db.session.execute(update(ApiToken).where(ApiToken.id == token.id, stale).values(last_used_at=now))


def list_tokens(user: User) -> list[ApiToken]:
    """Return the user's tokens, newest first."""
    return list(
        db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
        )
    )
