"""The feed page (infinite scroll), user activity fragments and the nav counters."""

from datetime import datetime

from flask import abort, request, url_for
from flask_login import current_user, login_required

from ..models import ACTION_TYPES
from ..services import feed, notifications
from ..web import render
from . import bp


@bp.app_template_filter("fromiso")
def from_iso(value: str) -> datetime:
    """Parse the ISO timestamps of event JSON back into datetimes for display."""
    return datetime.fromisoformat(value)


@bp.app_context_processor
def live_counters() -> dict:
    """Nav counters, computed only by the templates that call them."""

    def feed_unread() -> int:
        return feed.unread_count(current_user) if current_user.is_authenticated else 0

    def notifications_unread() -> int:
        return notifications.unread_count(current_user.id) if current_user.is_authenticated else 0

    def latest_notification_id() -> int:
        return notifications.latest_id(current_user.id) if current_user.is_authenticated else 0

    return {
        "feed_unread": feed_unread,
        "notifications_unread": notifications_unread,
        "latest_event_id": feed.latest_event_id,
        "latest_notification_id": latest_notification_id,
    }


@bp.route("/feed")
@login_required
def index():
    scope = request.args.get("scope") or "all"
    action_type = request.args.get("action_type") or None
    cursor = request.args.get("cursor") or None
    scope, action_type = feed.check_filters(scope, action_type)
    # The newest id is read before the page: an event committed while the page is built is then
    # above the socket's ?after= and replayed to it, never skipped (the browser drops an item it
    # already shows); and the unread mark moves only over what the page could show.
    latest_id = feed.latest_event_id()
    page = feed.feed_page(current_user, scope, action_type, cursor=cursor)
    next_url = (
        url_for("feed.index", scope=scope, action_type=action_type, cursor=page.next_cursor)
        if page.next_cursor else None
    )
    if not cursor:
        # Opening the feed counts as having seen everything in it.
        feed.mark_seen(current_user, latest_id)
    return render(
        "feed/index.html",
        block="items" if cursor else None,
        events=page.events,
        next_url=next_url,
        scope=scope,
        action_type=action_type,
        action_types=sorted(ACTION_TYPES),
        latest_id=latest_id,
    )


@bp.route("/users/<username>/activity")
def activity(username: str):
    subject = feed.user_by_username(username)
    if subject is None:
        abort(404)
    viewer = current_user if current_user.is_authenticated else None
    cursor = request.args.get("cursor") or None
    page = feed.activity_page(subject, viewer, cursor=cursor)
    next_url = None
    if page.next_cursor:
        next_url = url_for("feed.activity", username=subject.username, cursor=page.next_cursor)
    return render(
        "feed/_activity.html",
        block="items" if cursor else None,
        subject=subject,
        events=page.events,
        next_url=next_url,
    )
