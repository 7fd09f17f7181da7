"""/healthz: one answer per check, for the proxy and monitoring, and nothing else."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from casetracker import health

pytestmark = pytest.mark.django_db

CHECKS = {"database", "cache", "media", "migrations", "queue"}


@pytest.fixture(autouse=True)
def fresh_migration_check(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    health._migrations_checked.update(at=0.0, ok=False)
    yield
    health._migrations_checked.update(at=0.0, ok=False)


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def waiting_task(minutes_ago):
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="jobs.tasks.run_job",
        backend_name="default",
        run_after=get_date_max(),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return task


def test_it_answers_ok_for_every_check_to_an_anonymous_probe(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": dict.fromkeys(CHECKS, "ok")}
    assert response["Cache-Control"].startswith("max-age=0")
    assert not response.cookies


def test_it_reveals_no_version_path_or_count(client, settings):
    body = client.get("/healthz").content.decode()
    data = json.loads(body)
    assert set(data) == {"status", "checks"}
    assert set(data["checks"]) == CHECKS
    for revealing in (str(settings.MEDIA_ROOT), "5.2", "postgres", "sqlite", "casetracker"):
        assert revealing not in body


def test_it_fails_when_media_cannot_be_written(client, settings, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = blocked
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["media"] == "failing"
    assert response.json()["checks"]["database"] == "ok"
    assert str(blocked) not in response.content.decode()


def test_it_fails_while_a_migration_is_not_applied(client):
    recorder = MigrationRecorder(connection)
    latest = recorder.migration_qs.filter(app="cases").order_by("-id").first()
    recorder.record_unapplied(latest.app, latest.name)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "failing"


def test_it_fails_when_a_task_has_waited_too_long_for_a_worker(client, settings, database_queue):
    settings.QUEUE_MAX_WAIT_SECONDS = 600
    waiting_task(minutes_ago=2)
    assert client.get("/healthz").status_code == 200
    waiting_task(minutes_ago=30)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["queue"] == "failing"


def test_it_is_exempt_from_the_https_redirect_and_answers_head(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
    assert client.get("/cases/").status_code == 301
