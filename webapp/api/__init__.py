"""The JSON API v1: Bearer tokens, the SPEC error shape, an OpenAPI document from the code."""

from flask import Blueprint, Flask, current_app, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from ..errors import error_response
from ..extensions import QuietApi, api, csrf
from ..schemas.fields import Tags
from .applications import blp as applications_blp
from .connections import blp as connections_blp
from .conversations import blp as conversations_blp
from .feed import blp as feed_blp
from .invitations import blp as invitations_blp
from .notifications import blp as notifications_blp
from .opportunities import blp as opportunities_blp
from .people import blp as people_blp
from .recommendations import blp as recommendations_blp
from .saved import blp as saved_blp
from .saved_searches import blp as saved_searches_blp
from .search import blp as search_blp
from .startup_updates import blp as startup_updates_blp
from .startups import blp as startups_blp

BEARER = "bearerAuth"
FALLBACK_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def register_api(app: Flask) -> None:
    """Register every API blueprint and the JSON 404 for unknown /api/v1/ routes."""
    _document_conventions(api)
    for blueprint in API_BLUEPRINTS:
        api.register_blueprint(blueprint, url_prefix="/api/v1")
        # Bearer tokens, not cookies, authenticate the API: CSRF does not apply.
        csrf.exempt(blueprint)
    fallback = Blueprint("api_fallback", __name__)

    @fallback.route("/api/v1/", defaults={"path": ""}, methods=FALLBACK_METHODS)
    @fallback.route("/api/v1/<path:path>", methods=FALLBACK_METHODS)
    def unknown(path: str):
        allowed = _methods_elsewhere()
        if allowed:
            raise MethodNotAllowed(valid_methods=allowed)
        return error_response(404, "No such API route.")

    csrf.exempt(fallback)
    app.register_blueprint(fallback)
    _document_success_responses(api)


def _document_success_responses(api: QuietApi) -> None:
    """Give every operation a documented success response (a JSON object when its view has no schema).

    Without one, clients and validators read a 200 against the `default` error schema.
    """
    for operations in api.spec._paths.values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            if not any(str(code).startswith("2") for code in responses):
                responses["200"] = {"description": "OK", "content": {"application/json": {"schema": {
                    "type": "object"}}}}


def _methods_elsewhere() -> list[str]:
    """Return the methods a real route answers at this path: the catch-all must not turn a 405 into a 404."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    allowed = []
    for method in FALLBACK_METHODS:
        try:
            endpoint, _ = adapter.match(method=method)
        except HTTPException:
            continue
        if endpoint != request.endpoint:
            allowed.append(method)
    return allowed


def _document_conventions(api: QuietApi) -> None:
    """Say in the OpenAPI document that every route takes a Bearer token, and how tags look."""
    api.spec.components.security_scheme(
        BEARER, {"type": "http", "scheme": "bearer", "description": "A personal token from /settings/tokens."}
    )
    api.spec.options["security"] = [{BEARER: []}]
    # flask-smorest refers to 422 by its Python 3.13 name, which 3.11's HTTPStatus lacks: without this
    # component the document has a dangling $ref (found by schemathesis).
    api.spec.components.response(
        "UNPROCESSABLE_CONTENT", {"description": "Unprocessable Content", "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}},
    )
    api.ma_plugin.converter.add_attribute_function(_tags_property)


def _tags_property(self, field, **kwargs) -> dict:
    """Document a Tags field as the array of strings it accepts."""
    if isinstance(field, Tags):
        return {"type": "array", "items": {"type": "string"}, "description": "Lowercase tags; at most 30."}
    return {}


API_BLUEPRINTS: list = [startups_blp, opportunities_blp, applications_blp, people_blp, recommendations_blp, search_blp,
                        feed_blp, notifications_blp, saved_searches_blp,
                        connections_blp, conversations_blp]
# Collaboration (SPEC §3.7): invitations, startup updates, saved items.
API_BLUEPRINTS += [invitations_blp, startup_updates_blp, saved_blp]
