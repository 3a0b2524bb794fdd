"""A notification is never lost: failed tasks are repaired, and reconnecting sockets replay what they missed."""

import re
from datetime import timedelta

import pytest
from simple_websocket import ConnectionError as HandshakeRefused
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Notification, TaskJob
from webapp.services import follows, notifications
from webapp.services.transaction import atomic
from webapp.tasks import RETRIES, TASKS, repair

from .conftest import TEST_REDIS_URL
from .factories import make_user, token_for
from .live_server import LiveServer, receive_json, receive_until, wait_for
from .test_realtime import _session_cookie

NOW = timedelta(0)

FOLLOW_TASK = "webapp.tasks.notifications.new_follower"


def _notifications(user=None) -> list[Notification]:
    db.session.expire_all()
    query = select(Notification).order_by(Notification.id)
    if user is not None:
        query = query.where(Notification.recipient_id == user.id)
    return list(db.session.scalars(query))


def _jobs() -> list[TaskJob]:
    """The follow task's jobs (sign-ups queue saved-search matching jobs of their own)."""
    db.session.expire_all()
    return list(db.session.scalars(select(TaskJob).where(TaskJob.task == FOLLOW_TASK).order_by(TaskJob.id)))


def _failing(monkeypatch, times: int) -> list:
    """Make the follow task fail `times` times (after doing its work once), then work."""
    original, calls = TASKS[FOLLOW_TASK], []

    def flaky(**kwargs):
        calls.append(kwargs)
        if len(calls) <= times:
            raise RuntimeError("database went away")
        original(**kwargs)

    monkeypatch.setitem(TASKS, FOLLOW_TASK, flaky)
    return calls


def test_a_task_is_written_as_a_job_and_marked_done(app):
    ada, bob = make_user(username="ada"), make_user(username="bob")
    follows.follow(bob, ada)
    [job] = _jobs()
    assert job.task == FOLLOW_TASK and job.done_at is not None and job.attempts == 0
    assert len(_notifications(ada)) == 1


def test_an_inline_task_that_fails_is_repaired_by_the_sweep_once(app, monkeypatch):
    ada, bob = make_user(username="ada"), make_user(username="bob")
    calls = _failing(monkeypatch, times=1)
    follows.follow(bob, ada)  # the request succeeds; the task failed after commit
    assert _notifications(ada) == []
    [job] = _jobs()
    assert job.done_at is None and job.attempts == 1 and "database went away" in job.last_error
    assert repair(app, older_than=timedelta(hours=1)) == (0, 0)  # too recent: retries may still be under way
    assert repair(app, older_than=NOW) == (1, 1)
    assert [n.text for n in _notifications(ada)] == ["bob followed you"]
    assert _jobs()[0].done_at is not None
    assert repair(app, older_than=NOW) == (0, 0)
    assert len(calls) == 2


def test_the_repair_command_reruns_unfinished_jobs(app, runner, monkeypatch):
    ada, bob = make_user(username="ada"), make_user(username="bob")
    _failing(monkeypatch, times=1)
    follows.follow(bob, ada)
    result = runner.invoke(args=["repair-notifications", "--older-than", "0"])
    assert result.exit_code == 0, result.output
    assert "reran 1 unfinished jobs, 1 succeeded" in result.output
    assert len(_notifications(ada)) == 1


def test_a_rerun_of_a_job_that_had_in_fact_notified_notifies_nobody_twice(app, monkeypatch):
    ada, bob = make_user(username="ada"), make_user(username="bob")
    original = TASKS[FOLLOW_TASK]

    def crash_after_insert(**kwargs):
        original(**kwargs)
        raise RuntimeError("lost the connection after the insert")

    monkeypatch.setitem(TASKS, FOLLOW_TASK, crash_after_insert)
    follows.follow(bob, ada)
    monkeypatch.setitem(TASKS, FOLLOW_TASK, original)
    assert repair(app, older_than=NOW) == (1, 1)
    assert len(_notifications(ada)) == 1


def test_a_rolled_back_write_leaves_no_job(app):
    ada, bob = make_user(username="ada"), make_user(username="bob")
    with pytest.raises(RuntimeError), atomic():
        follows.follow(bob, ada)
        raise RuntimeError("the rest of the unit of work fails")
    assert _jobs() == []
    assert repair(app, older_than=NOW) == (0, 0)


