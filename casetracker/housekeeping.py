"""What a server that runs for years must tidy by itself (`manage.py housekeeping`, daily from
deploy/casetracker-housekeeping.timer): expired sessions, previewed imports nobody confirmed,
finished jobs and queue entries past their time, and media files that no row refers to."""

from datetime import timedelta

from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

from casetracker.backups import media_names

# A file younger than this may belong to a row that is being saved right now.
ORPHAN_GRACE = timedelta(days=1)
# A job's file (a large export, with private fields) is downloadable for this long.
JOB_RESULT_LIFETIME = timedelta(days=1)


def referenced_files() -> set[str]:
    """Every file name that a row, current or historical, of any model refers to."""
    names: set[str] = set()
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        for field in fields:
            names.update(
                model._base_manager.exclude(**{field: ""})
                .exclude(**{f"{field}__isnull": True})
                .values_list(field, flat=True)
                .iterator()
            )
    return names


def orphaned_files() -> list[str]:
    """Files in the media storage that nothing refers to and that are older than a day."""
    used = referenced_files()
    cutoff = timezone.now() - ORPHAN_GRACE
    orphans = []
    for name in media_names():
        if name in used:
            continue
        try:
            modified = default_storage.get_modified_time(name)
        except (NotImplementedError, OSError):
            continue
        if modified < cutoff:
            orphans.append(name)
    return orphans


def tidy(*, job_days: int, delete_orphans: bool) -> dict[str, int]:
    from django_tasks_db.models import DBTaskResult

    from cases.imports import pending
    from jobs.models import Job

    now = timezone.now()
    done = {}
    done["expired sessions"], _ = Session.objects.filter(expire_date__lt=now).delete()
    done["stale previewed imports"] = pending.remove_stale()
    results = Job.objects.exclude(result="").filter(finished_at__lt=now - JOB_RESULT_LIFETIME)
    done["exported files past their day"] = 0
    for job in results:
        job.result.delete(save=False)
        Job.objects.filter(pk=job.pk).update(result="")
        done["exported files past their day"] += 1
    old = now - timedelta(days=job_days)
    done["finished jobs"], _ = Job.objects.filter(finished_at__lt=old).delete()
    done["finished queue entries"], _ = (
        DBTaskResult.objects.finished().filter(finished_at__lt=old).delete()
    )
    orphans = orphaned_files()
    if delete_orphans:
        for name in orphans:
            default_storage.delete(name)
    done["orphaned media files" + ("" if delete_orphans else " (not deleted)")] = len(orphans)
    return done
