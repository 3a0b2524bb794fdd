"""Notifications: create once per fact, honour preferences, list, group and mark read."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.elements import ColumnElement

from ..extensions import db
from ..models import Notification, NotificationPreference, User, utcnow
from ..schemas.notifications import MarkReadSchema, preferences_schema
from . import outbox
from .targets import describe_targets, person
from .transaction import atomic
from .validation import load
from .visibility import hidden_target

# kind -> (label on the settings page, group phrase: "Ada and 3 others <phrase>").
KINDS = {
    "new_application": ("New applications to your startups", "applied to {target}"),
    "application_status": ("Status changes of your applications (and withdrawals at your startups)", None),
    "new_follower": ("New followers", "followed {target}"),
    "investor_interest": ("Investor interest in your startups", "are interested in {target}"),
    "new_opportunity": ("New opportunities at startups you follow", None),
    "team_invitation": ("Invitations to join a startup's team", None),
    "team_invitation_answer": ("Answers to your startups' team invitations", None),
    "connection_request": ("Connection requests", None),
    "connection_accepted": ("Accepted connection requests", None),
    "message_request": ("Message requests from people you are not connected with", None),
}
DEFAULT_MODE = "live"
PAGE_SIZE = 30


def dedup_key(kind: str, actor_id: int | None, target_type: str | None, target_id: int | None, fact="") -> str:
    """Name a fact: the same (kind, actor, target, fact) notifies each recipient once."""
    return f"{kind}:{actor_id or 0}:{target_type or '-'}:{target_id or 0}:{fact}"[:200]


def preferences(user: User) -> dict[str, str]:
    """The user's mode for every kind (live unless they chose otherwise)."""
    rows = db.session.scalars(select(NotificationPreference).where(NotificationPreference.user_id == user.id))
    chosen = {row.kind: row.mode for row in rows}
    return {kind: chosen.get(kind, DEFAULT_MODE) for kind in KINDS}


def update_preferences(user: User, data) -> dict[str, str]:
    """Save per-kind modes (`{kind: "live"|"in_app"|"off"}`); unknown kinds are refused."""
    fields = load(preferences_schema(KINDS), data, partial=True)
    with atomic():
        current = {
            row.kind: row
            for row in db.session.scalars(
                select(NotificationPreference).where(NotificationPreference.user_id == user.id)
            )
        }
        for kind, mode in fields.items():
            if kind in current:
                current[kind].mode = mode
            else:
                db.session.add(NotificationPreference(user_id=user.id, kind=kind, mode=mode))
    return preferences(user)


def _modes(recipient_ids: set[int], kind: str) -> dict[int, str]:
    query = select(NotificationPreference.user_id, NotificationPreference.mode).where(
        NotificationPreference.kind == kind, NotificationPreference.user_id.in_(recipient_ids)
    )
    chosen = dict(db.session.execute(query).all())
    return {user_id: chosen.get(user_id, DEFAULT_MODE) for user_id in recipient_ids}


def _insert():
    dialect = db.session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Notification)


def notify(
    kind: str, actor_id: int | None, target_type: str | None, target_id: int | None,
    *, recipients: Iterable[int], text: str, fact="",
) -> list[int]:
    """Create the notification for each recipient who wants it; return the ids created now.

    INSERT … ON CONFLICT DO NOTHING on (recipient, dedup key): a retried task or a second
    worker running the same fact creates nothing and pushes nothing.
    """
    recipients = {rid for rid in recipients if rid and rid != actor_id}
    if not recipients:
        return []
    modes = _modes(recipients, kind)
    key = dedup_key(kind, actor_id, target_type, target_id, fact)
    rows = [
        {"recipient_id": rid, "kind": kind, "actor_id": actor_id, "target_type": target_type,
         "target_id": target_id, "text": text, "dedup_key": key, "created_at": utcnow()}
        for rid in sorted(recipients) if modes[rid] != "off"
    ]
    if not rows:
        return []
    with atomic():
        statement = _insert().values(rows).on_conflict_do_nothing(index_elements=["recipient_id", "dedup_key"])
        created = db.session.execute(statement.returning(Notification.id, Notification.recipient_id)).all()
        for nid, rid in created:
            if modes[rid] == "live":
                outbox.stage(outbox.NOTIFICATION, nid, lambda nid=nid: outbox.announce_notification(nid))
    return [nid for nid, _ in created]


