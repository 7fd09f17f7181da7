"""The export log in the admin: site staff read it, nobody changes it; reviewers do not see it."""

import pytest
from django.urls import reverse

from cases.exports import record_export
from cases.models import ExportLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(staff_reviewer):
    return record_export(
        user=staff_reviewer,
        report=ExportLog.Report.CASE_LIST,
        format=ExportLog.Format.CSV,
        row_count=12,
        filter_query="status=camp",
        columns=["entry_number"],
    )


def test_site_staff_read_the_log(client, site_staff_user, entry):
    client.force_login(site_staff_user)
    listing = client.get(reverse("admin:cases_exportlog_changelist"))
    assert listing.status_code == 200
    assert "status=camp" in listing.content.decode()
    detail = client.get(reverse("admin:cases_exportlog_change", args=[entry.pk]))
    assert detail.status_code == 200
    assert 'name="row_count"' not in detail.content.decode()  # read-only, no input


def test_nobody_edits_adds_or_deletes_entries(client, site_staff_user, entry):
    site_staff_user.is_superuser = True
    site_staff_user.save()
    client.force_login(site_staff_user)
    change = reverse("admin:cases_exportlog_change", args=[entry.pk])
    client.post(change, {"row_count": 0, "filter_query": ""})
    assert client.get(reverse("admin:cases_exportlog_add")).status_code == 403
    assert client.post(reverse("admin:cases_exportlog_delete", args=[entry.pk])).status_code == 403
    entry.refresh_from_db()
    assert (entry.row_count, entry.filter_query) == (12, "status=camp")


def test_reviewers_and_volunteers_do_not_see_the_log(client, staff_reviewer, volunteer, entry):
    for user in (staff_reviewer, volunteer):
        client.force_login(user)
        assert client.get(reverse("admin:cases_exportlog_changelist")).status_code == 403


def test_the_staff_case_list_is_not_recorded_but_exports_are(client, staff_reviewer, organization):
    client.force_login(staff_reviewer)
    client.get(reverse("staff:case_list"))
    assert not ExportLog.objects.exists()
    client.get(reverse("staff:export_csv"))
    assert ExportLog.objects.count() == 1
