"""API: your own profile and other users' public profiles."""

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ActivityEvent, User

from .factories import make_user


def profile_events(user) -> list[ActivityEvent]:
    db.session.expire_all()
    query = select(ActivityEvent).where(
        ActivityEvent.action_type == "profile_updated", ActivityEvent.actor_id == user.id
    )
    return list(db.session.scalars(query))


def test_me_shows_the_account_with_its_private_fields(api):
    user = make_user("talent", username="grace", name="Grace Hopper", skills=["cobol", "Compilers"])
    data = api.get("/api/v1/me", user).get_json()
    assert data["username"] == "grace" and data["email"] == "grace@example.com"
    assert data["role"] == "talent" and data["is_admin"] is False
    assert data["skills"] == ["cobol", "compilers"]
    assert data["investor"] is None
    assert data["url"] == "http://localhost/users/grace"


def test_patch_me_updates_the_profile_and_records_profile_updated(api):
    user = make_user("talent")
    body = {"name": "Ada", "headline": "Engineer", "skills": ["Rust", "python"], "open_to_work": True}
    response = api.patch("/api/v1/me", user, json=body)
    assert response.status_code == 200
    data = response.get_json()
    assert (data["name"], data["headline"], data["skills"], data["open_to_work"]) == (
        "Ada", "Engineer", ["python", "rust"], True
    )
    [event] = profile_events(user)
    assert event.is_public is True
    # The same values again: nothing changed, nothing recorded.
    assert api.patch("/api/v1/me", user, json=body).status_code == 200
    assert len(profile_events(user)) == 1


def test_investor_preferences_round_trip(api):
    investor = make_user("investor")
    body = {"investor": {"industries": ["Fintech", "health"], "stages": ["seed"], "cheque_min": 10000,
                         "cheque_max": 50000}}
    data = api.patch("/api/v1/me", investor, json=body).get_json()
    assert data["investor"] == {"industries": ["fintech", "health"], "stages": ["seed"], "cheque_min": 10000,
                                "cheque_max": 50000}
    bad = api.patch("/api/v1/me", investor, json={"investor": {"cheque_min": 9, "cheque_max": 1}})
    assert bad.status_code == 422


def test_role_admin_email_and_unknown_fields_are_not_writable(api):
    user = make_user("talent", username="grace")
    for body in ({"role": "investor"}, {"is_admin": True}, {"email": "x@example.com"}, {"favourite": "tea"},
                 {"username": "other"}, {"skills": "a" * 80}, {"name": "x" * 101}, {"open_to_work": "maybe"}):
        response = api.patch("/api/v1/me", user, json=body)
        assert response.status_code == 422, body
        assert response.get_json()["error"]["fields"], body
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert (user.role, user.is_admin, user.email, user.username) == ("talent", False, "grace@example.com", "grace")
    assert profile_events(user) == []


def test_public_profile_never_shows_the_email(api):
    viewer = make_user()
    make_user("investor", username="Vera", headline="Angel", investor={"stages": ["idea"]})
    response = api.get("/api/v1/users/vera", viewer)
    assert response.status_code == 200
    data = response.get_json()
    assert data["username"] == "Vera" and data["headline"] == "Angel"
    assert data["investor"]["stages"] == ["idea"]
    assert "email" not in data and "is_admin" not in data
    assert "vera@example.com" not in response.get_data(as_text=True)


def test_unknown_and_suspended_users_are_404(api):
    viewer = make_user()
    suspended = make_user(username="gone")
    suspended.is_suspended = True
    db.session.commit()
    assert api.get("/api/v1/users/gone", viewer).status_code == 404
    assert api.get("/api/v1/users/nobody", viewer).status_code == 404
