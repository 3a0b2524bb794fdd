"""Team invitations: who may invite and answer, expiry, membership, events and notifications."""

import threading
from datetime import timedelta

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ActivityEvent, Notification, Startup, TeamInvitation, utcnow
from webapp.services import invitations

from .conftest import on_postgres
from .factories import make_startup, make_user, token_for

URL = "/api/v1/invitations/"


def _events(action_type: str) -> list[ActivityEvent]:
    db.session.expire_all()
    query = select(ActivityEvent).where(ActivityEvent.action_type == action_type).order_by(ActivityEvent.id)
    return list(db.session.scalars(query))


def _notifications(user, kind: str) -> list[Notification]:
    db.session.expire_all()
    query = select(Notification).where(Notification.recipient_id == user.id, Notification.kind == kind)
    return list(db.session.scalars(query))


def _world():
    founder = make_user("founder", username="founder", name="Fay Founder")
    startup = make_startup(founder, name="Acme")
    invitee = make_user("talent", username="invitee", name="Ivy")
    return founder, startup, invitee


def _invite(api, founder, startup, invitee, **extra):
    body = {"startup": startup.slug, "user": invitee.username, "role": "cto", "message": "Join us!"} | extra
    return api.post(URL, founder, json=body)


def test_member_invites_and_the_invitee_accepts_and_joins(api):
    founder, startup, invitee = _world()
    response = _invite(api, founder, startup, invitee)
    assert response.status_code == 201
    data = response.get_json()
    assert (data["status"], data["role"], data["message"]) == ("pending", "cto", "Join us!")
    assert data["invitee"]["username"] == "invitee" and data["inviter"]["username"] == "founder"
    assert data["startup"]["slug"] == startup.slug
    created = invitations.get_invitation(data["id"], invitee)
    assert created.expires_at - created.created_at == timedelta(days=14)
    before = len(_events("startup_updated"))

    response = api.post(f"{URL}{data['id']}/accept", invitee)
    assert response.status_code == 200 and response.get_json()["status"] == "accepted"
    db.session.expire_all()
    startup = db.session.get(Startup, startup.id)
    assert startup.has_member(invitee)
    assert [m.role for m in startup.memberships if m.user_id == invitee.id] == ["cto"]
    [event] = _events("startup_updated")[before:]
    assert (event.actor_id, event.target_type, event.target_id, event.is_public) == (
        invitee.id, "startup", startup.id, True)
    # The new member can now do member things, e.g. invite someone else.
    assert _invite(api, invitee, startup, make_user("talent")).status_code == 201
    # Answering twice is a conflict.
    assert api.post(f"{URL}{data['id']}/accept", invitee).status_code == 409
    assert api.post(f"{URL}{data['id']}/decline", invitee).status_code == 409


def test_both_sides_are_notified(api):
    founder, startup, invitee = _world()
    cofounder = make_user("founder", username="cofounder")
    first = _invite(api, founder, startup, cofounder).get_json()
    api.post(f"{URL}{first['id']}/accept", cofounder)
    data = _invite(api, founder, startup, invitee).get_json()
    [note] = _notifications(invitee, "team_invitation")
    assert note.text == "Fay Founder invited you to join Acme as cto"
    assert (note.actor_id, note.target_type, note.target_id) == (founder.id, "startup", startup.id)
    assert _notifications(founder, "team_invitation") == []

    api.post(f"{URL}{data['id']}/decline", invitee)
    [answer] = _notifications(founder, "team_invitation_answer")[-1:]
    assert answer.text == "Ivy declined the invitation to join Acme"
    # Every member of the team hears the answer; the invitee is not told about their own answer.
    assert [n.text for n in _notifications(cofounder, "team_invitation_answer")] == [answer.text]
    assert _notifications(invitee, "team_invitation_answer") == []
    listed = api.get("/api/v1/notifications/", invitee).get_json()["results"]
    assert [item["kind"] for item in listed] == ["team_invitation"]


