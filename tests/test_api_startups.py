"""API: startups, investor interest, follows."""

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import ActivityEvent, Follow, InvestorInterest, Startup, StartupMember

from .factories import make_startup, make_user


def events(action_type: str) -> list[ActivityEvent]:
    db.session.expire_all()
    query = select(ActivityEvent).where(ActivityEvent.action_type == action_type).order_by(ActivityEvent.id)
    return list(db.session.scalars(query))


def test_create_startup_answers_201_with_id_slug_and_records_startup_created(api):
    founder = make_user("founder", username="ada")
    body = {
        "name": "Acme Robotics", "tagline": "Robots for everyone", "industry": "robotics", "stage": "seed",
        "skills_needed": ["Python", "ROS"], "traction": {"mrr": 1200, "growth_rate": 0.1},
    }
    response = api.post("/api/v1/startups/", founder, json=body)
    assert response.status_code == 201
    data = response.get_json()
    assert data["id"] and data["slug"] == "acme-robotics"
    assert data["skills_needed"] == ["python", "ros"]
    assert data["traction"]["mrr"] == 1200
    assert [member["username"] for member in data["members"]] == ["ada"]
    [event] = events("startup_created")
    assert (event.actor_id, event.target_type, event.target_id, event.is_public) == (
        founder.id, "startup", data["id"], True
    )
    # Any signed-in user may found a startup, and becomes its first member.
    talent = make_user("talent")
    assert api.post("/api/v1/startups/", talent, json={"name": "Acme Robotics"}).get_json()["slug"] == "acme-robotics-2"


def test_startup_create_with_taken_slug_is_422(api):
    make_startup(slug="taken", name="Taken")
    response = api.post("/api/v1/startups/", make_user(), json={"name": "Other", "slug": "taken"})
    assert response.status_code == 422
    assert "slug" in response.get_json()["error"]["fields"]


def test_members_patch_details_and_traction_with_their_events(api):
    founder = make_user("founder")
    startup = make_startup(founder, name="Acme")
    response = api.patch(f"/api/v1/startups/{startup.slug}", founder, json={"tagline": "New", "traction": {"mrr": 5}})
    assert response.status_code == 200
    assert response.get_json()["tagline"] == "New"
    assert response.get_json()["traction"]["mrr"] == 5
    assert len(events("startup_updated")) == 1
    assert len(events("traction_updated")) == 1
    # Nothing changed: nothing recorded.
    api.patch(f"/api/v1/startups/{startup.slug}", founder, json={"tagline": "New"})
    assert len(events("startup_updated")) == 1


def test_non_member_patch_is_403_and_changes_nothing(api):
    startup = make_startup(name="Acme", tagline="Original")
    outsider = make_user("founder")
    response = api.patch(f"/api/v1/startups/{startup.slug}", outsider, json={"tagline": "Hijacked"})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"
    db.session.expire_all()
    assert db.session.get(Startup, startup.id).tagline == "Original"
    assert events("startup_updated") == []


def test_slug_cannot_change_and_unknown_fields_are_refused(api):
    founder = make_user("founder")
    startup = make_startup(founder)
    assert api.patch(f"/api/v1/startups/{startup.slug}", founder, json={"slug": "other"}).status_code == 422
    assert api.patch(f"/api/v1/startups/{startup.slug}", founder, json={"is_hidden": True}).status_code == 422


def test_hidden_startups_are_404_and_left_out_of_lists(api):
    founder = make_user("founder")
    visible = make_startup(founder, name="Visible")
    hidden = make_startup(founder, name="Hidden")
    hidden.is_hidden = True
    db.session.commit()
    assert api.get(f"/api/v1/startups/{hidden.slug}", founder).status_code == 404
    assert api.patch(f"/api/v1/startups/{hidden.slug}", founder, json={"tagline": "x"}).status_code == 404
    listing = api.get("/api/v1/startups/", founder).get_json()
    assert [item["slug"] for item in listing["results"]] == [visible.slug]
    assert api.get("/api/v1/startups/nope", founder).status_code == 404


