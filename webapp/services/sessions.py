"""Browser sessions kept server-side: started at log-in, ended at log-out, all ended on a password change.

The signed session cookie only carries a random key; the `user_sessions` table keeps its digest.
Deleting the row ends the session even for a copy of the cookie taken earlier (SPEC: a log-out is
final), and open sockets of the user are told to re-check at once through the channel layer.
"""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

from ..extensions import db
from ..models import User, UserSession, utcnow
from .transaction import after_commit, atomic

DEFAULT_LIFETIME = timedelta(days=14)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def lifetime() -> timedelta:
    """How long a log-in lasts at most, whatever the activity (SESSION_LIFETIME_HOURS)."""
    hours = current_app.config.get("SESSION_LIFETIME_HOURS")
    return timedelta(hours=float(hours)) if hours else DEFAULT_LIFETIME


def start(user: User) -> str:
    """Open a session for `user` and return the key its cookie carries."""
    key = secrets.token_urlsafe(32)
    with atomic():
        # Expired rows of this user go on the way: the table never grows without bound.
        db.session.execute(delete(UserSession).where(
            UserSession.user_id == user.id, UserSession.created_at < utcnow() - lifetime()
        ))
        db.session.add(UserSession(user_id=user.id, key_hash=_digest(key)))
    return key


def user_for(key: str | None) -> User | None:
    """Return the active user whose live session has this key, or None."""
    if not key or len(key) > 100:
        return None
    row = db.session.execute(
        select(UserSession, User).join(User, User.id == UserSession.user_id)
        .where(UserSession.key_hash == _digest(key))
    ).first()
    if row is None:
        return None
    session_row, user = row
    if user.is_suspended or session_row.created_at < utcnow() - lifetime():
        return None
    return user


def end(key: str | None) -> None:
    """End one session (log-out)."""
    if not key:
        return
    with atomic():
        db.session.execute(delete(UserSession).where(UserSession.key_hash == _digest(key)))


def end_all(user: User, keep: str | None = None) -> None:
    """End every session of `user` but `keep`, inside the caller's transaction; sockets re-check after commit."""
    statement = delete(UserSession).where(UserSession.user_id == user.id)
    if keep:
        statement = statement.where(UserSession.key_hash != _digest(keep))
    with atomic():
        db.session.execute(statement)
        user_id = user.id
        after_commit(lambda: recheck_sockets(user_id))


def count(user: User) -> int:
    """How many live sessions the user has (the settings page shows it)."""
    return len(db.session.scalars(select(UserSession.id).where(UserSession.user_id == user.id)).all())


def recheck_sockets(user_id: int) -> None:
    """Make every open socket of the user, in every process, check its credentials now."""
    layer = current_app.extensions.get("channel_layer")
    if layer is not None:
        layer.publish_recheck(user_id)
