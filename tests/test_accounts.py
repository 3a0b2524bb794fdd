"""Sign-up, log-in, log-out, CSRF, rate limits and API tokens."""

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ActivityEvent, User

from .factories import PASSWORD, make_user


def signup(client, **overrides):
    data = {"username": "ada", "email": "ada@example.com", "password": PASSWORD, "role": "talent"} | overrides
    return client.post("/signup", data=data)


def test_signup_creates_account_logs_in_and_records_user_joined(client):
    response = signup(client)
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "ada"))
    assert user.role == "talent"
    assert user.password_hash.startswith("$argon2id$")
    event = db.session.scalar(select(ActivityEvent).where(ActivityEvent.actor_id == user.id))
    assert (event.action_type, event.is_public) == ("user_joined", True)
    assert "ada" in client.get("/").get_data(as_text=True)


def test_signup_errors_are_shown_next_to_fields_and_nothing_is_written(client):
    response = signup(client, username="a", email="nope", password="short", role="wizard")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert page.count('class="field-error"') >= 4
    assert db.session.scalar(select(User)) is None


def test_usernames_are_unique_whatever_the_case(client):
    make_user(username="Ada")
    response = signup(client, username="ADA", email="other@example.com")
    assert response.status_code == 422
    assert "taken" in response.get_data(as_text=True)


def test_login_by_username_or_email_and_logout(client, auth):
    make_user(username="grace")
    assert auth.login("GRACE").status_code == 302
    assert "grace" in client.get("/").get_data(as_text=True)
    auth.logout()
    assert client.get("/settings/tokens").status_code == 302
    assert auth.login("grace@example.com").status_code == 302


def test_wrong_password_and_unknown_user_look_the_same(client, auth):
    make_user(username="grace")
    wrong = auth.login("grace", "not the password")
    unknown = auth.login("nobody", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert "Wrong username or password." in wrong.get_data(as_text=True)
    assert "Wrong username or password." in unknown.get_data(as_text=True)


def test_login_next_never_redirects_off_site(client):
    make_user(username="grace")
    for target in ("//evil.example", "/\\evil.example", "https://evil.example", "javascript:alert(1)"):
        response = client.post(f"/login?next={target}", data={"username": "grace", "password": PASSWORD})
        assert response.headers["Location"] == "/", target
        client.post("/logout")


def test_forms_without_csrf_token_are_refused(client):
    response = client.post(
        "/signup",
        data={"username": "ada", "email": "ada@example.com", "password": PASSWORD, "role": "talent"},
        csrf=False,
    )
    assert response.status_code == 400
    assert db.session.scalar(select(User)) is None


def test_htmx_requests_without_csrf_header_are_refused(client, auth):
    make_user(username="grace")
    auth.login("grace")
    response = client.post("/settings/tokens", data={"name": "x"}, headers={"HX-Request": "true"}, csrf=False)
    assert response.status_code == 400


def test_login_is_rate_limited(make_app):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    statuses = [
        client.post("/login", data={"username": "x", "password": "y"}).status_code for _ in range(4)
    ]
    assert statuses == [401, 401, 401, 429]


def test_signup_is_rate_limited(make_app):
    app = make_app(RATELIMIT_ENABLED=True, SIGNUP_RATE_LIMIT="2 per minute")
    client = app.test_client()
    statuses = [
        client.post("/signup", data={"username": f"u{i}x", "email": f"u{i}@e.com", "password": PASSWORD,
                                     "role": "talent"}).status_code
        for i in range(3)
    ]
    assert statuses[-1] == 429


def test_token_page_shows_a_new_token_once_and_revokes(client, auth):
    make_user(username="grace")
    auth.login("grace")
    page = client.post("/settings/tokens", data={"name": "script"}).get_data(as_text=True)
    assert "chub_" in page and "shown only this once" in page
    listing = client.get("/settings/tokens").get_data(as_text=True)
    assert "script" in listing and "shown only this once" not in listing


def test_password_change_ends_existing_sessions(client, auth):
    from webapp.services.accounts import change_password

    user = make_user(username="grace")
    auth.login("grace")
    assert client.get("/settings/tokens").status_code == 200
    change_password(user, "a whole new password")
    assert client.get("/settings/tokens").status_code == 302
