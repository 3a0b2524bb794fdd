"""API: the viewer's notifications and marking them read (SPEC §3.3)."""

from flask import g, jsonify, request, url_for
from marshmallow import EXCLUDE, Schema, fields, validate

from ..services import notifications
from .auth import api_blueprint

blp = api_blueprint("notifications_api", __name__, "Notifications")


class ListQuery(Schema):
    class Meta:
        unknown = EXCLUDE

    limit = fields.Integer(validate=validate.Range(min=1))
    before = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))


@blp.route("/notifications/")
@blp.arguments(ListQuery, location="query")
def notification_list(query: dict):
    """The viewer's notifications, newest first; `next` continues with `before`."""
    viewer = g.api_user
    limit = min(query.get("limit") or notifications.PAGE_SIZE, 100)
    rows, before = notifications.list_page(viewer, query.get("before"), limit)
    total, unread = notifications.counts(viewer)
    return jsonify(
        count=total,
        unread=unread,
        results=notifications.serialize(rows),
        next=url_for("notifications_api.notification_list", before=before, limit=limit, _external=True)
        if before else None,
    )


@blp.route("/notifications/read", methods=["POST"])
def notification_read():
    """Mark `{"ids": [...]}` or `{"all": true}` read; answer how many changed and what is left unread."""
    viewer = g.api_user
    changed = notifications.mark_read(viewer, request.get_json(silent=True))
    return jsonify(marked=changed, unread=notifications.unread_count(viewer.id))
