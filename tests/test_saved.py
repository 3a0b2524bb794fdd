"""Saved items: private bookmarks, shown only to their owner, and a signal for their recommendations."""


from webapp.extensions import db
from webapp.recommendations import recommend
from webapp.services import saved

from .factories import make_opportunity, make_startup, make_user

URL = "/api/v1/saved/"


def test_save_list_and_remove_startups_and_opportunities(api):
    viewer = make_user()
    startup = make_startup(name="Acme")
    opportunity = make_opportunity(title="Designer")
    response = api.post(URL, viewer, json={"startup": startup.slug})
    assert response.status_code == 201
    data = response.get_json()
    assert (data["kind"], data["startup"]["slug"], data["opportunity"]) == ("startup", startup.slug, None)
    response = api.post(URL, viewer, json={"opportunity": opportunity.id})
    assert response.status_code == 201 and response.get_json()["opportunity"]["title"] == "Designer"
    assert api.post(URL, viewer, json={"startup": startup.slug}).status_code == 409
    listing = api.get(URL, viewer).get_json()
    assert listing["count"] == 2
    assert [item["kind"] for item in listing["results"]] == ["opportunity", "startup"]
    assert api.get(f"{URL}?kind=startup", viewer).get_json()["count"] == 1
    assert api.delete(URL, viewer, json={"startup": startup.slug}).status_code == 204
    assert api.delete(URL, viewer, json={"startup": startup.slug}).status_code == 404
    assert [item["kind"] for item in api.get(URL, viewer).get_json()["results"]] == ["opportunity"]


def test_bad_bodies_and_unknown_targets(api):
    viewer = make_user()
    startup = make_startup()
    assert api.post(URL, viewer, json={}).status_code == 422
    assert api.post(URL, viewer, json={"startup": startup.slug, "opportunity": 1}).status_code == 422
    assert api.post(URL, viewer, json={"opportunity": "12"}).status_code == 422
    assert api.post(URL, viewer, json={"opportunity": 2**40}).status_code == 422
    assert api.post(URL, viewer, json={"startup": "no-such-startup"}).status_code == 404
    assert api.post(URL, viewer, json={"opportunity": 999999}).status_code == 404
    assert api.get(f"{URL}?kind=user", viewer).status_code == 422
    assert api.get(URL).status_code == 401


def test_saved_items_are_private(api, client, auth):
    owner, other = make_user(username="owner"), make_user(username="other")
    startup = make_startup(name="Acme")
    opportunity = make_opportunity(startup, title="Designer")
    api.post(URL, owner, json={"startup": startup.slug})
    api.post(URL, owner, json={"opportunity": opportunity.id})
    # Another user's list is their own: empty, with no count leaking the owner's.
    assert api.get(URL, other).get_json() == {"count": 0, "results": [], "next": None, "previous": None}
    # Nothing about saving shows on public representations or pages.
    assert "saved" not in str(api.get(f"/api/v1/startups/{startup.slug}", other).get_json()).lower()
    auth.login("other")
    page = client.get(f"/startups/{startup.slug}").get_data(as_text=True)
    assert 'aria-pressed="true"' not in page.split('class="save actions"', 1)[1].split("</form>", 1)[0]
    assert "Acme" not in client.get("/saved").get_data(as_text=True)
    # Saving records no activity event: nothing reaches any feed.
    feed = api.get("/api/v1/feed/?limit=100", other).get_json()["results"]
    assert not [event for event in feed if "save" in event["description"].lower()]
    # Visitors see no save button at all.
    auth.logout()
    assert 'class="save actions"' not in client.get(f"/startups/{startup.slug}").get_data(as_text=True)


def test_hidden_targets_drop_out_of_the_list(api):
    viewer = make_user()
    startup = make_startup()
    opportunity = make_opportunity()
    api.post(URL, viewer, json={"startup": startup.slug})
    api.post(URL, viewer, json={"opportunity": opportunity.id})
    startup.is_hidden = True
    opportunity.startup.is_hidden = True
    db.session.commit()
    assert api.get(URL, viewer).get_json()["count"] == 0


