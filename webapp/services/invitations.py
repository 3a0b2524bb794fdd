"""Team invitations: members invite, the invitee accepts (joins) or declines; 14 days to answer."""

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import INVITATION_TTL, Startup, StartupMember, TeamInvitation, User, utcnow
from ..recommendations import versions as recommendation_versions
from ..schemas.collaboration import InvitationSchema
from ..tasks import enqueue, team_notifications
from .errors import Conflict, Forbidden, NotFound
from .events import record_event
from .startups import get_startup, require_member
from .transaction import atomic
from .validation import load

FOLDERS = ("all", "received", "sent")


def _user_by_username(username: str) -> User:
    user = db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    if user is None or user.is_suspended:
        raise NotFound("No such user.")
    return user


def _expire_stale(startup_id: int | None = None, invitee_id: int | None = None) -> None:
    """Write "expired" on pending invitations past their date, so a fresh one may be sent."""
    statement = update(TeamInvitation).where(TeamInvitation.status == "pending", TeamInvitation.expires_at <= utcnow())
    if startup_id is not None:
        statement = statement.where(TeamInvitation.startup_id == startup_id)
    if invitee_id is not None:
        statement = statement.where(TeamInvitation.invitee_id == invitee_id)
    db.session.execute(statement.values(status="expired").execution_options(synchronize_session="fetch"))


def _pending(startup: Startup, invitee: User) -> TeamInvitation | None:
    query = select(TeamInvitation).where(
        TeamInvitation.startup_id == startup.id, TeamInvitation.invitee_id == invitee.id,
        TeamInvitation.status == "pending", TeamInvitation.expires_at > utcnow(),
    )
    return db.session.scalar(query)


def invite(inviter: User, data) -> TeamInvitation:
    """Invite a user to a startup with a role and a message (members only; one pending at a time)."""
    fields = load(InvitationSchema(), data)
    startup = get_startup(fields["startup"], inviter)
    require_member(startup, inviter)
    invitee = _user_by_username(fields["user"])
    if startup.has_member(invitee):
        raise Conflict(f"{invitee.username} is already on the team.")
    if _pending(startup, invitee) is not None:
        raise Conflict(f"{invitee.username} already has a pending invitation to {startup.name}.")
    try:
        with atomic():
            _expire_stale(startup_id=startup.id, invitee_id=invitee.id)
            now = utcnow()
            invitation = TeamInvitation(
                startup=startup, inviter=inviter, invitee=invitee, role=fields["role"],
                message=fields.get("message", ""), status="pending", created_at=now, expires_at=now + INVITATION_TTL,
            )
            db.session.add(invitation)
            db.session.flush()
            enqueue(team_notifications.team_invitation, invitation_id=invitation.id)
    except IntegrityError:
        # A concurrent request sent the same invitation first (the partial unique index).
        raise Conflict(f"{invitee.username} already has a pending invitation to {startup.name}.") from None
    return invitation


def get_invitation(invitation_id, viewer: User) -> TeamInvitation:
    """Return an invitation the viewer may see (the invitee, the startup's members), else NotFound."""
    try:
        invitation = db.session.get(TeamInvitation, int(invitation_id))
    except (TypeError, ValueError, OverflowError):
        invitation = None
    if invitation is None or not can_view(invitation, viewer) or invitation.startup.is_hidden:
        raise NotFound("No such invitation.")
    return invitation


def can_view(invitation: TeamInvitation, viewer: User) -> bool:
    """The invitee and the startup's members see an invitation."""
    return invitation.invitee_id == viewer.id or invitation.startup.has_member(viewer)


def _check_open(invitation: TeamInvitation, viewer: User, may_act: bool, refusal: str, expired: str) -> None:
    """The checks shared by answering and withdrawing: visible, allowed, still open."""
    if not can_view(invitation, viewer):
        raise NotFound("No such invitation.")
    if not may_act:
        raise Forbidden(refusal)
    if invitation.is_expired:
        raise Conflict(expired)
    if invitation.status != "pending":
        raise Conflict(f"This invitation was already {invitation.status}.")


def _check_answerable(invitation: TeamInvitation, viewer: User) -> None:
    _check_open(invitation, viewer, invitation.invitee_id == viewer.id,
                "Only the invited person can answer this invitation.",
                "This invitation has expired; ask the team for a new one.")


