"""The /ws/feed socket: authenticate before the upgrade, replay `?after`, then stream live."""

import logging
import queue
import time
from urllib.parse import urlsplit

from flask import current_app, g, request, url_for
from simple_websocket import ConnectionClosed
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import ServiceUnavailable

from ..extensions import db, sock
from ..services import feed, notifications
from ..services.errors import ValidationFailed
from . import bp
from .auth import socket_user
from .connection import Connection, Outgoing
from .dispatch import activity_html, activity_json, notification_html, notification_text

log = logging.getLogger(__name__)

FORMATS = ("html", "json")
REPLAY_BATCH = 200
MAX_REPLAY = 5000
MAX_NOTIFICATION_REPLAY = 100
MAX_EVENT_ID = 2**63 - 1
SERVICE_RESTART = 1012  # RFC 6455 close code: the server restarts, reconnect
RETRY_SECONDS = 2.0


def _socket_params() -> dict:
    fmt = request.args.get("format") or "html"
    if fmt not in FORMATS:
        raise ValidationFailed({"format": ["Must be html or json."]})
    after = _id_param("after", "Must be an event id.")
    notifications_after = _id_param("notifications_after", "Must be a notification id.")
    scope, action_type = feed.check_filters(request.args.get("scope"), request.args.get("action_type"))
    return {"format": fmt, "after": after, "notifications_after": notifications_after, "scope": scope,
            "action_type": action_type}


def _id_param(name: str, message: str) -> int | None:
    value = request.args.get(name)
    if value is None:
        return None
    if not (value.isdigit() and len(value) <= 19 and int(value) <= MAX_EVENT_ID):
        raise ValidationFailed({name: [message]})
    return int(value)


@bp.app_context_processor
def socket_path() -> dict:
    """`live_socket_path(**params)`: a relative URL, so the page's own scheme picks ws:// or wss://."""

    def live_socket_path(**params) -> str:
        url = url_for("realtime.feed_socket", **{k: v for k, v in params.items() if v is not None})
        parts = urlsplit(url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    return {"live_socket_path": live_socket_path}


@bp.before_request
def authenticate_socket():
    """Refuse with 400/401/403 while it is still plain HTTP: the handshake completes before the handler runs."""
    if current_app.extensions["lifecycle"].draining:
        # Shutting down: the client's retry should reach another process.
        raise ServiceUnavailable("Server restarting; reconnect shortly.", retry_after=1)
    user, g.live_still_allowed = socket_user()
    g.live_user_id = user.id
    g.live_params = _socket_params()


@sock.route("/ws/feed", bp=bp)
def feed_socket(ws):
    params, user_id = g.live_params, g.live_user_id
    connection = Connection(user_id, params["format"], params["scope"], params["action_type"])
    if connection.scope == "following":
        connection.followed_users, connection.followed_startups = feed.followed_ids(user_id)
    layer = current_app.extensions["channel_layer"]
    layer.subscribe(connection)
    try:
        # Subscribed first, then the baseline: nothing committed in between is lost.
        connection.last_event_id = feed.latest_event_id() if params["after"] is None else params["after"]
        notifications_after = params["notifications_after"]
        connection.last_notification_id = (
            notifications.latest_id(user_id) if notifications_after is None else notifications_after
        )
        connection.floor = connection.last_event_id
        if connection.format == "html":
            ws.send(notification_html(user_id))
        if params["after"] is not None:
            _replay(ws, connection)
        if notifications_after is not None:
            _replay_notifications(ws, connection)
        db.session.remove()
        _stream(ws, connection, g.live_still_allowed, current_app.config.get("WEBSOCKET_REAUTH_SECONDS", 60))
    except ConnectionClosed:
        pass
    finally:
        layer.unsubscribe(connection)
        db.session.remove()


def _replay(ws, connection: Connection) -> None:
    """Send every visible event above the connection's last id, ascending."""
    after, sent = connection.replay_start(), 0
    while sent < MAX_REPLAY:
        events = feed.events_after(connection.user_id, after, REPLAY_BATCH)
        for event, data in zip(events, feed.serialize(events), strict=True):
            after = event.id
            message = Outgoing("", event_id=event.id)
            if connection.already_sent(message) or not connection.wants(
                event.actor_id, event.action_type, event.target_type, event.target_id, event.is_public
            ):
                continue
            ws.send(activity_json(data) if connection.format == "json" else activity_html(data))
            connection.mark_sent(message)
            sent += 1
        if len(events) < REPLAY_BATCH:
            break
    connection.last_event_id = max(connection.last_event_id, after)


def _replay_notifications(ws, connection: Connection) -> None:
    """Send the live notifications created above the connection's last one, ascending."""
    for notification in notifications.live_after(connection.user_id, connection.last_notification_id,
                                                 MAX_NOTIFICATION_REPLAY):
        message = Outgoing("", notification_id=notification.id)
        if not connection.already_sent(message):
            ws.send(notification_text(connection.format, notification))
            connection.mark_sent(message)


def _stream(ws, connection: Connection, still_allowed, reauth_seconds: float) -> None:
    next_check = time.monotonic() + reauth_seconds
    while ws.connected:
        if connection.closing:
            # Shutting down: 1012 tells clients (htmx's ws extension, ours) to reconnect, to another process.
            ws.close(reason=SERVICE_RESTART, message="Server restarting, reconnect")
            return
        if connection.recheck or time.monotonic() >= next_check:
            connection.recheck = False
            allowed = _still_allowed(still_allowed)
            if allowed is False:
                ws.close(reason=1008, message="Signed out")
                return
            # Unknown (the database is down): ask again shortly rather than drop every socket.
            next_check = time.monotonic() + (reauth_seconds if allowed else RETRY_SECONDS)
        # Clients have nothing to say on this socket; drain so nothing piles up.
        while ws.receive(timeout=0) is not None:
            pass
        if connection.overflowed:
            # Too slow to keep up: the client reconnects with ?after and loses nothing.
            ws.close(reason=1013, message="Try again later")
            return
        if connection.resync and time.monotonic() >= connection.resync_not_before:
            connection.resync = False
            _resync(ws, connection)
        try:
            item = connection.outbox.get(timeout=min(1, reauth_seconds))
        except queue.Empty:
            continue
        if not item.text or connection.already_sent(item):
            continue
        ws.send(item.text)
        connection.mark_sent(item)


def _still_allowed(still_allowed) -> bool | None:
    """Whether the socket's user may still listen; None when the database cannot say right now."""
    try:
        return bool(still_allowed())
    except SQLAlchemyError as exc:
        log.warning("live: re-authentication postponed, database unavailable (%s)", type(exc).__name__)
        return None
    finally:
        db.session.remove()


def _resync(ws, connection: Connection) -> None:
    """Replay what may have been missed; if the database is down, keep the gap and try again soon."""
    start = connection.gap_from if connection.gap_from is not None else connection.last_event_id
    try:
        _replay(ws, connection)
        _replay_notifications(ws, connection)
    except SQLAlchemyError as exc:
        log.warning("live: catch-up postponed, database unavailable (%s)", type(exc).__name__)
        connection.mark_gap(start)
        connection.resync = True
        connection.resync_not_before = time.monotonic() + RETRY_SECONDS
    finally:
        db.session.remove()