def test_only_the_invitee_answers(api):
    founder, startup, invitee = _world()
    data = _invite(api, founder, startup, invitee).get_json()
    outsider = make_user("talent")
    # The inviting side sees it but may not answer for the invitee; outsiders do not know it exists.
    assert api.post(f"{URL}{data['id']}/accept", founder).status_code == 403
    assert api.post(f"{URL}{data['id']}/decline", founder).status_code == 403
    assert api.post(f"{URL}{data['id']}/accept", outsider).status_code == 404
    assert api.post(f"{URL}{data['id']}/decline", outsider).status_code == 404
    assert api.post(f"{URL}999999/accept", invitee).status_code == 404
    db.session.expire_all()
    assert db.session.get(TeamInvitation, data["id"]).status == "pending"
    assert not db.session.get(Startup, startup.id).has_member(outsider)
    response = api.post(f"{URL}{data['id']}/decline", invitee)
    assert response.status_code == 200 and response.get_json()["status"] == "declined"
    db.session.expire_all()
    assert not db.session.get(Startup, startup.id).has_member(invitee)


def test_a_member_withdraws_an_unanswered_invitation(api):
    founder, startup, invitee = _world()
    teammate = make_user("talent", username="teammate")
    invitations.accept(invitations.invite(founder, {"startup": startup.slug, "user": "teammate", "role": "cto"}),
                       teammate)
    data = _invite(api, founder, startup, invitee).get_json()
    outsider = make_user("talent")
    # The invitee answers, never withdraws; outsiders do not know it exists.
    assert api.post(f"{URL}{data['id']}/withdraw", invitee).status_code == 403
    assert api.post(f"{URL}{data['id']}/withdraw", outsider).status_code == 404
    assert api.post(f"{URL}999999/withdraw", founder).status_code == 404
    # Any member of the startup may withdraw it, not only the one who sent it.
    response = api.post(f"{URL}{data['id']}/withdraw", teammate)
    assert response.status_code == 200 and response.get_json()["status"] == "withdrawn"
    # Too late to answer, and nothing to withdraw twice.
    assert api.post(f"{URL}{data['id']}/accept", invitee).status_code == 409
    assert api.post(f"{URL}{data['id']}/withdraw", founder).status_code == 409
    db.session.expire_all()
    assert not db.session.get(Startup, startup.id).has_member(invitee)
    listed = api.get(URL + "?folder=received", invitee).get_json()["results"]
    assert [(item["id"], item["status"]) for item in listed] == [(data["id"], "withdrawn")]
    # A fresh invitation may follow (only one may be pending at a time).
    assert _invite(api, founder, startup, invitee, role="cfo").status_code == 201


def test_an_answered_or_expired_invitation_cannot_be_withdrawn(api):
    founder, startup, invitee = _world()
    accepted = _invite(api, founder, startup, invitee).get_json()
    api.post(f"{URL}{accepted['id']}/accept", invitee)
    assert api.post(f"{URL}{accepted['id']}/withdraw", founder).status_code == 409
    other = make_user("talent", username="other")
    expired = invitations.invite(founder, {"startup": startup.slug, "user": other.username, "role": "cto"})
    expired.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert api.post(f"{URL}{expired.id}/withdraw", founder).status_code == 409
    db.session.expire_all()
    assert db.session.get(TeamInvitation, accepted["id"]).status == "accepted"
    assert db.session.get(TeamInvitation, expired.id).state == "expired"


def test_non_member_cannot_invite(api):
    _, startup, invitee = _world()
    outsider = make_user("founder")
    response = _invite(api, outsider, startup, invitee)
    assert response.status_code == 403
    assert db.session.scalar(select(TeamInvitation.id)) is None
    assert _notifications(invitee, "team_invitation") == []


def test_bad_invitations(api):
    founder, startup, invitee = _world()
    assert _invite(api, founder, startup, invitee, user="nobody-here").status_code == 404
    assert api.post(URL, founder, json={"startup": "no-such", "user": "invitee", "role": "x"}).status_code == 404
    assert api.post(URL, founder, json={"startup": startup.slug, "user": "invitee"}).status_code == 422
    assert _invite(api, founder, startup, invitee, role="").status_code == 422
    assert _invite(api, founder, startup, invitee, message="x" * 2001).status_code == 422
    assert api.post(URL, founder, json=["not", "an", "object"]).status_code == 422
    # Inviting someone already on the team (yourself included) is a conflict.
    assert _invite(api, founder, startup, founder).status_code == 409


