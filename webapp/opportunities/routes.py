"""Opportunities: list, page, post, close, apply, applications."""

from flask_login import current_user, login_required

from ..services.applications import my_applications as list_my_applications
from ..services.opportunities import list_opportunities
from ..web import render
from . import bp


@bp.route("/opportunities")
def index():
    return render("opportunities/index.html", opportunities=list_opportunities())


@bp.route("/applications")
@login_required
def my_applications():
    return render("opportunities/my_applications.html", applications=list_my_applications(current_user))
