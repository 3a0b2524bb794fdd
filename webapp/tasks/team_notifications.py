"""Notification tasks for team invitations: the invitee hears of it, the startup hears the answer."""

from ..extensions import db
from ..models import TeamInvitation
from ..services.notifications import notify
from . import task


@task
def team_invitation(invitation_id: int) -> None:
    """Tell the invitee a startup wants them on the team."""
    invitation = db.session.get(TeamInvitation, invitation_id)
    if invitation is None or invitation.inviter is None:
        return
    inviter, startup = invitation.inviter, invitation.startup
    notify(
        "team_invitation", inviter.id, "startup", startup.id, recipients=[invitation.invitee_id],
        text=f"{inviter.display_name} invited you to join {startup.name} as {invitation.role}",
        fact=f"{invitation.id}@{invitation.created_at.isoformat()}",
    )


@task
def team_invitation_answer(invitation_id: int) -> None:
    """Tell the inviter and the startup's members whether the invitee accepted or declined."""
    invitation = db.session.get(TeamInvitation, invitation_id)
    if invitation is None or invitation.status not in ("accepted", "declined"):
        return
    invitee, startup = invitation.invitee, invitation.startup
    recipients = {membership.user_id for membership in startup.memberships} | {invitation.inviter_id}
    notify(
        "team_invitation_answer", invitee.id, "startup", startup.id, recipients=recipients,
        text=f"{invitee.display_name} {invitation.status} the invitation to join {startup.name}",
        fact=f"{invitation.id}:{invitation.status}",
    )
