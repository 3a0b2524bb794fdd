"""Durable background jobs: a row per enqueued task, written with the fact, marked when done.

A task that fails inline, or exhausts its queue retries, leaves its row pending; `pending()`
finds those and the repair sweep (`flask repair-notifications`, the worker, the web relay)
runs them again. Tasks are idempotent (notifications are deduplicated), so a rerun of a job
that had in fact finished changes nothing.
"""

import json
from datetime import timedelta

from sqlalchemy import delete, or_, select, update

from ..extensions import db
from ..models import TaskJob, utcnow
from .transaction import atomic

REPAIR_AFTER = timedelta(minutes=10)  # well past the queue's own retries (2+4+8+16+32 s)
MAX_ATTEMPTS = 20
KEEP_DONE = timedelta(days=1)


def record(task: str, kwargs: dict) -> int:
    """Write the job in the current transaction (a rollback forgets it); return its id."""
    with atomic():
        job = TaskJob(task=task, kwargs=json.dumps(kwargs, sort_keys=True), created_at=utcnow(), attempts=0)
        db.session.add(job)
        db.session.flush()
        return job.id


def mark_done(job_id: int) -> None:
    with atomic():
        db.session.execute(update(TaskJob).where(TaskJob.id == job_id).values(done_at=utcnow()))


def mark_failed(job_id: int, error: str) -> None:
    with atomic():
        db.session.execute(
            update(TaskJob).where(TaskJob.id == job_id, TaskJob.done_at.is_(None))
            .values(tried_at=utcnow(), attempts=TaskJob.attempts + 1, last_error=error[:2000])
        )


def _due(cutoff):
    return (
        TaskJob.done_at.is_(None),
        TaskJob.created_at <= cutoff,
        or_(TaskJob.tried_at.is_(None), TaskJob.tried_at <= cutoff),
        TaskJob.attempts < MAX_ATTEMPTS,
    )


def pending(older_than: timedelta = REPAIR_AFTER, limit: int = 100) -> list[tuple[int, str, dict]]:
    """Jobs not done `older_than` after they were enqueued (and last tried): (id, task, kwargs)."""
    cutoff = utcnow() - older_than
    rows = db.session.execute(
        select(TaskJob.id, TaskJob.task, TaskJob.kwargs).where(*_due(cutoff)).order_by(TaskJob.id).limit(limit)
    ).all()
    return [(job_id, task, json.loads(kwargs)) for job_id, task, kwargs in rows]


def claim(job_id: int, older_than: timedelta = REPAIR_AFTER) -> bool:
    """Take a pending job for one rerun; False when another sweep took it first."""
    cutoff = utcnow() - older_than
    with atomic():
        result = db.session.execute(
            update(TaskJob).where(TaskJob.id == job_id, *_due(cutoff)).values(tried_at=utcnow())
        )
    return result.rowcount == 1


def prune(keep: timedelta = KEEP_DONE) -> int:
    """Forget jobs done longer ago than `keep`."""
    with atomic():
        result = db.session.execute(delete(TaskJob).where(TaskJob.done_at < utcnow() - keep))
    return result.rowcount or 0


def get(job_id: int) -> TaskJob | None:
    return db.session.get(TaskJob, job_id)
