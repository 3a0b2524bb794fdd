"""The dashboard at /: a welcome for visitors, the viewer's own things for members."""

from webapp.services import applications

from .factories import make_opportunity, make_startup, make_user


def test_visitors_get_the_hero_and_whats_new(client):
    startup = make_startup(name="Solar Sails", tagline="Sails for satellites")
    make_opportunity(startup, title="Orbital engineer")
    page = client.get("/").get_data(as_text=True)
    assert "Join CollabHub" in page
    assert "Solar Sails" in page and "Orbital engineer" in page
    assert 'href="/startups/solar-sails"' in page


def test_visitors_see_empty_states_that_say_what_to_do(client):
    page = client.get("/").get_data(as_text=True)
    assert "No startups yet" in page and "No open opportunities yet" in page


def test_founders_see_their_startups_and_applications_awaiting_review(client, auth):
    founder = make_user("founder", username="fran")
    startup = make_startup(founder, name="Acme Robotics")
    opportunity = make_opportunity(startup, title="Firmware lead")
    talent = make_user("talent", username="tina", name="Tina Turing")
    applications.apply(talent, opportunity, {"note": "hi"})
    auth.login("fran")
    page = client.get("/").get_data(as_text=True)
    assert "Welcome back" in page and "Join CollabHub" not in page
    assert "Acme Robotics" in page
    assert "Applications awaiting your review" in page
    assert "Tina Turing" in page and f"/opportunities/{opportunity.id}/applications" in page
    assert 'id="recommendations"' in page


def test_talent_sees_their_applications_with_status(client, auth):
    opportunity = make_opportunity(title="Data engineer")
    talent = make_user("talent", username="tina")
    applications.apply(talent, opportunity, {})
    auth.login("tina")
    page = client.get("/").get_data(as_text=True)
    assert "Your applications" in page and "Data engineer" in page and "Submitted" in page
    assert "Applications awaiting your review" not in page


def test_hidden_startups_vanish_from_the_dashboard(client):
    startup = make_startup(name="Secret Sauce")
    make_opportunity(startup, title="Hidden role")
    startup.is_hidden = True
    from webapp.extensions import db

    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "Secret Sauce" not in page and "Hidden role" not in page


def test_every_page_answers_visitors_and_members_as_expected(client, auth):
    founder = make_user("founder", username="fran")
    startup = make_startup(founder, name="Tour Co")
    opportunity = make_opportunity(startup)
    public = ["/", "/people", "/users/fran", "/startups", f"/startups/{startup.slug}", "/opportunities",
              f"/opportunities/{opportunity.id}"]
    members_only = ["/settings/profile", "/startups/new", f"/startups/{startup.slug}/edit",
                    f"/startups/{startup.slug}/traction", f"/startups/{startup.slug}/opportunities/new",
                    "/applications", f"/opportunities/{opportunity.id}/applications"]
    for path in public:
        assert client.get(path).status_code == 200, path
    for path in members_only:
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path
    auth.login("fran")
    for path in public + members_only:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "<html" in response.get_data(as_text=True), path
