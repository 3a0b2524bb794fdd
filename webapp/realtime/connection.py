"""One open socket as the channel layer sees it: who it is for and what it waits to send."""

import queue
from collections import deque
from dataclasses import dataclass, field

OUTBOX_SIZE = 500
REMEMBERED_IDS = 2000


@dataclass
class Outgoing:
    """A message ready for one socket; its ids let the socket skip what it already sent."""

    text: str
    event_id: int | None = None
    notification_id: int | None = None
    message_id: int | None = None

    @property
    def key(self) -> str | None:
        if self.event_id is not None:
            return f"a:{self.event_id}"
        if self.notification_id is not None:
            return f"n:{self.notification_id}"
        if self.message_id is not None:
            return f"m:{self.message_id}"
        return None


@dataclass(eq=False)
class Connection:
    user_id: int
    format: str = "html"
    scope: str = "all"
    action_type: str | None = None
    followed_users: frozenset[int] = frozenset()
    followed_startups: frozenset[int] = frozenset()
    outbox: queue.Queue = field(default_factory=lambda: queue.Queue(maxsize=OUTBOX_SIZE))
    # Set by the layer; read by the socket's own loop.
    overflowed: bool = False
    resync: bool = False
    resync_not_before: float = 0.0
    closing: bool = False  # the server is shutting down: close with 1012 so the client comes back
    # Set when the user's sessions or tokens changed: the socket checks its credentials at once.
    recheck: bool = False
    last_event_id: int = 0
    last_notification_id: int = 0
    # Set when delivery may have skipped events (Redis trouble): the next replay starts here,
    # below events delivered locally meanwhile; already_sent() drops what the socket has.
    gap_from: int | None = None
    floor: int | None = None  # the id the socket started from; unset until it has one
    # Keys ("a:<event id>", "n:<notification id>") already sent: the relay may publish twice.
    _sent: set[str] = field(default_factory=set)
    _sent_order: deque = field(default_factory=deque)

    def offer(self, message: Outgoing) -> None:
        """Queue a message; a socket too slow to keep up is closed and replays on reconnect."""
        try:
            self.outbox.put_nowait(message)
        except queue.Full:
            self.overflowed = True

    def mark_gap(self, before_id: int | None = None) -> None:
        """Remember that events after `before_id` (default: the last one sent) may have been missed."""
        if self.floor is None:
            return  # still starting: its replay baseline is read after it subscribed
        start = self.last_event_id if before_id is None else max(self.floor, min(before_id, self.last_event_id))
        self.gap_from = start if self.gap_from is None else min(self.gap_from, start)

    def replay_start(self) -> int:
        """Where the next replay begins (the oldest possible gap, else the last id sent); clears the gap."""
        start = self.last_event_id if self.gap_from is None else self.gap_from
        self.gap_from = None
        return start

    def already_sent(self, message: Outgoing) -> bool:
        return message.key is not None and message.key in self._sent

    def mark_sent(self, message: Outgoing) -> None:
        key = message.key
        if key is None:
            return
        self._sent.add(key)
        self._sent_order.append(key)
        if len(self._sent_order) > REMEMBERED_IDS:
            self._sent.discard(self._sent_order.popleft())
        if message.event_id is not None:
            self.last_event_id = max(self.last_event_id, message.event_id)
        else:
            self.last_notification_id = max(self.last_notification_id, message.notification_id or 0)

    def wants(self, actor_id: int, action_type: str, target_type: str | None, target_id: int | None,
              is_public: bool) -> bool:
        """Whether an event the user may see also matches this socket's scope and filter."""
        if self.action_type and action_type != self.action_type:
            return False
        if self.scope != "following":
            return True
        return (
            actor_id == self.user_id
            or actor_id in self.followed_users
            or (target_type == "startup" and target_id in self.followed_startups)
            or not is_public
        )
