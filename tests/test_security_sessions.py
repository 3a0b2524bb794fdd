"""Sessions (issue 10, item 1): a new id at log-in; a log-out, a password change or a suspension
is final for every copy of the cookie, every API token and every open socket."""

import pytest
from simple_websocket import ConnectionClosed
from simple_websocket import ConnectionError as HandshakeRefused

from webapp.extensions import db
from webapp.models import User, UserSession
from webapp.services import accounts, moderation

from .factories import PASSWORD, make_user, token_for
from .live_server import LiveServer, wait_for


@pytest.fixture
def live(app):
    # Periodic re-checks are an hour apart here: only the channel layer's nudge can close a socket in time.
    app.config["WEBSOCKET_REAUTH_SECONDS"] = 3600
    server = LiveServer(app)
    yield server
    server.stop()


def _login(browser, username: str, password: str = PASSWORD):
    return browser.post("/login", data={"username": username, "password": password})


def _cookie(browser) -> str:
    return browser.get_cookie("session").value


def _replay(app, cookie: str):
    """A fresh browser carrying a captured cookie."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief


def _sockets(app) -> int:
    return app.extensions["channel_layer"].connection_count()


def test_the_session_id_changes_at_log_in(app, client):
    make_user(username="ada")
    client.get("/login")
    before = _cookie(client)
    assert _login(client, "ada").status_code == 302
    after = _cookie(client)
    assert after != before
    # A planted (pre-log-in) cookie is not the one that is signed in, and each log-in gets a new key.
    assert _replay(app, before).get("/settings/profile").status_code == 302
    second = app.test_client()
    _login(second, "ada")
    assert _cookie(second) != after
    assert db.session.query(UserSession).count() == 2


def test_a_cookie_captured_before_log_out_is_refused_on_pages_api_and_socket(app, client):
    make_user(username="ada")
    _login(client, "ada")
    captured = _cookie(client)
    assert _replay(app, captured).get("/settings/profile").status_code == 200
    assert client.post("/logout").status_code == 302
    thief = _replay(app, captured)
    assert thief.get("/settings/profile").status_code == 302
    assert thief.get("/settings/tokens").status_code == 302
    assert thief.post("/settings/tokens", data={"name": "stolen"}, csrf=False).status_code in (302, 400)
    assert thief.get("/api/v1/me").status_code == 401
    server = LiveServer(app)
    try:
        with pytest.raises(HandshakeRefused) as refused:
            server.connect("?format=json", headers={"Cookie": f"session={captured}", "Origin": server.origin})
        assert refused.value.status_code == 401
    finally:
        server.stop()


def test_password_change_ends_every_other_session_token_and_socket(app, client, live):
    ada = make_user(username="ada")
    other = app.test_client()
    _login(client, "ada")
    _login(other, "ada")
    token = token_for(ada)
    socket = live.connect("?format=json", headers={"Cookie": f"session={_cookie(other)}", "Origin": live.origin})
    token_socket = live.connect("?format=json", token=token)
    wait_for(lambda: _sockets(app) == 2)
    response = client.post("/settings/password", data={"current_password": PASSWORD,
                                                      "new_password": "a completely different passphrase"})
    assert response.status_code == 302
    assert client.get("/settings/profile").status_code == 200  # this session stays
    assert other.get("/settings/profile").status_code == 302
    assert app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    wait_for(lambda: _sockets(app) == 0)
    for ws in (socket, token_socket):
        with pytest.raises(ConnectionClosed):
            while True:
                ws.receive(timeout=2)


def test_password_page_needs_the_current_password_and_a_strong_new_one(client):
    make_user(username="ada")
    _login(client, "ada")
    wrong = client.post("/settings/password",
                        data={"current_password": "nope", "new_password": "another long passphrase"})
    assert wrong.status_code == 422 and "not your current password" in wrong.get_data(as_text=True)
    weak = client.post("/settings/password", data={"current_password": PASSWORD, "new_password": "password123"})
    assert weak.status_code == 422
    assert _login(client.application.test_client(), "ada").status_code == 302  # unchanged


def test_suspension_ends_every_session_token_and_socket(app, client, live):
    ada, root = make_user(username="ada"), make_user(username="root")
    moderation.make_admin("root")
    _login(client, "ada")
    token = token_for(ada)
    socket = live.connect("?format=json", headers={"Cookie": f"session={_cookie(client)}", "Origin": live.origin})
    wait_for(lambda: _sockets(app) == 1)
    moderation.set_suspended(db.session.get(User, root.id), ada.id, True)
    assert client.get("/settings/profile").status_code == 302
    assert app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    wait_for(lambda: _sockets(app) == 0)
    with pytest.raises(ConnectionClosed):
        while True:
            socket.receive(timeout=2)
    assert db.session.query(UserSession).filter_by(user_id=ada.id).count() == 0


def test_sessions_end_after_their_lifetime(make_app):
    app = make_app(SESSION_LIFETIME_HOURS=0.0000001)
    with app.app_context():
        make_user(username="ada")
        browser = app.test_client()
        _login(browser, "ada")
        assert browser.get("/settings/profile").status_code == 302


def test_revoking_a_token_closes_its_socket_at_once(app, live):
    ada = make_user(username="ada")
    row, token = accounts.create_token(ada, {"name": "live"})
    client = live.connect("?format=json", token=token)
    wait_for(lambda: _sockets(app) == 1)
    accounts.revoke_token(ada, row.id)
    wait_for(lambda: _sockets(app) == 0)
    with pytest.raises(ConnectionClosed):
        client.receive(timeout=2)
