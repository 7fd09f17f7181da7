"""A large staff XLSX export is written by the worker: the reviewer follows it on a page, and
only they can download the file, for a day."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cases.models import ExportLog
from jobs.models import Job
from tests.factories import MembershipFactory
from tests.staff_data import documented_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_threshold(settings, tmp_path):
    settings.BACKGROUND_EXPORT_ROWS = 2
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_large_export_is_made_in_the_background_for_its_reviewer_only(
    client, reviewer, organization
):
    for latin in ("Testova Aigerim", "Testova Aru", "Testova Dana"):
        documented_case(organization, latin=latin, cyrillic="")
    client.force_login(reviewer)
    response = client.get(
        reverse("staff:export_xlsx"), {"columns": ["entry_number", "name_latin", "notes"]}
    )
    job = Job.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("staff:job", kwargs={"job_id": job.pk})
    assert ExportLog.objects.get().row_count == 3  # on record when asked for, as ever

    page = client.get(response.url)
    assert "The spreadsheet is ready: 3 cases." in page.text
    download = client.get(reverse("staff:job_download", kwargs={"job_id": job.pk}))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Entry number", "Name (Latin)", "Notes (private)")
    assert sorted(row[1] for row in rows[1:]) == ["Testova Aigerim", "Testova Aru", "Testova Dana"]

    colleague = MembershipFactory(organization=organization, role="reviewer").user
    client.force_login(colleague)
    assert client.get(response.url).status_code == 404
    assert client.get(reverse("staff:job_download", kwargs={"job_id": job.pk})).status_code == 404

    # A day later the file is gone from the server.
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - timedelta(days=2))
    stored = job.result.name
    call_command("housekeeping", verbosity=0)
    job.refresh_from_db()
    assert not job.result and not job.result.storage.exists(stored)
    client.force_login(reviewer)
    assert "The file was deleted from the server" in client.get(response.url).text


def test_a_small_export_is_still_made_at_once(client, reviewer, organization):
    documented_case(organization)
    client.force_login(reviewer)
    response = client.get(reverse("staff:export_xlsx"), {"columns": ["entry_number"]})
    assert response.status_code == 200
    assert not Job.objects.exists()


def test_a_queued_export_says_it_waits_for_the_worker(client, reviewer, organization, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    for latin in ("Testova Aigerim", "Testova Aru", "Testova Dana"):
        documented_case(organization, latin=latin, cyrillic="")
    client.force_login(reviewer)
    response = client.get(reverse("staff:export_xlsx"), {"columns": ["entry_number"]})
    page = client.get(response.url)
    assert "waiting for the background worker" in page.text
    assert 'http-equiv="refresh"' in page.text
    job = Job.objects.get()
    assert client.get(reverse("staff:job_download", kwargs={"job_id": job.pk})).status_code == 404
