"""The channel layer: fan committed events out to this process's sockets.

One interface, two back-ends. In-process: publish hands the id straight to this process's
dispatcher. Redis: publish goes to one pub/sub channel and each process runs ONE listener,
started lazily after fork, that hands ids to its dispatcher. Messages carry ids only; the
dispatcher loads each event once and checks, per socket, that its user may see it.
"""

import logging
import os
import queue
import threading
import time

from flask import Flask
from redis import Redis
from redis.exceptions import RedisError

from ..caching import REDIS_TIMEOUT_SECONDS, redis_client
from ..observability.metrics import websocket_closed, websocket_opened
from .connection import Connection, Outgoing
from .dispatch import dispatch

log = logging.getLogger(__name__)

CHANNEL = "collabhub:live:{db}"
# Control messages. "gap": events may have been missed from here on (Redis trouble);
# "resync[:<id>]": every socket replays from its oldest gap (or from just below <id>).
GAP = "gap"
RESYNC = "resync"
RECHECK = "k:"
WAKE_UP = Outgoing("")
LISTENER_NAME = "collabhub-live-listener"


class ChannelLayer:
    """Local sockets plus one dispatcher thread (a greenlet under gevent) per process."""

    backend = "inprocess"

    def __init__(self, app: Flask):
        self.app = app
        self._connections: set[Connection] = set()
        self._lock = threading.Lock()
        self._inbox: queue.Queue = queue.Queue()
        self._pid: int | None = None
        self._stopping = False
        self._closing = False
        self._threads: list[threading.Thread] = []

    # -- the interface -------------------------------------------------------
    def publish(self, event_id: int, fallback: bool = True) -> bool:
        """Announce a committed activity event; False when it may not have reached every process."""
        return self._send(f"a:{event_id}", fallback)

    def publish_notification(self, notification_id: int, fallback: bool = True) -> bool:
        """Announce a committed notification; False when it may not have reached every process."""
        return self._send(f"n:{notification_id}", fallback)

    def publish_saved_search_match(self, match_id: int) -> None:
        """Announce a committed saved-search match (for its owner only)."""
        self._send(f"s:{match_id}")

    def publish_message(self, message_id: int, fallback: bool = True) -> bool:
        """Announce a committed conversation message (participants only); False as for `publish`."""
        return self._send(f"m:{message_id}", fallback)

    def publish_read(self, conversation_id: int) -> None:
        """Announce that messages of a conversation were read (receipts and badges)."""
        self._send(f"r:{conversation_id}")

    def publish_recheck(self, user_id: int) -> None:
        """Tell every open socket of this user to check its credentials now (log-out everywhere)."""
        self._send(f"{RECHECK}{user_id}")

    def subscribe(self, connection: Connection) -> None:
        self._ensure_started()
        with self._lock:
            self._connections.add(connection)
            connection.closing = self._closing
        websocket_opened()

    def close_sockets(self) -> None:
        """Ask every local socket (and any opened from now on) to close with "service restart"."""
        with self._lock:
            self._closing = True
            connections = list(self._connections)
        for connection in connections:
            connection.closing = True
            connection.offer(WAKE_UP)

    def unsubscribe(self, connection: Connection) -> None:
        with self._lock:
            if connection not in self._connections:
                return
            self._connections.discard(connection)
        websocket_closed()

    def connection_count(self) -> int:
        return len(self._connections)

    def check(self) -> dict:
        return {"status": "ok", "backend": self.backend, "connections": self.connection_count()}

    def close(self) -> None:
        """Stop this process's threads (tests and shutdown)."""
        self._stopping = True
        self._inbox.put(None)
        for thread in self._threads:
            thread.join(timeout=3)

    # -- internals -----------------------------------------------------------
    def _send(self, message: str, fallback: bool = True) -> bool:
        if self._connections:
            self._inbox.put(message)
        return True

    def _ensure_started(self) -> None:
        # Threads do not survive fork: start them in the process that serves the sockets.
        if self._pid == os.getpid():
            return
        with self._lock:
            if self._pid == os.getpid():
                return
            self._pid = os.getpid()
            self._start_threads()

    def _start_threads(self) -> None:
        self._spawn(self._dispatch_forever, "live-dispatch")

    def _spawn(self, target, name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _dispatch_forever(self) -> None:
        while not self._stopping:
            message = self._inbox.get()
            if message is None:
                return
            with self._lock:
                connections = list(self._connections)
            if not connections:
                continue
            if message.startswith(RECHECK):
                _recheck(connections, message[len(RECHECK):])
                continue
            if message == GAP or message.startswith(RESYNC):
                _control(message, connections)
                continue
            try:
                dispatch(self.app, message, connections)
            except Exception:
                log.exception("live: dispatching %s failed", message)
                kind, _, raw_id = message.partition(":")
                if kind == "a" and raw_id.isdigit():
                    # e.g. the database went away: the sockets fetch it themselves once it is back.
                    _control(f"{RESYNC}:{raw_id}", connections)


def _control(message: str, connections: list[Connection]) -> None:
    if message == GAP:
        for connection in connections:
            connection.mark_gap()
        return
    _, _, raw_id = message.partition(":")
    for connection in connections:
        if raw_id.isdigit():
            connection.mark_gap(int(raw_id) - 1)
        connection.resync = True
        connection.offer(WAKE_UP)


class RedisChannelLayer(ChannelLayer):
    """Redis pub/sub between processes; one listener per process, reconnecting by itself."""

    backend = "redis"

    def __init__(self, app: Flask, url: str):
        super().__init__(app)
        self.url = url
        self._redis = redis_client(url, app.config["REDIS_MAX_CONNECTIONS"])
        # Pub/sub ignores the database number: name the channel after it so that deployments
        # sharing one Redis server on different databases never see each other's ids.
        self.channel = CHANNEL.format(db=self._redis.connection_pool.connection_kwargs.get("db", 0))
        self.listening = False
        # The lowest event id this process failed to publish: once Redis answers again,
        # "resync:<id>" tells every process to replay from there.
        self._unpublished_from: int | None = None

    def _send(self, message: str, fallback: bool = True) -> bool:
        try:
            self._flush_resync()
            self._redis.publish(self.channel, message)
            return True
        except RedisError as exc:
            # Other processes miss it until the outbox relay publishes it again, or Redis is back and our
            # resync reaches them; our sockets get it now (and drop the relay's copy as already sent).
            log.warning("live: Redis publish failed (%s), delivering locally only", exc)
            kind, _, raw_id = message.partition(":")
            if kind == "a" and raw_id.isdigit():
                event_id = int(raw_id)
                self._unpublished_from = min(self._unpublished_from or event_id, event_id)
            # Our own sockets may also have missed what other processes failed to publish.
            super()._send(GAP)
            if fallback:
                super()._send(message)
            return False

    def _flush_resync(self) -> None:
        """Announce the events this process could not publish (raises RedisError while Redis is down)."""
        if self._unpublished_from is not None:
            first = self._unpublished_from
            self._redis.publish(self.channel, f"{RESYNC}:{first}")
            if self._unpublished_from == first:
                self._unpublished_from = None

    def _start_threads(self) -> None:
        super()._start_threads()
        self._spawn(self._listen_forever, "live-redis-listener")

    def _listen_forever(self) -> None:
        delay = 0.2
        while not self._stopping:
            client = Redis.from_url(self.url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
                                    socket_timeout=REDIS_TIMEOUT_SECONDS, socket_keepalive=True,
                                    health_check_interval=10, client_name=LISTENER_NAME)
            pubsub = client.pubsub(ignore_subscribe_messages=True)
            try:
                pubsub.subscribe(self.channel)
                self.listening, delay = True, 0.2
                # Whatever was published before this subscription reached nobody here:
                # every local socket catches up from the database.
                self._inbox.put(RESYNC)
                while not self._stopping:
                    self._retry_resync()
                    message = pubsub.get_message(timeout=1.0)
                    if message and message.get("type") == "message":
                        data = message["data"]
                        self._inbox.put(data.decode() if isinstance(data, bytes) else data)
            except (RedisError, OSError) as exc:
                if self.listening:
                    log.warning("live: Redis listener lost its connection (%s); retrying", exc)
                    # Whatever is published until we are back reaches no socket here.
                    self._inbox.put(GAP)
                self.listening = False
                time.sleep(delay)
                delay = min(delay * 2, 2.0)
            finally:
                pubsub.close()
                client.close()

    def _retry_resync(self) -> None:
        """Announce unpublished events as soon as Redis answers, even if nothing else is published."""
        if self._unpublished_from is None:
            return
        try:
            self._flush_resync()
        except RedisError:
            pass  # still down (a hung Redis does not drop our subscription); next second

    def check(self) -> dict:
        started = time.monotonic()
        try:
            self._redis.ping()
        except RedisError as exc:
            return {"status": "degraded", "backend": self.backend, "error": type(exc).__name__,
                    "connections": self.connection_count()}
        return {
            "status": "ok", "backend": self.backend, "connections": self.connection_count(),
            "listening": self.listening or self._pid != os.getpid(),
            "latency_ms": round((time.monotonic() - started) * 1000, 2),
        }


def _recheck(connections: list[Connection], raw_user_id: str) -> None:
    """Wake the user's sockets with their re-check flag up: each loop checks its own credentials."""
    if not raw_user_id.isdigit():
        return
    for connection in connections:
        if connection.user_id == int(raw_user_id):
            connection.recheck = True
            connection.offer(WAKE_UP)


def init_app(app: Flask) -> None:
    """Choose the back-end once: Redis pub/sub when REDIS_URL is set, else in-process."""
    url = app.config.get("REDIS_URL")
    app.extensions["channel_layer"] = RedisChannelLayer(app, url) if url else ChannelLayer(app)
