"""The saved page and save/unsave buttons (htmx swaps the button; without JS, a redirect back)."""

from flask import abort, url_for
from flask_login import current_user, login_required

from ..main.actions import run_action
from ..services import saved
from ..services.errors import Conflict, NotFound, ValidationFailed
from ..web import render
from . import bp

KINDS = {"startup": "startup", "opportunity": "opportunity"}


def _target(kind: str, key: str):
    if kind not in KINDS:
        abort(404)
    data = {"startup": key} if kind == "startup" else {"opportunity": int(key) if key.isdigit() else 0}
    try:
        return saved.resolve(current_user, data)
    except ValidationFailed:
        abort(404)


def _back(kind: str, target) -> str:
    if kind == "startup":
        return url_for("startups.show", slug=target.slug)
    return url_for("opportunities.show", opportunity_id=target.id)


@bp.route("/saved")
@login_required
def index():
    return render(
        "saved/index.html",
        startups=[item.startup for item in saved.list_saved(current_user, "startup", limit=200)],
        opportunities=[item.opportunity for item in saved.list_saved(current_user, "opportunity", limit=200)],
    )


def _toggle(kind: str, key: str, save: bool):
    target = _target(kind, key)

    def action() -> None:
        # A double click (or a second tab) lands in the state asked for: not an error for a button.
        try:
            saved.save(current_user, target) if save else saved.unsave(current_user, target)
        except (Conflict, NotFound):
            pass

    message = "Saved. Find it under Saved." if save else "Removed from Saved."
    response = run_action(action, message, _back(kind, target))
    return response or render("saved/_button.html", kind=kind, item=target, saved=save)


@bp.route("/saved/<kind>/<key>", methods=["POST"])
@login_required
def save(kind: str, key: str):
    return _toggle(kind, key, True)


@bp.route("/saved/<kind>/<key>/remove", methods=["POST"])
@login_required
def unsave(kind: str, key: str):
    return _toggle(kind, key, False)
