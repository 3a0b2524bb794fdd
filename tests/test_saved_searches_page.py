"""/searches and "Save this search" on /search (HTML and htmx)."""

from webapp.services import saved_searches

from .factories import make_startup, make_user

HTMX = {"HX-Request": "true"}


def test_the_search_page_offers_saving_to_signed_in_users_only(client, auth):
    make_user(username="ada")
    assert "Save this search" not in client.get("/search?q=robotics").get_data(as_text=True)
    auth.login("ada")
    assert "Save this search" in client.get("/search?q=robotics").get_data(as_text=True)
    assert "Save this search" not in client.get("/search").get_data(as_text=True)


def test_saving_from_the_search_form_with_htmx(client, auth):
    ada = make_user(username="ada")
    auth.login("ada")
    response = client.post("/searches", data={"q": "robotics", "type": "startup"}, headers=HTMX)
    assert response.status_code == 201 and "Saved as" in response.get_data(as_text=True)
    [saved] = saved_searches.list_for(ada)
    assert (saved.query, saved.filters) == ("robotics", {"type": ["startup"]})
    again = client.post("/searches", data={"q": "robotics", "type": "startup"}, headers=HTMX)
    assert again.status_code == 422 and "already saved" in again.get_data(as_text=True)
    bad = client.post("/searches", data={"q": "", "type": "planet"}, headers=HTMX)
    assert bad.status_code == 422 and "type must be" in bad.get_data(as_text=True)


def test_the_page_lists_new_matches_once_then_marks_them_seen(client, auth, api):
    ada = make_user(username="ada")
    saved = api.post("/api/v1/saved-searches/", ada, json={"q": "robotics", "name": "Robots"}).get_json()
    make_startup(name="Gears", description="robotics")
    auth.login("ada")
    page = client.get("/searches").get_data(as_text=True)
    assert "Robots" in page and "Gears" in page and ">1 new<" in page and 'class="new"' in page
    again = client.get("/searches").get_data(as_text=True)
    assert "Gears" in again and 'class="new"' not in again
    assert api.get("/api/v1/saved-searches/", ada).get_json()["results"][0]["unseen"] == 0
    assert saved["id"]


def test_delete_own_only(client, auth, api):
    ada, bob = make_user(username="ada"), make_user(username="bob")
    theirs = api.post("/api/v1/saved-searches/", bob, json={"q": "robotics"}).get_json()
    mine = api.post("/api/v1/saved-searches/", ada, json={"q": "drones"}).get_json()
    auth.login("ada")
    assert client.post(f"/searches/{theirs['id']}/delete").status_code == 404
    assert client.post(f"/searches/{mine['id']}/delete", headers=HTMX).status_code == 200
    assert saved_searches.list_for(ada) == [] and len(saved_searches.list_for(bob)) == 1
    assert client.get("/searches").status_code == 200


def test_signed_out_visitors_are_sent_to_log_in(client):
    assert client.get("/searches").status_code in (302, 401)
    assert client.post("/searches", data={"q": "x"}).status_code in (302, 401)