def _claim(invitation: TeamInvitation, status: str) -> None:
    """Answer a still-open invitation with one conditional UPDATE: of two concurrent answers, one wins."""
    now = utcnow()
    statement = (
        update(TeamInvitation)
        .where(TeamInvitation.id == invitation.id, TeamInvitation.status == "pending", TeamInvitation.expires_at > now)
        .values(status=status, responded_at=now)
        .execution_options(synchronize_session=False)
    )
    if db.session.execute(statement).rowcount != 1:
        raise Conflict("This invitation was already answered.")
    db.session.expire(invitation, ["status", "responded_at"])


def accept(invitation: TeamInvitation, invitee: User) -> TeamInvitation:
    """Join the startup with the invitation's role; record `startup_updated`; tell the team."""
    _check_answerable(invitation, invitee)
    startup = invitation.startup
    with atomic():
        _claim(invitation, "accepted")
        if not startup.has_member(invitee):
            startup.memberships.append(StartupMember(user=invitee, role=invitation.role))
        db.session.flush()
        record_event(invitee, "startup_updated", startup,
                     f"{invitee.username} joined {startup.name} as {invitation.role}")
        # The new member's own startups are no longer candidates for them, and the team's needs changed.
        recommendation_versions.startup_changed(startup)
        enqueue(team_notifications.team_invitation_answer, invitation_id=invitation.id)
    return invitation


def decline(invitation: TeamInvitation, invitee: User) -> TeamInvitation:
    """Decline an invitation; the team is told."""
    _check_answerable(invitation, invitee)
    with atomic():
        _claim(invitation, "declined")
        enqueue(team_notifications.team_invitation_answer, invitation_id=invitation.id)
    return invitation


def withdraw(invitation: TeamInvitation, member: User) -> TeamInvitation:
    """A member of the startup takes back an invitation nobody has answered yet.

    Uses the same conditional UPDATE as the answers: of a withdrawal and an acceptance racing,
    exactly one wins and the other gets a 409.
    """
    _check_open(invitation, member, invitation.startup.has_member(member),
                "Only the startup's members can withdraw its invitations.", "This invitation has already expired.")
    with atomic():
        _claim(invitation, "withdrawn")
    return invitation


def _visible(viewer: User, folder: str):
    member_of = select(StartupMember.startup_id).where(StartupMember.user_id == viewer.id)
    received = TeamInvitation.invitee_id == viewer.id
    sent = TeamInvitation.startup_id.in_(member_of)
    condition = {"received": received, "sent": sent}.get(folder, or_(received, sent))
    return select(TeamInvitation).join(Startup).where(condition, Startup.is_hidden.is_(False))


def list_invitations(viewer: User, folder: str = "all", limit: int = 20, offset: int = 0) -> list[TeamInvitation]:
    """Invitations to the viewer and/or from the viewer's startups, newest first."""
    query = (
        _visible(viewer, folder)
        .order_by(TeamInvitation.created_at.desc(), TeamInvitation.id.desc())
        .limit(limit)
        .offset(offset)
        .options(selectinload(TeamInvitation.inviter), selectinload(TeamInvitation.invitee))
    )
    return list(db.session.scalars(query))


def count_invitations(viewer: User, folder: str = "all") -> int:
    """Count what `list_invitations` pages through."""
    return db.session.scalar(_visible(viewer, folder).with_only_columns(func.count(TeamInvitation.id)))


def pending_for(invitee: User) -> list[TeamInvitation]:
    """The viewer's open invitations (not answered, not expired), newest first."""
    query = (
        _visible(invitee, "received")
        .where(TeamInvitation.status == "pending", TeamInvitation.expires_at > utcnow())
        .order_by(TeamInvitation.created_at.desc(), TeamInvitation.id.desc())
    )
    return list(db.session.scalars(query))


def pending_from(startup: Startup, viewer: User) -> list[TeamInvitation]:
    """A startup's open invitations, for its members."""
    if not startup.has_member(viewer):
        return []
    query = (
        select(TeamInvitation)
        .where(TeamInvitation.startup_id == startup.id, TeamInvitation.status == "pending",
               TeamInvitation.expires_at > utcnow())
        .order_by(TeamInvitation.created_at.desc())
    )
    return list(db.session.scalars(query))
