"""The Redis task queue: tasks carry the request id, retry with backoff, and never notify twice."""

from datetime import timedelta

import pytest
from flask import g
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Notification, utcnow
from webapp.services import follows
from webapp.tasks import RETRIES, TASKS, HueyQueue

from .conftest import TEST_REDIS_URL
from .factories import make_user

pytestmark = pytest.mark.skipif(not TEST_REDIS_URL, reason="needs TEST_REDIS_URL")


@pytest.fixture
def queued_app(make_app):
    app = make_app(TASKS_IMMEDIATE=False)
    with app.app_context():
        app.extensions["task_queue"].huey.flush()
        yield app


def _signed_up(queue, *usernames):
    """Users, with the saved-search checks their sign-ups queued dropped: only the next task matters here."""
    users = [make_user(username=name) for name in usernames]
    queue.huey.flush()
    return users


def _notifications():
    db.session.expire_all()
    return list(db.session.scalars(select(Notification)))


def test_tasks_wait_for_the_worker_and_carry_the_request_id(queued_app):
    queue = queued_app.extensions["task_queue"]
    assert isinstance(queue, HueyQueue)
    ada, bob = _signed_up(queue, "ada", "bob")
    with queued_app.test_request_context("/"):
        g.request_id = "req-follow-1"
        follows.follow(bob, ada)
    assert _notifications() == []  # nothing until the worker runs it
    task = queue.huey.dequeue()
    assert task.args[1] == "req-follow-1"
    queue.huey.execute(task)
    assert [n.text for n in _notifications()] == ["bob followed you"]


def test_a_task_that_fails_after_inserting_is_retried_later_and_notifies_once(queued_app, monkeypatch):
    queue = queued_app.extensions["task_queue"]
    name = "webapp.tasks.notifications.new_follower"
    original, calls = TASKS[name], []

    def crash_once(**kwargs):
        calls.append(kwargs)
        original(**kwargs)
        if len(calls) == 1:
            raise RuntimeError("worker lost its connection after the insert")

    monkeypatch.setitem(TASKS, name, crash_once)
    ada, bob = _signed_up(queue, "ada", "bob")
    follows.follow(bob, ada)
    queue.huey.execute(queue.huey.dequeue())
    [retry] = queue.huey.scheduled()
    assert retry.retries == RETRIES - 1
    assert retry.eta - utcnow().replace(tzinfo=None) > timedelta(seconds=1)  # backs off, not at once
    queue.huey.execute(retry, timestamp=retry.eta + timedelta(seconds=1))  # as the worker would, later
    assert len(calls) == 2
    assert len(_notifications()) == 1
