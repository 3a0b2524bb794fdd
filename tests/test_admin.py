"""Admin area: admins only, browse and search, hide/unhide with CSRF, suspend, make-admin."""

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ActivityEvent, Startup, User
from webapp.services import moderation
from webapp.services.applications import applications_visible_to, apply, my_applications
from webapp.services.errors import NotFound
from webapp.services.opportunities import get_opportunity, list_opportunities, opportunities_managed_by
from webapp.services.startups import get_startup, list_startups, startups_of

from .factories import make_opportunity, make_startup, make_user


@pytest.fixture
def admin(runner):
    user = make_user(username="root")
    result = runner.invoke(args=["make-admin", "root"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return db.session.get(User, user.id)


def fresh(model, row_id):
    db.session.expire_all()
    return db.session.get(model, row_id)


@pytest.mark.parametrize("path", ["/admin/", "/admin/users/", "/admin/startups/?q=x", "/admin/events/"])
def test_admin_pages_are_not_found_for_anonymous_and_non_admins(client, auth, path):
    assert client.get(path).status_code == 404
    make_user(username="mallory")
    auth.login("mallory")
    assert client.get(path).status_code == 404


def test_non_admin_cannot_hide_even_with_a_valid_form(client, auth):
    startup = make_startup()
    make_user(username="mallory")
    auth.login("mallory")
    assert client.post(f"/admin/startups/{startup.id}/hide").status_code == 404
    assert fresh(Startup, startup.id).is_hidden is False


def test_make_admin_cli_grants_and_revokes(runner, admin):
    assert admin.is_admin
    assert runner.invoke(args=["make-admin", "root", "--revoke"]).exit_code == 0
    assert fresh(User, admin.id).is_admin is False
    missing = runner.invoke(args=["make-admin", "nobody"])
    assert missing.exit_code != 0 and "No user" in missing.output


def test_admin_browses_and_searches_every_list(client, auth, admin):
    make_startup(name="Quantum Bakery")
    make_startup(name="Solar Goats")
    auth.login("root")
    index = client.get("/admin/")
    assert index.status_code == 200 and "startups" in index.get_data(as_text=True)
    page = client.get("/admin/startups/?q=quantum").get_data(as_text=True)
    assert "Quantum Bakery" in page and "Solar Goats" not in page
    for kind in ("users", "opportunities", "applications", "events"):
        assert client.get(f"/admin/{kind}/?q=a&page=2").status_code == 200
    assert client.get("/admin/nonsense/").status_code == 404
    assert client.get("/admin/users/?page=999999999999999999999").status_code == 200
    fragment = client.get("/admin/startups/?q=solar", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Solar Goats" in fragment and "<html" not in fragment


def test_hide_needs_csrf(client, auth, admin):
    startup = make_startup()
    auth.login("root")
    assert client.post(f"/admin/startups/{startup.id}/hide", csrf=False).status_code == 400
    assert fresh(Startup, startup.id).is_hidden is False


def test_hidden_startup_vanishes_for_everyone_but_admins(client, auth, admin, make_client):
    founder = make_user(username="founder1", role="founder")
    startup = make_startup(founder, name="Shady Widgets")
    opportunity = make_opportunity(startup, title="Widget Engineer")
    visitor = make_client()
    assert "Shady Widgets" in visitor.get("/").get_data(as_text=True)

    auth.login("root")
    response = client.post(f"/admin/startups/{startup.id}/hide", data={"next": "/admin/startups/"})
    assert response.status_code == 302 and response.headers["Location"] == "/admin/startups/"
    db.session.expire_all()

    home = visitor.get("/").get_data(as_text=True)
    assert "Shady Widgets" not in home and "Widget Engineer" not in home
    assert startup.id not in [s.id for s in list_startups()]
    assert opportunity.id not in [o.id for o in list_opportunities()]
    assert startups_of(founder) == []
    for viewer in (None, founder):
        with pytest.raises(NotFound):
            get_startup(startup.slug, viewer)
        with pytest.raises(NotFound):
            get_opportunity(opportunity.id, viewer)
    assert get_startup(startup.slug, fresh(User, admin.id)).id == startup.id

    client.post(f"/admin/startups/{startup.id}/unhide")
    db.session.expire_all()
    assert startup.id in [s.id for s in list_startups()]
    assert "Shady Widgets" in visitor.get("/").get_data(as_text=True)


def test_hidden_opportunity_vanishes_but_its_startup_stays(client, auth, admin):
    opportunity = make_opportunity(title="Secret Role")
    auth.login("root")
    client.post(f"/admin/opportunities/{opportunity.id}/hide")
    db.session.expire_all()
    assert opportunity.id not in [o.id for o in list_opportunities()]
    assert opportunity.startup_id in [s.id for s in list_startups()]
    assert "Secret Role" not in client.get("/").get_data(as_text=True)


def test_events_can_be_hidden(client, auth, admin):
    startup = make_startup()
    event = db.session.scalar(
        select(ActivityEvent).where(
            ActivityEvent.action_type == "startup_created", ActivityEvent.target_id == startup.id
        )
    )
    auth.login("root")
    client.post(f"/admin/events/{event.id}/hide")
    assert fresh(ActivityEvent, event.id).is_hidden is True
    assert client.post("/admin/users/1/hide").status_code == 404
    for bad in ("99999999999999999999999", "9223372036854775808", "-1", "x"):
        assert client.post(f"/admin/events/{bad}/hide").status_code == 404
    assert client.post("/admin/startups/2147483648/hide").status_code == 404
    assert client.get("/admin/startups/?q=99999999999").status_code == 200


def test_suspending_a_user_signs_them_out(client, auth, admin, make_client):
    make_user(username="spammer")
    spammer = make_client()
    spammer.post("/login", data={"username": "spammer", "password": "correct horse battery staple"})
    assert "spammer" in spammer.get("/").get_data(as_text=True)
    target = db.session.scalar(select(User).where(User.username == "spammer"))
    auth.login("root")
    client.post(f"/admin/users/{target.id}/suspend")
    assert fresh(User, target.id).is_suspended is True
    assert "spammer" not in spammer.get("/").get_data(as_text=True)
    assert client.post(f"/admin/users/{admin.id}/suspend").status_code == 403
    client.post(f"/admin/users/{target.id}/reinstate")
    assert fresh(User, target.id).is_suspended is False


def test_admin_area_can_be_limited_to_networks(make_app):
    app = make_app(ADMIN_ALLOWED_NETWORKS="10.0.0.0/8")
    with app.app_context():
        make_user(username="boss")
        moderation.make_admin("boss")
    client = app.test_client()
    client.post("/login", data={"username": "boss", "password": "correct horse battery staple"})
    assert client.get("/admin/").status_code == 404
    assert client.get("/admin/", environ_overrides={"REMOTE_ADDR": "10.0.0.9"}).status_code == 200


def test_applications_to_hidden_opportunities_leave_the_lists(admin):
    opportunity = make_opportunity()
    founder = opportunity.startup.members[0]
    applicant = make_user()
    apply(applicant, opportunity, {"note": "hi"})
    assert len(my_applications(applicant)) == len(applications_visible_to(founder)) == 1
    moderation.set_hidden(admin, "opportunities", opportunity.id, True)
    assert my_applications(applicant) == applications_visible_to(founder) == []
    assert opportunities_managed_by(founder) == []


def test_hiding_a_startup_drops_it_from_cached_feed_pages_and_recommendations(app, api):
    from webapp.extensions import db as _db
    from webapp.models import User as _User
    from webapp.services import moderation

    from .factories import make_startup, make_user

    viewer = make_user("talent", skills=["rust"])
    startup = make_startup(name="Shady", skills_needed=["rust"])
    first = api.get("/api/v1/feed/", user=viewer).get_json()
    assert any(item["target"] and item["target"]["title"] == "Shady" for item in first["results"])
    recs = api.get("/api/v1/recommendations/?type=startups_for_talent", user=viewer).get_json()
    assert [item["title"] for item in recs["recommendations"]] == ["Shady"]
    admin = make_user()
    admin.is_admin = True
    _db.session.commit()
    moderation.set_hidden(_db.session.get(_User, admin.id), "startups", startup.id, True)
    after = api.get("/api/v1/feed/", user=viewer).get_json()
    assert not any(item["target"] and item["target"]["title"] == "Shady" for item in after["results"])
    recs = api.get("/api/v1/recommendations/?type=startups_for_talent", user=viewer).get_json()
    assert recs["recommendations"] == []


def test_notifications_about_a_hidden_startup_vanish_for_everyone(app, api):
    from webapp.extensions import db as _db
    from webapp.models import User as _User
    from webapp.services import follows, moderation

    from .factories import make_startup, make_user

    startup = make_startup(name="Shady")
    founder_id = startup.members[0].id
    follows.follow(make_user(), startup)
    founder = _db.session.get(_User, founder_id)
    listed = api.get("/api/v1/notifications/", user=founder).get_json()
    assert listed["count"] == 1 and listed["unread"] == 1
    admin = make_user()
    admin.is_admin = True
    _db.session.commit()
    moderation.set_hidden(admin, "startups", startup.id, True)
    listed = api.get("/api/v1/notifications/", user=founder).get_json()
    assert (listed["count"], listed["unread"], listed["results"]) == (0, 0, [])