def test_startup_list_filters_and_pages(api):
    viewer = make_user()
    for n in range(5):
        make_startup(name=f"Fin {n}", industry="fintech", stage="seed")
    make_startup(name="Health", industry="health", stage="idea")
    page = api.get("/api/v1/startups/?industry=fintech&limit=2", viewer).get_json()
    assert page["count"] == 5 and len(page["results"]) == 2 and page["previous"] is None
    names = [item["name"] for item in page["results"]]
    second = api.get(page["next"], viewer).get_json()
    third = api.get(second["next"], viewer).get_json()
    names += [item["name"] for item in second["results"] + third["results"]]
    assert sorted(names) == [f"Fin {n}" for n in range(5)]
    assert third["next"] is None and third["previous"]
    assert [s["name"] for s in api.get("/api/v1/startups/?stage=idea", viewer).get_json()["results"]] == ["Health"]
    assert len(api.get("/api/v1/startups/?limit=1000", viewer).get_json()["results"]) == 6


def test_investor_interest_is_private_to_investor_and_members(api):
    founder, cofounder = make_user("founder"), make_user("founder")
    startup = make_startup(founder)
    # A second member (team invitations come later): both must be in the audience.
    startup.memberships.append(StartupMember(user=cofounder, role="cto"))
    db.session.commit()
    investor = make_user("investor")
    response = api.post(f"/api/v1/startups/{startup.slug}/interest", investor)
    assert response.status_code == 201
    assert response.get_json() == {
        "startup": {"id": startup.id, "slug": startup.slug, "name": startup.name,
                    "url": f"http://localhost/startups/{startup.slug}"},
        "interested": True,
    }
    [event] = events("investor_interest")
    assert event.is_public is False
    assert event.audience_ids == {investor.id, founder.id, cofounder.id}
    # Marking again changes nothing.
    assert api.post(f"/api/v1/startups/{startup.slug}/interest", investor).status_code == 200
    assert len(events("investor_interest")) == 1
    assert api.delete(f"/api/v1/startups/{startup.slug}/interest", investor).status_code == 204
    assert db.session.scalar(select(func.count()).select_from(InvestorInterest)) == 0
    assert api.delete(f"/api/v1/startups/{startup.slug}/interest", investor).status_code == 404


def test_only_investors_mark_interest(api):
    startup = make_startup()
    response = api.post(f"/api/v1/startups/{startup.slug}/interest", make_user("talent"))
    assert response.status_code == 403
    assert events("investor_interest") == []
    assert api.post("/api/v1/startups/nope/interest", make_user("investor")).status_code == 404


def test_follow_and_unfollow_users_and_startups(api):
    fan = make_user(username="fan")
    star = make_user(username="Star")
    startup = make_startup()
    response = api.post("/api/v1/follows/", fan, json={"user": "star"})
    assert response.status_code == 201
    assert response.get_json()["user"]["username"] == "Star"
    assert response.get_json()["follower"]["username"] == "fan"
    [event] = events("followed_user")
    assert (event.actor_id, event.target_id, event.is_public) == (fan.id, star.id, True)
    assert api.post("/api/v1/follows/", fan, json={"user": "star"}).status_code == 409
    response = api.post("/api/v1/follows/", fan, json={"startup": startup.slug})
    assert response.status_code == 201 and response.get_json()["startup"]["slug"] == startup.slug
    [event] = events("followed_startup")
    assert (event.target_type, event.target_id, event.is_public) == ("startup", startup.id, True)
    assert db.session.scalar(select(func.count()).select_from(Follow)) == 2

    assert api.delete("/api/v1/follows/", fan, json={"user": "star"}).status_code == 204
    assert api.delete("/api/v1/follows/", fan, json={"startup": startup.slug}).status_code == 204
    assert db.session.scalar(select(func.count()).select_from(Follow)) == 0
    assert api.delete("/api/v1/follows/", fan, json={"user": "star"}).status_code == 404


def test_follow_bodies_are_validated(api):
    fan = make_user(username="fan")
    assert api.post("/api/v1/follows/", fan, json={"user": "fan"}).status_code == 422
    assert api.post("/api/v1/follows/", fan, json={}).status_code == 422
    assert api.post("/api/v1/follows/", fan, json={"user": "a", "startup": "b"}).status_code == 422
    assert api.post("/api/v1/follows/", fan, json={"user": "nobody-here"}).status_code == 404
    assert api.post("/api/v1/follows/", fan, json={"startup": "nope"}).status_code == 404
    assert api.post("/api/v1/follows/", fan, json={"user": ["x"]}).status_code == 422
