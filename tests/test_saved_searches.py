"""Saved searches: save, list, delete, validation, per-user isolation, matching, dedup (both databases)."""

import pytest

from webapp.models import SavedSearchMatch
from webapp.services import moderation, opportunities, profiles, saved_searches, startups
from webapp.services.moderation import make_admin

from .factories import make_opportunity, make_startup, make_user

URL = "/api/v1/saved-searches/"


@pytest.fixture
def ada(app):
    return make_user("investor", username="ada")


def save(api, user, status=201, **body):
    response = api.post(URL, user, json=body)
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


def matches(api, user, saved_id) -> list[dict]:
    response = api.get(f"{URL}{saved_id}/matches/", user)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["results"]


def test_create_list_and_delete(api, ada):
    created = save(api, ada, q="robotics", filters={"type": ["startup"], "industry": "Fintech"}, name="Robots")
    assert created["name"] == "Robots" and created["query"] == "robotics"
    assert created["filters"] == {"type": ["startup"], "industry": ["Fintech"]}
    unnamed = save(api, ada, q="payments ")
    assert unnamed["name"] == "payments"
    listed = api.get(URL, ada).get_json()
    assert [row["id"] for row in listed["results"]] == [unnamed["id"], created["id"]]
    assert listed["count"] == 2 and all(row["unseen"] == 0 for row in listed["results"])
    assert api.delete(f"{URL}{created['id']}", ada).status_code == 204
    assert [row["id"] for row in api.get(URL, ada).get_json()["results"]] == [unnamed["id"]]
    assert api.delete(f"{URL}{created['id']}", ada).status_code == 404


@pytest.mark.parametrize("body, field", [
    ({}, "q"),
    ({"q": "   "}, "q"),
    ({"q": "!!! ???"}, "q"),
    ({"q": "x" * 501}, "q"),
    ({"q": "fintech", "filters": {"colour": ["red"]}}, "filters"),
    ({"q": "fintech", "filters": {"type": ["planet"]}}, "type"),
    ({"q": "fintech", "filters": {"skill": [1, 2]}}, "filters"),
    ({"q": "fintech", "filters": "skill=python"}, "filters"),
    ({"q": "fintech", "name": "n" * 101}, "name"),
    ({"q": 42}, "q"),
])
def test_bad_bodies_are_a_clear_400(api, ada, body, field):
    response = api.post(URL, ada, json=body)
    assert response.status_code == 400, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["message"] and (field in (error.get("fields") or {}) or field == "q")
    assert api.get(URL, ada).get_json()["count"] == 0


def test_a_body_that_is_not_an_object_is_a_400(api, ada):
    response = api.client.post(URL, data="[1]", content_type="application/json",
                               headers=api._headers(ada))
    assert response.status_code == 400


def test_the_same_search_twice_is_a_409_and_the_cap_is_a_400(api, ada, monkeypatch):
    save(api, ada, q="climate", filters={"stage": ["seed"]})
    assert api.post(URL, ada, json={"q": "climate", "filters": {"stage": "seed"}}).status_code == 409
    monkeypatch.setattr(saved_searches, "MAX_PER_USER", 2)
    save(api, ada, q="energy")
    response = api.post(URL, ada, json={"q": "solar"})
    assert response.status_code == 400 and "at most 2" in response.get_json()["error"]["message"]


def test_another_users_saved_search_is_a_404(api, ada):
    bob = make_user(username="bob")
    mine = save(api, ada, q="robotics")
    assert api.get(f"{URL}{mine['id']}/matches/", bob).status_code == 404
    assert api.delete(f"{URL}{mine['id']}", bob).status_code == 404
    assert api.get(URL, bob).get_json()["results"] == []
    assert api.get(f"{URL}{mine['id']}/matches/", ada).status_code == 200
    assert api.get(URL).status_code == 401


def test_new_startups_people_and_opportunities_that_match_are_recorded(api, ada):
    robots = save(api, ada, q="robotics")
    people = save(api, ada, q="", filters={"type": ["user"], "skill": ["rust"]})
    make_startup(name="Other", description="Payments for bakeries")
    startup = make_startup(name="Gears", description="Warehouse robotics", industry="logistics")
    role = make_opportunity(startup, title="Robotics engineer")
    person = make_user(username="carol")
    assert matches(api, ada, people["id"]) == []
    profiles.update_profile(person, {"skills": ["rust"]})
    found = matches(api, ada, robots["id"])
    assert [(m["type"], m["id"]) for m in found] == [("opportunity", role.id), ("startup", startup.id)]
    assert found[1]["url"] == f"/startups/{startup.slug}" and found[0]["new"] is True
    assert [(m["type"], m["id"], m["title"]) for m in matches(api, ada, people["id"])] == [("user", person.id, "carol")]
    # Reading the matches marked them seen.
    assert all(row["unseen"] == 0 for row in api.get(URL, ada).get_json()["results"])
    assert matches(api, ada, robots["id"])[0]["new"] is False


