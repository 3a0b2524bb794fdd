"""/searches: list saved searches with what newly matched, save one from /search, delete one."""

from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required

from ..search.filters import DIMENSIONS
from ..services import saved_searches
from ..services.errors import ServiceError
from ..web import is_htmx, render
from . import bp


def _list_context() -> dict:
    rows = saved_searches.list_for(current_user)
    return {
        "saved": rows,
        "unseen": saved_searches.unseen_counts(current_user),
        "recent": saved_searches.recent_matches(current_user),
        "limit": saved_searches.MAX_PER_USER,
        "search_url": saved_searches.search_url,
        "seen": {row.id: row.seen_match_id for row in rows},
    }


@bp.route("/searches")
@login_required
def index():
    context = _list_context()
    # Shown as new on this visit, seen from the next one on.
    saved_searches.mark_seen(current_user, context["saved"])
    return render("saved_searches/index.html", block="list", **context)


@bp.route("/searches", methods=["POST"])
@login_required
def create():
    data = {
        "q": request.form.get("q", ""),
        "filters": {name: request.form.getlist(name) for name in DIMENSIONS if request.form.getlist(name)},
    }
    if request.form.get("name"):
        data["name"] = request.form["name"]
    try:
        saved = saved_searches.create(current_user, data)
    except ServiceError as exc:
        if is_htmx():
            # 422: htmx swaps it like any re-rendered form with its error (4xx are not swapped).
            return render("saved_searches/_save.html", error=exc.message, status=422)
        flash(exc.message, "error")
        return redirect(url_for("search.index", q=data["q"], **data["filters"]))
    if is_htmx():
        return render("saved_searches/_save.html", saved=saved, status=201)
    flash(f"Saved “{saved.name}”. New matches will show up here.", "success")
    return redirect(url_for("saved_searches.index"))


@bp.route("/searches/<int:saved_search_id>/delete", methods=["POST"])
@login_required
def delete(saved_search_id: int):
    saved_searches.delete(current_user, saved_search_id)
    if is_htmx():
        return render("saved_searches/index.html", block="list", **_list_context())
    flash("Saved search deleted.", "success")
    return redirect(url_for("saved_searches.index"))
