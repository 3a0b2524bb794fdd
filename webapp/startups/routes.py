"""Startups: list, page, create, edit, traction, follow, interest."""

from ..services.startups import list_startups
from ..web import render
from . import bp


@bp.route("/startups")
def index():
    return render("startups/index.html", startups=list_startups())
