"""API: the activity feed and a user's activity (SPEC §3.1)."""

from flask import g, jsonify, url_for
from marshmallow import EXCLUDE, Schema, fields, validate

from ..models import ACTION_TYPES
from ..services import feed
from ..services.errors import NotFound
from ..services.feed import SCOPES, user_by_id
from .auth import api_blueprint

blp = api_blueprint("feed_api", __name__, "Activity feed")


class PageQuery(Schema):
    class Meta:
        unknown = EXCLUDE

    limit = fields.Integer(validate=validate.Range(min=1))
    cursor = fields.String(validate=validate.Length(max=200))


class FeedQuery(PageQuery):
    scope = fields.String(validate=validate.OneOf(SCOPES), load_default="all")
    action_type = fields.String(
        validate=validate.OneOf(list(ACTION_TYPES)), metadata={"description": "Only events of this type (SPEC §2)."}
    )


def _link(endpoint: str, cursor: str | None, **params) -> str | None:
    if cursor is None:
        return None
    params = {key: value for key, value in params.items() if value is not None}
    return url_for(endpoint, cursor=cursor, _external=True, **params)


@blp.route("/feed/")
@blp.arguments(FeedQuery, location="query")
def feed_list(query: dict):
    """The viewer's feed, newest first: `scope=all|following`, `action_type`, `limit`, `cursor`."""
    viewer = g.api_user
    scope, action_type = query["scope"], query.get("action_type") or None
    page = feed.feed_page(viewer, scope, action_type, query.get("limit"), query.get("cursor"))
    limit = feed.clamp_limit(query.get("limit"))
    params = {"scope": scope, "action_type": action_type, "limit": limit}
    return jsonify(
        count=feed.feed_count(viewer, scope, action_type),
        results=page.events,
        next=_link("feed_api.feed_list", page.next_cursor, **params),
        previous=_link("feed_api.feed_list", page.previous_cursor, **params),
    )


@blp.route("/users/<int:user_id>/activity/")
@blp.arguments(PageQuery, location="query")
def user_activity(query: dict, user_id: int):
    """A user's events that the viewer may see, newest first."""
    subject = user_by_id(user_id)
    if subject is None:
        raise NotFound("No such user.")
    page = feed.activity_page(subject, g.api_user, query.get("limit"), query.get("cursor"))
    limit = feed.clamp_limit(query.get("limit"))
    return jsonify(
        count=feed.activity_count(subject, g.api_user),
        results=page.events,
        next=_link("feed_api.user_activity", page.next_cursor, user_id=user_id, limit=limit),
    )
