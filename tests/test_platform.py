"""Configuration, migrations on both databases, and the Redis fallbacks."""

import os

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from webapp import create_app
from webapp.config import _database_url, load_config
from webapp.extensions import cache, db

from .conftest import TEST_DATABASE_URL

CLOSED_REDIS = "redis://127.0.0.1:6390/0"


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = load_config(str(tmp_path))["SECRET_KEY"]
    second = load_config(str(tmp_path))["SECRET_KEY"]
    assert first == second and len(first) >= 40
    assert oct(os.stat(tmp_path / "secret_key").st_mode & 0o777) == "0o600"


def test_database_url_defaults_to_sqlite_and_postgres_uses_psycopg(tmp_path):
    assert _database_url(None, str(tmp_path)).startswith("sqlite:///")
    assert _database_url("postgres://u@h/db", "x") == "postgresql+psycopg://u@h/db"
    assert _database_url("postgresql://u@h/db", "x") == "postgresql+psycopg://u@h/db"


def _migration_url(tmp_path) -> str:
    if not TEST_DATABASE_URL:
        return f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
    url = make_url(TEST_DATABASE_URL)
    name = f"{url.database}_migrations"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def test_migrations_go_up_and_down_on_a_blank_database(tmp_path):
    app = create_app({"DATABASE_URL": _migration_url(tmp_path), "TESTING": True, "REDIS_URL": None})
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"users", "startups", "opportunities", "applications", "follows", "api_tokens",
                "activity_events", "event_audience", "feeds", "notifications"} <= tables
        indexes = {ix["name"] for ix in inspect(db.engine).get_indexes("activity_events")}
        assert {"ix_activity_events_created_at", "ix_activity_events_actor_created",
                "ix_activity_events_action_created"} <= indexes
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        db.engine.dispose()


def test_cache_falls_back_to_memory_when_redis_is_unreachable(make_app):
    app = make_app(REDIS_URL=CLOSED_REDIS)
    with app.app_context():
        cache.set("greeting", "hello")
        assert cache.get("greeting") == "hello"
        assert cache.cache.using_fallback


def test_pages_are_served_when_redis_is_unreachable(make_app):
    app = make_app(REDIS_URL=CLOSED_REDIS, RATELIMIT_ENABLED=True)
    client = app.test_client()
    assert client.get("/").status_code == 200
    assert client.post("/login", data={"username": "x", "password": "y"}).status_code == 401


def test_login_limit_holds_in_memory_when_redis_is_down(make_app):
    app = make_app(REDIS_URL=CLOSED_REDIS, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute")
    client = app.test_client()
    statuses = [client.post("/login", data={"username": "x", "password": "y"}).status_code for _ in range(3)]
    assert statuses == [401, 401, 429]


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="needs TEST_REDIS_URL")
def test_cache_uses_redis_when_it_is_up(app):
    cache.set("shared", 42)
    assert cache.get("shared") == 42
    assert not cache.cache.using_fallback


def test_no_page_is_a_500_for_junk_ids(client):
    for path in ("/users/%00", "/startups/" + "x" * 500, "/opportunities/99999999999999999999999",
                 "/api/v1/nothing-here"):
        assert client.get(path).status_code in (404, 401), path
