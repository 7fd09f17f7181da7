"""Background jobs: an import queued for the worker, progress the volunteer sees, and a job whose
worker dies marked failed with a message, with nothing written."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cases.models import Case
from jobs import runner
from jobs.models import Job, WorkerHeartbeat
from orgs.models import Country
from tests import background_jobs
from tests.import_sheets import sample_fixed_bytes
from tests.test_import_admin import IMPORT_URL, confirm_url, post_file

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def database_queue(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.CASE_IMPORT_DIR = str(tmp_path / "imports")


@pytest.fixture
def quiet_heartbeat(monkeypatch):
    """The worker runs in this process here, on SQLite's in-memory test database, where a second
    thread's writes collide with the first's (table locks). The heartbeat thread runs for real
    in the worker process of the kill test below."""
    from jobs.management.commands import run_worker

    monkeypatch.setattr(run_worker.Heartbeat, "run", lambda self: None)


@pytest.mark.django_db(transaction=True)
def test_an_import_waits_for_the_worker_and_shows_its_progress(
    client, volunteer, organization, database_queue, settings, quiet_heartbeat
):
    client.force_login(volunteer)
    url = confirm_url(post_file(client, organization, sample_fixed_bytes()))
    progress = url.replace("/confirm/", "/progress/")
    response = client.post(url)
    assert response.status_code == 302 and response.url == progress
    waiting = client.get(progress)
    assert "waiting for the background worker" in waiting.text
    assert 'http-equiv="refresh"' in waiting.text
    assert client.get(progress + "?format=json").json()["state"] == "waiting"
    assert not Case.objects.exists()
    assert DBTaskResult.objects.ready().count() == 1

    call_command("run_worker", batch=True, startup_delay=False, interval=0, verbosity=0)

    assert Case.objects.count() == 60
    assert client.get(progress + "?format=json").json() == {
        "state": "done",
        "done": 60,
        "total": 60,
    }
    done = client.get(progress)
    assert "Imported “cases.csv” into Test Group Almaty: 60 new draft cases" in done.text
    job = Job.objects.get()
    assert (job.state, job.user, job.kind) == (Job.State.DONE, volunteer, "case_import")
    assert job.worker_id and not WorkerHeartbeat.objects.exists()  # the worker left cleanly
    # The upload is gone once written; the confirm form cannot queue it again.
    assert not (Path(settings.CASE_IMPORT_DIR) / job.params["token"]).exists()
    again = client.post(url, follow=True)
    assert "already imported or has expired" in again.text
    assert Job.objects.count() == 1


@pytest.mark.django_db
def test_a_job_whose_worker_went_silent_is_failed_and_says_so(
    client, volunteer, organization, settings
):
    settings.WORKER_LOST_SECONDS = 60
    long_ago = timezone.now() - timedelta(minutes=5)
    WorkerHeartbeat.objects.create(worker_id="alive", hostname="h", pid=1, seen_at=timezone.now())
    WorkerHeartbeat.objects.create(worker_id="killed", hostname="h", pid=2, seen_at=long_ago)
    running = {
        name: Job.objects.create(
            kind="case_import",
            user=volunteer,
            reference=name,
            state=Job.State.RUNNING,
            started_at=long_ago,
            worker_id=name,
        )
        for name in ("alive", "killed")
    }
    assert runner.reap_lost_jobs() == 1
    for job in running.values():
        job.refresh_from_db()
    assert running["alive"].state == Job.State.RUNNING
    assert running["killed"].state == Job.State.FAILED
    assert "The worker stopped while this job was running" in running["killed"].error
    client.force_login(volunteer)
    page = client.get(f"{IMPORT_URL}killed/progress/")
    assert "The worker stopped while this job was running" in page.text
    assert "Nothing was written" in page.text
    assert client.get(f"{IMPORT_URL}killed/progress/?format=json").json()["state"] == "failed"


@pytest.mark.django_db(transaction=True)
def test_killing_the_worker_mid_job_writes_nothing_and_fails_the_job(settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip(
            "A worker in another process needs a database it can share: this test runs on "
            "PostgreSQL (DATABASE_URL), the SQLite test database lives in this process's memory."
        )
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    flag = tmp_path / "started"
    job = runner.start(background_jobs.HOLD, user=None, params={"flag": str(flag)})
    params = connection.settings_dict
    database_url = (
        f"postgres://{params['USER']}:{params['PASSWORD'] or ''}@{params['HOST'] or 'localhost'}"
        f":{params['PORT'] or 5432}/{params['NAME']}"
    )
    worker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); import tests.background_jobs; "
            "from django.core.management import call_command; "
            "call_command('run_worker', startup_delay=False, interval=0.2)",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "casetracker.settings",
            "DATABASE_URL": database_url,
            "TASK_BACKEND": "database",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not flag.exists():
            assert worker.poll() is None, "the worker stopped by itself"
            assert time.monotonic() < deadline, "the worker never started the job"
            time.sleep(0.1)
        job.refresh_from_db()
        assert job.state == Job.State.RUNNING
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    # The job's transaction died with its worker.
    assert not Country.objects.filter(code="ZZ").exists()
    settings.WORKER_LOST_SECONDS = 1
    time.sleep(1.5)
    assert runner.reap_lost_jobs() == 1
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert "The worker stopped while this job was running" in job.error
    task = DBTaskResult.objects.get()
    assert task.status == "FAILED"
    assert "worker stopped" in task.traceback
