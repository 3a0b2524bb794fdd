"""API: opportunities, applications and their status moves."""

import threading

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import ActivityEvent, Application, Opportunity, StartupMember

from .conftest import on_postgres
from .factories import make_opportunity, make_startup, make_user, token_for


def events(action_type: str) -> list[ActivityEvent]:
    db.session.expire_all()
    query = select(ActivityEvent).where(ActivityEvent.action_type == action_type).order_by(ActivityEvent.id)
    return list(db.session.scalars(query))


def application_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Application))


def test_post_opportunity_records_opportunity_posted(api):
    founder = make_user("founder")
    startup = make_startup(founder)
    body = {"startup": startup.slug, "title": "Backend engineer", "type": "full_time", "remote": True,
            "skills": ["Python", "PostgreSQL"], "compensation": "€70k"}
    response = api.post("/api/v1/opportunities/", founder, json=body)
    assert response.status_code == 201
    data = response.get_json()
    assert data["id"] and data["status"] == "open" and data["skills"] == ["postgresql", "python"]
    assert data["startup"]["slug"] == startup.slug
    [event] = events("opportunity_posted")
    assert (event.actor_id, event.target_type, event.target_id, event.is_public) == (
        founder.id, "opportunity", data["id"], True
    )


def test_only_members_post_and_edit_opportunities(api):
    startup = make_startup()
    outsider = make_user("founder")
    response = api.post("/api/v1/opportunities/", outsider, json={"startup": startup.slug, "title": "Spy"})
    assert response.status_code == 403
    assert api.post("/api/v1/opportunities/", outsider, json={"startup": "nope", "title": "X"}).status_code == 404
    assert api.post("/api/v1/opportunities/", outsider, json={"title": "No startup"}).status_code == 422
    opportunity = make_opportunity(startup, title="Original")
    response = api.patch(f"/api/v1/opportunities/{opportunity.id}", outsider, json={"status": "closed"})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Opportunity, opportunity.id).status == "open"
    assert events("opportunity_closed") == []


def test_patch_status_closed_closes_and_records_opportunity_closed(api):
    founder = make_user("founder")
    opportunity = make_opportunity(make_startup(founder))
    response = api.patch(f"/api/v1/opportunities/{opportunity.id}", founder, json={"status": "closed"})
    assert response.status_code == 200
    assert response.get_json()["status"] == "closed"
    assert response.get_json()["closed_at"].endswith("+00:00")
    [event] = events("opportunity_closed")
    assert (event.actor_id, event.target_id, event.is_public) == (founder.id, opportunity.id, True)
    # Closed: no new applications.
    assert api.post(f"/api/v1/opportunities/{opportunity.id}/applications/", make_user()).status_code == 409
    # Edits of other fields work and record nothing more.
    response = api.patch(f"/api/v1/opportunities/{opportunity.id}", founder, json={"title": "Renamed"})
    assert response.get_json()["title"] == "Renamed"
    assert len(events("opportunity_closed")) == 1


def test_opportunity_list_filters(api):
    viewer = make_user()
    startup, other = make_startup(), make_startup()
    remote = make_opportunity(startup, title="Remote", remote=True, type="contract")
    make_opportunity(startup, title="Onsite", type="full_time")
    make_opportunity(other, title="Elsewhere")
    make_opportunity(other, title="Closed one", status="closed")

    def titles(query):
        results = api.get(f"/api/v1/opportunities/?{query}", viewer).get_json()["results"]
        return sorted(item["title"] for item in results)

    assert titles("") == ["Elsewhere", "Onsite", "Remote"]
    assert titles(f"startup={startup.slug}") == ["Onsite", "Remote"]
    assert titles("remote=true") == ["Remote"]
    assert titles("type=contract") == ["Remote"]
    assert titles("status=closed") == ["Closed one"]
    assert len(titles("status=all")) == 4
    assert api.get("/api/v1/opportunities/?startup=nope", viewer).status_code == 404
    assert api.get(f"/api/v1/opportunities/{remote.id}", viewer).get_json()["remote"] is True


def test_apply_201_then_duplicate_409(api):
    founder, cofounder = make_user("founder"), make_user("founder")
    opportunity = make_opportunity(make_startup(founder))
    opportunity.startup.memberships.append(StartupMember(user=cofounder, role="cto"))
    db.session.commit()
    talent = make_user("talent")
    url = f"/api/v1/opportunities/{opportunity.id}/applications/"
    response = api.post(url, talent, json={"note": "Hire me"})
    assert response.status_code == 201
    data = response.get_json()
    assert (data["status"], data["note"], data["applicant"]["username"]) == ("submitted", "Hire me", talent.username)
    assert data["opportunity"]["id"] == opportunity.id
    assert api.post(url, talent, json={"note": "Again"}).status_code == 409
    assert application_count() == 1
    [event] = events("application_submitted")
    assert event.is_public is False
    assert event.audience_ids == {talent.id, founder.id, cofounder.id}
    # Members cannot apply to their own startup.
    assert api.post(url, founder, json={}).status_code == 403


