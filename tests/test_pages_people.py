"""People pages: list, profile, follow buttons and the profile form."""

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.main import listing
from webapp.models import ActivityEvent, Follow, User

from .factories import make_startup, make_user

HTMX = {"HX-Request": "true"}


def events(action_type: str) -> list[ActivityEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(ActivityEvent).where(ActivityEvent.action_type == action_type)))


def test_people_list_filters_by_role_and_skill(client):
    make_user("talent", username="pyalice", skills="python, django")
    make_user("talent", username="gobob", skills="go")
    make_user("investor", username="ivan")
    page = client.get("/people").get_data(as_text=True)
    assert all(name in page for name in ("pyalice", "gobob", "ivan"))
    page = client.get("/people?role=investor").get_data(as_text=True)
    assert "ivan" in page and "pyalice" not in page
    page = client.get("/people?skill=Python").get_data(as_text=True)
    assert "pyalice" in page and "gobob" not in page
    page = client.get("/people?skill=cobol").get_data(as_text=True)
    assert "Nobody matches these filters" in page


def test_people_list_is_paginated_and_htmx_gets_only_the_results(client, monkeypatch):
    monkeypatch.setattr(listing, "PER_PAGE", 3)
    for n in range(5):
        make_user("talent", username=f"person{n:02d}")
    first = client.get("/people").get_data(as_text=True)
    assert "person04" in first and "person01" not in first and "Next" in first
    second = client.get("/people?page=2&role=talent").get_data(as_text=True)
    assert "person01" in second and "person04" not in second and "Previous" in second
    assert 'href="/people?page=1&amp;role=talent"' in second  # paging keeps the filters
    fragment = client.get("/people?page=2", headers=HTMX).get_data(as_text=True)
    assert "<html" not in fragment and "person01" in fragment
    assert client.get("/people?page=abc").status_code == 200
    assert client.get("/people?page=99999999999999999999").status_code == 200


def test_bad_filter_values_are_ignored_not_errors(client):
    for query in ("role=wizard", "skill=%00", "skill=" + "x" * 500, "page=-4"):
        assert client.get(f"/people?{query}").status_code == 200, query


def test_profile_shows_the_person_for_anyone(client):
    founder = make_user(
        "founder", username="ada", name="Ada Lovelace", headline="Engines", bio="Poet of numbers",
        location="London", skills="math, python",
    )
    make_startup(founder, name="Analytical Co")
    page = client.get("/users/ADA").get_data(as_text=True)
    for text in ("Ada Lovelace", "Founder", "Engines", "Poet of numbers", "London", "math", "python", "Analytical Co"):
        assert text in page, text
    assert ">AL<" in page  # initials avatar
    assert "Log in to follow" in page
    assert 'id="activity"' in page


def test_investor_profile_shows_their_focus(client):
    make_user("investor", username="vera", investor={
        "industries": ["fintech", "climate"], "stages": ["seed"], "cheque_min": 50000, "cheque_max": 250000,
    })
    page = client.get("/users/vera").get_data(as_text=True)
    assert "Investment focus" in page and "fintech" in page and "Seed" in page and "250k" in page


def test_unknown_or_malformed_usernames_are_404(client):
    for path in ("/users/nobody", "/users/%00bad", "/users/" + "a" * 300, "/users/a.b"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Not found" in response.get_data(as_text=True)


def test_htmx_follow_returns_a_fragment_and_records_the_event(client, auth):
    make_user("talent", username="fan")
    star = make_user("founder", username="star")
    auth.login("fan")
    page = client.get("/users/star").get_data(as_text=True)
    assert "Follow" in page and 'hx-post="/users/star/follow"' in page
    response = client.post("/users/star/follow", headers=HTMX)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<html" not in body and "Unfollow" in body and "1 follower" in body
    assert [e.target_id for e in events("followed_user")] == [star.id]
    response = client.post("/users/star/unfollow", headers=HTMX)
    body = response.get_data(as_text=True)
    assert "<html" not in body and "Unfollow" not in body and "0 followers" in body
    assert db.session.scalar(select(func.count()).select_from(Follow)) == 0


def test_follow_without_javascript_redirects_back_with_a_flash(client, auth):
    make_user("talent", username="fan")
    make_user("founder", username="star")
    auth.login("fan")
    response = client.post("/users/star/follow", data={"next": "/people"})
    assert response.status_code == 302 and response.headers["Location"] == "/people"
    assert "You now follow" in client.get("/people").get_data(as_text=True)
    response = client.post("/users/star/follow", data={"next": "https://evil.example/"})
    assert response.headers["Location"] == "/users/star"
    assert "already follow" in client.get("/users/star").get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Follow)) == 1


