"""Background tasks: one interface, run inline after commit or queued on Redis (Huey)."""

import logging
import threading
from collections.abc import Callable

import click
from flask import Flask, current_app, g, has_request_context
from huey import RedisHuey
from huey.signals import SIGNAL_ERROR, SIGNAL_INTERRUPTED
from redis import BlockingConnectionPool
from redis.exceptions import RedisError

from ..extensions import db
from ..services import jobs
from ..services.transaction import after_commit

log = logging.getLogger(__name__)

QUEUE_NAME = "collabhub"
WORKER_SOCKET_TIMEOUT = 5.0
# SIGTERM (Kubernetes, docker stop): running tasks get this long to finish, then are requeued.
WORKER_SHUTDOWN_TIMEOUT = 20.0
RETRIES = 5
RETRY_DELAY_SECONDS = 2
RETRY_BACKOFF = 2  # 2 s, 4 s, 8 s, 16 s, 32 s

# name -> plain function; each back-end wraps them its own way.
TASKS: dict[str, Callable] = {}


def task(fn: Callable) -> Callable:
    """Register `fn` as a background task under its qualified name."""
    TASKS[f"{fn.__module__}.{fn.__name__}"] = fn
    fn.task_name = f"{fn.__module__}.{fn.__name__}"
    return fn


def _current_request_id() -> str | None:
    return getattr(g, "request_id", None) if has_request_context() else None


class InlineQueue:
    """Run each task in this process right after the transaction commits."""

    name = "inline"

    def __init__(self, app: Flask):
        self.app = app

    def enqueue(self, fn: Callable, kwargs: dict, job_id: int | None = None) -> None:
        request_id = _current_request_id()
        # The write has committed: a failing task is logged (its job stays pending for the repair
        # sweep), never turned into a failed request.
        after_commit(lambda: run_task(self.app, fn.task_name, kwargs, request_id, reraise=False, job_id=job_id))

    def check(self) -> dict:
        return {"status": "ok", "backend": self.name}


class HueyQueue:
    """Queue tasks on Redis for `flask worker`; fall back to inline when Redis is down."""

    name = "redis"

    def __init__(self, app: Flask, redis_url: str, socket_timeout: float = 0.5):
        self.app = app
        # Web processes give up on Redis fast (then run inline); the worker blocks on BRPOP
        # for a second at a time, so it needs a longer socket timeout (see worker_command).
        # Bounded like every Redis pool here (caching.redis_pool): a burst waits briefly, then runs inline.
        pool = BlockingConnectionPool.from_url(
            redis_url, max_connections=app.config["REDIS_MAX_CONNECTIONS"], timeout=socket_timeout,
            socket_timeout=socket_timeout, socket_connect_timeout=socket_timeout,
        )
        self.huey = RedisHuey(QUEUE_NAME, connection_pool=pool)
        self._queued = {
            name: self.huey.task(
                retries=RETRIES, retry_delay=RETRY_DELAY_SECONDS, retry_backoff=RETRY_BACKOFF, name=name
            )(self._runner(name))
            for name in TASKS
        }
        self.huey.signal(SIGNAL_ERROR)(self._on_error)
        self.huey.signal(SIGNAL_INTERRUPTED)(self._on_interrupted)

    @staticmethod
    def _on_error(signal, task, exc=None) -> None:
        if task.retries:
            log.warning("task %s failed, %d retries left", task.name, task.retries,
                        extra={"task": task.name, "task_id": task.id})
            return
        # Out of retries: its job row stays pending and the repair sweep runs it again later.
        log.error("task %s gave up after %d retries (left to the repair sweep): args=%r", task.name, RETRIES,
                  task.args, extra={"task": task.name, "task_id": task.id})

    def _on_interrupted(self, signal, task, exc=None) -> None:
        """A shutdown cut the task short: queue it again (tasks are idempotent) instead of losing it."""
        try:
            self.huey.enqueue(task)
            log.warning("task %s interrupted by shutdown, queued again", task.name,
                        extra={"task": task.name, "task_id": task.id})
        except RedisError:
            log.error("task %s interrupted by shutdown and could not be queued again: args=%r", task.name,
                      task.args, extra={"task": task.name, "task_id": task.id})

    def _runner(self, name: str) -> Callable:
        def run(kwargs: dict, request_id: str | None, job_id: int | None = None) -> None:
            run_task(self.app, name, kwargs, request_id, job_id=job_id)

        return run

    def enqueue(self, fn: Callable, kwargs: dict, job_id: int | None = None) -> None:
        request_id = _current_request_id()

        def push() -> None:
            try:
                self._queued[fn.task_name](kwargs, request_id, job_id)
            except RedisError:
                log.warning("tasks: Redis unavailable, running %s inline", fn.task_name)
                run_task(self.app, fn.task_name, kwargs, request_id, reraise=False, job_id=job_id)

        after_commit(push)

    def check(self) -> dict:
        try:
            pending = self.huey.pending_count()
        except RedisError as exc:
            return {"status": "degraded", "backend": "inline-fallback", "error": type(exc).__name__}
        return {"status": "ok", "backend": self.name, "pending": pending}


