"""Request ids, JSON logs without secrets, unhandled errors with their request id."""

import json
import logging
import re
from pathlib import Path

import pytest
from flask import current_app, g

from webapp.extensions import db
from webapp.models import User
from webapp.tasks import task

from .factories import PASSWORD, make_user, token_for

FIELDS = {"timestamp", "level", "logger", "message", "request_id", "user_id", "method", "path", "status",
          "duration_ms"}
seen_by_task: list[str | None] = []


@task
def remember_request_id() -> None:
    seen_by_task.append(g.request_id)


def log_lines(app) -> list[dict]:
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = (Path(app.config["LOG_DIR"]) / "collabhub.log").read_text()
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture
def boom(app):
    """Routes that fail, registered before the app serves its first request."""

    def fail():
        raise RuntimeError(f"kaboom with token {current_app.config['LEAKED']}")

    app.config["LEAKED"] = "chub_" + "x" * 40
    app.add_url_rule("/test-boom", "test_boom", fail)
    app.add_url_rule("/api/v1/test-boom", "test_api_boom", fail)
    return app


def test_request_id_is_generated_echoed_or_replaced(client):
    generated = client.get("/live/").headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    assert client.get("/live/").headers["X-Request-ID"] != generated
    assert client.get("/live/", headers={"X-Request-ID": "lb-Trace_1.2"}).headers["X-Request-ID"] == "lb-Trace_1.2"
    for bad in ("has space", "x" * 129, "<script>", "semi;colon"):
        replaced = client.get("/", headers={"X-Request-ID": bad}).headers["X-Request-ID"]
        assert replaced != bad and re.fullmatch(r"[0-9a-f]{32}", replaced)
    assert client.get("/no-such-page", headers={"X-Request-ID": "r404"}).headers["X-Request-ID"] == "r404"


def test_request_id_travels_into_tasks(app):
    def enqueue():
        current_app.extensions["task_queue"].enqueue(remember_request_id, {})
        return "queued"

    app.add_url_rule("/test-task", "test_task", enqueue)
    seen_by_task.clear()
    app.test_client().get("/test-task", headers={"X-Request-ID": "task-trace-7"})
    assert seen_by_task == ["task-trace-7"]


def test_log_lines_are_json_with_context_and_no_secrets(app, client, auth, api):
    user = make_user(username="ada")
    token = token_for(user)
    assert auth.login("ada").status_code == 302
    client.get("/", headers={"X-Request-ID": "page-1", "Cookie": "session=supersecretcookie"})
    api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}", "X-Request-ID": "api-1"})
    with app.test_request_context("/x"):
        logging.getLogger("webapp.test").warning(
            "signing in with password=%s", PASSWORD, extra={"form": {"password": PASSWORD, "csrf_token": "abc123"}}
        )
    lines = log_lines(app)
    raw = json.dumps(lines)
    for secret in (PASSWORD, token, "supersecretcookie", "abc123"):
        assert secret not in raw
    access = [line for line in lines if line["logger"] == "webapp.access"]
    assert {line["request_id"] for line in access} >= {"page-1", "api-1"}
    page = next(line for line in access if line["request_id"] == "page-1")
    assert FIELDS <= set(page)
    assert (page["method"], page["path"], page["status"], page["user_id"]) == ("GET", "/", 200, user.id)
    assert page["duration_ms"] >= 0
    login = next(line for line in access if line["path"] == "/login")
    assert login["status"] == 302


def test_api_token_requests_log_their_user(app):
    user = make_user()

    def as_api_user():
        # What the API's bearer-token check leaves behind for the request.
        g.api_user = db.session.get(User, user.id)
        logging.getLogger("webapp.test").info("api call")
        return "ok"

    app.add_url_rule("/test-api-user", "test_api_user", as_api_user)
    app.test_client().get("/test-api-user", headers={"X-Request-ID": "api-user-1"})
    lines = [line for line in log_lines(app) if line["request_id"] == "api-user-1"]
    assert {line["logger"] for line in lines} == {"webapp.test", "webapp.access"}
    assert all(line["user_id"] == user.id for line in lines)


def test_unhandled_error_is_logged_once_and_shows_the_request_id(boom):
    client = boom.test_client()
    page = client.get("/test-boom", headers={"X-Request-ID": "boom-html"})
    assert page.status_code == 500
    assert "boom-html" in page.get_data(as_text=True) and "<html" in page.get_data(as_text=True)
    fragment = client.get("/test-boom", headers={"X-Request-ID": "boom-htmx", "HX-Request": "true"})
    assert fragment.status_code == 500
    assert "boom-htmx" in fragment.get_data(as_text=True) and "<html" not in fragment.get_data(as_text=True)
    api = client.get("/api/v1/test-boom", headers={"X-Request-ID": "boom-api"})
    assert api.status_code == 500
    assert api.get_json()["error"]["request_id"] == "boom-api"
    assert api.get_json()["error"]["code"] == "server_error"
    errors = [line for line in log_lines(boom) if line["level"] == "ERROR"]
    assert [line["request_id"] for line in errors] == ["boom-html", "boom-htmx", "boom-api"]
    first = errors[0]
    assert (first["method"], first["path"]) == ("GET", "/test-boom")
    assert "Traceback" in first["exc_info"] and "RuntimeError" in first["exc_info"]
    assert boom.config["LEAKED"] not in json.dumps(errors)


def test_api_errors_carry_the_request_id(client):
    response = client.get("/api/v1/nothing-here", headers={"X-Request-ID": "api-404"})
    assert response.status_code == 404
    assert response.get_json()["error"]["request_id"] == "api-404"