def test_following_yourself_in_htmx_renders_the_error_fragment(client, auth):
    make_user("talent", username="solo")
    auth.login("solo")
    page = client.get("/users/solo").get_data(as_text=True)
    assert "Edit profile" in page and "/users/solo/follow" not in page
    response = client.post("/users/solo/follow", headers=HTMX)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "<html" not in body and 'class="error-box"' in body


def test_follow_needs_a_login(client):
    make_user("founder", username="star")
    response = client.post("/users/star/follow")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_profile_edit_normalises_skills_and_records_only_real_changes(client, auth):
    user = make_user("talent", username="tina")
    auth.login("tina")
    assert client.get("/settings/profile").status_code == 200
    form = {"name": "Tina T", "headline": "Backend", "bio": "", "location": "Oslo",
            "skills": "Python,  PostgreSQL , python", "open_to_work": "on"}
    response = client.post("/settings/profile", data=form)
    assert response.status_code == 302
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert user.skill_names == ["postgresql", "python"]
    assert user.open_to_work is True and user.name == "Tina T"
    assert len(events("profile_updated")) == 1
    client.post("/settings/profile", data=form)
    assert len(events("profile_updated")) == 1
    assert "Nothing changed" in client.get("/users/tina").get_data(as_text=True)
    client.post("/settings/profile", data=form | {"open_to_work": ""})
    db.session.expire_all()
    assert db.session.get(User, user.id).open_to_work is False
    assert len(events("profile_updated")) == 2


def test_profile_form_shows_errors_next_to_fields(client, auth):
    make_user("talent", username="tina")
    auth.login("tina")
    response = client.post("/settings/profile", data={"name": "x" * 101, "skills": "ok, bad<tag>"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert page.count('class="field-error"') == 2
    assert "bad&lt;tag&gt;" in page  # the posted value is shown again, escaped
    assert events("profile_updated") == []


def test_investors_edit_their_preferences(client, auth):
    investor = make_user("investor", username="vera")
    auth.login("vera")
    page = client.get("/settings/profile").get_data(as_text=True)
    assert "Investment preferences" in page and "Open to work" not in page
    form = {"industries": "FinTech, climate", "stages": ["seed", "series_a"],
            "cheque_min": "1000", "cheque_max": "5000"}
    assert client.post("/settings/profile", data=form).status_code == 302
    db.session.expire_all()
    investor = db.session.get(User, investor.id)
    assert [row.industry for row in investor.investor_industries] == ["climate", "fintech"]
    assert [row.stage for row in investor.investor_stages] == ["seed", "series_a"]
    assert (investor.cheque_min, investor.cheque_max) == (1000, 5000)
    response = client.post("/settings/profile", data=form | {"cheque_min": "9000"})
    assert response.status_code == 422
    assert "Must not be below the minimum." in response.get_data(as_text=True)
    response = client.post("/settings/profile", data=form | {"stages": ["nope"], "cheque_min": "lots"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Choose stages from the list." in page and "Not a valid integer." in page


def test_profile_edit_needs_a_login(client):
    response = client.get("/settings/profile")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_profile_page_loads_the_activity_the_viewer_may_see(client):
    from .factories import make_user

    ada = make_user(username="ada_l")
    page = client.get("/users/ada_l").get_data(as_text=True)
    assert 'hx-get="/users/ada_l/activity"' in page
    fragment = client.get("/users/ada_l/activity", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and ada.username in fragment
