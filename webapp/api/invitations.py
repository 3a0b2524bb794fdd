"""API: team invitations — invite to your startup (or withdraw), accept or decline one sent to you."""

from flask.views import MethodView

from ..schemas.collaboration import InvitationListArgs, InvitationOut, InvitationPageOut, InvitationSchema
from ..services import invitations
from .auth import api_blueprint, current_user
from .paging import page, window

blp = api_blueprint("api_invitations", __name__, "Team invitations: invite, withdraw, accept, decline.")
TAGS = ["invitations"]
ID = "int(max=2147483647)"


@blp.route("/invitations/", tags=TAGS)
class Invitations(MethodView):
    @blp.arguments(InvitationListArgs, location="query")
    @blp.response(200, InvitationPageOut)
    def get(self, args):
        """List invitations sent to you and from your startups (`folder=received|sent|all`), newest first."""
        limit, offset = window(args)
        viewer = current_user()
        results = invitations.list_invitations(viewer, args["folder"], limit=limit, offset=offset)
        return page(results, invitations.count_invitations(viewer, args["folder"]), args)

    @blp.arguments(InvitationSchema)
    @blp.response(201, InvitationOut)
    @blp.alt_response(403, response="FORBIDDEN", description="You are not a member of this startup.")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT", description="Already a member, or an invitation is pending.")
    def post(self, data):
        """Invite a user to your startup with a role and a message; it expires after 14 days."""
        return invitations.invite(current_user(), data)


@blp.route(f"/invitations/<{ID}:invitation_id>/accept", tags=TAGS)
class AcceptInvitation(MethodView):
    @blp.response(200, InvitationOut)
    @blp.alt_response(403, response="FORBIDDEN", description="Only the invitee answers.")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT", description="Already answered, or expired.")
    def post(self, invitation_id):
        """Accept an invitation: you join the startup with its role."""
        invitation = invitations.get_invitation(invitation_id, current_user())
        return invitations.accept(invitation, current_user())


@blp.route(f"/invitations/<{ID}:invitation_id>/decline", tags=TAGS)
class DeclineInvitation(MethodView):
    @blp.response(200, InvitationOut)
    @blp.alt_response(403, response="FORBIDDEN", description="Only the invitee answers.")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT", description="Already answered, or expired.")
    def post(self, invitation_id):
        """Decline an invitation."""
        invitation = invitations.get_invitation(invitation_id, current_user())
        return invitations.decline(invitation, current_user())


@blp.route(f"/invitations/<{ID}:invitation_id>/withdraw", tags=TAGS)
class WithdrawInvitation(MethodView):
    @blp.response(200, InvitationOut)
    @blp.alt_response(403, response="FORBIDDEN", description="Only the startup's members withdraw.")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT", description="Already answered or withdrawn, or expired.")
    def post(self, invitation_id):
        """Withdraw an invitation from your startup that has not been answered yet."""
        invitation = invitations.get_invitation(invitation_id, current_user())
        return invitations.withdraw(invitation, current_user())
