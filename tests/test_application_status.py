"""The application status machine (SPEC §3.7), its notifications both ways, and the applicant's pages."""

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ActivityEvent, Application, Notification, StartupMember
from webapp.services import applications

from .factories import PASSWORD, make_opportunity, make_startup, make_user

MEMBER_MOVES = ("reviewing", "shortlisted", "accepted", "rejected")
FINAL = ("accepted", "rejected", "withdrawn")


def _world(api):
    founder = make_user("founder", username="fran", name="Fran")
    startup = make_startup(founder, name="Acme")
    cofounder = make_user("founder", username="cole")
    startup.memberships.append(StartupMember(user=cofounder, role="cto"))
    db.session.commit()
    opportunity = make_opportunity(startup, founder, title="Design lead")
    talent = make_user("talent", username="tina", name="Tina")
    data = api.post(f"/api/v1/opportunities/{opportunity.id}/applications/", talent, json={"note": "hi"}).get_json()
    return founder, cofounder, talent, data["id"]


def _moves() -> int:
    db.session.expire_all()
    query = select(ActivityEvent).where(ActivityEvent.action_type == "application_status_changed")
    return len(list(db.session.scalars(query)))


def _notes(user, kind: str) -> list[str]:
    db.session.expire_all()
    query = select(Notification.text).where(Notification.recipient_id == user.id, Notification.kind == kind)
    return list(db.session.scalars(query.order_by(Notification.id)))


def test_members_move_freely_while_open_including_back(api):
    founder, cofounder, _, application_id = _world(api)
    url = f"/api/v1/applications/{application_id}"
    for actor, status in ((founder, "reviewing"), (cofounder, "shortlisted"), (founder, "reviewing"),
                          (cofounder, "shortlisted")):
        response = api.patch(url, actor, json={"status": status})
        assert response.status_code == 200 and response.get_json()["status"] == status
    assert _moves() == 4


@pytest.mark.parametrize("final", FINAL)
def test_every_final_state_refuses_every_further_move_with_409(api, final):
    founder, cofounder, talent, application_id = _world(api)
    url = f"/api/v1/applications/{application_id}"
    actor = talent if final == "withdrawn" else founder
    assert api.patch(url, actor, json={"status": final, **({} if final == "withdrawn" else {"feedback": "Thanks"})}
                     ).status_code == 200
    before = _moves()
    for status in MEMBER_MOVES:
        response = api.patch(url, cofounder, json={"status": status})
        assert response.status_code == 409, status
        assert response.get_json()["error"]["code"] == "conflict"
    assert api.patch(url, talent, json={"status": "withdrawn"}).status_code == 409
    # Feedback alone cannot change a final application either.
    assert api.patch(url, founder, json={"status": final if final != "withdrawn" else "rejected",
                                         "feedback": "changed"}).status_code == 409
    assert _moves() == before
    db.session.expire_all()
    application = db.session.get(Application, application_id)
    assert application.status == final
    assert application.feedback == ("" if final == "withdrawn" else "Thanks")


def test_only_the_applicant_withdraws_and_may_do_nothing_else(api):
    founder, _, talent, application_id = _world(api)
    url = f"/api/v1/applications/{application_id}"
    assert api.patch(url, founder, json={"status": "withdrawn"}).status_code == 422
    assert api.patch(url, founder, json={"status": "submitted"}).status_code == 422
    for status in ("submitted", *MEMBER_MOVES):
        assert api.patch(url, talent, json={"status": status}).status_code == 403, status
    assert api.patch(url, talent, json={"status": "withdrawn", "feedback": "bye"}).status_code == 403
    assert api.patch(url, make_user("talent"), json={"status": "withdrawn"}).status_code == 404
    assert _moves() == 0
    assert api.patch(url, talent, json={"status": "withdrawn"}).get_json()["status"] == "withdrawn"


def test_both_sides_are_notified(api):
    founder, cofounder, talent, application_id = _world(api)
    url = f"/api/v1/applications/{application_id}"
    assert _notes(founder, "new_application") == ["Tina applied to Design lead"]
    assert _notes(cofounder, "new_application") == ["Tina applied to Design lead"]
    api.patch(url, founder, json={"status": "shortlisted", "feedback": "Strong"})
    assert _notes(talent, "application_status") == ["Your application to Design lead is now shortlisted"]
    assert _notes(cofounder, "application_status") == []  # members are not told of each other's moves
    api.patch(url, talent, json={"status": "withdrawn"})
    assert _notes(founder, "application_status") == ["Tina withdrew their application to Design lead"]
    assert _notes(cofounder, "application_status") == ["Tina withdrew their application to Design lead"]
    assert len(_notes(talent, "application_status")) == 1


def test_lists_and_detail_follow_visibility(api):
    founder, _, talent, application_id = _world(api)
    url = f"/api/v1/applications/{application_id}"
    assert api.get(url, talent).get_json()["id"] == application_id
    assert api.get(url, founder).get_json()["note"] == "hi"
    assert [item["id"] for item in api.get("/api/v1/applications/", founder).get_json()["results"]] == [application_id]
    db.session.expire_all()
    application = db.session.get(Application, application_id)
    application.opportunity.is_hidden = True
    db.session.commit()
    # A moderated opportunity takes its applications out of every view.
    assert api.get(url, talent).status_code == 404
    assert api.patch(url, founder, json={"status": "reviewing"}).status_code == 404
    assert api.get("/api/v1/applications/", talent).get_json()["count"] == 0


def _login(client, username: str) -> None:
    assert client.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302


def test_applicant_sees_feedback_and_can_withdraw_from_the_opportunity_page(app, client, api):
    founder, _, talent, application_id = _world(api)
    db.session.expire_all()
    application = db.session.get(Application, application_id)
    applications.change_status(application, founder, {"status": "reviewing", "feedback": "Loved the portfolio"})
    page_url = f"/opportunities/{application.opportunity_id}"
    _login(client, "tina")
    page = client.get(page_url).get_data(as_text=True)
    assert "Loved the portfolio" in page and "Withdraw application" in page
    assert "Loved the portfolio" in client.get("/applications").get_data(as_text=True)
    response = client.post(f"/applications/{application_id}/withdraw", data={"next": page_url})
    assert response.status_code == 302 and response.headers["Location"].endswith(page_url)
    page = client.get(page_url).get_data(as_text=True)
    assert "Withdrawn" in page and "Withdraw application" not in page
    # Outsiders never see the feedback.
    client.post("/logout")
    make_user("talent", username="olly")
    _login(client, "olly")
    assert "Loved the portfolio" not in client.get(page_url).get_data(as_text=True)
