"""Applications: apply once, move status as a member, withdraw as the applicant."""

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, selectinload

from ..extensions import db
from ..models import Application, Opportunity, Startup, StartupMember, User
from ..recommendations import versions as recommendation_versions
from ..schemas.inputs import ApplicationSchema, ApplicationUpdateSchema
from ..tasks import enqueue
from ..tasks import notifications as notification_tasks
from .errors import Conflict, Forbidden, NotFound, ValidationFailed
from .events import record_event
from .transaction import atomic
from .validation import load

MEMBER_STATUSES = ("reviewing", "shortlisted", "accepted", "rejected")


def _audience(application: Application) -> list[int]:
    return [application.user_id, *(m.id for m in application.opportunity.startup.members)]


def apply(applicant: User, opportunity: Opportunity, data, record: bool = True) -> Application:
    """Apply to an open opportunity; a second application is a Conflict (409)."""
    fields = load(ApplicationSchema(), data)
    if opportunity.status != "open":
        raise Conflict("This opportunity is closed.")
    if opportunity.startup.has_member(applicant):
        raise Forbidden("Members cannot apply to their own startup's opportunities.")
    if find_application(applicant, opportunity) is not None:
        raise Conflict("You have already applied to this opportunity.")
    try:
        with atomic():
            application = Application(
                opportunity=opportunity, user=applicant, note=fields.get("note", ""), status="submitted"
            )
            db.session.add(application)
            db.session.flush()
            if record:
                record_event(
                    applicant, "application_submitted", application,
                    f"{applicant.username} applied to {opportunity.title} at {opportunity.startup.name}",
                    audience=_audience(application),
                )
                enqueue(notification_tasks.new_application, application_id=application.id)
            recommendation_versions.viewer_changed(applicant)
    except IntegrityError:
        # Two concurrent requests: the unique (opportunity, user) constraint lets one win.
        raise Conflict("You have already applied to this opportunity.") from None
    return application


def find_application(applicant: User, opportunity: Opportunity) -> Application | None:
    """Return the user's application to an opportunity, if any."""
    query = select(Application).where(
        Application.user_id == applicant.id, Application.opportunity_id == opportunity.id
    )
    return db.session.scalar(query)


def get_application(application_id, viewer: User) -> Application:
    """Return an application visible to the viewer (applicant or startup member), else NotFound."""
    try:
        application = db.session.get(Application, int(application_id))
    except (TypeError, ValueError, OverflowError):
        application = None
    if application is None or not can_view(application, viewer) or _is_hidden(application):
        raise NotFound("No such application.")
    return application


def _is_hidden(application: Application) -> bool:
    """An application to a moderated (hidden) opportunity or startup is shown to nobody, like in lists."""
    opportunity = application.opportunity
    return opportunity.is_hidden or opportunity.startup.is_hidden


def can_view(application: Application, viewer: User) -> bool:
    """The applicant and the startup's members may see an application."""
    return application.user_id == viewer.id or application.opportunity.startup.has_member(viewer)


def change_status(application: Application, actor: User, data) -> Application:
    """Move an application's status; members review, the applicant may only withdraw."""
    fields = load(ApplicationUpdateSchema(), data)
    status = fields["status"]
    is_member = application.opportunity.startup.has_member(actor)
    is_applicant = application.user_id == actor.id
    if not (is_member or is_applicant):
        raise NotFound("No such application.")
    if is_member and status not in MEMBER_STATUSES and not (is_applicant and status == "withdrawn"):
        raise ValidationFailed({"status": [f"Members may set: {', '.join(MEMBER_STATUSES)}."]})
    if not is_member and status != "withdrawn":
        raise Forbidden("Applicants may only withdraw.")
    if "feedback" in fields and not is_member:
        raise Forbidden("Only startup members give feedback.")
    if application.is_final:
        raise Conflict(f"This application is already {application.status}.")
    with atomic():
        previous = application.status
        if "feedback" in fields:
            application.feedback = fields["feedback"]
        if status != previous:
            application.status = status
            db.session.flush()
            record_event(
                actor, "application_status_changed", application,
                f"Application to {application.opportunity.title}: {previous} → {status}",
                audience=_audience(application),
            )
            enqueue(notification_tasks.application_status, application_id=application.id, actor_id=actor.id,
                    status=status)
    return application


def _visible_applications(viewer: User):
    member_of = select(StartupMember.startup_id).where(StartupMember.user_id == viewer.id)
    return (
        select(Application)
        .join(Opportunity)
        .join(Startup)
        .where(or_(Application.user_id == viewer.id, Opportunity.startup_id.in_(member_of)), *_visible())
    )


def applications_visible_to(viewer: User, limit: int | None = None, offset: int = 0) -> list[Application]:
    """The viewer's own applications and those to the viewer's startups, newest first."""
    query = (
        _visible_applications(viewer)
        .order_by(Application.created_at.desc(), Application.id.desc())
        .limit(limit)
        .offset(offset)
        # Each item shows its applicant and opportunity: no query per application.
        .options(
            contains_eager(Application.opportunity).selectinload(Opportunity.startup),
            selectinload(Application.user),
        )
    )
    return list(db.session.scalars(query))


def count_applications_visible_to(viewer: User) -> int:
    """Count what `applications_visible_to` pages through."""
    return db.session.scalar(_visible_applications(viewer).with_only_columns(func.count(Application.id)))


def applications_for(opportunity: Opportunity, viewer: User) -> list[Application]:
    """The applications to an opportunity, for its startup's members only."""
    if not opportunity.startup.has_member(viewer):
        raise NotFound("No such opportunity.")
    query = (
        select(Application)
        .where(Application.opportunity_id == opportunity.id)
        .order_by(Application.created_at.desc())
    )
    return list(db.session.scalars(query))


def _visible() -> tuple:
    """Conditions leaving out applications to hidden (moderated) opportunities and startups."""
    return (Opportunity.is_hidden.is_(False), Startup.is_hidden.is_(False))


def my_applications(applicant: User) -> list[Application]:
    """The applicant's own applications, newest first."""
    query = (
        select(Application)
        .join(Opportunity)
        .join(Startup)
        .where(Application.user_id == applicant.id, *_visible())
        .order_by(Application.created_at.desc(), Application.id.desc())
    )
    return list(db.session.scalars(query))



def awaiting_review(viewer: User, limit: int = 10) -> list[Application]:
    """Open applications (submitted or reviewing) to the viewer's startups, oldest first."""
    member_of = select(StartupMember.startup_id).where(StartupMember.user_id == viewer.id)
    query = (
        select(Application)
        .join(Opportunity)
        .join(Startup)
        .where(
            Opportunity.startup_id.in_(member_of),
            Opportunity.is_hidden.is_(False),
            Startup.is_hidden.is_(False),
            Application.status.in_(("submitted", "reviewing")),
        )
        .order_by(Application.created_at, Application.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))
