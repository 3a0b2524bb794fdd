"""Pages: the invitations list (accept/decline with htmx), the invite and update forms on a startup page."""

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ActivityEvent, Startup, StartupUpdate, TeamInvitation
from webapp.services import invitations

from .factories import PASSWORD, make_startup, make_user
from .html_text import text_of

HTMX = {"HX-Request": "true"}


def _login(client, username: str) -> None:
    assert client.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302


def _world():
    founder = make_user("founder", username="fran", name="Fran")
    startup = make_startup(founder, name="Acme")
    make_user("talent", username="tina", name="Tina")
    return founder, startup


def _invite(founder, startup, username="tina"):
    return invitations.invite(founder, {"startup": startup.slug, "user": username, "role": "CTO",
                                        "message": "Build it with us"})


def test_invitations_page_accepts_with_htmx(client):
    founder, startup = _world()
    invitation = _invite(founder, startup)
    _login(client, "tina")
    page = client.get("/invitations").get_data(as_text=True)
    assert "Acme" in page and "Build it with us" in page and "Accept and join" in page and "Decline" in page
    response = client.post(f"/invitations/{invitation.id}/accept", headers=HTMX)
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in fragment
    assert f'id="invitation-{invitation.id}"' in fragment and "Accepted" in fragment
    assert "Accept and join" not in fragment
    db.session.expire_all()
    assert any(m.user.username == "tina" for m in db.session.get(Startup, startup.id).memberships)
    # The new member now sees the member tools on the startup page.
    page = client.get(f"/startups/{startup.slug}").get_data(as_text=True)
    assert "Invite someone to the team" in page and "Post an update" in page


def test_invitations_page_declines_without_javascript(client):
    founder, startup = _world()
    invitation = _invite(founder, startup)
    _login(client, "tina")
    response = client.post(f"/invitations/{invitation.id}/decline")
    assert response.status_code == 302 and response.headers["Location"].endswith("/invitations")
    db.session.expire_all()
    assert db.session.get(TeamInvitation, invitation.id).status == "declined"
    assert "Declined" in client.get("/invitations").get_data(as_text=True)
    # Answering twice: an error message, nothing changes.
    response = client.post(f"/invitations/{invitation.id}/accept", headers=HTMX)
    assert response.status_code == 409


def test_only_the_invitee_answers_on_the_pages(client):
    founder, startup = _world()
    invitation = _invite(founder, startup)
    _login(client, "fran")
    assert client.post(f"/invitations/{invitation.id}/accept").status_code == 302  # flashed refusal
    db.session.expire_all()
    assert db.session.get(TeamInvitation, invitation.id).status == "pending"
    assert client.post(f"/invitations/{invitation.id}/accept", headers=HTMX).status_code == 403
    # The inviting side sees it under "From your startups", without buttons.
    page = client.get("/invitations").get_data(as_text=True)
    assert "From your startups" in page and "Accept and join" not in page
    client.post("/logout")
    make_user("talent", username="olly")
    _login(client, "olly")
    assert client.post(f"/invitations/{invitation.id}/accept", headers=HTMX).status_code == 404
    assert "Acme" not in client.get("/invitations").get_data(as_text=True)


def test_invite_form_for_members_only(client):
    _, startup = _world()
    make_user("talent", username="olly")
    _login(client, "olly")
    page = client.get(f"/startups/{startup.slug}").get_data(as_text=True)
    assert "Invite someone to the team" not in page and "Post an update" not in page
    assert client.post(f"/startups/{startup.slug}/invitations", data={"user": "tina", "role": "x"}).status_code == 403
    assert client.post(f"/startups/{startup.slug}/updates", data={"title": "x", "body": "y"}).status_code == 403
    assert db.session.scalar(select(TeamInvitation.id)) is None
    assert db.session.scalar(select(StartupUpdate.id)) is None


