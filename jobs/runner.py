"""Starting a job, running it, reporting its progress, and failing the jobs of dead workers.

A job kind is a function registered with `@job_kind("name")` in an app's `jobs.py` (found at
start-up); it receives the Job and a `progress(done, total, state=...)` callable and returns a
dict of figures (its outcome), or raises JobError with a message for the user.
"""

import logging
import os
import socket
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from jobs.models import Job, WorkerHeartbeat

logger = logging.getLogger("jobs")

KINDS: dict[str, Callable] = {}
PROGRESS_SECONDS = 24 * 3600
# A job run inside a request (TASK_BACKEND=immediate) cannot outlive the request's timeout.
IN_REQUEST_LOST_AFTER = timedelta(hours=1)
WORKER_LOST_MESSAGE = _(
    "The worker stopped while this job was running (the server restarted or ran out of "
    "memory). Nothing was written. Start it again."
)
FAILED_MESSAGE = _("The job failed, and nothing was written. Try it again.")

# Set by `manage.py run_worker` in its process; empty inside a web request.
current_worker_id = ""


class JobError(Exception):
    """A failure to tell the user in these words (no private data in them)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def job_kind(name: str):
    def register(function):
        KINDS[name] = function
        return function

    return register


def discover():
    autodiscover_modules("jobs")


def start(kind: str, *, user, params: dict, reference: str = "") -> Job:
    """Record a job and queue it for a worker (or run it now, with TASK_BACKEND=immediate)."""
    from jobs.tasks import run_job

    if kind not in KINDS:
        discover()
    if kind not in KINDS:
        raise LookupError(f"No job kind {kind!r}")
    job = Job.objects.create(kind=kind, user=user, params=params, reference=reference)
    # In the same transaction as the Job: a worker sees the task only once the job exists.
    run_job.enqueue(str(job.pk))
    return job


def progress_key(job_id) -> str:
    return f"job-progress:{job_id}"


def live_progress(job: Job) -> dict:
    """The latest progress: from the cache while the job's own transaction hides it from the
    database (an import writes everything in one transaction), otherwise from the row."""
    stored = cache.get(progress_key(job.pk)) or {}
    return {
        "state": stored.get("state", ""),
        "done": max(job.done, stored.get("done", 0)),
        "total": max(job.total, stored.get("total", 0)),
    }


def _reporter(job: Job):
    def progress(done: int, total: int, state: str = "running"):
        cache.set(
            progress_key(job.pk), {"state": state, "done": done, "total": total}, PROGRESS_SECONDS
        )
        if not connection.in_atomic_block:
            Job.objects.filter(pk=job.pk).update(done=done, total=total)

    return progress


def execute(job_id: str) -> dict:
    """Run the job `job_id` once: claim it, call its kind, record how it ended."""
    if not KINDS:
        discover()
    claimed = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING, started_at=timezone.now(), worker_id=current_worker_id
    )
    if not claimed:
        return {"skipped": True}
    job = Job.objects.get(pk=job_id)
    function = KINDS.get(job.kind)
    try:
        if function is None:
            raise JobError(FAILED_MESSAGE)
        outcome = function(job, _reporter(job)) or {}
    except JobError as error:
        _finish(job, Job.State.FAILED, error=str(error.message))
        return {"failed": True}
    except Exception as error:
        # Only the type: a database error's message quotes the row it refused.
        logger.error(
            "job failed: %s",
            type(error).__name__,
            extra={"job_id": str(job.pk), "job_kind": job.kind},
        )
        _finish(job, Job.State.FAILED, error=str(FAILED_MESSAGE))
        return {"failed": True}
    _finish(job, Job.State.DONE, outcome=outcome)
    return {"done": True}


def _finish(job: Job, state: str, *, outcome=None, error=""):
    fields = {"state": state, "finished_at": timezone.now(), "error": error[:500]}
    if outcome is not None:
        fields["outcome"] = outcome
    with transaction.atomic():
        Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(**fields)
    cache.delete(progress_key(job.pk))


# --- workers ------------------------------------------------------------------------------------


def new_worker_id() -> str:
    host = socket.gethostname()[:40]
    return f"{host}-{os.getpid()}-{os.urandom(3).hex()}"


def beat(worker_id: str):
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "seen_at": timezone.now(),
        },
    )


def live_workers():
    cutoff = timezone.now() - timedelta(seconds=settings.WORKER_LOST_SECONDS)
    return WorkerHeartbeat.objects.filter(seen_at__gte=cutoff)


def reap_lost_jobs() -> int:
    """Fail the jobs (and their queue entries) whose worker stopped answering: killed, out of
    memory, or its machine gone. Their transaction died with them, so nothing was written."""
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    alive = set(live_workers().values_list("worker_id", flat=True))
    lost = (
        Job.objects.filter(state=Job.State.RUNNING)
        .exclude(worker_id="")
        .exclude(worker_id__in=alive)
        .filter(started_at__lt=now - timedelta(seconds=settings.WORKER_LOST_SECONDS))
    )
    in_request = Job.objects.filter(
        state=Job.State.RUNNING, worker_id="", started_at__lt=now - IN_REQUEST_LOST_AFTER
    )
    failed = 0
    for job in [*lost, *in_request]:
        failed += Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(
            state=Job.State.FAILED, finished_at=now, error=str(WORKER_LOST_MESSAGE)
        )
        cache.delete(progress_key(job.pk))
        logger.warning(
            "job lost with its worker", extra={"job_id": str(job.pk), "job_kind": job.kind}
        )
    for task in DBTaskResult.objects.running():
        workers = task.worker_ids or []
        if (
            workers
            and workers[-1] not in alive
            and task.started_at < now - timedelta(seconds=settings.WORKER_LOST_SECONDS)
        ):
            task.status = "FAILED"
            task.finished_at = now
            task.exception_class_path = "jobs.runner.WorkerLost"
            task.traceback = "The worker stopped while running this task."
            task.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
    return failed
