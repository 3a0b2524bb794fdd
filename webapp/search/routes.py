"""The /search page: one template serves the page and, for htmx, the results fragment."""

from flask import request
from flask_login import current_user

from ..web import render
from . import bp
from .filters import DIMENSIONS
from .query import BadQuery
from .service import SearchRequest, parse_request, search

FACET_LABELS = {
    "type": "Type", "industry": "Industry", "stage": "Stage", "skill": "Skill", "role": "Role",
    "location": "Location",
}
TYPE_LABELS = {"startup": "Startups", "user": "People", "opportunity": "Opportunities"}


@bp.route("/search")
def index():
    error, status = None, 200
    try:
        wanted = parse_request(request.args)
    except BadQuery as exc:
        error, status = exc.message, 400
        wanted = SearchRequest((request.args.get("q") or "")[:500], {})
    answer = search(wanted, current_user) if error is None else None
    return render(
        "search/index.html",
        block="results",
        status=status,
        wanted=wanted,
        answer=answer,
        error=error,
        dimensions=DIMENSIONS,
        facet_labels=FACET_LABELS,
        type_labels=TYPE_LABELS,
    )
