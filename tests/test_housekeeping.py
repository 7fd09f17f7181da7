"""Housekeeping: files leave with their rows, stale uploads and old jobs are cleared, and the
production check names what a server lacks."""

import io
import os
import time
from datetime import timedelta

import pyrage
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from PIL import Image

from cases.imports import pending
from jobs.models import Job, WorkerHeartbeat
from tests.factories import PersonFactory, SourceFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def png(colour):
    buffer = io.BytesIO()
    Image.new("RGB", (5, 5), colour).save(buffer, format="PNG")
    return SimpleUploadedFile("face.png", buffer.getvalue(), "image/png")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CASE_IMPORT_DIR = str(tmp_path / "imports")


def test_a_replaced_photo_and_a_deleted_source_leave_the_storage(
    django_capture_on_commit_callbacks,
):
    person = PersonFactory(photo=png((10, 20, 30)))
    old = person.photo.name
    assert default_storage.exists(old)
    with django_capture_on_commit_callbacks(execute=True):
        person.photo = png((200, 20, 30))
        person.save()
    assert not default_storage.exists(old)
    assert default_storage.exists(person.photo.name)
    # Saving without a new photo keeps it.
    with django_capture_on_commit_callbacks(execute=True):
        person.occupation = "teacher"
        person.save()
    assert default_storage.exists(person.photo.name)

    source = SourceFactory(file=SimpleUploadedFile("notice.pdf", PDF, "application/pdf"))
    stored = source.file.name
    assert default_storage.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):
        source.delete()
    assert not default_storage.exists(stored)


def test_housekeeping_clears_stale_uploads_old_jobs_and_counts_orphans(capsys):
    folder = pending.upload_folder()
    stale, fresh = folder / "stale-token", folder / "fresh-token"
    stale.write_bytes(b"x")
    fresh.write_bytes(b"y")
    two_days_ago = time.time() - 2 * 86400
    os.utime(stale, (two_days_ago, two_days_ago))
    old = Job.objects.create(kind="case_import", state=Job.State.DONE)
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=40))
    recent = Job.objects.create(
        kind="case_import", state=Job.State.DONE, finished_at=timezone.now()
    )
    person = PersonFactory(photo=png((1, 2, 3)))
    orphan = default_storage.save("photos/orphan.png", png((4, 5, 6)))
    os.utime(default_storage.path(orphan), (two_days_ago, two_days_ago))

    call_command("housekeeping")
    report = capsys.readouterr().out
    assert "stale previewed imports: 1" in report
    assert "finished jobs: 1" in report
    assert "orphaned media files (not deleted): 1" in report
    assert not stale.exists() and fresh.exists()
    assert list(Job.objects.all()) == [recent]
    assert default_storage.exists(orphan)

    call_command("housekeeping", delete_orphans=True)
    assert not default_storage.exists(orphan)
    assert default_storage.exists(person.photo.name)


def production_like(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = "k" * 60
    settings.ALLOWED_HOSTS = ["cases.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXY_COUNT = 1
    settings.BACKUP_RECIPIENT = [str(pyrage.x25519.Identity.generate().to_public())]
    settings.BACKUP_IDENTITY = ""
    settings.BACKUP_IDENTITY_FILE = ""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(settings.MEDIA_ROOT.parent / "cache"),
        }
    }


def test_the_production_check_names_what_is_missing(settings, capsys):
    with pytest.raises(CommandError, match="things to fix"):
        call_command("production_check")
    report = capsys.readouterr().out
    for missing in (
        "MISSING  the cache is shared by every process",
        "MISSING  backups are encrypted to a public key",
        "MISSING  the proxy's HTTPS and client address are trusted",
        "MISSING  background jobs go to the queue",
    ):
        assert missing in report

    production_like(settings)
    settings.BACKUP_IDENTITY = str(pyrage.x25519.Identity.generate())
    with pytest.raises(CommandError):
        call_command("production_check")
    report = capsys.readouterr().out
    assert "MISSING  the backups' private key is not on this server" in report
    assert "MISSING  a background worker is running" in report
    assert "ok       the cache is shared by every process" in report


def test_the_production_check_passes_on_a_production_server(settings, capsys):
    from django.db import connection

    production_like(settings)
    WorkerHeartbeat.objects.create(worker_id="w", hostname="h", pid=1, seen_at=timezone.now())
    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="1 things to fix"):
            call_command("production_check")
        assert "MISSING  the database is PostgreSQL" in capsys.readouterr().out
    else:
        call_command("production_check")
        assert "This server is ready for production." in capsys.readouterr().out
