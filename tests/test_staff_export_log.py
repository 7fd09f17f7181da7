"""The export log in the admin: site staff read it, nobody changes it; reviewers do not see it."""

import json

import pytest
from django.urls import reverse

from cases.models import ExportLog
from cases.staff.exports import record_export

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(reviewer):
    return record_export(
        user=reviewer,
        report=ExportLog.Report.CASE_LIST,
        format=ExportLog.Format.CSV,
        row_count=12,
        filters={"status": ["camp"]},
        columns=["entry_number"],
    )


def test_site_staff_read_the_log(client, site_staff, entry):
    client.force_login(site_staff)
    listing = client.get(reverse("admin:cases_exportlog_changelist"))
    assert listing.status_code == 200
    assert "status=camp" in listing.content.decode()
    detail = client.get(reverse("admin:cases_exportlog_change", args=[entry.pk]))
    assert detail.status_code == 200
    assert 'name="row_count"' not in detail.content.decode()  # read-only, no input


def test_nobody_edits_adds_or_deletes_entries(client, site_staff, entry):
    site_staff.is_superuser = True
    site_staff.save()
    client.force_login(site_staff)
    change = reverse("admin:cases_exportlog_change", args=[entry.pk])
    client.post(change, {"row_count": 0, "filter_query": ""})
    assert client.get(reverse("admin:cases_exportlog_add")).status_code == 403
    assert client.post(reverse("admin:cases_exportlog_delete", args=[entry.pk])).status_code == 403
    entry.refresh_from_db()
    assert (entry.row_count, entry.filter_query) == (12, "status=camp")


def test_reviewers_and_volunteers_do_not_see_the_log(client, reviewer, volunteer, entry):
    for user in (reviewer, volunteer):
        client.force_login(user)
        assert client.get(reverse("admin:cases_exportlog_changelist")).status_code == 403


def test_the_staff_case_list_is_not_recorded_but_exports_are(client, reviewer, organization):
    client.force_login(reviewer)
    client.get(reverse("staff:case_list"))
    assert not ExportLog.objects.exists()
    client.get(reverse("staff:export_csv"))
    assert ExportLog.objects.count() == 1


def test_an_export_is_in_the_security_audit_log_without_search_terms(client, reviewer):
    from orgs.models import AuditEvent

    client.force_login(reviewer)
    response = client.get(reverse("staff:export_csv"), {"q": "Testova", "status": "camp"})
    assert response.status_code == 200
    b"".join(response.streaming_content)
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT)
    assert event.user == reviewer
    assert event.details["format"] == "csv"
    assert event.details["filters"]["status"] == ["camp"]
    assert "Testova" not in str(event.details)


@pytest.mark.parametrize(
    ("view", "extra"),
    [
        ("staff:export_csv", {}),
        ("staff:export_xlsx", {"columns": ["entry_number", "notes"]}),
        ("staff:summary", {}),
        ("staff:summary_pdf", {}),
    ],
)
def test_an_export_logs_its_filters_without_the_search_terms(client, reviewer, view, extra):
    """One record per export in each log, from the cleaned filters: what was searched for is
    in neither, what else narrowed the cases is in both, and what is no filter is in none."""
    from orgs.models import AuditEvent

    client.force_login(reviewer)
    response = client.get(
        reverse(view),
        {"q": "Sauytbay", "status": ["camp", "imprisoned"], "detained_from": "2017",
         "organization": "test-almaty", "name": "Sauytbay", **extra},
    )  # fmt: skip
    assert response.status_code == 200
    entry = ExportLog.objects.get()
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT)
    for record in (entry.filter_query, json.dumps(event.details)):
        assert "Sauytbay" not in record
        assert "name" not in record
    assert entry.filter_query == (
        "q=[search+terms+are+not+logged]&status=camp&status=imprisoned"
        "&organization=test-almaty&detained_from=2017"
    )
    assert event.details["filters"] == {
        "q": "[search terms are not logged]",
        "status": ["camp", "imprisoned"],
        "organization": "test-almaty",
        "detained_from": "2017",
    }
