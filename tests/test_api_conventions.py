"""API conventions: Bearer auth, the error shape, rate limits, unknown routes, bad bodies, OpenAPI."""

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ApiToken, Startup
from webapp.services import accounts

from .factories import make_opportunity, make_startup, make_user, token_for


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["message"]
    if code:
        assert error["code"] == code
    return error


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_a_valid_token_reads_the_api(client):
    user = make_user(username="grace")
    response = client.get("/api/v1/me", headers=bearer(token_for(user)))
    assert response.status_code == 200
    assert response.get_json()["username"] == "grace"


def test_missing_malformed_and_unknown_tokens_are_401(client):
    make_user(username="grace")
    for headers in ({}, {"Authorization": "Bearer"}, {"Authorization": "Basic Z3JhY2U6eA=="},
                    bearer("chub_not-a-real-token"), bearer("x" * 5000), {"Authorization": "Bearer a\x01b"}):
        response = client.get("/api/v1/me", headers=headers)
        assert_error(response, 401, "not_authenticated")
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_is_401(client):
    user = make_user()
    token = token_for(user)
    accounts.revoke_token(user, db.session.scalar(select(ApiToken.id)))
    assert_error(client.get("/api/v1/me", headers=bearer(token)), 401)


def test_suspended_account_token_is_401(client):
    user = make_user()
    token = token_for(user)
    user.is_suspended = True
    db.session.commit()
    assert_error(client.get("/api/v1/startups/", headers=bearer(token)), 401)


def test_session_cookie_alone_does_not_authenticate_the_api(client, auth):
    make_user(username="grace")
    auth.login("grace")
    assert client.get("/settings/tokens").status_code == 200  # the browser session works…
    assert_error(client.get("/api/v1/me"), 401)  # …but the API wants a token
    assert_error(client.post("/api/v1/startups/", json={"name": "Sneaky"}), 401)
    assert db.session.scalar(select(Startup)) is None


def test_token_use_is_recorded_at_most_once_a_minute(client):
    user = make_user()
    token = token_for(user)
    client.get("/api/v1/me", headers=bearer(token))
    db.session.expire_all()
    first = db.session.scalar(select(ApiToken.last_used_at))
    assert first is not None
    client.get("/api/v1/me", headers=bearer(token))
    db.session.expire_all()
    assert db.session.scalar(select(ApiToken.last_used_at)) == first


def test_api_is_rate_limited_per_token(make_app):
    app = make_app(RATELIMIT_ENABLED=True, API_RATE_LIMIT="3 per minute")
    client = app.test_client()
    with app.app_context():
        first, second = token_for(make_user()), token_for(make_user())
    statuses = [client.get("/api/v1/startups/", headers=bearer(first)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert_error(client.get("/api/v1/me", headers=bearer(first)), 429, "rate_limited")
    assert client.get("/api/v1/me", headers=bearer(second)).status_code == 200


def test_unknown_api_routes_are_json_404(api):
    user = make_user()
    for path in ("/api/v1/", "/api/v1/nope", "/api/v1/startups/x/y/z", "/api/v1/opportunities/abc"):
        assert_error(api.get(path, user), 404, "not_found")
    assert_error(api.client.get("/api/v1/nope"), 404)


def test_wrong_method_on_a_real_route_is_405_with_allow(api):
    user = make_user()
    response = api.delete("/api/v1/me", user)
    assert_error(response, 405, "method_not_allowed")
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "PATCH"}
    assert_error(api.client.put("/api/v1/startups/", headers=api._headers(user)), 405)


def test_ids_that_are_not_integers_or_too_large_are_404(api):
    user = make_user()
    for path in ("/api/v1/opportunities/1x", "/api/v1/opportunities/-1",
                 "/api/v1/opportunities/99999999999999999999999", "/api/v1/opportunities/9223372036854775808",
                 "/api/v1/applications/2147483648",
                 "/api/v1/opportunities/0", "/api/v1/applications/%00"):
        assert_error(api.get(path, user), 404)
    for path in ("/api/v1/startups/%00", "/api/v1/startups/" + "a" * 500, "/api/v1/users/%00bad",
                 "/api/v1/users/" + "u" * 300):
        assert_error(api.get(path, user), 404)


def test_malformed_and_non_object_json_bodies_are_4xx_in_the_error_shape(api):
    founder = make_user("founder")
    headers = {"Content-Type": "application/json"}
    for body in ("{not json", '"a string"', "[1, 2]", "42", "null", '{"name": "x\\u0000y"}'):
        response = api.client.post("/api/v1/startups/", data=body, headers=headers | api._headers(founder))
        assert response.status_code in (400, 422), body
        assert response.get_json()["error"]["message"]
    assert db.session.scalar(select(Startup)) is None


def test_validation_errors_name_the_fields(api):
    founder = make_user("founder")
    response = api.post("/api/v1/startups/", founder, json={"stage": "mega", "website": "ftp://x", "mrr": 3})
    error = assert_error(response, 422, "validation_error")
    assert {"name", "stage", "mrr"} <= set(error["fields"])


def test_bad_query_arguments_are_422_not_500(api):
    user = make_user()
    for query in ("limit=abc", "limit=0", "offset=-1", "offset=99999999999999999999", "stage=mega",
                  "industry=a%00b"):
        assert_error(api.get(f"/api/v1/startups/?{query}", user), 422)
    assert_error(api.get("/api/v1/opportunities/?remote=maybe", user), 422)


def test_openapi_document_describes_every_route_with_bearer_security(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    expected = {
        "/api/v1/startups/": {"get", "post"},
        "/api/v1/startups/{slug}": {"get", "patch"},
        "/api/v1/startups/{slug}/interest": {"post", "delete"},
        "/api/v1/opportunities/": {"get", "post"},
        "/api/v1/opportunities/{opportunity_id}": {"get", "patch"},
        "/api/v1/opportunities/{opportunity_id}/applications/": {"get", "post"},
        "/api/v1/applications/": {"get"},
        "/api/v1/applications/{application_id}": {"get", "patch"},
        "/api/v1/follows/": {"post", "delete"},
        "/api/v1/me": {"get", "patch"},
        "/api/v1/users/{username}": {"get"},
    }
    for path, methods in expected.items():
        operations = spec["paths"][path]
        assert methods <= set(operations), path
        for method in methods:
            responses = operations[method]["responses"]
            success = [code for code in responses if code.startswith("2")]
            assert success, (path, method)
            if method in ("post", "patch") and not path.endswith("/interest"):
                assert "requestBody" in operations[method], (path, method)
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": "A personal token from /settings/tokens."
    }
    assert spec["security"] == [{"bearerAuth": []}]
    error = spec["components"]["schemas"]["ErrorOut"]["properties"]["error"]
    assert error["$ref"].endswith("ErrorDetailOut")


def test_representations_link_html_pages_and_use_aware_timestamps(api):
    founder = make_user("founder", username="ada")
    startup = make_startup(founder, name="Acme Robotics")
    opportunity = make_opportunity(startup, title="Robot whisperer")
    body = api.get(f"/api/v1/startups/{startup.slug}", founder).get_json()
    assert body["url"] == "http://localhost/startups/acme-robotics"
    assert body["created_at"].endswith("+00:00")
    assert body["members"][0]["url"] == "http://localhost/users/ada"
    body = api.get(f"/api/v1/opportunities/{opportunity.id}", founder).get_json()
    assert body["url"] == f"http://localhost/opportunities/{opportunity.id}"
    assert body["startup"]["slug"] == "acme-robotics"
