"""Run an app on a real threaded server (ports 8500-8599) and talk to /ws/feed over a socket."""

import json
import socket
import threading
import time

from simple_websocket import Client
from werkzeug.serving import make_server

PORTS = range(8500, 8600)


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8500-8599")


class LiveServer:
    """A werkzeug threaded server in a background thread."""

    def __init__(self, app):
        self.app = app
        self.port = _free_port()
        self.server = make_server("127.0.0.1", self.port, app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.clients: list[Client] = []

    @property
    def origin(self) -> str:
        # simple-websocket's Client sends `Host: 127.0.0.1` without the port; a browser's
        # Origin matches its Host, so the same-origin page looks like this here.
        return "http://127.0.0.1"

    def connect(self, query: str = "", token: str | None = None, headers: dict | None = None) -> Client:
        headers = dict(headers or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        client = Client.connect(f"ws://127.0.0.1:{self.port}/ws/feed{query}", headers=headers)
        self.clients.append(client)
        return client

    def stop(self) -> None:
        for client in self.clients:
            try:
                client.close()
            except Exception:  # noqa: BLE001 - already closed by the server
                pass
        self.server.shutdown()
        self.app.extensions["channel_layer"].close()


def wait_for(predicate, timeout: float = 3.0) -> None:
    """Poll until `predicate()` is true (sockets subscribe just after their handshake)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.01)


def receive_json(client: Client, timeout: float = 3.0, gap: float = 1.0) -> list[dict]:
    """Collect JSON messages until none arrives for `gap` seconds (the first may take `timeout`)."""
    messages = []
    while True:
        raw = client.receive(timeout=timeout)
        if raw is None:
            return messages
        messages.append(json.loads(raw))
        timeout = gap


def receive_until(client: Client, done, timeout: float = 5.0) -> list[str]:
    """Collect raw messages until `done(messages)` is true or `timeout` seconds have passed."""
    deadline = time.monotonic() + timeout
    messages: list[str] = []
    while not done(messages) and (left := deadline - time.monotonic()) > 0:
        raw = client.receive(timeout=left)
        if raw is not None:
            messages.append(raw)
    return messages


def next_json(client: Client, timeout: float = 2.0) -> dict:
    raw = client.receive(timeout=timeout)
    assert raw is not None, f"nothing arrived within {timeout} s"
    return json.loads(raw)
