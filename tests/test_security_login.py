"""Log-in hardening (issue 10, items 9–11): limits per address and per account that survive a Redis
outage and a spoofed X-Forwarded-For, one answer for unknown user and wrong password, argon2id,
common passwords refused, long ones accepted; no open redirects; operator endpoints not public."""

import hashlib
import re
from urllib.parse import quote, urlsplit

import pytest
from argon2 import PasswordHasher

from webapp import create_app
from webapp.config import DEFAULT_PASSWORD_HASH_PROFILE
from webapp.extensions import db
from webapp.models import User
from webapp.services import moderation

from .factories import PASSWORD, make_user

CLOSED_REDIS = "redis://127.0.0.1:6390/0"
LIMITED = {"RATELIMIT_ENABLED": True}


def _attempt(client, username="ada", password="wrong password", address="203.0.113.7", headers=None):
    return client.post("/login", data={"username": username, "password": password},
                       environ_overrides={"REMOTE_ADDR": address}, headers=headers or {}).status_code


@pytest.mark.parametrize("redis_url", [None], ids=["configured-redis-or-memory"])
def test_per_account_limit_holds_across_addresses(make_app, redis_url):
    overrides = LIMITED | {"LOGIN_RATE_LIMIT": "100 per hour", "LOGIN_ACCOUNT_RATE_LIMIT": "3 per hour"}
    if redis_url:
        overrides["REDIS_URL"] = redis_url
    app = make_app(**overrides)
    with app.app_context():
        make_user(username="ada")
    client = app.test_client()
    statuses = [_attempt(client, username="ADA", address=f"203.0.113.{i}") for i in range(4)]
    assert statuses == [401, 401, 401, 429]
    # The right password from yet another address is refused too until the window passes…
    assert _attempt(client, password=PASSWORD, address="192.0.2.99") == 429
    # …while other accounts are unaffected.
    assert _attempt(client, username="someone-else", address="192.0.2.98") == 401


@pytest.mark.parametrize("redis_url", [None], ids=["configured-redis-or-memory"])
def test_per_address_limit_holds_and_spoofed_forwarded_for_does_not_reset_it(make_app, redis_url):
    overrides = LIMITED | {"LOGIN_RATE_LIMIT": "3 per hour", "LOGIN_ACCOUNT_RATE_LIMIT": "100 per hour"}
    if redis_url:
        overrides["REDIS_URL"] = redis_url
    app = make_app(**overrides)
    client = app.test_client()
    statuses = [_attempt(client, username=f"user{i}", headers={"X-Forwarded-For": f"198.51.100.{i}"})
                for i in range(5)]
    assert statuses == [401, 401, 401, 429, 429]


def test_successful_log_ins_do_not_count_against_the_account(make_app):
    app = make_app(**LIMITED, LOGIN_RATE_LIMIT="100 per hour", LOGIN_ACCOUNT_RATE_LIMIT="2 per hour")
    with app.app_context():
        make_user(username="ada")
    for i in range(4):
        assert _attempt(app.test_client(), password=PASSWORD, address=f"203.0.113.{i}") == 302


def test_behind_a_trusted_proxy_only_the_proxy_supplied_address_counts(make_app):
    app = make_app(**LIMITED, TRUSTED_PROXY_COUNT=1, LOGIN_RATE_LIMIT="2 per hour",
                   LOGIN_ACCOUNT_RATE_LIMIT="100 per hour")
    client = app.test_client()
    # The client prepends whatever it likes; our proxy appends the real address last.
    spoofed = [_attempt(client, username=f"u{i}", address="10.0.0.2",
                        headers={"X-Forwarded-For": f"1.2.3.{i}, 198.51.100.20"}) for i in range(3)]
    assert spoofed == [401, 401, 429]
    other = _attempt(client, username="u9", address="10.0.0.2", headers={"X-Forwarded-For": "198.51.100.21"})
    assert other == 401


def _normalised(html: str) -> str:
    html = re.sub(r'(nonce|value)="[^"]*"', r'\1=""', html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)


def test_unknown_user_and_wrong_password_answer_the_same(client):
    make_user(username="ada")
    suspended = make_user(username="sam")
    root = make_user(username="root")
    moderation.make_admin("root")
    moderation.set_suspended(db.session.get(User, root.id), suspended.id, True)
    answers = []
    for username in ("ada", "nobody-here", "sam"):
        response = client.post("/login", data={"username": "x", "password": "wrong password"} | {"username": username})
        answers.append((response.status_code, _normalised(response.get_data(as_text=True)).replace(username, "X")))
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][0] == 401 and "Wrong username or password." in answers[0][1]


def test_passwords_are_argon2id_with_sound_parameters(make_app):
    # The suite hashes with argon2-cffi's CHEAPEST profile; this is the one the app ships with.
    app = make_app(PASSWORD_HASH_PROFILE=DEFAULT_PASSWORD_HASH_PROFILE)
    with app.app_context():
        password_hash = make_user(username="ada").password_hash
    parameters = PasswordHasher().check_needs_rehash  # the library's current RFC 9106 profile
    assert app.config["PASSWORD_HASH_PROFILE"] == DEFAULT_PASSWORD_HASH_PROFILE
    assert password_hash.startswith("$argon2id$v=19$")
    found = re.search(r"m=(\d+),t=(\d+),p=(\d+)", password_hash)
    memory, time_cost, parallelism = (int(v) for v in found.groups())
    # OWASP: at least m=19 MiB with t=2; we use the library's 64 MiB, t=3 profile.
    assert memory >= 19 * 1024 and time_cost >= 2 and parallelism >= 1
    assert not parameters(password_hash)


