"""Invitations page (accept/decline), the invite form and the update form on a startup page."""

from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required

from ..main.actions import run_action
from ..models import TRACTION_FIELDS
from ..services import invitations, startup_updates
from ..services.errors import ServiceError, ValidationFailed
from ..services.startups import find_startup, require_member
from ..startups.page import invite_context, page_context, updates_context
from ..web import form_data, is_htmx, render
from . import bp

ID = "int(max=2147483647)"
SHOW = "startups/show.html"


def _startup_url(startup) -> str:
    return url_for("startups.show", slug=startup.slug)


@bp.route("/invitations")
@login_required
def index():
    return render(
        "teams/invitations.html",
        received=invitations.list_invitations(current_user, "received", limit=100),
        sent=invitations.list_invitations(current_user, "sent", limit=100),
    )


def _answer(invitation_id: int, action, message: str):
    invitation = invitations.get_invitation(invitation_id, current_user)
    response = run_action(lambda: action(invitation, current_user), message, url_for("teams.index"))
    return response or render("teams/invitations.html", block="invitation", invitation=invitation)


@bp.route(f"/invitations/<{ID}:invitation_id>/accept", methods=["POST"])
@login_required
def accept(invitation_id: int):
    return _answer(invitation_id, invitations.accept, "Welcome to the team!")


@bp.route(f"/invitations/<{ID}:invitation_id>/decline", methods=["POST"])
@login_required
def decline(invitation_id: int):
    return _answer(invitation_id, invitations.decline, "Invitation declined.")


@bp.route(f"/invitations/<{ID}:invitation_id>/withdraw", methods=["POST"])
@login_required
def withdraw(invitation_id: int):
    invitation = invitations.get_invitation(invitation_id, current_user)
    response = run_action(lambda: invitations.withdraw(invitation, current_user), "Invitation withdrawn.",
                          url_for("teams.index"))
    return response or render("teams/invitations.html", block="sent_invitation", invitation=invitation)


@bp.route("/startups/<slug>/invitations", methods=["POST"])
@login_required
def invite(slug: str):
    startup = find_startup(slug, current_user)
    require_member(startup, current_user)
    values = form_data(request.form)
    data = {name: values.get(name, "") for name in ("user", "role", "message")} | {"startup": startup.slug}
    try:
        invitation = invitations.invite(current_user, data)
    except ValidationFailed as exc:
        return _invite_form(startup, values, exc.fields, 422)
    except ServiceError as exc:
        # Unknown user, already a member, already invited: said next to the form.
        return _invite_form(startup, values, {"user": [exc.message]}, exc.status)
    message = f"Invitation sent to {invitation.invitee.username}."
    if not is_htmx():
        flash(message, "success")
        return redirect(_startup_url(startup) + "#team")
    return render(SHOW, block="invite", **invite_context(startup, current_user, sent=message))


def _invite_form(startup, values, errors, status):
    if not is_htmx():
        # Without htmx the whole page comes back, with the form's errors in place.
        return render(SHOW, status=status, **page_context(startup, values, errors))
    return render(SHOW, block="invite", status=status, **invite_context(startup, current_user, values, errors))


@bp.route("/startups/<slug>/updates", methods=["POST"])
@login_required
def post_update(slug: str):
    startup = find_startup(slug, current_user)
    require_member(startup, current_user)
    values = form_data(request.form)
    data = {"title": values.get("title", ""), "body": values.get("body", "")}
    # Traction fields left empty change nothing.
    traction = {name: values[name] for name in TRACTION_FIELDS if (values.get(name) or "").strip()}
    if traction:
        data["traction"] = traction
    try:
        startup_updates.post_update(startup, current_user, data)
    except ValidationFailed as exc:
        errors = dict(exc.fields)
        errors.update(errors.pop("traction", {}) if isinstance(errors.get("traction"), dict) else {})
        context = page_context(startup) | updates_context(startup, current_user, values, errors)
        return render(SHOW, block="updates", status=422, **context)
    if not is_htmx():
        flash("Update posted. Your followers will see it in their feeds.", "success")
        return redirect(_startup_url(startup) + "#updates")
    return render(SHOW, block="updates", **updates_context(startup, current_user))
