"""Seed the demo community through the write services, as if it had lived for 60 days.

Each planned action calls the same service a user's request would, so the same events are
recorded; rows and events it writes are stamped with the action's time instead of now.
Every action first checks whether its effect is already there, so seeding twice adds nothing.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import event, func, inspect, select
from sqlalchemy.orm.attributes import flag_modified

from ..extensions import db
from ..models import ActivityEvent, Startup, UTCDateTime, utcnow
from ..schemas.inputs import SignUpSchema
from . import (
    accounts,
    applications,
    connections,
    conversations,
    follows,
    opportunities,
    profiles,
    startup_updates,
    startups,
)
from .demo_data import LAST_MINUTE, build_plan
from .transaction import atomic
from .upserts import acting_member, add_founders, startup_with_slug, user_named
from .validation import load

DEMO_PASSWORD = "collabhub-demo"
NOUNS = {
    "join": "users", "found": "startups", "post": "opportunities", "close": "closed opportunities",
    "follow": "follows", "apply": "applications", "status": "application status changes",
    "interest": "investor interests", "traction": "startup updates with new traction",
    "profile": "profile updates",
    "connect": "connection requests", "accept": "connections", "message": "messages",
}


@dataclass
class SeedResult:
    written: Counter
    events: int
    logins: dict[str, str]

    def summary(self) -> str:
        parts = [f"{self.written[kind]} {noun}" for kind, noun in NOUNS.items() if self.written[kind]]
        return ", ".join(parts) + f" ({self.events} activity events)"


class Backdating:
    """While active, stamp the rows each flush writes with `at` instead of the current time."""

    def __init__(self):
        self.at: datetime | None = None

    def __enter__(self) -> "Backdating":
        self.session = db.session()
        event.listen(self.session, "before_flush", self._stamp)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(self.session, "before_flush", self._stamp)

    def _stamp(self, session, _flush_context, _instances) -> None:
        if self.at is None:
            return
        for row in session.new:
            for key, column in _time_columns(type(row)):
                # Columns with a default (created_at…) are still None here; others only when set.
                if column.default is not None or getattr(row, key) is not None:
                    setattr(row, key, self.at)
        for row in session.dirty:
            if not session.is_modified(row, include_collections=False):
                continue
            state = inspect(row)
            for key, column in _time_columns(type(row)):
                changed = state.attrs[key].history.has_changes() and getattr(row, key) is not None
                if changed or column.onupdate is not None:
                    setattr(row, key, self.at)
                    # Setting the value it already has is no change: force it, or onupdate writes now.
                    flag_modified(row, key)


@cache
def _time_columns(model) -> list:
    columns = [(prop.key, prop.columns[0]) for prop in inspect(model).column_attrs]
    return [(key, column) for key, column in columns if isinstance(column.type, UTCDateTime)]


def seed(now: datetime | None = None) -> SeedResult:
    """Run the demo plan in one unit of work; return what was added and one login per role."""
    plan = build_plan()
    start = (now or utcnow()).replace(second=0, microsecond=0) - timedelta(minutes=LAST_MINUTE + 10)
    written: Counter = Counter()
    seeder = _Seeder()
    with Backdating() as clock, atomic():
        first_event = db.session.scalar(select(func.coalesce(func.max(ActivityEvent.id), 0)))
        for action in plan.actions:
            clock.at = start + timedelta(minutes=action.at)
            if getattr(seeder, action.kind)(**action.data):
                written[action.kind] += 1
            db.session.flush()
        events = db.session.scalar(
            select(func.count()).select_from(ActivityEvent).where(ActivityEvent.id > first_event)
        )
    return SeedResult(written, events, plan.logins)


class _Seeder:
    """One method per action kind; each returns whether it wrote anything."""

    def __init__(self):
        self._password_hash: str | None = None

    def join(self, username: str, email: str, role: str, profile: dict) -> bool:
        if accounts.find_user(username) is not None:
            return False
        fields = load(SignUpSchema(), {"username": username, "email": email, "password": DEMO_PASSWORD, "role": role})
        # Every demo account shares the published password: hash it once, not fifty times.
        self._password_hash = self._password_hash or accounts.hash_password(DEMO_PASSWORD)
        user = accounts.create_user(fields, password_hash=self._password_hash)
        profiles.update_profile(user, profile)
        return True

    def profile(self, username: str, changes: dict) -> bool:
        return profiles.update_profile(user_named(username), changes)

    def found(self, founders: list[str], details: dict) -> bool:
        if db.session.scalar(select(Startup.id).where(Startup.slug == details["slug"])) is not None:
            return False
        team = [user_named(username) for username in founders]
        startup = startups.create_startup(team[0], details)
        add_founders(startup, team[1:])
        return True

    def traction(self, slug: str, traction: dict, update: dict | None = None) -> bool:
        startup = startup_with_slug(slug)
        if update is not None:
            if any(posted.title == update["title"] for posted in startup_updates.list_updates(startup, limit=100)):
                return False
            startup_updates.post_update(startup, acting_member(startup), update | {"traction": traction})
            return True
        before = [getattr(startup, name) for name in traction]
        startups.update_startup(startup, acting_member(startup), {"traction": traction})
        return before != [getattr(startup, name) for name in traction]

    def post(self, fields: dict) -> bool:
        if opportunities.find_by_ref(fields["ref"]) is not None:
            return False
        startup = startup_with_slug(fields["startup"])
        opportunities.post_opportunity(acting_member(startup), fields)
        return True

    def close(self, ref: str) -> bool:
        opportunity = opportunities.find_by_ref(ref)
        if not opportunity.is_open:
            return False
        opportunities.close_opportunity(opportunity, acting_member(opportunity.startup))
        return True

    def follow(self, follower: str, user: str | None = None, startup: str | None = None) -> bool:
        target = user_named(user) if user else startup_with_slug(startup)
        who = user_named(follower)
        if follows.is_following(who, target):
            return False
        follows.follow(who, target)
        return True

    def apply(self, username: str, ref: str, note: str) -> bool:
        applicant, opportunity = user_named(username), opportunities.find_by_ref(ref)
        # Someone may have closed it since the last seed: the demo never forces an application in.
        if not opportunity.is_open or applications.find_application(applicant, opportunity) is not None:
            return False
        applications.apply(applicant, opportunity, {"note": note})
        return True

    def status(self, username: str, ref: str, previous: str, status: str, feedback: str) -> bool:
        applicant, opportunity = user_named(username), opportunities.find_by_ref(ref)
        application = applications.find_application(applicant, opportunity)
        # Only the step that follows the application's current status is due.
        if application is None or application.status != previous:
            return False
        actor = applicant if status == "withdrawn" else acting_member(opportunity.startup)
        data = {"status": status} | ({"feedback": feedback} if feedback else {})
        applications.change_status(application, actor, data)
        return True

    def interest(self, investor: str, slug: str) -> bool:
        return startups.mark_interest(user_named(investor), startup_with_slug(slug))

    def connect(self, requester: str, addressee: str) -> bool:
        asker, asked = user_named(requester), user_named(addressee)
        if connections.between(asker.id, asked.id) is not None:
            return False
        connections.request(asker, asked)
        return True

    def accept(self, requester: str, addressee: str) -> bool:
        asker, asked = user_named(requester), user_named(addressee)
        row = connections.between(asker.id, asked.id)
        if row is None or row.status != "pending" or row.addressee_id != asked.id:
            return False
        connections.accept(asked, row)
        return True

    def message(self, sender: str, recipient: str, body: str) -> bool:
        author, other = user_named(sender), user_named(recipient)
        existing = conversations.find_existing(author, other, "")
        # Idempotent: a second seed finds the message already there.
        if existing is not None and body in {m.body for m in conversations.messages_page(author, existing)[0]}:
            return False
        conversations.start(author, {"user": other.username, "body": body})
        return True
