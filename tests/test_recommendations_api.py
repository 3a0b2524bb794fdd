"""GET /api/v1/recommendations/ and POST|DELETE /api/v1/recommendations/dismiss."""

import pytest

from webapp.extensions import db
from webapp.models import Dismissal

from .factories import make_opportunity, make_startup, make_user

URL = "/api/v1/recommendations/"
DISMISS = "/api/v1/recommendations/dismiss"


@pytest.fixture
def talent_world(app):
    talent = make_user("talent", skills=["rust", "wasm"], location="Berlin")
    startups = [make_startup(skills_needed=["rust"], name=f"Rusty {n}") for n in range(3)]
    make_opportunity(startups[0], skills=["rust"])
    return talent, startups


def test_the_response_has_exactly_the_pinned_shape(api, talent_world):
    talent, startups = talent_world
    response = api.get(URL + "?type=startups_for_talent", talent)
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"type", "recommendations"}
    assert body["type"] == "startups_for_talent"
    assert len(body["recommendations"]) == 3
    first = body["recommendations"][0]
    assert set(first) == {"kind", "id", "title", "url", "score", "reasons", "score_parts"}
    assert first["kind"] == "startup" and first["id"] == startups[0].id and first["title"] == "Rusty 0"
    assert first["url"] == f"/startups/{startups[0].slug}"
    assert isinstance(first["score"], float) and all(isinstance(reason, str) for reason in first["reasons"])
    assert first["reasons"][:2] == ["matches 1 of your skills: rust", "hiring now: 1 open role"]
    assert set(first["score_parts"]) == {"skills", "hiring", "location", "recency", "saved"}


@pytest.mark.parametrize("role, expected", [
    ("talent", "startups_for_talent"), ("founder", "talent_for_founder"), ("investor", "startups_for_investor"),
])
def test_without_type_the_role_picks_the_kind(api, app, role, expected):
    response = api.get(URL, make_user(role))
    assert response.status_code == 200
    assert response.get_json() == {"type": expected, "recommendations": []}


def test_a_kind_meant_for_another_role_is_allowed(api, talent_world):
    _, startups = talent_world
    investor = make_user("investor")
    body = api.get(URL + "?type=startups_for_investor", make_user("talent")).get_json()
    assert {item["id"] for item in body["recommendations"]} == {startup.id for startup in startups}
    # An investor with no skills gets the empty list, not an error.
    assert api.get(URL + "?type=startups_for_talent", investor).get_json()["recommendations"] == []


def test_limit_caps_the_list(api, talent_world):
    talent, _ = talent_world
    body = api.get(URL + "?limit=2", talent).get_json()
    assert len(body["recommendations"]) == 2


@pytest.mark.parametrize("query, field", [
    ("type=nope", "type"), ("type=STARTUPS_FOR_TALENT", "type"), ("limit=abc", "limit"), ("limit=-1", "limit"),
    ("limit=0", "limit"), (f"limit={10**9}", "limit"), ("limit=1.5", "limit"), ("limit=%00", "limit"),
])
def test_bad_query_parameters_are_a_clear_422(api, talent_world, query, field):
    talent, _ = talent_world
    response = api.get(f"{URL}?{query}", talent)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_error" and field in error["fields"]


def test_without_a_valid_token_it_is_401(api, app):
    assert api.get(URL).status_code == 401
    response = api.client.get(URL, headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "not_authenticated"
    assert api.post(DISMISS, json={"kind": "startup", "id": 1}).status_code == 401


def test_dismiss_hides_the_item_and_undo_brings_it_back(api, talent_world):
    talent, startups = talent_world
    target = startups[1].id
    response = api.post(DISMISS, talent, json={"kind": "startup", "id": target, "reason": "wrong_stage"})
    assert response.status_code == 201
    assert response.get_json()["kind"] == "startup" and response.get_json()["reason"] == "wrong_stage"
    ids = [item["id"] for item in api.get(URL, talent).get_json()["recommendations"]]
    assert target not in ids and len(ids) == 2
    again = api.post(DISMISS, talent, json={"kind": "startup", "id": target, "reason": "location"})
    assert again.status_code == 200 and again.get_json()["reason"] == "location"
    listed = api.get("/api/v1/recommendations/dismissed", talent).get_json()["dismissed"]
    assert [(row["id"], row["title"], row["reason"]) for row in listed] == [(target, "Rusty 1", "location")]

    assert api.delete(DISMISS, talent, json={"kind": "startup", "id": target}).status_code == 204
    ids = [item["id"] for item in api.get(URL, talent).get_json()["recommendations"]]
    assert target in ids
    assert api.delete(DISMISS, talent, json={"kind": "startup", "id": target}).status_code == 404


@pytest.mark.parametrize("body, status", [
    ({"kind": "startup", "id": 999999}, 404),
    ({"kind": "opportunity", "id": 999999}, 404),
    ({"kind": "user", "id": 999999}, 404),
    ({"kind": "startup", "id": 10**20}, 422),
    ({"kind": "startup", "id": "abc"}, 422),
    ({"kind": "startup", "id": True}, 422),
    ({"kind": "startup", "id": -3}, 422),
    ({"kind": "company", "id": 1}, 422),
    ({"kind": "startup"}, 422),
    ({"kind": "startup", "id": 1, "reason": "boring"}, 422),
    ({"kind": "startup\x00", "id": 1}, 422),
    (["startup", 1], 422),
    ("not an object", 422),
])
def test_bad_dismissals_are_a_clear_4xx_and_write_nothing(api, talent_world, body, status):
    talent, _ = talent_world
    response = api.post(DISMISS, talent, json=body)
    assert response.status_code == status
    assert "error" in response.get_json()
    assert db.session.query(Dismissal).count() == 0


def test_a_body_that_is_not_json_is_a_422(api, talent_world):
    talent, _ = talent_world
    response = api.client.post(DISMISS, data="{nope", content_type="application/json",
                               headers=api._headers(talent))
    assert response.status_code == 422


def test_nobody_can_dismiss_themselves_or_a_hidden_startup(api, talent_world):
    talent, startups = talent_world
    assert api.post(DISMISS, talent, json={"kind": "user", "id": talent.id}).status_code == 422
    startups[2].is_hidden = True
    db.session.commit()
    assert api.post(DISMISS, talent, json={"kind": "startup", "id": startups[2].id}).status_code == 404
