"""The notifications page, mark read, and the preferences page."""

from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required

from ..models import NOTIFICATION_MODES
from ..services import notifications
from ..services.errors import ValidationFailed
from ..web import form_data, render
from . import bp

MODE_LABELS = {"live": "Live", "in_app": "In the app only", "off": "Off"}


def _before() -> int | None:
    value = request.args.get("before", "")
    return int(value) if value.isdigit() and 0 < int(value) < 2**31 else None


def _list_context() -> dict:
    rows, before = notifications.list_page(current_user, _before())
    total, unread = notifications.counts(current_user)
    return {
        "groups": notifications.grouped(rows),
        "older_url": url_for("notifications.index", before=before) if before else None,
        "total": total,
        "unread": unread,
    }


@bp.route("/notifications")
@login_required
def index():
    block = "list" if request.args.get("before") else None
    return render("notifications/index.html", block=block, **_list_context())


@bp.route("/notifications/read", methods=["POST"])
@login_required
def mark_read():
    if request.form.get("all"):
        data = {"all": True}
    else:
        ids = [int(value) for value in request.form.getlist("ids") if value.isdigit() and len(value) < 10]
        data = {"ids": ids}
    try:
        notifications.mark_read(current_user, data)
    except ValidationFailed:
        flash("Nothing to mark as read.", "info")
    if request.headers.get("HX-Request"):
        return render("notifications/index.html", block="list", **_list_context())
    return redirect(url_for("notifications.index"))


@bp.route("/settings/notifications", methods=["GET", "POST"])
@login_required
def settings():
    errors = {}
    if request.method == "POST":
        try:
            notifications.update_preferences(current_user, form_data(request.form))
        except ValidationFailed as exc:
            errors = exc.fields
        else:
            flash("Notification settings saved.", "success")
            return redirect(url_for("notifications.settings"))
    return render(
        "notifications/settings.html",
        kinds=notifications.KINDS,
        modes=[(mode, MODE_LABELS[mode]) for mode in NOTIFICATION_MODES],
        preferences=notifications.preferences(current_user),
        errors=errors,
        status=422 if errors else 200,
    )