def test_apply_to_unknown_or_hidden_opportunity_is_404(api):
    talent = make_user()
    opportunity = make_opportunity()
    opportunity.is_hidden = True
    db.session.commit()
    assert api.post(f"/api/v1/opportunities/{opportunity.id}/applications/", talent, json={}).status_code == 404
    assert api.post("/api/v1/opportunities/999999/applications/", talent, json={}).status_code == 404
    assert api.get(f"/api/v1/opportunities/{opportunity.id}", talent).status_code == 404


@on_postgres
def test_concurrent_duplicate_applications_make_one_row(make_app):
    app = make_app()
    with app.app_context():
        opportunity = make_opportunity()
        talent = make_user()
        headers = {"Authorization": f"Bearer {token_for(talent)}"}
        url = f"/api/v1/opportunities/{opportunity.id}/applications/"
    barrier = threading.Barrier(2)
    statuses = []

    def apply():
        client = app.test_client()
        barrier.wait()
        statuses.append(client.post(url, json={"note": "me"}, headers=headers).status_code)

    threads = [threading.Thread(target=apply) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201, 409]
    with app.app_context():
        assert application_count() == 1
        assert len(events("application_submitted")) == 1


def make_application(api):
    founder = make_user("founder")
    opportunity = make_opportunity(make_startup(founder))
    talent = make_user("talent")
    data = api.post(f"/api/v1/opportunities/{opportunity.id}/applications/", talent, json={"note": "hi"}).get_json()
    return founder, talent, f"/api/v1/applications/{data['id']}"


def test_members_move_status_with_feedback_and_private_events(api):
    founder, talent, url = make_application(api)
    response = api.patch(url, founder, json={"status": "reviewing"})
    assert response.status_code == 200 and response.get_json()["status"] == "reviewing"
    response = api.patch(url, founder, json={"status": "shortlisted", "feedback": "Great portfolio"})
    assert response.get_json()["feedback"] == "Great portfolio"
    # The applicant sees the feedback.
    assert api.get(url, talent).get_json()["feedback"] == "Great portfolio"
    moves = events("application_status_changed")
    assert len(moves) == 2
    assert all(not event.is_public and event.audience_ids == {talent.id, founder.id} for event in moves)
    response = api.patch(url, founder, json={"status": "accepted"})
    assert response.get_json()["is_final"] is True
    # Final: any further move is a conflict, and nothing is recorded.
    for status in ("rejected", "reviewing"):
        assert api.patch(url, founder, json={"status": status}).status_code == 409
    assert api.patch(url, talent, json={"status": "withdrawn"}).status_code == 409
    assert len(events("application_status_changed")) == 3


def test_members_cannot_set_submitted_or_withdrawn(api):
    founder, _, url = make_application(api)
    assert api.patch(url, founder, json={"status": "withdrawn"}).status_code == 422
    assert api.patch(url, founder, json={"status": "submitted"}).status_code == 422
    assert api.patch(url, founder, json={"status": "hired"}).status_code == 422
    assert api.patch(url, founder, json={}).status_code == 422


def test_applicant_may_only_withdraw(api):
    founder, talent, url = make_application(api)
    assert api.patch(url, talent, json={"status": "accepted"}).status_code == 403
    assert api.patch(url, talent, json={"status": "withdrawn", "feedback": "x"}).status_code == 403
    response = api.patch(url, talent, json={"status": "withdrawn"})
    assert response.status_code == 200 and response.get_json()["status"] == "withdrawn"
    assert api.patch(url, founder, json={"status": "reviewing"}).status_code == 409
    [event] = events("application_status_changed")
    assert event.actor_id == talent.id and event.audience_ids == {talent.id, founder.id}


def test_outsiders_get_404_for_applications(api):
    _, _, url = make_application(api)
    outsider = make_user("founder")
    assert api.get(url, outsider).status_code == 404
    assert api.patch(url, outsider, json={"status": "rejected"}).status_code == 404
    assert api.get("/api/v1/applications/", outsider).get_json()["count"] == 0


def test_application_lists_for_applicant_and_members(api):
    founder, talent, url = make_application(api)
    other_founder, _, _ = make_application(api)
    mine = api.get("/api/v1/applications/", talent).get_json()
    assert mine["count"] == 1 and mine["results"][0]["applicant"]["username"] == talent.username
    received = api.get("/api/v1/applications/", founder).get_json()
    assert [item["id"] for item in received["results"]] == [int(url.rsplit("/", 1)[1])]
    opportunity_id = received["results"][0]["opportunity"]["id"]
    listing = api.get(f"/api/v1/opportunities/{opportunity_id}/applications/", founder).get_json()
    assert listing["count"] == 1
    assert api.get(f"/api/v1/opportunities/{opportunity_id}/applications/", talent).status_code == 404
    assert api.get(f"/api/v1/opportunities/{opportunity_id}/applications/", other_founder).status_code == 404
