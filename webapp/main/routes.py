"""The dashboard at /."""

from flask_login import current_user

from ..services import dashboard
from ..web import render
from . import bp


@bp.route("/")
def home():
    context = dashboard.for_viewer(current_user if current_user.is_authenticated else None)
    return render("main/home.html", **context)
