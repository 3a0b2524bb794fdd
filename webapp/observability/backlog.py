"""The delivery backlog: outbox rows not yet published and task jobs not yet finished.

Both read their table's partial index of open rows only (ix_outbox_messages_unpublished,
ix_task_jobs_pending), so a scrape costs the same whatever the history. A backlog that keeps
growing, or an oldest row far older than OUTBOX_RELAY_GRACE_SECONDS / TASK_REPAIR_AFTER_SECONDS,
means the relay or the workers are not keeping up (docs/operations.md).
"""

from prometheus_client import CollectorRegistry, Gauge
from sqlalchemy import func, select

from ..extensions import db
from ..models import OutboxMessage, TaskJob, utcnow

HELP = {
    "outbox_unpublished": "Outbox rows (events, notifications) not yet published to live sockets",
    "outbox_oldest_unpublished_seconds": "Age of the oldest unpublished outbox row (0 when none)",
    "task_jobs_unfinished": "Background task jobs queued or running, not yet finished",
    "task_jobs_oldest_unfinished_seconds": "Age of the oldest unfinished task job (0 when none)",
}


def _open_rows(created_at, still_open) -> tuple[int, int]:
    count, oldest = db.session.execute(select(func.count(), func.min(created_at)).where(still_open)).one()
    age = max(0, int((utcnow() - oldest).total_seconds())) if oldest is not None else 0
    return count or 0, age


def backlog() -> dict[str, int]:
    """How much is waiting to be delivered, and for how long the oldest has waited."""
    outbox, outbox_age = _open_rows(OutboxMessage.created_at, OutboxMessage.published_at.is_(None))
    jobs, jobs_age = _open_rows(TaskJob.created_at, TaskJob.done_at.is_(None))
    return {
        "outbox_unpublished": outbox,
        "outbox_oldest_unpublished_seconds": outbox_age,
        "task_jobs_unfinished": jobs,
        "task_jobs_oldest_unfinished_seconds": jobs_age,
    }


def backlog_registry(values: dict[str, int]) -> CollectorRegistry:
    """The backlog as Prometheus gauges, in a registry of its own: read from the database at each
    scrape, they are the same from every worker and need no multiprocess bookkeeping."""
    registry = CollectorRegistry()
    for name, value in values.items():
        Gauge(f"collabhub_{name}", HELP[name], registry=registry).set(value)
    return registry