def run_task(
    app: Flask, name: str, kwargs: dict, request_id: str | None, *, reraise: bool = True, job_id: int | None = None
) -> bool:
    """Run a registered task inside an app context, logging failures and marking its job."""
    with app.app_context():
        g.request_id = request_id
        try:
            TASKS[name](**kwargs)
        except Exception as exc:
            log.exception("task %s failed", name, extra={"task": name, "request_id": request_id})
            _record_failure(job_id, exc)
            if reraise:
                raise
            return False
        if job_id is not None:
            jobs.mark_done(job_id)
        return True


def _record_failure(job_id: int | None, exc: Exception) -> None:
    if job_id is None:
        return
    db.session.rollback()  # the task's own transaction may be broken
    try:
        jobs.mark_failed(job_id, f"{type(exc).__name__}: {exc}")
    except Exception:
        log.exception("task: could not record the failure of job %s", job_id)


def enqueue(fn: Callable, **kwargs) -> None:
    """Run the task `fn` once the current transaction commits (inline or on the worker).

    A job row is written in the same transaction: a rolled-back write enqueues nothing, and a
    task that never finishes is found again by `repair()`.
    """
    job_id = jobs.record(fn.task_name, kwargs)
    current_app.extensions["task_queue"].enqueue(fn, kwargs, job_id)


def repair(app: Flask, older_than=jobs.REPAIR_AFTER, limit: int = 100) -> tuple[int, int]:
    """Rerun jobs left unfinished (failed inline, out of retries, lost); return (rerun, succeeded)."""
    rerun = succeeded = 0
    for job_id, name, kwargs in jobs.pending(older_than, limit):
        if name not in TASKS:
            log.error("task repair: unknown task %s for job %s", name, job_id)
            jobs.mark_failed(job_id, f"unknown task {name}")
            continue
        if not jobs.claim(job_id, older_than):
            continue
        rerun += 1
        succeeded += run_task(app, name, kwargs, None, reraise=False, job_id=job_id)
    if rerun:
        log.info("task repair: reran %d unfinished jobs, %d succeeded", rerun, succeeded)
    return rerun, succeeded


@click.command("worker")
@click.option("--workers", default=4, show_default=True, help="Worker threads.")
def worker_command(workers: int) -> None:
    """Run the background task worker (needs REDIS_URL)."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException("No REDIS_URL: tasks run inline in the web process, no worker needed.")
    queue = HueyQueue(current_app._get_current_object(), url, socket_timeout=WORKER_SOCKET_TIMEOUT)
    # The worker also relays the outbox and repairs unfinished jobs, even with no web process up.
    sweeper = current_app.extensions.get("outbox_sweeper")
    if sweeper is not None and sweeper.interval > 0:
        threading.Thread(target=sweeper.run_forever, name="outbox-relay", daemon=True).start()
    # SIGTERM is graceful (finish running tasks, take no new ones); SIGINT stops at once. Either
    # way a task cut short is queued again (_on_interrupted); queued tasks just wait in Redis.
    queue.huey.create_consumer(workers=workers, worker_type="thread", periodic=False, graceful_signal="TERM",
                               shutdown_timeout=WORKER_SHUTDOWN_TIMEOUT).run()


def init_app(app: Flask) -> None:
    """Choose the task back-end once, from REDIS_URL."""
    if app.config.get("TASKS_IMMEDIATE", True) or not app.config.get("REDIS_URL"):
        app.extensions["task_queue"] = InlineQueue(app)
    else:
        app.extensions["task_queue"] = HueyQueue(app, app.config["REDIS_URL"])
    app.cli.add_command(worker_command)


# Task modules register themselves on import (before a HueyQueue wraps them).
from . import messaging, notifications, saved_searches  # noqa: E402,F401