@pytest.mark.parametrize("password", ["password123", "qwertyuiop", "1234567890", "iloveyou12", "aaaaaaaaaaaa",
                                      "Password2020", "evelynevelyn", "letmein123"])
def test_common_or_guessable_passwords_are_refused(client, password):
    response = client.post("/signup", data={"username": "evelyn", "email": "evelyn@example.com",
                                            "password": password, "role": "talent"})
    assert response.status_code == 422, password
    assert db.session.query(User).count() == 0


@pytest.mark.parametrize("password", ["correct horse battery staple", "ünïcødé pässphrase 🚀 " * 3,
                                      hashlib.sha256(b"long").hexdigest() * 16])
def test_long_and_unicode_passwords_are_accepted_and_work(client, password):
    response = client.post("/signup", data={"username": "lena", "email": "lena@example.com",
                                            "password": password, "role": "talent"})
    assert response.status_code == 302, response.get_data(as_text=True)[-500:]
    client.post("/logout")
    assert client.post("/login", data={"username": "lena", "password": password}).status_code == 302


OPEN_REDIRECTS = ["//evil.example", "/\\evil.example", "\\\\evil.example", "https:evil.example", "https://evil.example",
                  "javascript:alert(1)", "/\t/evil.example", "/%0A/evil.example", "http:/evil.example",
                  " //evil.example", "//evil.example/%2F..", "/\\/evil.example", "data:text/html,x", "evil.example"]


@pytest.mark.parametrize("target", OPEN_REDIRECTS)
def test_next_never_leaves_the_site(client, target):
    make_user(username="ada")
    for url in (f"/login?next={quote(target)}", f"/login?next={target}"):
        response = client.post(url, data={"username": "ada", "password": PASSWORD})
        assert _same_site(response.headers["Location"]), (target, response.headers["Location"])
        client.post("/logout")
    signed_in = client.application.test_client()
    signed_in.post("/login", data={"username": "ada", "password": PASSWORD})
    assert _same_site(signed_in.get(f"/login?next={quote(target)}").headers["Location"])


def _same_site(location: str) -> bool:
    """A path on this site, as a browser would read it (it drops tabs and newlines, treats \\ as /)."""
    browser_view = location.replace("\t", "").replace("\n", "").replace("\r", "").replace("\\", "/")
    parts = urlsplit(browser_view)
    return parts.scheme in ("", "http") and parts.netloc in ("", "localhost") and not browser_view.startswith("//") \
        and browser_view.startswith(("/", "http://localhost/"))


def test_a_same_site_next_is_kept(client):
    make_user(username="ada")
    response = client.post("/login?next=/feed%3Fscope%3Dfollowing", data={"username": "ada", "password": PASSWORD})
    assert response.headers["Location"] == "/feed?scope=following"


def test_prometheus_is_private_by_default(make_app):
    client = make_app().test_client()
    assert client.get("/metrics/prometheus", environ_overrides={"REMOTE_ADDR": "203.0.113.5"}).status_code == 403
    for address in ("127.0.0.1", "10.2.3.4", "192.168.1.9"):
        assert client.get("/metrics/prometheus", environ_overrides={"REMOTE_ADDR": address}).status_code == 200
    # A spoofed X-Forwarded-For does not make an outsider look internal.
    spoofed = client.get("/metrics/prometheus", headers={"X-Forwarded-For": "127.0.0.1"},
                         environ_overrides={"REMOTE_ADDR": "203.0.113.5"})
    assert spoofed.status_code == 403


def test_prometheus_open_to_all_networks_still_wants_its_token(make_app):
    client = make_app(METRICS_ALLOWED_NETWORKS="0.0.0.0/0,::/0", METRICS_TOKEN="scrape-secret").test_client()
    outsider = {"REMOTE_ADDR": "203.0.113.5"}
    assert client.get("/metrics/prometheus", environ_overrides=outsider).status_code == 401
    ok = client.get("/metrics/prometheus", environ_overrides=outsider,
                    headers={"Authorization": "Bearer scrape-secret"})
    assert ok.status_code == 200


def test_admin_is_404_for_everyone_but_admins_and_can_be_fenced_by_network(make_app):
    app = make_app(ADMIN_ALLOWED_NETWORKS="10.0.0.0/8")
    with app.app_context():
        make_user(username="root")
        moderation.make_admin("root")
        make_user(username="ada")
    for username in (None, "ada", "root"):
        browser = app.test_client()
        if username:
            browser.post("/login", data={"username": username, "password": PASSWORD})
        for address in ("203.0.113.5", "10.1.1.1"):
            status = browser.get("/admin/", environ_overrides={"REMOTE_ADDR": address}).status_code
            assert status == (200 if (username == "root" and address == "10.1.1.1") else 404), (username, address)


# Last in this module: the module-level Limiter keeps fallback state after an app whose Redis was
# down, which confuses later apps in the same process (one app per process in production).
def test_both_limits_hold_in_memory_when_redis_is_down(make_app):
    test_per_account_limit_holds_across_addresses(make_app, CLOSED_REDIS)
    test_per_address_limit_holds_and_spoofed_forwarded_for_does_not_reset_it(make_app, CLOSED_REDIS)


@pytest.mark.parametrize("profile", ["CHEAPEST", "NO_SUCH_PROFILE"])
def test_a_weak_or_unknown_password_hash_profile_stops_the_app_starting(tmp_path, profile):
    with pytest.raises(RuntimeError, match="PASSWORD_HASH_PROFILE"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/app.sqlite3", "PASSWORD_HASH_PROFILE": profile})