@pytest.mark.skipif(not TEST_REDIS_URL, reason="needs TEST_REDIS_URL")
def test_a_queued_task_that_fails_twice_then_works_notifies_exactly_once(make_app, monkeypatch):
    app = make_app(TASKS_IMMEDIATE=False)
    with app.app_context():
        queue = app.extensions["task_queue"]
        queue.huey.flush()
        ada, bob = make_user(username="ada"), make_user(username="bob")
        _drain(queue.huey)  # the sign-ups' own jobs (saved-search matching)
        calls = _failing(monkeypatch, times=2)
        follows.follow(bob, ada)
        queue.huey.execute(queue.huey.dequeue())
        _run_retries(queue.huey)
        assert len(calls) == 3
        assert len(_notifications(ada)) == 1
        [job] = _jobs()
        assert job.done_at is not None and job.attempts == 2
        assert repair(app, older_than=NOW) == (0, 0)
        assert RETRIES >= 2


@pytest.mark.skipif(not TEST_REDIS_URL, reason="needs TEST_REDIS_URL")
def test_a_queued_task_out_of_retries_is_repaired(make_app, monkeypatch):
    app = make_app(TASKS_IMMEDIATE=False)
    with app.app_context():
        queue = app.extensions["task_queue"]
        queue.huey.flush()
        ada, bob = make_user(username="ada"), make_user(username="bob")
        _drain(queue.huey)  # the sign-ups' own jobs (saved-search matching)
        _failing(monkeypatch, times=RETRIES + 1)
        follows.follow(bob, ada)
        queue.huey.execute(queue.huey.dequeue())
        _run_retries(queue.huey)
        assert _notifications(ada) == []
        assert _jobs()[0].attempts == RETRIES + 1
        monkeypatch.setitem(TASKS, FOLLOW_TASK, TASKS[FOLLOW_TASK])
        assert repair(app, older_than=NOW) == (1, 1)
        assert len(_notifications(ada)) == 1


def _drain(huey) -> None:
    """Run everything queued so far, as the worker would."""
    while (task := huey.dequeue()) is not None:
        huey.execute(task)


def _run_retries(huey) -> None:
    """What the worker does over the next minute: run each retry when it falls due."""
    while scheduled := huey.scheduled():
        due = min(task.eta for task in scheduled) + timedelta(seconds=1)
        for task in huey.read_schedule(due):
            huey.execute(task, timestamp=due)


@pytest.fixture
def live(app):
    server = LiveServer(app)
    yield server
    server.stop()


def test_reconnecting_with_notifications_after_replays_the_missed_ones(app, live):
    ada, bob, cy, dan = (make_user(username=name) for name in ("ada", "bob", "cyd", "dan"))
    follows.follow(bob, ada)
    [seen] = [n.id for n in _notifications(ada)]
    notifications.update_preferences(ada, {"investor_interest": "in_app"})
    follows.follow(cy, ada)  # while ada's socket was away
    follows.follow(dan, ada)
    follows.follow(ada, cy)  # cy's, not ada's
    client = live.connect(f"?format=json&notifications_after={seen}", token=token_for(ada))
    replayed = [m["notification"]["text"] for m in receive_json(client) if m["type"] == "notification"]
    assert replayed == ["cyd followed you", "dan followed you"]
    wait_for(lambda: app.extensions["channel_layer"].connection_count() == 1)
    follows.unfollow(dan, ada)
    follows.follow(dan, ada)  # a new fact, live now
    live_now = [m["notification"]["text"] for m in receive_json(client) if m["type"] == "notification"]
    assert live_now == ["dan followed you"]


def test_without_notifications_after_nothing_old_is_replayed(app, live):
    ada, bob = make_user(username="ada"), make_user(username="bob")
    follows.follow(bob, ada)
    client = live.connect("?format=json", token=token_for(ada))
    assert receive_json(client, timeout=0.5) == []


def test_a_browser_reconnect_gets_the_missed_line_and_the_right_badge(app, live):
    ada, bob, cy = (make_user(username=name) for name in ("ada", "bob", "cyd"))
    follows.follow(bob, ada)
    [seen] = [n.id for n in _notifications(ada)]
    follows.follow(cy, ada)
    headers = {"Cookie": f"session={_session_cookie(app, 'ada')}", "Origin": live.origin}
    client = live.connect(f"?notifications_after={seen}", headers=headers)
    messages = receive_until(client, lambda got: len(got) >= 2)
    badge = re.compile(r'<span id="notification-badge"[^>]*>2</span>')
    assert badge.search(messages[0])  # the badge on connect
    assert "cyd followed you" in messages[1] and badge.search(messages[1])
    assert "bob followed you" not in "".join(messages)


def test_bad_notifications_after_is_refused(app, live):
    token = token_for(make_user(username="ada"))
    with pytest.raises(HandshakeRefused) as refused:
        live.connect(f"?notifications_after=-3&token={token}")
    assert refused.value.status_code == 422
