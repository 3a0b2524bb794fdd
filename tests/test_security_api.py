"""The API is Bearer-only (issue 10, item 4): every operation in the OpenAPI document refuses a
session cookie alone, a revoked token and a suspended user's token."""

import pytest

from webapp.extensions import db
from webapp.models import User
from webapp.services import accounts, moderation

from .factories import PASSWORD, make_user, token_for
from .security_world import api_operations, api_url, build_world

PUBLIC = {("GET", "/api/v1/openapi.json")}


@pytest.fixture
def world(app):
    return build_world()


def _operations(client):
    return [(method, path) for method, path in api_operations(client) if (method, path) not in PUBLIC]


def _call(client, method, url, headers):
    return client.open(url, method=method, json={}, headers=headers)


def test_every_operation_refuses_a_cookie_without_a_token(app, world):
    browser = app.test_client()
    assert browser.post("/login", data={"username": "fiona", "password": PASSWORD}).status_code == 302
    csrf = browser.csrf_token()
    operations = _operations(browser)
    assert len(operations) >= 20
    for method, path in operations:
        response = _call(browser, method, api_url(path, world), {"X-CSRFToken": csrf})
        assert response.status_code == 401, (method, path, response.status_code)
        assert response.get_json()["error"]["code"] == "not_authenticated"


def test_every_operation_refuses_revoked_and_suspended_tokens(app, world):
    client = app.test_client()
    revoked_user = make_user(username="rita")
    row, revoked = accounts.create_token(revoked_user, {"name": "old"})
    accounts.revoke_token(revoked_user, row.id)
    suspended_user = make_user(username="sam")
    suspended = token_for(suspended_user)
    moderation.set_suspended(db.session.get(User, world.admin.id), suspended_user.id, True)
    for method, path in _operations(client):
        for token in (revoked, suspended, "chub_made-up", ""):
            response = _call(client, method, api_url(path, world), {"Authorization": f"Bearer {token}"})
            assert response.status_code == 401, (method, path, token[:8], response.status_code)


def test_a_valid_token_is_not_refused(app, world):
    client = app.test_client()
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {world.tokens['talent']}"})
    assert response.status_code == 200 and response.get_json()["username"] == "tara"