def serialize(notifications: list[Notification]) -> list[dict]:
    """The SPEC §3.3 JSON shape, loading actors and targets once per page."""
    actor_ids = {n.actor_id for n in notifications if n.actor_id}
    actors = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(actor_ids)))}
    targets = describe_targets((n.target_type, n.target_id) for n in notifications)
    return [
        {
            "id": n.id,
            "kind": n.kind,
            "actor": person(actors.get(n.actor_id)),
            "target": targets.get((n.target_type, n.target_id)),
            "text": n.text,
            "created_at": n.created_at.isoformat(),
            "read_at": n.read_at.isoformat() if n.read_at else None,
        }
        for n in notifications
    ]


def _shown() -> ColumnElement[bool]:
    """Notifications about a moderated (hidden) item are shown to nobody."""
    return ~hidden_target(Notification.target_type, Notification.target_id)


def get(notification_id: int) -> Notification | None:
    """One notification, unless its target has been hidden meanwhile."""
    return db.session.scalar(select(Notification).where(Notification.id == notification_id, _shown()))


def latest_id(user_id: int) -> int:
    """The user's newest notification id (0 when none): a socket's replay baseline."""
    return db.session.scalar(select(func.max(Notification.id)).where(Notification.recipient_id == user_id)) or 0


def live_after(user_id: int, after_id: int, limit: int = 100) -> list[Notification]:
    """The user's notifications above `after_id` that are pushed live, oldest first (socket replay)."""
    quiet = select(NotificationPreference.kind).where(
        NotificationPreference.user_id == user_id, NotificationPreference.mode != "live"
    )
    query = (
        select(Notification)
        .where(Notification.recipient_id == user_id, Notification.id > after_id, _shown(),
               Notification.kind.not_in(quiet))
        .order_by(Notification.id.asc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def list_page(user: User, before: int | None = None, limit: int = PAGE_SIZE) -> tuple[list[Notification], int | None]:
    """The user's notifications, newest first, and the id to continue before (None at the end)."""
    query = select(Notification).where(Notification.recipient_id == user.id, _shown())
    if before:
        query = query.where(Notification.id < before)
    rows = list(db.session.scalars(query.order_by(Notification.id.desc()).limit(limit + 1)))
    return rows[:limit], (rows[limit - 1].id if len(rows) > limit else None)


def counts(user: User) -> tuple[int, int]:
    """(all notifications, unread ones) for the user."""
    total, unread = db.session.execute(
        select(func.count(), func.count().filter(Notification.read_at.is_(None)))
        .where(Notification.recipient_id == user.id, _shown())
    ).one()
    return total, unread


def unread_count(user_id: int) -> int:
    """Unread notifications of one user (the nav badge)."""
    query = select(func.count()).where(
        Notification.recipient_id == user_id, Notification.read_at.is_(None), _shown()
    )
    return db.session.scalar(query) or 0


def mark_read(user: User, data) -> int:
    """Mark `{"ids": [...]}` (only the user's own) or `{"all": true}` read; return how many changed."""
    fields = load(MarkReadSchema(), data)
    statement = update(Notification).where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
    if not fields.get("all"):
        statement = statement.where(Notification.id.in_(fields["ids"]))
    with atomic():
        changed = db.session.execute(statement.values(read_at=utcnow())).rowcount
    return changed or 0


@dataclass
class Group:
    """Repeats of one fact shown once: "Ada and 3 others followed Acme"."""

    items: list[Notification]
    text: str
    unread: bool
    target: dict | None = None
    actors: list[dict] = field(default_factory=list)


def grouped(notifications: list[Notification]) -> list[Group]:
    """Fold neighbouring notifications of the same groupable kind and target into one line."""
    data = {item["id"]: item for item in serialize(notifications)}
    groups: list[Group] = []
    for n in notifications:
        last = groups[-1] if groups else None
        if (last and KINDS.get(n.kind, (None, None))[1] and last.items[0].kind == n.kind
                and (last.items[0].target_type, last.items[0].target_id) == (n.target_type, n.target_id)):
            last.items.append(n)
            last.unread = last.unread or n.read_at is None
            if data[n.id]["actor"] and data[n.id]["actor"] not in last.actors:
                last.actors.append(data[n.id]["actor"])
            continue
        actor = data[n.id]["actor"]
        groups.append(Group([n], n.text, n.read_at is None, data[n.id]["target"], [actor] if actor else []))
    for group in groups:
        if len(group.actors) > 1:
            group.text = _group_text(group)
    return groups


def _group_text(group: Group) -> str:
    first = group.actors[0]
    others = len(group.actors) - 1
    kind = group.items[0].kind
    target = "you" if kind == "new_follower" and group.items[0].target_type == "user" else (
        group.target["title"] if group.target else "this")
    phrase = KINDS[kind][1].format(target=target)
    return f"{first['name'] or first['username']} and {others} other{'s' if others > 1 else ''} {phrase}"
