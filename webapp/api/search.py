"""GET /api/v1/search/ (SPEC §3.4): ranked results, facets, "did you mean", cursor pages."""

from flask import g, jsonify, request
from flask.views import MethodView

from ..search.service import parse_request, search
from .auth import api_blueprint

blp = api_blueprint("api_search", __name__, "Full-text search over startups, people and opportunities.")

QUERY_PARAMETERS = [
    {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 500},
     "description": 'Words; "a phrase", -excluded, alternatives with or; the last word also matches as a prefix.'},
    {"name": "type", "in": "query", "schema": {"type": "string", "enum": ["startup", "user", "opportunity"]}},
    *({"name": name, "in": "query", "schema": {"type": "string"}, "description": "Repeat to allow several values."}
      for name in ("industry", "stage", "location", "skill", "role")),
    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 50, "default": 20}},
    {"name": "cursor", "in": "query", "schema": {"type": "string"}, "description": "The `next` of a previous page."},
]


@blp.route("/search/")
class Search(MethodView):
    @blp.doc(parameters=QUERY_PARAMETERS, security=[{"bearerAuth": []}])
    def get(self):
        """Search startups, people and opportunities."""
        return jsonify(search(parse_request(request.args), g.api_user))
