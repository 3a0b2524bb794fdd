"""Messages over /ws/feed (a real socket): to the two participants only, requests included; receipts live."""

import json

import pytest

from webapp.services import conversations

from .factories import PASSWORD, make_user, token_for
from .html_text import text_of
from .live_server import LiveServer, receive_until, wait_for
from .messaging_helpers import connect


@pytest.fixture
def live(app):
    server = LiveServer(app)
    yield server
    server.stop()


def _ready(app, count: int) -> None:
    layer = app.extensions["channel_layer"]
    wait_for(lambda: layer.connection_count() == count)
    if hasattr(layer, "listening"):
        wait_for(lambda: layer.listening)


def _of_type(raw: list[str], kind: str) -> list[dict]:
    return [m for m in (json.loads(r) for r in raw) if m["type"] == kind]


def _session_cookie(app, username: str) -> str:
    browser = app.test_client()
    assert browser.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302
    return browser.get_cookie("session").value


def test_a_message_reaches_both_participants_and_no_one_else(app, live):
    ada, bob, eve = (make_user(username=name) for name in ("ada", "bob", "eve"))
    sockets = {name: live.connect("?format=json", token=token_for(user))
               for name, user in (("ada", ada), ("bob", bob), ("eve", eve))}
    _ready(app, 3)
    # Not connected: a message request, which still arrives live.
    conversation, message, _ = conversations.start(ada, {"user": "bob", "body": "Secret plan https://x.example/p"})
    got = {name: receive_until(client, lambda raw: bool(_of_type(raw, "message")), timeout=3)
           for name, client in sockets.items() if name != "eve"}
    for name in ("ada", "bob"):
        [pushed] = _of_type(got[name], "message")
        assert pushed["message"]["id"] == message.id and pushed["message"]["conversation_id"] == conversation.id
        assert pushed["message"]["body"].startswith("Secret plan")
        assert 'rel="nofollow noopener ugc"' in pushed["message"]["body_html"]
    # The outsider's socket gets nothing at all (not even a badge or a notification).
    assert receive_until(sockets["eve"], lambda raw: False, timeout=1.0) == []


def test_read_receipts_arrive_live_to_the_sender(app, live):
    ada, bob = make_user(username="ada"), make_user(username="bob")
    connect(ada, bob)
    conversation, message, _ = conversations.start(ada, {"user": "bob", "body": "Seen it?"})
    client = live.connect("?format=json", token=token_for(ada))
    _ready(app, 1)
    conversations.mark_read(bob, conversation)
    raw = receive_until(client, lambda got: bool(_of_type(got, "message_read")), timeout=3)
    [receipt] = _of_type(raw, "message_read")
    assert receipt["conversation_id"] == conversation.id and receipt["last_read_message_id"] == message.id


def test_browsers_get_the_message_as_an_out_of_band_fragment(app, live):
    ada, bob = make_user(username="ada"), make_user(username="bob")
    connect(ada, bob)
    headers = {"Cookie": f"session={_session_cookie(app, 'bob')}", "Origin": live.origin}
    client = live.connect("", headers=headers)
    assert 'id="notification-badge"' in client.receive(timeout=2)
    _ready(app, 1)
    conversation, _, _ = conversations.start(ada, {"user": "bob", "body": "<script>alert(1)</script> hi"})
    raw = receive_until(client, lambda got: any("conversation-" in m for m in got), timeout=3)
    [fragment] = [m for m in raw if f'id="conversation-{conversation.id}-messages"' in m]
    assert 'hx-swap-oob="beforeend"' in fragment and 'class="message theirs' in fragment
    assert "<script>" not in fragment and "&lt;script&gt;alert(1)&lt;/script&gt; hi" in fragment
    assert 'id="message-badge"' in fragment and ">1</span>" in fragment
    assert "New message from ada" in text_of(fragment)


def test_an_outsider_browser_socket_gets_nothing(app, live):
    ada, bob, eve = (make_user(username=name) for name in ("ada", "bob", "eve"))
    client = live.connect("", headers={"Cookie": f"session={_session_cookie(app, 'eve')}", "Origin": live.origin})
    client.receive(timeout=2)  # the initial badge
    _ready(app, 1)
    conversations.start(ada, {"user": "bob", "body": "not for eve"})
    assert receive_until(client, lambda raw: False, timeout=1.0) == []
