"""The websocket (issue 10, item 7): origin and credentials checked before the upgrade; a
bystander's socket gets nothing at all about a private event."""

import pytest
from simple_websocket import ConnectionError as HandshakeRefused

from webapp.services import applications, startups

from .factories import PASSWORD, make_opportunity, make_startup, make_user, token_for
from .live_server import LiveServer, receive_until, wait_for


@pytest.fixture
def live(app):
    server = LiveServer(app)
    yield server
    server.stop()


def _cookie(app, username):
    browser = app.test_client()
    assert browser.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302
    return f"session={browser.get_cookie('session').value}"


def _sockets(app):
    return app.extensions["channel_layer"].connection_count()


@pytest.mark.parametrize("origin", [
    None, "null", "http://evil.example", "https://127.0.0.1", "http://127.0.0.1.evil.example",
    "http://evil.example/http://127.0.0.1", "",
])
def test_a_valid_cookie_from_a_foreign_or_missing_origin_is_refused_before_the_upgrade(app, live, origin):
    make_user(username="ada")
    headers = {"Cookie": _cookie(app, "ada")} | ({"Origin": origin} if origin is not None else {})
    with pytest.raises(HandshakeRefused) as refused:
        live.connect("?format=json", headers=headers)
    assert refused.value.status_code == 403
    assert _sockets(app) == 0


@pytest.mark.parametrize("headers, query", [
    ({}, ""), ({"Origin": "http://127.0.0.1"}, ""), ({"Cookie": "session=forged.value.here"}, ""),
    ({"Authorization": "Basic YTpi"}, ""), ({}, "?token="), ({"Authorization": "Bearer chub_x"}, ""),
])
def test_no_credentials_no_socket(app, live, headers, query):
    with pytest.raises(HandshakeRefused) as refused:
        live.connect(query, headers=headers)
    assert refused.value.status_code == 401
    assert _sockets(app) == 0


def test_a_bystander_socket_gets_no_frame_about_private_events(app, live):
    founder, talent, investor, bystander = (make_user("founder", username="fiona"), make_user(username="tara"),
                                            make_user("investor", username="ivan"), make_user(username="bob"))
    startup = make_startup(founder)
    opportunity = make_opportunity(startup)
    by_html = live.connect("", headers={"Cookie": _cookie(app, "bob"), "Origin": live.origin})
    by_json = live.connect("?format=json", token=token_for(bystander))
    by_following = live.connect("?format=json&scope=following", token=token_for(bystander))
    founder_json = live.connect("?format=json", token=token_for(founder))
    wait_for(lambda: _sockets(app) == 4)
    assert by_html.receive(timeout=3) is not None  # the badge, sent once on connect
    application = applications.apply(talent, opportunity, {"note": "secret note"})
    applications.change_status(application, founder, {"status": "reviewing", "feedback": "secret feedback"})
    startups.mark_interest(investor, startup)
    # The founder is in every audience: three events plus notifications arrive there…
    seen = receive_until(founder_json, lambda m: len(m) >= 3, timeout=5)
    assert len(seen) >= 3
    # …and nothing at all, not even a badge refresh or an empty frame, reaches the bystander.
    for socket in (by_html, by_json, by_following):
        assert receive_until(socket, lambda m: False, timeout=1.5) == []
