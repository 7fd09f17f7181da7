"""What a background job did, for the person who started it, and which workers are alive.

The queue itself is django-tasks' (table django_tasks_database_dbtaskresult); a Job is the
user-facing record beside it: whose it is, how far it got, and how it ended, in words fit to
show them. A Job never holds a traceback or an exception's message (they can quote private
rows); `error` is written for the user.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("job state", "waiting for a worker")
        RUNNING = "running", pgettext_lazy("job state", "running")
        DONE = "done", pgettext_lazy("job state", "done")
        FAILED = "failed", pgettext_lazy("job state", "failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=40)
    # A key chosen by the job's owner to find it again (the import's upload token).
    reference = models.CharField(_("reference"), max_length=64, blank=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # "" while queued or when run inside a request; otherwise run_worker's id.
    worker_id = models.CharField(_("worker"), max_length=64, blank=True)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    outcome = models.JSONField(_("outcome"), default=dict, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    # A file the job made for its user (a large export): private media, deleted a day after the
    # job finished (manage.py housekeeping), since it can hold private fields.
    result = models.FileField(_("result"), upload_to="jobs/", blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [models.Index(fields=["state", "started_at"], name="jobs_job_state_started")]

    def __str__(self):
        return f"{self.kind} {self.get_state_display()}"

    @property
    def finished(self) -> bool:
        return self.state in {self.State.DONE, self.State.FAILED}


class WorkerHeartbeat(models.Model):
    """A running `manage.py run_worker` says it is alive every few seconds."""

    worker_id = models.CharField(_("worker"), max_length=64, primary_key=True)
    hostname = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    seen_at = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")

    def __str__(self):
        return self.worker_id
