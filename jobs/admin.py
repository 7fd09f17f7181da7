"""Background jobs in the admin: site staff read what ran, when, and how it ended (the Job's
own words, never a traceback). django-tasks' queue admin is removed: its tracebacks can quote
private rows, and the Job list says what the queue did."""

from django.contrib import admin
from django_tasks_db.models import DBTaskResult

from jobs.models import Job, WorkerHeartbeat
from orgs.access import SiteStaffReadOnlyAdmin

if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)


@admin.register(Job)
class JobAdmin(SiteStaffReadOnlyAdmin, admin.ModelAdmin):
    list_display = ("created_at", "kind", "state", "user", "done", "total", "finished_at")
    list_filter = ("state", "kind")
    list_select_related = ("user",)
    # The parameters name files and organizations; the outcome holds counts.
    fields = (
        "kind", "state", "user", "created_at", "started_at", "finished_at", "worker_id", "done",
        "total", "outcome", "error",
    )  # fmt: skip


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(SiteStaffReadOnlyAdmin, admin.ModelAdmin):
    list_display = ("worker_id", "hostname", "pid", "started_at", "seen_at")
