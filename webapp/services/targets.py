"""Describe event and notification targets as `{"type", "id", "title", "url"}`."""

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select

from ..extensions import db
from ..models import Application, Connection, Conversation, Opportunity, Startup, User

# Page paths pinned by SPEC §3.7; built here rather than with url_for because background
# tasks and the socket dispatcher describe targets outside any request.
USER_PATH = "/users/{}"
STARTUP_PATH = "/startups/{}"
OPPORTUNITY_PATH = "/opportunities/{}"
CONNECTIONS_PATH = "/connections"
CONVERSATION_PATH = "/conversations/{}"

Key = tuple[str, int]


def describe_targets(keys: Iterable[tuple[str | None, int | None]]) -> dict[Key, dict]:
    """Return a description for every (type, id) that still exists, loading each type once."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for target_type, target_id in keys:
        if target_type and target_id is not None:
            wanted[target_type].add(target_id)
    found: dict[Key, dict] = {}
    if wanted.get("user"):
        for user in db.session.scalars(select(User).where(User.id.in_(wanted["user"]))):
            found["user", user.id] = _target("user", user.id, user.display_name, USER_PATH.format(user.username))
    if wanted.get("startup"):
        for startup in db.session.scalars(select(Startup).where(Startup.id.in_(wanted["startup"]))):
            found["startup", startup.id] = _target(
                "startup", startup.id, startup.name, STARTUP_PATH.format(startup.slug)
            )
    if wanted.get("opportunity"):
        query = select(Opportunity).where(Opportunity.id.in_(wanted["opportunity"]))
        for opportunity in db.session.scalars(query):
            found["opportunity", opportunity.id] = _target(
                "opportunity", opportunity.id, opportunity.title, OPPORTUNITY_PATH.format(opportunity.id)
            )
    if wanted.get("application"):
        query = select(Application, Opportunity).join(Opportunity).where(Application.id.in_(wanted["application"]))
        for application, opportunity in db.session.execute(query):
            found["application", application.id] = _target(
                "application", application.id, f"Application to {opportunity.title}",
                OPPORTUNITY_PATH.format(opportunity.id),
            )
    # Only ever described to their own participants (notifications go to one of them).
    if wanted.get("connection"):
        for row_id in db.session.scalars(select(Connection.id).where(Connection.id.in_(wanted["connection"]))):
            found["connection", row_id] = _target("connection", row_id, "Connection request", CONNECTIONS_PATH)
    if wanted.get("conversation"):
        for row_id in db.session.scalars(select(Conversation.id).where(Conversation.id.in_(wanted["conversation"]))):
            found["conversation", row_id] = _target("conversation", row_id, "Conversation",
                                                    CONVERSATION_PATH.format(row_id))
    return found


def _target(kind: str, target_id: int, title: str, url: str) -> dict:
    return {"type": kind, "id": target_id, "title": title, "url": url}


def person(user: User | None) -> dict | None:
    """The `{"id", "username", "name"}` shape the API uses for actors."""
    if user is None:
        return None
    return {"id": user.id, "username": user.username, "name": user.name}
