"""Fixtures: a fresh database per test, on SQLite always and PostgreSQL + Redis when asked.

Set TEST_DATABASE_URL (postgresql://…) and TEST_REDIS_URL (redis://…) to run the same
suite on PostgreSQL and Redis.
"""

import os
import re
import shutil

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from webapp import create_app
from webapp.extensions import db

from . import factories

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL")
CSRF_PATTERN = re.compile(r'"X-CSRFToken": "([^"]+)"')
on_postgres = pytest.mark.skipif(not TEST_DATABASE_URL, reason="needs TEST_DATABASE_URL (PostgreSQL)")


class CsrfClient(FlaskClient):
    """A test client that sends the CSRF token with form posts, as a browser would.

    Each request runs in its own app context (its own `g` and database session), as in
    production, even though the test itself holds one open for the factories.
    """

    def open(self, *args, csrf: bool = True, **kwargs):
        method = (kwargs.get("method") or "GET").upper()
        if csrf and method in ("POST", "PUT", "PATCH", "DELETE") and not _is_api(args, kwargs):
            headers = dict(kwargs.pop("headers", None) or {})
            headers.setdefault("X-CSRFToken", self.csrf_token())
            kwargs["headers"] = headers
        with self.application.app_context():
            return super().open(*args, **kwargs)

    def csrf_token(self) -> str:
        with self.application.app_context():
            page = super().open("/", method="GET").get_data(as_text=True)
        match = CSRF_PATTERN.search(page)
        assert match, "no CSRF token on /"
        return match.group(1)


def _is_api(args, kwargs) -> bool:
    path = args[0] if args and isinstance(args[0], str) else kwargs.get("path", "")
    return str(path).startswith("/api/")


def _base_config(tmp_path) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "RATELIMIT_ENABLED": False,
        "TASKS_IMMEDIATE": True,
        "LOG_DIR": str(tmp_path / "logs"),
        "REDIS_URL": TEST_REDIS_URL,
        # Tests run the outbox relay and the repair sweep themselves, when they mean to.
        "OUTBOX_RELAY_SECONDS": 0,
        # Hundreds of users are signed up and logged in here; hashing each with the production
        # profile (64 MiB, t=3) was half the suite's time. test_security_login checks that profile.
        "PASSWORD_HASH_PROFILE": "CHEAPEST",
    }
    return config


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory):
    """Migrate a template database once per session; each test gets a fresh copy of it."""
    if TEST_DATABASE_URL:
        app = create_app({"DATABASE_URL": TEST_DATABASE_URL, "TESTING": True})
        with app.app_context():
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
            upgrade()
            db.engine.dispose()
        return TEST_DATABASE_URL
    template = tmp_path_factory.mktemp("db") / "template.sqlite3"
    app = create_app({"DATABASE_URL": f"sqlite:///{template}", "TESTING": True})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return str(template)


# Kept by triggers on the other tables, so emptied after them.
TRIGGER_KEPT = ("search_documents", "search_words", "public_event_counts")


def _empty_all() -> None:
    """Empty every table and restart the sequences a test used.

    DELETE, not TRUNCATE: a test leaves a handful of rows, and TRUNCATE's fixed cost per table
    (new files for each table and index) made it 70–140 ms per test against 8 ms for DELETE.
    """
    names = [table.name for table in reversed(db.metadata.sorted_tables) if table.name not in TRIGGER_KEPT]
    with db.engine.begin() as connection:
        for name in [*names, *TRIGGER_KEPT]:
            connection.execute(text(f'DELETE FROM "{name}"'))
        used = list(connection.scalars(text(
            "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) FROM pg_sequences"
            " WHERE last_value IS NOT NULL"
        )))
        for sequence in used:
            connection.execute(text(f"ALTER SEQUENCE {sequence} RESTART"))


@pytest.fixture
def make_app(migrated_database, tmp_path):
    """Build apps on this test's fresh database (several share it, like several processes)."""
    created = []
    if TEST_DATABASE_URL:
        url = TEST_DATABASE_URL
    else:
        copy = tmp_path / "test.sqlite3"
        shutil.copyfile(migrated_database, copy)
        url = f"sqlite:///{copy}"

    def build(**overrides):
        config = _base_config(tmp_path) | {"DATABASE_URL": url} | overrides
        app = create_app(config)
        app.test_client_class = CsrfClient
        created.append(app)
        return app

    yield build
    for app in created:
        with app.app_context():
            if TEST_DATABASE_URL and app is created[0]:
                db.session.remove()
                _empty_all()
            db.session.remove()
            db.engine.dispose()
    if TEST_REDIS_URL:
        import redis  # noqa: PLC0415 - only when Redis tests run

        redis.Redis.from_url(TEST_REDIS_URL).flushdb()


@pytest.fixture
def app(make_app):
    app = make_app()
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_client(app):
    """A second, third… browser: independent cookie jars on the same app."""
    return app.test_client


class AuthActions:
    """Log a test client in and out through the real forms."""

    def __init__(self, client):
        self._client = client

    def login(self, username: str, password: str = factories.PASSWORD):
        return self._client.post("/login", data={"username": username, "password": password})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def api(app):
    """Call the JSON API with a Bearer token for a user."""
    return factories.ApiCaller(app)
