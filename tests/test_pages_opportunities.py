"""Opportunity pages: list, page, post, apply, close/reopen, my applications, applicants."""

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import ActivityEvent, Application, Opportunity
from webapp.services import applications

from .factories import PASSWORD, make_opportunity, make_startup, make_user

HTMX = {"HX-Request": "true"}


def events(action_type: str) -> list[ActivityEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(ActivityEvent).where(ActivityEvent.action_type == action_type)))


def application_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Application))


def login(client, username: str) -> None:
    assert client.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302


def reload(application: Application) -> Application:
    db.session.expire_all()
    return db.session.get(Application, application.id)


def test_list_filters_by_type_remote_and_skill_open_only_by_default(client):
    startup = make_startup(name="Filter Co")
    make_opportunity(startup, title="Remote Pythonista", type="contract", remote=True, skills=["python"])
    make_opportunity(startup, title="Office Designer", type="full_time", remote=False, skills=["figma"])
    make_opportunity(startup, title="Closed Role", status="closed")
    page = client.get("/opportunities").get_data(as_text=True)
    assert "Remote Pythonista" in page and "Office Designer" in page and "Closed Role" not in page
    assert "Closed Role" in client.get("/opportunities?status=closed").get_data(as_text=True)
    page = client.get("/opportunities?type=contract").get_data(as_text=True)
    assert "Remote Pythonista" in page and "Office Designer" not in page
    page = client.get("/opportunities?remote=no").get_data(as_text=True)
    assert "Office Designer" in page and "Remote Pythonista" not in page
    fragment = client.get("/opportunities?skill=FIGMA", headers=HTMX).get_data(as_text=True)
    assert "<html" not in fragment and "Office Designer" in fragment and "Remote Pythonista" not in fragment
    for query in ("type=astronaut", "remote=maybe", "status=%00", "skill=%00", "page=0"):
        assert client.get(f"/opportunities?{query}").status_code == 200, query


def test_opportunity_page_for_visitors_and_bad_ids(client):
    opportunity = make_opportunity(title="Founding engineer", compensation="€90k", skills=["go"])
    page = client.get(f"/opportunities/{opportunity.id}").get_data(as_text=True)
    assert "Founding engineer" in page and "€90k" in page and "go" in page and "Log in to apply" in page
    for path in ("/opportunities/999", "/opportunities/abc", "/opportunities/-1",
                 "/opportunities/99999999999999999999999", "/opportunities/2147483648"):
        assert client.get(path).status_code == 404, path


def test_apply_via_form_once_then_409_with_no_second_row(client):
    opportunity = make_opportunity(title="Backend role")
    talent = make_user("talent", username="tina")
    login(client, "tina")
    page = client.get(f"/opportunities/{opportunity.id}").get_data(as_text=True)
    assert "Send application" in page
    response = client.post(f"/opportunities/{opportunity.id}/apply", data={"note": "I love backends"})
    assert response.status_code == 302
    page = client.get(f"/opportunities/{opportunity.id}").get_data(as_text=True)
    assert "You applied" in page and "Submitted" in page and "Send application" not in page
    assert application_count() == 1
    event = events("application_submitted")[0]
    assert event.actor_id == talent.id and event.is_public is False
    again = client.post(f"/opportunities/{opportunity.id}/apply", data={"note": "again"})
    assert again.status_code == 409
    assert "You have already applied to this opportunity." in again.get_data(as_text=True)
    assert application_count() == 1


def test_apply_form_errors_and_refusals(client):
    founder = make_user("founder", username="fran")
    startup = make_startup(founder)
    opportunity = make_opportunity(startup)
    closed = make_opportunity(startup, status="closed")
    make_user("talent", username="tina")
    login(client, "tina")
    response = client.post(f"/opportunities/{opportunity.id}/apply", data={"note": "x" * 5001})
    assert response.status_code == 422 and 'class="field-error"' in response.get_data(as_text=True)
    response = client.post(f"/opportunities/{closed.id}/apply", data={"note": ""})
    assert response.status_code == 409 and "closed" in response.get_data(as_text=True)
    client.post("/logout")
    login(client, "fran")
    assert "Send application" not in client.get(f"/opportunities/{opportunity.id}").get_data(as_text=True)
    assert client.post(f"/opportunities/{opportunity.id}/apply", data={}).status_code == 403
    assert application_count() == 0


def test_members_post_opportunities_others_get_403(client):
    founder = make_user("founder", username="fran")
    startup = make_startup(founder, name="Hiring Co")
    make_user("talent", username="tina")
    login(client, "tina")
    assert client.get(f"/startups/{startup.slug}/opportunities/new").status_code == 403
    assert client.post(f"/startups/{startup.slug}/opportunities/new", data={"title": "x"}).status_code == 403
    client.post("/logout")
    login(client, "fran")
    assert client.get(f"/startups/{startup.slug}/opportunities/new").status_code == 200
    response = client.post(f"/startups/{startup.slug}/opportunities/new", data={"title": "", "type": "gig"})
    assert response.status_code == 422
    assert response.get_data(as_text=True).count('class="field-error"') == 2
    response = client.post(f"/startups/{startup.slug}/opportunities/new", data={
        "title": "Growth lead", "type": "part_time", "remote": "on", "skills": "SEO, content",
        "description": "", "location": "", "compensation": "",
    })
    assert response.status_code == 302
    db.session.expire_all()
    opportunity = db.session.scalar(select(Opportunity).where(Opportunity.title == "Growth lead"))
    assert opportunity.remote is True and opportunity.skill_names == ["content", "seo"]
    assert [e.target_id for e in events("opportunity_posted")] == [opportunity.id]


