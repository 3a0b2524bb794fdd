"""Helpers shared by the feed, realtime and notification tests."""

from datetime import timedelta

from sqlalchemy import update

from webapp.extensions import db
from webapp.models import ActivityEvent, User, utcnow
from webapp.services import applications
from webapp.services.events import record_event
from webapp.services.transaction import atomic

from .factories import make_opportunity, make_startup, make_user


def bulk_events(actor: User, count: int, action_type: str = "profile_updated", tie: bool = False) -> list[int]:
    """Record `count` events by `actor` (with identical timestamps when `tie`); return their ids."""
    with atomic():
        events = [record_event(actor, action_type, actor, f"{actor.username} update {n}") for n in range(count)]
    ids = [event.id for event in events]
    if tie:
        with atomic():
            db.session.execute(update(ActivityEvent).where(ActivityEvent.id.in_(ids)).values(created_at=utcnow()))
    return ids


def age_all_events(seconds: int = 60) -> None:
    """Push every existing event into the past, so new ones sort strictly after them."""
    with atomic():
        for event in db.session.query(ActivityEvent):
            event.created_at = event.created_at - timedelta(seconds=seconds)


def private_world():
    """A founder's startup, an outsider, and an applicant whose application is private to them both."""
    founder = make_user("founder", username="founder")
    startup = make_startup(founder, name="Acme")
    opportunity = make_opportunity(startup, founder, title="Backend engineer")
    applicant = make_user("talent", username="applicant")
    outsider = make_user("talent", username="outsider")
    application = applications.apply(applicant, opportunity, {"note": "Hi"})
    return founder, startup, opportunity, applicant, outsider, application


def ids_of(payload: dict) -> list[int]:
    return [event["id"] for event in payload["results"]]
