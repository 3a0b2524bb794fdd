"""API: the viewer's saved searches and what newly matched them (issue 6)."""

from flask import g, jsonify, request, url_for
from marshmallow import EXCLUDE, Schema, fields, validate

from ..services import saved_searches
from .auth import api_blueprint

blp = api_blueprint("saved_searches_api", __name__, "Saved searches: new matches are pushed over /ws/feed.")
MAX_ID = 2**31 - 1


class MatchesQuery(Schema):
    class Meta:
        unknown = EXCLUDE

    limit = fields.Integer(validate=validate.Range(min=1))
    before = fields.Integer(validate=validate.Range(min=1, max=MAX_ID))


@blp.route("/saved-searches/", methods=["GET"])
def saved_search_list():
    """The viewer's saved searches, newest first, each with its count of unseen matches."""
    viewer = g.api_user
    rows = saved_searches.list_for(viewer)
    unseen = saved_searches.unseen_counts(viewer)
    results = [saved_searches.serialize(row, unseen.get(row.id, 0)) for row in rows]
    return jsonify(count=len(results), limit=saved_searches.MAX_PER_USER, results=results)


@blp.route("/saved-searches/", methods=["POST"])
def saved_search_create():
    """Save `{"q", "filters"?: {dimension: [values]}, "name"?}`; 400 when invalid, 409 when already saved."""
    saved = saved_searches.create(g.api_user, request.get_json(silent=True))
    return jsonify(saved_searches.serialize(saved)), 201


@blp.route("/saved-searches/<int:saved_search_id>", methods=["DELETE"])
def saved_search_delete(saved_search_id: int):
    """Delete one of the viewer's saved searches (anyone else's is a 404)."""
    saved_searches.delete(g.api_user, saved_search_id)
    return "", 204


@blp.route("/saved-searches/<int:saved_search_id>/matches/")
@blp.arguments(MatchesQuery, location="query")
def saved_search_matches(query: dict, saved_search_id: int):
    """Documents that matched since the search was saved, newest first; reading marks them seen."""
    viewer = g.api_user
    saved = saved_searches.get(viewer, saved_search_id)
    limit = min(query.get("limit") or saved_searches.PAGE_SIZE, 100)
    unseen = saved_searches.unseen_counts(viewer).get(saved.id, 0)
    rows, before = saved_searches.matches(saved, query.get("before"), limit)
    if query.get("before") is None:
        saved_searches.mark_seen(viewer, [saved])
    return jsonify(
        saved_search=saved_searches.serialize(saved, unseen),
        results=[{key: row[key] for key in ("type", "id", "title", "url", "matched_at", "new")} for row in rows],
        next=url_for("saved_searches_api.saved_search_matches", saved_search_id=saved.id, before=before,
                     limit=limit, _external=True) if before else None,
    )
