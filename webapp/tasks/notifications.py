"""Notification tasks: one per fact SPEC §3.3 lists; safe to run twice (deduplicated)."""

from sqlalchemy import select

from ..extensions import db
from ..models import Application, Follow, Opportunity, Startup, User
from ..services.notifications import notify
from . import task


def _member_ids(startup: Startup) -> list[int]:
    return [membership.user_id for membership in startup.memberships]


@task
def new_application(application_id: int) -> None:
    """Tell a startup's members that someone applied."""
    application = db.session.get(Application, application_id)
    if application is None:
        return
    opportunity = application.opportunity
    notify(
        "new_application", application.user_id, "application", application.id,
        recipients=_member_ids(opportunity.startup),
        text=f"{application.user.display_name} applied to {opportunity.title}",
    )


@task
def application_status(application_id: int, actor_id: int, status: str) -> None:
    """Tell the applicant their application moved; tell the startup's members when the applicant withdraws."""
    application = db.session.get(Application, application_id)
    if application is None:
        return
    opportunity = application.opportunity
    if actor_id == application.user_id:
        notify(
            "application_status", actor_id, "application", application.id,
            recipients=_member_ids(opportunity.startup),
            text=f"{application.user.display_name} withdrew their application to {opportunity.title}", fact=status,
        )
        return
    notify(
        "application_status", actor_id, "application", application.id, recipients=[application.user_id],
        text=f"Your application to {opportunity.title} is now {status}", fact=status,
    )


@task
def new_follower(
    follow_id: int, followed_at: str, follower_id: int, user_id: int | None = None, startup_id: int | None = None
) -> None:
    """Tell a user (or a startup's members) about a new follower; each follow is a new fact."""
    # SQLite may reuse a deleted row's id: the time makes a follow after an unfollow a new fact.
    fact = f"{follow_id}@{followed_at}"
    follower = db.session.get(User, follower_id)
    if follower is None:
        return
    if user_id is not None:
        notify("new_follower", follower_id, "user", user_id, recipients=[user_id],
               text=f"{follower.display_name} followed you", fact=fact)
        return
    startup = db.session.get(Startup, startup_id)
    if startup is not None:
        notify("new_follower", follower_id, "startup", startup.id, recipients=_member_ids(startup),
               text=f"{follower.display_name} followed {startup.name}", fact=fact)


@task
def investor_interest(interest_id: int, investor_id: int, startup_id: int, marked_at: str = "") -> None:
    """Tell a startup's members an investor is interested."""
    investor = db.session.get(User, investor_id)
    startup = db.session.get(Startup, startup_id)
    if investor is None or startup is None:
        return
    notify("investor_interest", investor_id, "startup", startup.id, recipients=_member_ids(startup),
           text=f"{investor.display_name} is interested in {startup.name}", fact=f"{interest_id}@{marked_at}")


@task
def new_opportunity(opportunity_id: int, actor_id: int) -> None:
    """Tell a startup's followers about its new opportunity."""
    opportunity = db.session.get(Opportunity, opportunity_id)
    if opportunity is None or opportunity.is_hidden or opportunity.startup.is_hidden:
        return
    startup = opportunity.startup
    followers = db.session.scalars(select(Follow.follower_id).where(Follow.followed_startup_id == startup.id))
    notify("new_opportunity", actor_id, "opportunity", opportunity.id, recipients=list(followers),
           text=f"{startup.name} is looking for: {opportunity.title}")