def test_invite_form_sends_and_shows_errors_inline(client):
    _, startup = _world()
    _login(client, "fran")
    url = f"/startups/{startup.slug}/invitations"
    response = client.post(url, headers=HTMX, data={"user": "tina", "role": "CTO", "message": "Hi"})
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "Invitation sent to tina." in fragment and "<html" not in fragment
    assert "tina (CTO)" in text_of(fragment)
    response = client.post(url, headers=HTMX, data={"user": "tina", "role": "CTO"})
    assert response.status_code == 409 and "already has a pending invitation" in response.get_data(as_text=True)
    response = client.post(url, headers=HTMX, data={"user": "nobody", "role": "CTO"})
    assert response.status_code == 404 and "No such user." in response.get_data(as_text=True)
    response = client.post(url, headers=HTMX, data={"user": "tina", "role": ""})
    assert response.status_code == 422 and 'aria-invalid="true"' in response.get_data(as_text=True)
    # Without htmx the whole page comes back with the error in place.
    response = client.post(url, data={"user": "nobody", "role": "CTO"})
    assert response.status_code == 404 and "<html" in response.get_data(as_text=True)
    assert "No such user." in response.get_data(as_text=True)
    assert len(list(db.session.scalars(select(TeamInvitation)))) == 1


def test_update_form_posts_renders_markdown_and_attaches_traction(client):
    _, startup = _world()
    _login(client, "fran")
    url = f"/startups/{startup.slug}/updates"
    data = {"title": "Shipped v2", "body": "We **shipped**. <script>alert(1)</script>", "mrr": "5000", "team_size": ""}
    response = client.post(url, headers=HTMX, data=data)
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in fragment
    assert "Shipped v2" in fragment and "<strong>shipped</strong>" in fragment and "<script>alert" not in fragment
    assert "New figures" in fragment
    db.session.expire_all()
    assert db.session.get(Startup, startup.id).mrr == 5000
    kinds = [e.action_type for e in db.session.scalars(select(ActivityEvent).order_by(ActivityEvent.id))][-2:]
    assert kinds == ["traction_updated", "update_posted"]
    response = client.post(url, headers=HTMX, data={"title": "", "body": "x", "mrr": "-3"})
    fragment = response.get_data(as_text=True)
    assert response.status_code == 422 and fragment.count('aria-invalid="true"') == 2
    assert len(list(db.session.scalars(select(StartupUpdate)))) == 1
    response = client.post(url, data={"title": "Plain", "body": "No JS"})
    assert response.status_code == 302 and response.headers["Location"].endswith("#updates")


def test_a_member_withdraws_an_invitation_from_the_invitations_page(client):
    founder, startup = _world()
    invitation = _invite(founder, startup)
    _login(client, "fran")
    page = client.get("/invitations").get_data(as_text=True)
    assert f'id="sent-invitation-{invitation.id}"' in page and "Withdraw" in page
    response = client.post(f"/invitations/{invitation.id}/withdraw", headers=HTMX)
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in fragment
    assert f'id="sent-invitation-{invitation.id}"' in fragment
    assert "Withdrawn" in text_of(fragment) and "Withdraw the invitation" not in text_of(fragment)
    # Twice: an error, nothing changes. The invitee sees it withdrawn, with nothing to answer.
    assert client.post(f"/invitations/{invitation.id}/withdraw", headers=HTMX).status_code == 409
    client.post("/logout")
    _login(client, "tina")
    page = client.get("/invitations").get_data(as_text=True)
    assert "Withdrawn" in text_of(page) and "Accept and join" not in page
    assert client.post(f"/invitations/{invitation.id}/withdraw").status_code == 302  # plain form: flash + back
    db.session.expire_all()
    assert db.session.get(TeamInvitation, invitation.id).status == "withdrawn"


def test_collaboration_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    expected = {
        "/api/v1/invitations/": {"get", "post"},
        "/api/v1/invitations/{invitation_id}/accept": {"post"},
        "/api/v1/invitations/{invitation_id}/decline": {"post"},
        "/api/v1/invitations/{invitation_id}/withdraw": {"post"},
        "/api/v1/startups/{slug}/updates/": {"get", "post"},
        "/api/v1/saved/": {"get", "post", "delete"},
        "/api/v1/applications/": {"get"},
        "/api/v1/applications/{application_id}": {"get", "patch"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths[path]), path
