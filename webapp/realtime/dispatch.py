"""Turn a channel message (an id) into what each local socket may receive, checked per user."""

import json

from flask import Flask, render_template

from ..extensions import db
from ..models import ActivityEvent
from ..services import feed, notifications, saved_searches
from ..services.visibility import visibility_of
from . import messages
from .connection import Connection, Outgoing


def activity_html(event: dict) -> str:
    """The out-of-band fragment that puts a new item above the feed."""
    return render_template("feed/_live.html", event=event)


def activity_json(event: dict) -> str:
    return json.dumps({"type": "activity", "event": event})


def notification_html(user_id: int, notification=None) -> str:
    """The badge (and the new line, when there is one) for a user's open pages."""
    group = notifications.grouped([notification])[0] if notification is not None else None
    return render_template("notifications/_live.html", unread=notifications.unread_count(user_id), group=group)


def notification_text(fmt: str, notification) -> str:
    """One notification as a socket message in `fmt`."""
    if fmt == "json":
        return json.dumps({"type": "notification", "notification": notifications.serialize([notification])[0]})
    return notification_html(notification.recipient_id, notification)


def dispatch(app: Flask, message: str, connections: list[Connection]) -> None:
    """Deliver one message to the sockets that may see it, rendering each format once."""
    kind, _, raw_id = message.partition(":")
    if not raw_id.isdigit():
        return
    # A request context: templates build links with url_for.
    with app.test_request_context("/"):
        try:
            if kind == "a":
                _activity(int(raw_id), connections)
            elif kind == "n":
                _notification(int(raw_id), connections)
            elif kind == "s":
                _saved_search(int(raw_id), connections)
            elif kind == "m":
                messages.deliver_message(int(raw_id), connections)
            elif kind == "r":
                messages.deliver_read(int(raw_id), connections)
        finally:
            db.session.remove()


def _activity(event_id: int, connections: list[Connection]) -> None:
    facts = visibility_of(event_id)
    if facts is None or not facts.shown:
        return
    rendered: dict[str, str] = {}
    event_json = None
    for connection in connections:
        if not facts.allows(connection.user_id) or not connection.wants(
            facts.actor_id, facts.action_type, facts.target_type, facts.target_id, facts.is_public
        ):
            continue
        if connection.format not in rendered:
            if event_json is None:
                event_json = feed.serialize([db.session.get(ActivityEvent, event_id)])[0]
            text = activity_json(event_json) if connection.format == "json" else activity_html(event_json)
            rendered[connection.format] = text
        connection.offer(Outgoing(rendered[connection.format], event_id))


def _notification(notification_id: int, connections: list[Connection]) -> None:
    notification = notifications.get(notification_id)
    if notification is None:
        return
    targets = [c for c in connections if c.user_id == notification.recipient_id]
    if not targets:
        return
    rendered: dict[str, str] = {}
    for connection in targets:
        if connection.format not in rendered:
            rendered[connection.format] = notification_text(connection.format, notification)
        connection.offer(Outgoing(rendered[connection.format], notification_id=notification_id))


def _saved_search(match_id: int, connections: list[Connection]) -> None:
    """A new match reaches its saved search's owner only, and only while the document is visible."""
    found = saved_searches.live_message(match_id)
    if found is None:
        return
    owner_id, saved, match = found
    targets = [c for c in connections if c.user_id == owner_id]
    if not targets:
        return
    rendered: dict[str, str] = {}
    for connection in targets:
        if connection.format not in rendered:
            if connection.format == "json":
                payload = {"type": "saved_search", "saved_search": saved,
                           "match": {key: match[key] for key in ("type", "id", "title", "url")}}
                rendered["json"] = json.dumps(payload)
            else:
                rendered["html"] = render_template("saved_searches/_live.html", saved=saved, match=match)
        connection.offer(Outgoing(rendered[connection.format]))
