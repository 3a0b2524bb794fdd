"""Background tasks: inline after commit without Redis, queued with it, inline again when it is down."""

import os

import pytest

from webapp.extensions import db
from webapp.models import User
from webapp.services.transaction import atomic
from webapp.tasks import HueyQueue, InlineQueue, task

from .factories import make_user

calls: list[dict] = []


@task
def remember(user_id: int) -> None:
    """Record that the task ran, and what it saw in the database."""
    calls.append({"user_id": user_id, "exists": db.session.get(User, user_id) is not None})


@pytest.fixture(autouse=True)
def _clear_calls():
    calls.clear()


def test_inline_tasks_run_only_after_commit(app):
    queue = app.extensions["task_queue"]
    assert isinstance(queue, InlineQueue)
    user = make_user()
    with atomic():
        queue.enqueue(remember, {"user_id": user.id})
        assert calls == []
    assert calls == [{"user_id": user.id, "exists": True}]


def test_a_rolled_back_transaction_runs_no_task(app):
    queue = app.extensions["task_queue"]
    with pytest.raises(RuntimeError), atomic():
        queue.enqueue(remember, {"user_id": 1})
        raise RuntimeError("boom")
    assert calls == []


def test_queue_falls_back_to_inline_when_redis_is_down(make_app):
    app = make_app(REDIS_URL="redis://127.0.0.1:6390/0", TASKS_IMMEDIATE=False)
    with app.app_context():
        queue = app.extensions["task_queue"]
        assert isinstance(queue, HueyQueue)
        assert queue.check()["status"] == "degraded"
        user = make_user()
        with atomic():
            queue.enqueue(remember, {"user_id": user.id})
        assert calls == [{"user_id": user.id, "exists": True}]


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="needs TEST_REDIS_URL")
def test_queued_tasks_wait_in_redis_for_the_worker(make_app):
    app = make_app(TASKS_IMMEDIATE=False)
    with app.app_context():
        queue = app.extensions["task_queue"]
        user = make_user()
        queue.huey.flush()  # drop the saved-search check the sign-up queued
        with atomic():
            queue.enqueue(remember, {"user_id": user.id})
        assert calls == [] and queue.huey.pending_count() == 1
        # What `flask worker` does for each message: dequeue and execute.
        queue.huey.execute(queue.huey.dequeue())
        assert calls == [{"user_id": user.id, "exists": True}]
