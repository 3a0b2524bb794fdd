"""Startup pages: list, page, create, edit, traction, follow and investor interest."""

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.main import listing
from webapp.models import ActivityEvent, Follow, InvestorInterest, Startup

from .factories import PASSWORD, make_opportunity, make_startup, make_user

HTMX = {"HX-Request": "true"}


def events(action_type: str) -> list[ActivityEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(ActivityEvent).where(ActivityEvent.action_type == action_type)))


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def hide(startup: Startup) -> None:
    startup.is_hidden = True
    db.session.commit()


def test_list_filters_by_industry_and_stage_and_paginates(client, monkeypatch):
    make_startup(name="Coin Box", industry="fintech", stage="seed")
    make_startup(name="Green Grid", industry="climate", stage="idea")
    page = client.get("/startups").get_data(as_text=True)
    assert "Coin Box" in page and "Green Grid" in page
    page = client.get("/startups?industry=climate").get_data(as_text=True)
    assert "Green Grid" in page and "Coin Box" not in page
    page = client.get("/startups?stage=seed").get_data(as_text=True)
    assert "Coin Box" in page and "Green Grid" not in page
    fragment = client.get("/startups?stage=series_a", headers=HTMX).get_data(as_text=True)
    assert "<html" not in fragment and "No startups match these filters" in fragment
    monkeypatch.setattr(listing, "PER_PAGE", 2)
    founder = make_user("founder")
    for n in range(3):
        make_startup(founder, name=f"Bulk {n:02d}")
    assert "Bulk 00" not in client.get("/startups").get_data(as_text=True)
    assert "Bulk 00" in client.get("/startups?page=2").get_data(as_text=True)


def test_startup_page_shows_details_members_traction_and_open_opportunities(client):
    founder = make_user("founder", username="fran", name="Fran Founder")
    startup = make_startup(
        founder, name="Rocket Mail", tagline="Mail, fast", description="We deliver.", location="Berlin",
        skills_needed="rust, design", traction={"monthly_active_users": 12300, "mrr": 4500, "growth_rate": 0.12},
    )
    make_opportunity(startup, title="Rust engineer")
    closed = make_opportunity(startup, title="Old role", status="closed")
    page = client.get(f"/startups/{startup.slug}").get_data(as_text=True)
    for text in ("Rocket Mail", "Mail, fast", "We deliver.", "Berlin", "rust", "Fran Founder",
                 "12.3k", "12 %", "Rust engineer", "Updated", "Log in to follow"):
        assert text in page, text
    assert closed.title not in page
    assert "Edit details" not in page


def test_members_see_their_tools_others_do_not(client, auth):
    founder = make_user("founder", username="fran")
    startup = make_startup(founder, name="Rocket Mail")
    make_user("talent", username="tina")
    auth.login("tina")
    page = client.get(f"/startups/{startup.slug}").get_data(as_text=True)
    assert "Edit details" not in page and "Post an opportunity" not in page
    auth.logout()
    auth.login("fran")
    page = client.get(f"/startups/{startup.slug}").get_data(as_text=True)
    assert "Edit details" in page and "Update traction" in page and "Post an opportunity" in page


def test_unknown_and_malformed_slugs_are_404(client, auth):
    make_user("founder", username="fran")
    auth.login("fran")
    for slug in ("nope", "%00", "a" * 100, "bad_slug!", "%F0%9F%9A%80"):
        for suffix in ("", "/edit", "/traction", "/opportunities/new"):
            response = client.get(f"/startups/{slug}{suffix}")
            assert response.status_code == 404, (slug, suffix)
        assert client.post(f"/startups/{slug}/follow").status_code == 404, slug


def test_create_startup_via_form_makes_the_user_a_member(client, auth):
    user = make_user("talent", username="tina")
    auth.login("tina")
    assert client.get("/startups/new").status_code == 200
    response = client.post("/startups/new", data={
        "name": "Tiny Telescope", "tagline": "Stars for all", "description": "", "industry": "space",
        "stage": "pre_seed", "location": "", "website": "https://tiny.example", "skills_needed": "Optics, C++",
    })
    assert response.status_code == 302 and response.headers["Location"] == "/startups/tiny-telescope"
    db.session.expire_all()
    startup = db.session.scalar(select(Startup).where(Startup.slug == "tiny-telescope"))
    assert startup.has_member(user) and startup.skill_names == ["c++", "optics"]
    assert [(e.actor_id, e.target_id) for e in events("startup_created")] == [(user.id, startup.id)]
    assert "is live" in client.get("/startups/tiny-telescope").get_data(as_text=True)


def test_create_startup_errors_are_shown_next_to_fields(client, auth):
    make_user("founder", username="fran")
    auth.login("fran")
    response = client.post("/startups/new", data={"name": "  ", "stage": "unicorn", "website": "ftp://x"})
    assert response.status_code == 422
    assert response.get_data(as_text=True).count('class="field-error"') == 2  # name, stage
    assert count(Startup) == 0
    response = client.post("/startups/new", data={"name": "Ok", "stage": "seed", "website": "ftp://x"})
    assert response.status_code == 422 and "Must start with http" in response.get_data(as_text=True)


def test_create_startup_needs_a_login(client):
    assert "/login" in client.get("/startups/new").headers["Location"]


