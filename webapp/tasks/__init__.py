"""Background tasks: one interface, run inline after commit or queued on Redis (Huey)."""

import logging
from collections.abc import Callable

from flask import Flask, g, has_request_context
from huey import RedisHuey
from redis import ConnectionPool
from redis.exceptions import RedisError

from ..services.transaction import after_commit

log = logging.getLogger(__name__)

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

    def enqueue(self, fn: Callable, **kwargs) -> None:
        request_id = _current_request_id()
        # The write has committed: a failing task is logged, never turned into a failed request.
        after_commit(lambda: run_task(self.app, fn.task_name, kwargs, request_id, reraise=False))

    def check(self) -> dict:
        return {"status": "ok", "backend": self.name}


class HueyQueue:
    """Queue tasks on Redis for `flask worker`; fall back to inline when Redis is down."""

    name = "redis"

    def __init__(self, app: Flask, redis_url: str):
        self.app = app
        pool = ConnectionPool.from_url(redis_url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self.huey = RedisHuey("collabhub", connection_pool=pool)
        self._queued = {
            name: self.huey.task(retries=3, retry_delay=2, name=name)(self._runner(name))
            for name in TASKS
        }

    def _runner(self, name: str) -> Callable:
        def run(kwargs: dict, request_id: str | None) -> None:
            run_task(self.app, name, kwargs, request_id)

        return run

    def enqueue(self, fn: Callable, **kwargs) -> None:
        request_id = _current_request_id()

        def push() -> None:
            try:
                self._queued[fn.task_name](kwargs, request_id)
            except RedisError:
                log.warning("tasks: Redis unavailable, running %s inline", fn.task_name)
                run_task(self.app, fn.task_name, kwargs, request_id, reraise=False)

        after_commit(push)

    def check(self) -> dict:
        try:
            pending = self.huey.pending_count()
        except RedisError as exc:
            return {"status": "degraded", "backend": "inline-fallback", "error": type(exc).__name__}
        return {"status": "ok", "backend": self.name, "pending": pending}


def run_task(app: Flask, name: str, kwargs: dict, request_id: str | None, reraise: bool = True) -> None:
    """Run a registered task inside an app context, logging failures with their context."""
    with app.app_context():
        g.request_id = request_id
        try:
            TASKS[name](**kwargs)
        except Exception:
            log.exception("task %s failed", name, extra={"task": name, "request_id": request_id})
            if reraise:
                raise


def init_app(app: Flask) -> None:
    """Choose the task back-end once, from REDIS_URL."""
    if app.config.get("TASKS_IMMEDIATE", True) or not app.config.get("REDIS_URL"):
        app.extensions["task_queue"] = InlineQueue(app)
    else:
        app.extensions["task_queue"] = HueyQueue(app, app.config["REDIS_URL"])
