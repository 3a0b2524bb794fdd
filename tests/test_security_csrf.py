"""CSRF and safe methods (issue 10, item 3): every state-changing HTML route wants the token,
log-in included, and no GET changes the database."""

import pytest

from .factories import PASSWORD
from .security_world import build_world, diff, fill, page_rules, page_urls, path_values, snapshot

# Bookkeeping a GET may legitimately write, and why:
# - feeds: opening /feed moves the viewer's "seen up to" mark (the unread count), nothing else;
# - api_tokens.last_used_at: informational, at most once a minute.
GET_MAY_TOUCH = {"feeds": {"last_activity_id", "last_updated"}, "api_tokens": {"last_used_at"}}


@pytest.fixture
def world(app):
    return build_world()


def _signed_in(app, username: str):
    browser = app.test_client()
    assert browser.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302
    return browser


def _state_changing_urls(app, world, viewer):
    values = path_values(world, viewer)
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        for rule in page_rules(app, method):
            url = fill(rule, values)
            if url:
                yield method, url


def test_every_state_changing_route_refuses_a_request_without_the_token(app, world):
    checked = 0
    for viewer in ("founder", "admin", None):
        browser = _signed_in(app, world.users()[viewer].username) if viewer else app.test_client()
        before = snapshot()
        for method, url in _state_changing_urls(app, world, viewer):
            for headers in ({}, {"HX-Request": "true"}, {"X-CSRFToken": "forged"}):
                response = browser.open(url, method=method, data={"name": "x", "status": "rejected"},
                                        headers=headers, csrf=False)
                assert response.status_code == 400, (viewer, method, url, headers, response.status_code)
                checked += 1
        assert diff(before, snapshot()) == {}
    assert checked >= 3 * 3 * 20


def test_log_in_needs_the_token_too(app, world):
    browser = app.test_client()
    response = browser.post("/login", data={"username": "fiona", "password": PASSWORD}, csrf=False)
    assert response.status_code == 400
    assert browser.get("/settings/profile").status_code == 302


def test_a_token_from_another_session_is_refused(app, world):
    mallory = _signed_in(app, "bob")
    token = mallory.csrf_token()
    victim = _signed_in(app, "fiona")
    response = victim.post("/settings/tokens", data={"name": "planted"}, headers={"X-CSRFToken": token}, csrf=False)
    assert response.status_code == 400


def test_no_get_changes_the_database(app, world):
    visited = 0
    for viewer in (None, "founder", "talent", "investor", "admin"):
        browser = _signed_in(app, world.users()[viewer].username) if viewer else app.test_client()
        before = snapshot(GET_MAY_TOUCH)
        for url in page_urls(app, world, viewer):
            for headers in ({}, {"HX-Request": "true"}):
                assert browser.get(url, headers=headers).status_code < 500, url
                visited += 1
        assert diff(before, snapshot(GET_MAY_TOUCH)) == {}, viewer
    assert visited > 100


def test_no_api_get_changes_the_database(app, world, api):
    from .security_world import api_operations, api_url  # noqa: PLC0415

    before = snapshot(GET_MAY_TOUCH)
    for method, template in api_operations(api.client):
        if method != "GET":
            continue
        for viewer in ("founder", "talent"):
            response = api.client.get(api_url(template, world, viewer),
                                      headers={"Authorization": f"Bearer {world.tokens[viewer]}"})
            assert response.status_code < 500, template
    assert diff(before, snapshot(GET_MAY_TOUCH)) == {}