def test_duplicate_pending_invitation_is_409(api):
    founder, startup, invitee = _world()
    assert _invite(api, founder, startup, invitee).status_code == 201
    assert _invite(api, founder, startup, invitee, role="cfo").status_code == 409
    assert len(list(db.session.scalars(select(TeamInvitation)))) == 1
    # After a decline a new invitation may be sent.
    first = api.get(URL, invitee).get_json()["results"][0]
    api.post(f"{URL}{first['id']}/decline", invitee)
    assert _invite(api, founder, startup, invitee).status_code == 201


def _age(invitation_id: int, days: int) -> None:
    invitation = db.session.get(TeamInvitation, invitation_id)
    invitation.created_at = utcnow() - timedelta(days=days)
    invitation.expires_at = invitation.created_at + timedelta(days=14)
    db.session.commit()


def test_invitations_expire_after_14_days(api):
    founder, startup, invitee = _world()
    data = _invite(api, founder, startup, invitee).get_json()
    _age(data["id"], days=13)
    assert api.get(URL, invitee).get_json()["results"][0]["status"] == "pending"
    _age(data["id"], days=15)
    listed = api.get(URL, invitee).get_json()["results"]
    assert [item["status"] for item in listed] == ["expired"]
    response = api.post(f"{URL}{data['id']}/accept", invitee)
    assert response.status_code == 409 and "expired" in response.get_json()["error"]["message"]
    assert api.post(f"{URL}{data['id']}/decline", invitee).status_code == 409
    db.session.expire_all()
    assert not db.session.get(Startup, startup.id).has_member(invitee)
    # An expired invitation no longer blocks a new one.
    again = _invite(api, founder, startup, invitee)
    assert again.status_code == 201
    assert api.post(f"{URL}{again.get_json()['id']}/accept", invitee).status_code == 200
    statuses = sorted(item["status"] for item in api.get(URL, invitee).get_json()["results"])
    assert statuses == ["accepted", "expired"]


def test_lists_show_received_and_sent_only_to_their_parties(api):
    founder, startup, invitee = _world()
    _invite(api, founder, startup, invitee)
    outsider = make_user("talent")
    assert api.get(URL, outsider).get_json()["count"] == 0
    received = api.get(f"{URL}?folder=received", invitee).get_json()
    assert received["count"] == 1 and received["results"][0]["invitee"]["username"] == "invitee"
    assert api.get(f"{URL}?folder=sent", invitee).get_json()["count"] == 0
    assert api.get(f"{URL}?folder=sent", founder).get_json()["count"] == 1
    assert api.get(f"{URL}?folder=received", founder).get_json()["count"] == 0
    assert api.get(f"{URL}?folder=bogus", founder).status_code == 422
    # A hidden startup's invitations disappear and cannot be answered.
    startup.is_hidden = True
    db.session.commit()
    assert api.get(URL, invitee).get_json()["count"] == 0
    assert api.get(URL, founder).get_json()["count"] == 0


def test_invitation_routes_need_a_token(api):
    assert api.get(URL).status_code == 401
    assert api.post(URL, json={}).status_code == 401
    assert api.post(f"{URL}1/accept").status_code == 401


@on_postgres
def test_concurrent_answers_and_invitations_are_one_each(make_app):
    app = make_app()
    with app.app_context():
        founder, startup, invitee = _world()
        token_founder, token_invitee = token_for(founder), token_for(invitee)
        body = {"startup": startup.slug, "user": invitee.username, "role": "cto"}
    barrier = threading.Barrier(2)

    def race(method: str, url: str, token: str, json=None) -> list[int]:
        statuses = []

        def call():
            client = app.test_client()
            barrier.wait()
            response = client.open(url, method=method, json=json, headers={"Authorization": f"Bearer {token}"})
            statuses.append(response.status_code)

        threads = [threading.Thread(target=call) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return sorted(statuses)

    assert race("POST", URL, token_founder, body) == [201, 409]
    with app.app_context():
        [invitation_id] = db.session.scalars(select(TeamInvitation.id)).all()
    assert race("POST", f"{URL}{invitation_id}/accept", token_invitee) == [200, 409]
    with app.app_context():
        startup = db.session.get(Startup, startup.id)
        assert [m.user_id for m in startup.memberships].count(invitee.id) == 1
        assert len(_events("startup_updated")) == 1
