"""Saved-search alerts over a real /ws/feed socket: to the owner only, JSON and HTML."""

import pytest

from .factories import PASSWORD, make_startup, make_user, token_for
from .live_server import LiveServer, receive_json, receive_until, wait_for


@pytest.fixture
def live(app):
    server = LiveServer(app)
    yield server
    server.stop()


def _session_cookie(app, username: str) -> str:
    browser = app.test_client()
    assert browser.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302
    return browser.get_cookie("session").value


def test_a_new_match_is_pushed_to_the_owner_only(app, api, live):
    ada, bob = make_user(username="ada"), make_user(username="bob")
    layer = app.extensions["channel_layer"]
    saved = api.post("/api/v1/saved-searches/", ada, json={"q": "robotics", "name": "Robots"}).get_json()
    # Bob saved the same search: he gets his own alert, never Ada's.
    api.post("/api/v1/saved-searches/", bob, json={"q": "drones"})
    mine = live.connect("?format=json", token=token_for(ada))
    other = live.connect("?format=json", token=token_for(bob))
    wait_for(lambda: layer.connection_count() == 2)
    startup = make_startup(name="Gears", description="Warehouse robotics")
    alerts = [m for m in receive_json(mine) if m["type"] == "saved_search"]
    assert alerts == [{
        "type": "saved_search",
        "saved_search": alerts[0]["saved_search"],
        "match": {"type": "startup", "id": startup.id, "title": "Gears", "url": f"/startups/{startup.slug}"},
    }]
    assert alerts[0]["saved_search"]["id"] == saved["id"] and alerts[0]["saved_search"]["name"] == "Robots"
    assert alerts[0]["saved_search"]["unseen"] == 1
    assert [m for m in receive_json(other, timeout=1) if m["type"] == "saved_search"] == []


def test_browsers_get_a_toast_and_the_count(app, api, live):
    ada = make_user(username="ada")
    saved = api.post("/api/v1/saved-searches/", ada, json={"q": "robotics"}).get_json()
    headers = {"Cookie": f"session={_session_cookie(app, 'ada')}", "Origin": live.origin}
    client = live.connect("", headers=headers)
    client.receive(timeout=2)  # the notification badge every browser socket starts with
    make_startup(name="Gears <b>", description="robotics")
    messages = receive_until(client, lambda got: any("New match" in m for m in got))
    [toast] = [m for m in messages if "New match" in m]
    assert 'id="live-toasts" hx-swap-oob="beforeend"' in toast and "Gears &lt;b&gt;" in toast
    assert f'id="saved-search-{saved["id"]}-unseen"' in toast and ">1 new<" in toast
