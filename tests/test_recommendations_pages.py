"""The cards fragment, "Not interested" over htmx, the dismissals settings page and the empty states."""

import pytest

from webapp.extensions import db
from webapp.models import Dismissal

from .factories import make_opportunity, make_startup, make_user

HTMX = {"HX-Request": "true"}


def cards(client, kind: str | None = None) -> str:
    url = "/recommendations/cards" + (f"?type={kind}" if kind else "")
    response = client.get(url, headers=HTMX)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def signed_in_talent(client, auth):
    talent = make_user("talent", username="ada", skills=["rust", "wasm"])
    auth.login("ada")
    return talent


def test_cards_show_title_reasons_and_a_not_interested_form(client, signed_in_talent):
    startup = make_startup(name="Ferrous", skills_needed=["rust", "wasm"])
    make_opportunity(startup, skills=["rust"])
    page = cards(client)
    assert "Ferrous" in page and "<html" not in page
    assert "matches 2 of your skills: rust, wasm" in page and "hiring now: 1 open role" in page
    assert "Not interested" in page and 'hx-post="/recommendations/dismiss"' in page
    assert 'hx-target="closest article"' in page
    for reason in ("wrong_stage", "location", "skills", "other"):
        assert f'value="{reason}"' in page


def test_not_interested_over_htmx_removes_the_card_and_settings_can_undo_it(client, signed_in_talent):
    startup = make_startup(name="Ferrous", skills_needed=["rust"])
    response = client.post("/recommendations/dismiss", data={"kind": "startup", "id": startup.id,
                                                              "reason": "location"}, headers=HTMX)
    assert response.status_code == 200 and response.get_data(as_text=True) == ""
    assert "Ferrous" not in cards(client)

    settings = client.get("/settings/recommendations").get_data(as_text=True)
    assert "Ferrous" in settings and "Location" in settings and "Undo" in settings

    response = client.post("/recommendations/undismiss", data={"kind": "startup", "id": startup.id}, headers=HTMX)
    assert response.status_code == 200 and response.get_data(as_text=True) == ""
    assert "Ferrous" in cards(client)
    assert "Nothing dismissed" in client.get("/settings/recommendations").get_data(as_text=True)


def test_without_htmx_dismiss_and_undo_redirect_back(client, signed_in_talent):
    startup = make_startup(skills_needed=["rust"])
    response = client.post("/recommendations/dismiss", data={"kind": "startup", "id": startup.id, "reason": "",
                                                             "next": "//evil.example"})
    assert response.status_code == 302 and response.headers["Location"] == "/recommendations/"
    db.session.expire_all()
    assert db.session.query(Dismissal).one().reason is None
    response = client.post("/recommendations/undismiss", data={"kind": "startup", "id": startup.id})
    assert response.status_code == 302 and response.headers["Location"] == "/settings/recommendations"
    assert db.session.query(Dismissal).count() == 0


def test_bad_dismissals_from_the_page_are_4xx_fragments(client, signed_in_talent):
    assert client.post("/recommendations/dismiss", data={"kind": "startup", "id": "999"},
                       headers=HTMX).status_code == 404
    assert client.post("/recommendations/dismiss", data={"kind": "startup", "id": "x"},
                       headers=HTMX).status_code == 422
    assert client.post("/recommendations/undismiss", data={"kind": "startup", "id": "5"},
                       headers=HTMX).status_code == 404
    assert client.get("/recommendations/cards?type=bogus", headers=HTMX).status_code == 422
    assert client.get("/recommendations/cards?limit=abc", headers=HTMX).status_code == 422


def test_dismiss_needs_the_csrf_token(client, signed_in_talent):
    startup = make_startup(skills_needed=["rust"])
    response = client.post("/recommendations/dismiss", data={"kind": "startup", "id": startup.id}, csrf=False)
    assert response.status_code == 400
    assert db.session.query(Dismissal).count() == 0


def test_signed_out_visitors_are_sent_to_log_in(client):
    for path in ("/recommendations/", "/recommendations/cards", "/settings/recommendations"):
        assert client.get(path).status_code == 302


def test_a_talent_without_skills_is_told_to_add_some(client, auth):
    make_user("talent", username="newbie")
    make_startup(skills_needed=["rust"])
    auth.login("newbie")
    assert "Add skills to your profile to see startups that need them." in cards(client)
    assert "Add skills to your profile to see open roles that need them." in cards(client, "opportunities_for_talent")


def test_a_talent_whose_skills_nobody_needs_gets_a_gentle_note(client, signed_in_talent):
    make_startup(skills_needed=["cobol"])
    assert "No startup lists your skills yet" in cards(client)


def test_a_founder_without_startups_or_needs_is_told_what_to_do(client, auth):
    founder = make_user("founder", username="fiona")
    make_user("talent", skills=["rust"], open_to_work=True)
    auth.login("fiona")
    assert "Create a startup and list the skills it needs" in cards(client)
    make_startup(founder)
    assert "List the skills your startup needs" in cards(client)


def test_the_recommendations_page_loads_the_cards_for_the_role(client, auth):
    make_user("talent", username="ada")
    auth.login("ada")
    page = client.get("/recommendations/").get_data(as_text=True)
    assert "/recommendations/cards?type=startups_for_talent" in page
    assert "/recommendations/cards?type=opportunities_for_talent" in page
    assert 'hx-trigger="load"' in page


def test_the_dashboard_loads_the_cards_for_the_role(client, signed_in_talent):
    page = client.get("/").get_data(as_text=True)
    assert "/recommendations/cards?type=startups_for_talent" in page
    assert "/recommendations/cards?type=opportunities_for_talent" in page
