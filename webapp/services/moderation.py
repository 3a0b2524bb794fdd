"""Moderation for admins: browse everything, hide and unhide content, suspend users, grant admin."""

import logging

from sqlalchemy import String, cast, or_, select

from ..extensions import db
from ..models import ActivityEvent, Application, Opportunity, Startup, User
from ..recommendations import versions as recommendation_versions
from ..tasks import enqueue
from ..tasks import saved_searches as saved_search_tasks
from . import feed_cache, sessions
from .errors import Forbidden, NotFound
from .transaction import after_commit, atomic

audit = logging.getLogger("webapp.audit")

PAGE_SIZE = 50
# kind -> (model, columns searched by ?q=)
BROWSABLE = {
    "users": (User, (User.username, User.email, User.name)),
    "startups": (Startup, (Startup.slug, Startup.name, Startup.industry)),
    "opportunities": (Opportunity, (Opportunity.title, Opportunity.ref)),
    "applications": (Application, (Application.status, Application.note)),
    "events": (ActivityEvent, (ActivityEvent.action_type, ActivityEvent.description)),
}
HIDEABLE = {"startups": Startup, "opportunities": Opportunity, "events": ActivityEvent}
# Larger ids cannot exist; PostgreSQL would reject them as out of range rather than find nothing.
MAX_INT_ID = 2**31 - 1
MAX_ID = {ActivityEvent: 2**63 - 1}
# Saved-search checks enqueued when a startup comes back (one per role it has).
UNHIDE_MATCH_CAP = 200


def _as_id(model, value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if 0 < number <= MAX_ID.get(model, MAX_INT_ID) else None


def require_admin(user) -> None:
    """Raise NotFound for anyone who is not an admin: the admin area does not exist for them."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_admin", False):
        raise NotFound("Not found.")


def browse(admin: User, kind: str, query: str = "", page: int = 1) -> tuple[list, bool]:
    """Return one page of `kind` rows, newest first, matching `query`; and whether more follow."""
    require_admin(admin)
    if kind not in BROWSABLE:
        raise NotFound("No such list.")
    model, columns = BROWSABLE[kind]
    statement = select(model)
    query = (query or "").replace("\x00", "").strip()[:100]
    if query:
        pattern = f"%{query.lower()}%"
        matches = [db.func.lower(cast(column, String)).like(pattern) for column in columns]
        if _as_id(model, query) is not None:
            matches.append(model.id == _as_id(model, query))
        statement = statement.where(or_(*matches))
    page = max(1, min(int(page or 1), 10_000))
    rows = list(
        db.session.scalars(statement.order_by(model.id.desc()).limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE))
    )
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def _get(model, item_id):
    number = _as_id(model, item_id)
    item = db.session.get(model, number) if number is not None else None
    if item is None:
        raise NotFound("No such item.")
    return item


def set_hidden(admin: User, kind: str, item_id, hidden: bool):
    """Hide (or unhide) a startup, an opportunity or an activity event from everyone but admins."""
    require_admin(admin)
    if kind not in HIDEABLE:
        raise NotFound("Only startups, opportunities and events can be hidden.")
    item = _get(HIDEABLE[kind], item_id)
    with atomic():
        item.is_hidden = hidden
        _forget_cached_views()
        if not hidden:
            _match_visible_again(kind, item)
    audit.info("%s %s %s %s", admin.username, "hid" if hidden else "unhid", kind, item.id,
               extra={"admin_id": admin.id, "kind": kind, "item_id": item.id, "hidden": hidden})
    return item


def set_suspended(admin: User, user_id, suspended: bool) -> User:
    """Suspend (sign out and lock out) or reinstate a user; admins cannot suspend themselves."""
    require_admin(admin)
    user = _get(User, user_id)
    if user.id == admin.id:
        raise Forbidden("You cannot suspend yourself.")
    with atomic():
        user.is_suspended = suspended
        if not suspended:
            enqueue(saved_search_tasks.match_document, kind="user", ref_id=user.id, actor_id=user.id)
        if suspended:
            # Ends every session and open socket at once; API tokens check is_suspended.
            user.session_version += 1
            sessions.end_all(user)
        _forget_cached_views()
    audit.info("%s %s user %s", admin.username, "suspended" if suspended else "reinstated", user.username,
               extra={"admin_id": admin.id, "target_user_id": user.id, "suspended": suspended})
    return user


def _forget_cached_views() -> None:
    """After commit, drop every cached feed page and recommendation list that may show the item."""
    after_commit(feed_cache.bump_public)
    recommendation_versions.candidates_changed()


def _match_visible_again(kind: str, item) -> None:
    """An unhidden startup (and its roles) or opportunity is new to saved searches that never saw it."""
    if kind == "startups":
        enqueue(saved_search_tasks.match_document, kind="startup", ref_id=item.id)
        roles = select(Opportunity.id).where(Opportunity.startup_id == item.id, Opportunity.is_hidden.is_(False))
        for opportunity_id in db.session.scalars(roles.order_by(Opportunity.id.desc()).limit(UNHIDE_MATCH_CAP)):
            enqueue(saved_search_tasks.match_document, kind="opportunity", ref_id=opportunity_id)
    elif kind == "opportunities":
        enqueue(saved_search_tasks.match_document, kind="opportunity", ref_id=item.id)


def make_admin(username: str, grant: bool = True) -> User:
    """Grant (or revoke) admin rights by username or email; used by `flask make-admin`."""
    name = (username or "").strip().lower()
    user = db.session.scalar(
        select(User).where(or_(db.func.lower(User.username) == name, User.email == name))
    )
    if user is None:
        raise NotFound(f"No user {username!r}.")
    with atomic():
        user.is_admin = grant
    audit.info("admin rights %s for %s", "granted" if grant else "revoked", user.username,
               extra={"target_user_id": user.id, "is_admin": grant})
    return user
