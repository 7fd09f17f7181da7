"""The summary report: counts by each dimension, SVG charts on the page, the same as PDF."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cases.models import ExportLog
from tests.factories import CaseFactory, OrganizationFactory
from tests.staff_data import documented_case

pytestmark = pytest.mark.django_db


def pdf_text(response):
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def three_cases(organization):
    documented_case(organization, status="camp", evidence_level=3)
    documented_case(organization, latin="Sampleuly Nurlan", status="camp")
    documented_case(organization, latin="Otherova Aliya", status="imprisoned")
    CaseFactory(organization=OrganizationFactory(name="Elsewhere Group"), status="died")


def test_it_counts_by_every_dimension(client, reviewer, three_cases):
    client.force_login(reviewer)
    response = client.get(reverse("staff:summary"))
    assert response.status_code == 200
    report = response.context["report"]
    assert report.total == 3
    sections = {s.key: s.rows for s in report.sections}
    assert set(sections) == {
        "status",
        "ethnicity",
        "evidence_level",
        "detention_year",
        "prefecture",
        "citizenship",
        "organization",
    }
    assert [(str(label), n) for label, n in sections["status"]] == [
        ("detained in a camp", 2),
        ("imprisoned after sentence", 1),
    ]
    assert sections["detention_year"] == [(2018, 3)]
    assert [(str(label), n) for label, n in sections["citizenship"]] == [("Kazakhstan", 3)]
    assert [(str(label), n) for label, n in sections["organization"]] == [("Test Group Almaty", 3)]
    assert [n for _label, n in sections["evidence_level"]] == [2, 1]
    page = response.content.decode()
    assert page.count("<svg") == 7
    assert "Elsewhere Group" not in page


def test_it_filters_the_summary(client, reviewer, three_cases):
    client.force_login(reviewer)
    response = client.get(reverse("staff:summary"), {"status": "imprisoned"})
    assert response.context["report"].total == 1


def test_it_runs_a_fixed_number_of_queries(
    client, reviewer, three_cases, django_assert_max_num_queries
):
    client.force_login(reviewer)
    # Session, user, scope, the total, one query per dimension, the export log and the audit
    # log, the filter form.
    with django_assert_max_num_queries(19):
        client.get(reverse("staff:summary"))


def test_the_pdf_holds_the_counts(client, site_staff, three_cases):
    client.force_login(site_staff)
    response = client.get(reverse("staff:summary_pdf"), {"status": ["camp", "imprisoned"]})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="summary-report-')
    text = pdf_text(response)
    assert "Summary report" in text
    assert "detained in a camp" in text
    assert "Year of detention" in text
    assert "Kazakhstan" in text
    assert "Status: detained in a camp, imprisoned after sentence" in text


def test_summaries_are_recorded(client, reviewer, three_cases):
    client.force_login(reviewer)
    client.get(reverse("staff:summary"), {"status": "camp"})
    client.get(reverse("staff:summary_pdf"), {"status": "camp"})
    entries = list(ExportLog.objects.order_by("created_at", "pk"))
    assert [(e.report, e.format, e.row_count, e.filter_query) for e in entries] == [
        ("summary", "html", 2, "status=camp"),
        ("summary", "pdf", 2, "status=camp"),
    ]


def test_a_bad_filter_gets_400(client, reviewer):
    client.force_login(reviewer)
    for name in ("staff:summary", "staff:summary_pdf"):
        response = client.get(reverse(name), {"detained_from": "1800"})
        assert response.status_code == 400
        assert "detained_from" in response.content.decode()