def test_save_buttons_toggle_with_htmx_and_the_saved_page_lists_them(app, client, auth):
    make_user(username="viewer")
    startup = make_startup(name="Acme")
    opportunity = make_opportunity(startup, title="Designer")
    auth.login("viewer")
    page = client.get(f"/startups/{startup.slug}").get_data(as_text=True)
    assert f'hx-post="/saved/startup/{startup.slug}"' in page
    # The card of its opportunity carries a button too.
    assert f'hx-post="/saved/opportunity/{opportunity.id}"' in page
    response = client.post(f"/saved/startup/{startup.slug}", headers={"HX-Request": "true"})
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert 'aria-pressed="true"' in fragment and f"/saved/startup/{startup.slug}/remove" in fragment
    assert "<html" not in fragment
    # A double click lands in the same state, not an error.
    assert client.post(f"/saved/startup/{startup.slug}", headers={"HX-Request": "true"}).status_code == 200
    # Without htmx: a redirect back with a message.
    response = client.post(f"/saved/opportunity/{opportunity.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/opportunities/{opportunity.id}")
    listing = client.get("/saved").get_data(as_text=True)
    assert "Acme" in listing and "Designer" in listing
    page = client.get(f"/opportunities/{opportunity.id}").get_data(as_text=True)
    assert f"/saved/opportunity/{opportunity.id}/remove" in page
    client.post(f"/saved/startup/{startup.slug}/remove", headers={"HX-Request": "true"})
    listing = client.get("/saved").get_data(as_text=True)
    assert "Acme" not in listing.split('id="saved-startups"')[1].split("</section>")[0]
    assert client.post("/saved/user/1").status_code == 404
    assert client.post("/saved/opportunity/abc").status_code == 404
    assert client.post("/saved/startup/NOPE!").status_code == 404


def test_saving_lifts_an_item_in_my_recommendations_only(app):
    talent, other = make_user("talent", skills=["rust"]), make_user("talent", skills=["rust"])
    first = make_startup(skills_needed=["rust"], industry="fintech")
    second = make_startup(skills_needed=["rust"], industry="climate")
    ranked = [item.id for item in recommend("startups_for_talent", talent, 10).items]
    assert ranked == [first.id, second.id]  # a tie broken by id
    saved.save(talent, second)  # must invalidate the cached list
    db.session.expire_all()
    items = recommend("startups_for_talent", talent, 10).items
    assert [item.id for item in items] == [second.id, first.id]
    assert "you saved it" in items[0].reasons and items[0].score_parts["saved"] == 1.0
    # Someone else's lists and reasons never reflect it.
    others = recommend("startups_for_talent", other, 10).items
    assert [item.id for item in others] == [first.id, second.id]
    assert not any("saved" in reason for item in others for reason in item.reasons)
    # Unsaving takes it back.
    saved.unsave(talent, second)
    db.session.expire_all()
    assert [item.id for item in recommend("startups_for_talent", talent, 10).items] == [first.id, second.id]


def test_saved_signals_reach_roles_and_investors(app):
    talent = make_user("talent", skills=["rust"])
    plain = make_opportunity(make_startup(), skills=["rust"], title="Plain")
    liked_startup = make_startup()
    liked = make_opportunity(liked_startup, skills=["rust"], title="At a saved startup")
    assert [item.id for item in recommend("opportunities_for_talent", talent, 10).items] == [plain.id, liked.id]
    saved.save(talent, liked_startup)
    db.session.expire_all()
    items = recommend("opportunities_for_talent", talent, 10).items
    assert [item.id for item in items] == [liked.id, plain.id]
    assert "you saved this startup" in items[0].reasons

    investor = make_user("investor")
    a = make_startup(industry="fintech")
    b = make_startup(industry="climate")
    c = make_startup(industry="climate")
    before = {item.id: item.score for item in recommend("startups_for_investor", investor, 50).items}
    saved.save(investor, b)
    db.session.expire_all()
    after = {item.id: item for item in recommend("startups_for_investor", investor, 50).items}
    assert after[b.id].score > before[b.id] and after[b.id].score_parts["saved"] == 1.0
    # Similar: the same industry as a saved startup counts a little.
    assert after[c.id].score_parts["saved"] == 0.4 and after[c.id].score > before[c.id]
    assert after[a.id].score == before[a.id]