def test_members_close_and_reopen(client):
    founder = make_user("founder", username="fran")
    opportunity = make_opportunity(make_startup(founder))
    make_user("talent", username="tina")
    login(client, "tina")
    client.post(f"/opportunities/{opportunity.id}/status", data={"status": "closed"})
    db.session.expire_all()
    assert db.session.get(Opportunity, opportunity.id).status == "open"
    client.post("/logout")
    login(client, "fran")
    response = client.post(f"/opportunities/{opportunity.id}/status", data={"status": "closed"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Opportunity, opportunity.id).status == "closed"
    assert len(events("opportunity_closed")) == 1
    assert "Reopen" in client.get(f"/opportunities/{opportunity.id}").get_data(as_text=True)
    client.post(f"/opportunities/{opportunity.id}/status", data={"status": "open"})
    db.session.expire_all()
    assert db.session.get(Opportunity, opportunity.id).status == "open"


def test_my_applications_shows_status_feedback_and_withdraws(client):
    founder = make_user("founder", username="fran")
    opportunity = make_opportunity(make_startup(founder), title="Design lead")
    talent = make_user("talent", username="tina")
    application = applications.apply(talent, opportunity, {})
    applications.change_status(application, founder, {"status": "reviewing", "feedback": "Looks great"})
    login(client, "tina")
    page = client.get("/applications").get_data(as_text=True)
    assert "Design lead" in page and "Reviewing" in page and "Looks great" in page and "Withdraw" in page
    response = client.post(f"/applications/{application.id}/withdraw", headers=HTMX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body and "<tr" in body and "Withdrawn" in body
    assert reload(application).status == "withdrawn"
    assert "Withdraw <" not in client.get("/applications").get_data(as_text=True)


def test_my_applications_empty_state(client):
    make_user("talent", username="tina")
    login(client, "tina")
    assert "Browse open opportunities" in client.get("/applications").get_data(as_text=True)


def test_applicants_list_and_inline_status_change_swaps_the_row(client):
    founder = make_user("founder", username="fran")
    opportunity = make_opportunity(make_startup(founder), title="Ops lead")
    talent = make_user("talent", username="tina", name="Tina Turing")
    application = applications.apply(talent, opportunity, {"note": "Pick me"})
    login(client, "fran")
    page = client.get(f"/opportunities/{opportunity.id}/applications").get_data(as_text=True)
    assert "Tina Turing" in page and "Pick me" in page and 'hx-target="this"' in page
    response = client.post(f"/applications/{application.id}/status", headers=HTMX,
                           data={"status": "shortlisted", "feedback": "Strong profile"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert body.lstrip().startswith(f'<tr id="application-{application.id}"') and "Shortlisted" in body
    assert reload(application).status == "shortlisted" and reload(application).feedback == "Strong profile"
    event = events("application_status_changed")[0]
    assert event.is_public is False and event.audience_ids == {founder.id, talent.id}
    body = client.post(f"/applications/{application.id}/status", headers=HTMX,
                       data={"status": "accepted", "feedback": ""}).get_data(as_text=True)
    assert "Accepted" in body and "<select" not in body and "Final" in body
    again = client.post(f"/applications/{application.id}/status", headers=HTMX, data={"status": "rejected"})
    assert again.status_code == 409 and 'class="error-box"' in again.get_data(as_text=True)
    assert reload(application).status == "accepted"


def test_inline_status_change_with_bad_input_shows_the_row_with_errors(client):
    founder = make_user("founder", username="fran")
    opportunity = make_opportunity(make_startup(founder))
    application = applications.apply(make_user("talent"), opportunity, {})
    login(client, "fran")
    response = client.post(f"/applications/{application.id}/status", headers=HTMX, data={"status": "withdrawn"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "<tr" in body and 'class="field-error"' in body
    response = client.post(f"/applications/{application.id}/status", data={"status": "bogus"})
    assert response.status_code == 302
    assert reload(application).status == "submitted"
    assert events("application_status_changed") == []


def test_status_change_without_javascript_redirects_to_the_list(client):
    founder = make_user("founder", username="fran")
    opportunity = make_opportunity(make_startup(founder))
    application = applications.apply(make_user("talent"), opportunity, {})
    login(client, "fran")
    response = client.post(f"/applications/{application.id}/status", data={"status": "reviewing"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/opportunities/{opportunity.id}/applications"
    assert reload(application).status == "reviewing"


def test_non_members_cannot_see_applicants_or_move_applications(client):
    founder = make_user("founder", username="fran")
    opportunity = make_opportunity(make_startup(founder))
    applicant = make_user("talent", username="tina")
    application = applications.apply(applicant, opportunity, {})
    make_user("talent", username="mallory")
    login(client, "mallory")
    assert client.get(f"/opportunities/{opportunity.id}/applications").status_code == 404
    response = client.post(f"/applications/{application.id}/status", headers=HTMX, data={"status": "accepted"})
    assert response.status_code in (403, 404)
    response = client.post(f"/applications/{application.id}/status", data={"status": "accepted"})
    assert response.status_code in (403, 404)
    assert client.post(f"/applications/{application.id}/withdraw").status_code == 404
    client.post("/logout")
    login(client, "tina")  # the applicant may withdraw, never review
    response = client.post(f"/applications/{application.id}/status", headers=HTMX, data={"status": "accepted"})
    assert response.status_code == 403
    assert reload(application).status == "submitted"
    assert events("application_status_changed") == []
