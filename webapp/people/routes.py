"""People: list, profile, edit profile."""

from flask import abort
from flask_login import login_required

from ..web import render
from . import bp


@bp.route("/people")
def index():
    return render("people/index.html", people=[])


@bp.route("/users/<username>")
def profile(username: str):
    abort(404)


@bp.route("/settings/profile", methods=["GET", "POST"])
@login_required
def edit_profile():
    abort(404)
