"""GET /api/v1/search/ (SPEC §3.4): ranked results, facets, "did you mean", cursor pages."""

from functools import wraps

from flask import g, jsonify, request
from flask.views import MethodView
from flask_smorest import Blueprint

from ..search.service import parse_request, search
from ..services.accounts import user_for_token
from ..services.errors import NotAuthenticated

blp = Blueprint("api_search", __name__, description="Full-text search over startups, people and opportunities.")

QUERY_PARAMETERS = [
    {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 500},
     "description": 'Words; "a phrase", -excluded, alternatives with or; the last word also matches as a prefix.'},
    {"name": "type", "in": "query", "schema": {"type": "string", "enum": ["startup", "user", "opportunity"]}},
    *({"name": name, "in": "query", "schema": {"type": "string"}, "description": "Repeat to allow several values."}
      for name in ("industry", "stage", "location", "skill", "role")),
    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 50, "default": 20}},
    {"name": "cursor", "in": "query", "schema": {"type": "string"}, "description": "The `next` of a previous page."},
]


def bearer_required(view):
    """Refuse the request unless it carries a valid `Authorization: Bearer <token>`."""
    # A stand-in until the shared API auth module lands; it uses the same token service.
    @wraps(view)
    def wrapper(*args, **kwargs):
        scheme, _, token = (request.headers.get("Authorization") or "").partition(" ")
        user = user_for_token(token.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            raise NotAuthenticated("Send a valid API token as 'Authorization: Bearer <token>'.")
        g.api_user = user
        return view(*args, **kwargs)

    return wrapper


@blp.route("/search/")
class Search(MethodView):
    decorators = [bearer_required]

    @blp.doc(parameters=QUERY_PARAMETERS, security=[{"bearerAuth": []}])
    def get(self):
        """Search startups, people and opportunities."""
        return jsonify(search(parse_request(request.args), g.api_user))
