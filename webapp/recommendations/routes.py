"""Recommendation cards (an htmx fragment), "not interested" and the dismissals settings page."""

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user, login_required

from ..services import recommendations
from ..web import form_data, is_htmx, render, safe_next

bp = Blueprint("recommendations", __name__)


@bp.route("/recommendations/")
@login_required
def index():
    return render("recommendations/index.html")


@bp.route("/recommendations/cards")
@login_required
def cards():
    recs = recommendations.recommendations_for(current_user, request.args)
    return render("recommendations/_cards.html", recs=recs)


@bp.route("/recommendations/dismiss", methods=["POST"])
@login_required
def dismiss():
    data = form_data(request.form)
    next_url = safe_next(data.pop("next", None), url_for("recommendations.index"))
    recommendations.dismiss(current_user, data)
    if is_htmx():
        # An empty body: htmx swaps the card out at once.
        return ""
    flash("Got it — we will not suggest that again. Undo it under Settings › Recommendations.", "success")
    return redirect(next_url)


@bp.route("/recommendations/undismiss", methods=["POST"])
@login_required
def undismiss():
    recommendations.undismiss(current_user, form_data(request.form))
    if is_htmx():
        return ""
    flash("Undone: it may be recommended again.", "success")
    return redirect(url_for("recommendations.settings"))


@bp.route("/settings/recommendations")
@login_required
def settings():
    return render("recommendations/settings.html", dismissals=recommendations.list_dismissals(current_user))