def test_unseen_counts_new_matches_until_viewed(api, ada):
    robots = save(api, ada, q="robotics")
    make_startup(name="Gears", description="robotics")
    make_startup(name="Cogs", description="robotics too")
    [row] = api.get(URL, ada).get_json()["results"]
    assert row["unseen"] == 2
    matches(api, ada, robots["id"])
    assert api.get(URL, ada).get_json()["results"][0]["unseen"] == 0


def test_filters_follow_the_search_rules(api, ada):
    seed = save(api, ada, q="robotics", filters={"stage": ["seed"], "industry": ["LOGISTICS"]})
    make_startup(name="Late", description="robotics", stage="series_a", industry="logistics")
    make_startup(name="Wrong", description="robotics", stage="seed", industry="fintech")
    fit = make_startup(name="Fit", description="robotics", stage="seed", industry="Logistics")
    assert [m["id"] for m in matches(api, ada, seed["id"])] == [fit.id]


def test_query_syntax_is_the_searchs(api, ada):
    phrase = save(api, ada, q='"warehouse robots" -drones')
    make_startup(name="A", description="robots for the warehouse")
    make_startup(name="B", description="warehouse robots and drones")
    fit = make_startup(name="C", description="Warehouse robots only")
    assert [m["id"] for m in matches(api, ada, phrase["id"])] == [fit.id]


def test_a_match_is_recorded_once(api, ada):
    robots = save(api, ada, q="robotics")
    startup = make_startup(name="Gears", description="robotics")
    saved_searches.record_matches("startup", startup.id)
    startups.update_startup(startup, startup.members[0], {"tagline": "Robotics, still"})
    saved_searches.record_matches("startup", startup.id)
    assert len(matches(api, ada, robots["id"])) == 1
    assert SavedSearchMatch.query.count() == 1


def test_own_items_do_not_alert_their_author(api, ada):
    save(api, ada, q="robotics")
    make_startup(founder=ada, name="Mine", description="robotics")
    assert SavedSearchMatch.query.count() == 0


def test_a_moderated_item_never_matches_and_vanishes_from_matches(api, ada):
    robots = save(api, ada, q="robotics")
    admin = make_user(username="root")
    make_admin("root")
    matched = make_startup(name="Gears", description="robotics")
    assert [m["id"] for m in matches(api, ada, robots["id"])] == [matched.id]
    moderation.set_hidden(admin, "startups", matched.id, True)
    assert matches(api, ada, robots["id"]) == []
    # Hidden, then edited to match: no search document, so no match.
    quiet = make_startup(name="Quiet", description="payments")
    role = make_opportunity(quiet, title="Lead")
    moderation.set_hidden(admin, "opportunities", role.id, True)
    opportunities.update_opportunity(role, quiet.members[0], {"title": "Robotics lead"})
    assert saved_searches.record_matches("opportunity", role.id) == []
    moderation.set_hidden(admin, "startups", quiet.id, True)
    startups.update_startup(quiet, quiet.members[0], {"description": "robotics"})
    assert saved_searches.record_matches("startup", quiet.id) == []
    assert matches(api, ada, robots["id"]) == []
    assert api.get(URL, ada).get_json()["results"][0]["unseen"] == 0
    # Visible again, they are new to the saved search (once).
    moderation.set_hidden(admin, "startups", quiet.id, False)
    moderation.set_hidden(admin, "opportunities", role.id, False)
    assert [(m["type"], m["id"]) for m in matches(api, ada, robots["id"])] == [
        ("opportunity", role.id), ("startup", quiet.id)]


def test_suspended_people_and_private_fields_never_match(api, ada):
    by_email = save(api, ada, q="secretmailbox")
    admin = make_user(username="root")
    make_admin("root")
    carol = make_user(username="carol")
    make_user(username="dave")  # email dave@example.com
    assert saved_searches.record_matches("user", carol.id) == []
    save(api, ada, q="example")  # only in emails
    profiles.update_profile(carol, {"bio": "robotics"})
    robots = save(api, ada, q="robotics")
    moderation.set_suspended(admin, carol.id, True)
    assert saved_searches.record_matches("user", carol.id) == []
    assert matches(api, ada, robots["id"]) == [] and matches(api, ada, by_email["id"]) == []
    assert SavedSearchMatch.query.count() == 0
