"""Graceful shutdown (SIGTERM): not ready at once, sockets told to reconnect (1012), requests still served."""

import os
import signal
import time

import pytest
from simple_websocket import ConnectionClosed
from simple_websocket import ConnectionError as HandshakeRefused

from webapp.lifecycle import drain_on_sigterm

from .factories import make_user, token_for
from .live_server import LiveServer, wait_for


@pytest.fixture
def live(app):
    server = LiveServer(app)
    yield server
    server.stop()


def test_draining_is_not_ready_but_alive_and_still_serves(app, client):
    assert client.get("/ready/").status_code == 200
    app.extensions["lifecycle"].begin_drain()
    ready = client.get("/ready/")
    assert (ready.status_code, ready.get_json()) == (503, {"status": "not_ready", "reason": "shutting down"})
    live = client.get("/live/")
    assert live.status_code == 200
    page = client.get("/")
    assert page.status_code == 200
    # Keep-alive connections would keep returning to a process on its way out.
    assert page.headers["Connection"] == "close"


def test_keep_alive_is_untouched_while_serving_normally(client):
    assert "Connection" not in client.get("/live/").headers


def test_open_sockets_close_with_service_restart_and_new_ones_are_refused(app, live):
    client = live.connect("?format=json", token=token_for(make_user(username="reader")))
    wait_for(lambda: app.extensions["channel_layer"].connection_count() == 1)
    app.extensions["lifecycle"].begin_drain()
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            client.receive(timeout=3)
    assert closed.value.reason == 1012  # browsers (htmx ws extension) reconnect on 1012
    wait_for(lambda: app.extensions["channel_layer"].connection_count() == 0)
    with pytest.raises(HandshakeRefused) as refused:
        live.connect("?format=json", token=token_for(make_user(username="late")))
    assert refused.value.status_code == 503


class FakeWorker:
    def __init__(self, app):
        self.wsgi = app
        self.alive = True


@pytest.fixture
def restore_sigterm():
    previous = signal.getsignal(signal.SIGTERM)
    yield
    signal.signal(signal.SIGTERM, previous)


def test_sigterm_drains_first_then_lets_gunicorn_stop(app, restore_sigterm):
    app.config["SHUTDOWN_DRAIN_SECONDS"] = 0.3
    worker = FakeWorker(app)
    drain_on_sigterm(worker)
    os.kill(os.getpid(), signal.SIGTERM)
    wait_for(lambda: app.extensions["lifecycle"].draining, timeout=2)
    assert worker.alive  # still serving during the drain
    wait_for(lambda: not worker.alive, timeout=3)


def test_a_second_sigterm_does_not_restart_the_drain(app, restore_sigterm):
    app.config["SHUTDOWN_DRAIN_SECONDS"] = 0.2
    worker = FakeWorker(app)
    drain_on_sigterm(worker)
    os.kill(os.getpid(), signal.SIGTERM)
    wait_for(lambda: not worker.alive, timeout=3)
    worker.alive = True
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(0.4)
    assert worker.alive
