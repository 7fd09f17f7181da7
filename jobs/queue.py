"""What the queue looks like from outside: used by /healthz and the production check."""

from datetime import datetime

from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult


def queue_is_database() -> bool:
    """Whether tasks wait in the database for a worker (production), rather than running at
    once inside the request (tests)."""
    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)


def oldest_waiting_task() -> datetime | None:
    """When the task that has waited longest for a worker was queued, or None."""
    return (
        DBTaskResult.objects.ready()
        .order_by("enqueued_at")
        .values_list("enqueued_at", flat=True)
        .first()
    )
