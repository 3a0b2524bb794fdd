"""Admin pages: lists with search, and hide / unhide / suspend actions (CSRF-protected forms)."""

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from ..observability.access import client_allowed
from ..observability.metrics import counts
from ..services import moderation
from ..services.errors import ServiceError
from ..web import render, safe_next
from . import bp

COLUMNS = {
    "users": ("username", "email", "role", "is_admin", "is_suspended", "created_at"),
    "startups": ("slug", "name", "industry", "stage", "is_hidden", "created_at"),
    "opportunities": ("title", "startup.name", "status", "is_hidden", "created_at"),
    "applications": ("user.username", "opportunity.title", "status", "created_at"),
    "events": ("action_type", "actor.username", "description", "is_public", "is_hidden", "created_at"),
}


@bp.before_request
def admins_only():
    # Everyone else gets a plain 404: the admin area does not advertise itself.
    if not client_allowed("ADMIN_ALLOWED_NETWORKS"):
        abort(404)
    try:
        moderation.require_admin(current_user)
    except ServiceError:
        abort(404)


@bp.get("/")
def index():
    return render("admin/index.html", counts=counts(), kinds=list(COLUMNS))


@bp.get("/<kind>/")
def browse(kind: str):
    query = request.args.get("q", "")
    page = request.args.get("page", 1, type=int) or 1
    rows, more = moderation.browse(current_user, kind, query, page)
    return render(
        "admin/list.html", block="results", kind=kind, rows=rows, columns=COLUMNS[kind],
        query=query, page=max(1, page), more=more, hideable=kind in moderation.HIDEABLE,
    )


def _back(kind: str):
    return redirect(safe_next(request.form.get("next"), url_for("admin.browse", kind=kind)))


@bp.post("/<kind>/<item_id>/hide")
def hide(kind: str, item_id: str):
    item = moderation.set_hidden(current_user, kind, item_id, True)
    flash(f"Hidden {kind} #{item.id}: nobody but admins sees it now.", "success")
    return _back(kind)


@bp.post("/<kind>/<item_id>/unhide")
def unhide(kind: str, item_id: str):
    item = moderation.set_hidden(current_user, kind, item_id, False)
    flash(f"{kind.capitalize()} #{item.id} is visible again.", "success")
    return _back(kind)


@bp.post("/users/<user_id>/suspend")
def suspend(user_id: str):
    user = moderation.set_suspended(current_user, user_id, True)
    flash(f"{user.username} is suspended and signed out everywhere.", "success")
    return _back("users")


@bp.post("/users/<user_id>/reinstate")
def reinstate(user_id: str):
    user = moderation.set_suspended(current_user, user_id, False)
    flash(f"{user.username} can log in again.", "success")
    return _back("users")
