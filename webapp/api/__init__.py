"""The JSON API v1: Bearer tokens, the SPEC error shape, an OpenAPI document from the code."""

from flask import Blueprint, Flask

from ..errors import error_response
from ..extensions import api, csrf
from .feed import blp as feed_blp
from .notifications import blp as notifications_blp


def register_api(app: Flask) -> None:
    """Register every API blueprint and the JSON 404 for unknown /api/v1/ routes."""
    for blueprint in API_BLUEPRINTS:
        api.register_blueprint(blueprint, url_prefix="/api/v1")
        # Bearer tokens, not cookies, authenticate the API: CSRF does not apply.
        csrf.exempt(blueprint)
    fallback = Blueprint("api_fallback", __name__)

    @fallback.route("/api/v1/", defaults={"path": ""}, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    @fallback.route("/api/v1/<path:path>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    def unknown(path: str):
        return error_response(404, "No such API route.")

    csrf.exempt(fallback)
    app.register_blueprint(fallback)


API_BLUEPRINTS: list = [feed_blp, notifications_blp]