def test_non_members_cannot_edit_or_update_traction(client, auth):
    startup = make_startup(name="Locked Box")
    make_user("talent", username="tina")
    auth.login("tina")
    for path in (f"/startups/{startup.slug}/edit", f"/startups/{startup.slug}/traction"):
        assert client.get(path).status_code == 403, path
        assert client.post(path, data={"name": "Mine now", "mrr": "1"}).status_code == 403, path
    db.session.expire_all()
    assert db.session.get(Startup, startup.id).name == "Locked Box"
    assert events("startup_updated") == [] and events("traction_updated") == []


def test_members_edit_details_and_traction(client, auth):
    founder = make_user("founder", username="fran")
    startup = make_startup(founder, name="Old Name")
    auth.login("fran")
    page = client.get(f"/startups/{startup.slug}/edit").get_data(as_text=True)
    assert 'value="Old Name"' in page
    form = {"name": "New Name", "tagline": "", "description": "", "industry": "fintech", "stage": "seed",
            "location": "", "website": "", "skills_needed": ""}
    assert client.post(f"/startups/{startup.slug}/edit", data=form).status_code == 302
    assert len(events("startup_updated")) == 1
    response = client.post(f"/startups/{startup.slug}/traction", data={"mrr": "-5", "team_size": "4"})
    assert response.status_code == 422 and 'class="field-error"' in response.get_data(as_text=True)
    response = client.post(f"/startups/{startup.slug}/traction", data={"mrr": "9000", "growth_rate": "0.3",
                                                                       "monthly_active_users": ""})
    assert response.status_code == 302
    db.session.expire_all()
    startup = db.session.get(Startup, startup.id)
    assert (startup.name, startup.mrr, startup.growth_rate) == ("New Name", 9000, 0.3)
    assert startup.traction_updated_at is not None
    assert len(events("traction_updated")) == 1


def test_htmx_follow_startup_returns_a_fragment_and_records_followed_startup(client, auth):
    startup = make_startup(name="Follow Me")
    fan = make_user("talent", username="fan")
    auth.login("fan")
    response = client.post(f"/startups/{startup.slug}/follow", headers=HTMX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert "Unfollow" in body and "1 follower" in body
    assert [(e.actor_id, e.target_id) for e in events("followed_startup")] == [(fan.id, startup.id)]
    body = client.post(f"/startups/{startup.slug}/unfollow", headers=HTMX).get_data(as_text=True)
    assert "<html" not in body and "Unfollow" not in body
    assert count(Follow) == 0
    again = client.post(f"/startups/{startup.slug}/unfollow", headers=HTMX)
    assert again.status_code == 404 and "<html" not in again.get_data(as_text=True)


def test_investor_interest_is_for_investors_only(client, auth, make_client):
    founder = make_user("founder", username="fran")
    startup = make_startup(founder, name="Hot Co")
    make_user("investor", username="vera")
    make_user("talent", username="tina")
    auth.login("tina")
    assert "interested" not in client.get(f"/startups/{startup.slug}").get_data(as_text=True)
    response = client.post(f"/startups/{startup.slug}/interest", headers=HTMX)
    assert response.status_code == 403 and count(InvestorInterest) == 0

    investor = make_client()
    investor.post("/login", data={"username": "vera", "password": PASSWORD})
    assert "I&#39;m interested" in investor.get(f"/startups/{startup.slug}").get_data(as_text=True)
    body = investor.post(f"/startups/{startup.slug}/interest", headers=HTMX).get_data(as_text=True)
    assert "<html" not in body and "Withdraw interest" in body
    assert count(InvestorInterest) == 1
    event = events("investor_interest")[0]
    assert event.is_public is False and event.audience_ids == {founder.id, event.actor_id}
    response = investor.post(f"/startups/{startup.slug}/interest/withdraw", data={"next": f"/startups/{startup.slug}"})
    assert response.status_code == 302 and count(InvestorInterest) == 0


def test_hidden_startups_are_404_for_all_but_admins_and_vanish_from_lists(client, auth):
    founder = make_user("founder", username="fran")
    startup = make_startup(founder, name="Ghost Co")
    opportunity = make_opportunity(startup, title="Ghost role")
    hide(startup)
    assert client.get("/startups/ghost-co").status_code == 404
    assert client.get(f"/opportunities/{opportunity.id}").status_code == 404
    assert "Ghost Co" not in client.get("/startups").get_data(as_text=True)
    assert "Ghost role" not in client.get("/opportunities").get_data(as_text=True)
    auth.login("fran")
    assert client.get("/startups/ghost-co").status_code == 404
    assert "Ghost Co" not in client.get("/users/fran").get_data(as_text=True)
    auth.logout()
    admin = make_user("talent", username="root")
    admin.is_admin = True
    db.session.commit()
    auth.login("root")
    response = client.get("/startups/ghost-co")
    assert response.status_code == 200 and "Hidden" in response.get_data(as_text=True)


def test_odd_bytes_and_huge_numbers_in_forms_are_422_not_500(client, auth):
    founder = make_user("founder", username="fran")
    startup = make_startup(founder, name="Edge Co")
    auth.login("fran")
    response = client.post("/startups/new", data={"name": "Nul\x00Co", "stage": "seed", "skills_needed": "a\x00b"})
    assert response.status_code == 422
    for data in ({"mrr": "9" * 40}, {"growth_rate": "1e400"}, {"team_size": "\x00"}, {"growth_rate": "nan"}):
        response = client.post(f"/startups/{startup.slug}/traction", data=data)
        assert response.status_code == 422, data
    response = client.post("/settings/profile", data={"bio": "\x00", "skills": "ok"})
    assert response.status_code == 422
    assert count(Startup) == 1 and events("traction_updated") == []
