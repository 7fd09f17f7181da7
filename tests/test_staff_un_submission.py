"""The UN WGEID submission: elements drawn from the case, the readiness checklist, the refusal
without the family's consent, and the urgent-procedure flag."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cases.models import ExportLog
from cases.staff.un_submission import latest_possible_date, months_before
from tests.factories import CaseEventFactory, ConsentFactory, PersonNameFactory
from tests.staff_data import documented_case, full_case

pytestmark = pytest.mark.django_db


def page(client, case):
    return client.get(reverse("staff:un_submission", args=[case.entry_number]))


def pdf(client, case):
    return client.get(reverse("staff:un_submission_pdf", args=[case.entry_number]))


def test_a_complete_case_is_ready(client, reviewer, organization):
    case = full_case(organization)
    client.force_login(reviewer)
    response = page(client, case)
    assert response.status_code == 200
    submission = response.context["submission"]
    assert submission.ready
    assert submission.missing == []
    elements = {e.key: e.lines for e in submission.elements}
    assert any("Testova Aigerim" in line for line in elements["identity"])
    assert elements["date"] == ["detained: March 2018"]
    assert elements["place"][0].startswith("Invented Camp No. 3")
    assert "Ghulja" in elements["place"]
    assert any("Invented Camp No. 3" in line for line in elements["responsible"])
    steps = elements["family_steps"]
    assert any("Letter to the Ministry of Foreign Affairs" in line for line in steps)
    assert elements["submitter"] == [
        "Test Group Almaty (Almaty, Kazakhstan)",
        "prepared by bolat",
    ]
    assert elements["confidentiality"][0].startswith("Yes")
    assert not submission.urgent
    assert "Every required element is there." in response.content.decode()


def test_the_checklist_names_what_is_missing(client, reviewer, organization):
    case = documented_case(organization)
    case.events.all().delete()
    ConsentFactory(case=case, un_submission_consent=True, giver_may_be_named=True)
    client.force_login(reviewer)
    submission = page(client, case).context["submission"]
    assert not submission.ready
    assert [e.key for e in submission.missing] == ["date", "place", "responsible", "family_steps"]
    assert submission.elements[-1].lines[0].startswith("No")
    text = page(client, case).content.decode()
    assert "Record the letters, petitions and other steps as advocacy actions." in text


@pytest.mark.parametrize(
    "consent",
    [None, {"un_submission_consent": False}, {"un_submission_consent": True, "withdrawn": True}],
)
def test_it_refuses_without_the_familys_consent(client, reviewer, organization, consent):
    case = documented_case(organization)
    if consent is not None:
        ConsentFactory(
            case=case,
            un_submission_consent=consent["un_submission_consent"],
            withdrawn_at=timezone.now() if consent.get("withdrawn") else None,
        )
    client.force_login(reviewer)
    response = page(client, case)
    assert response.status_code == 403
    text = response.content.decode()
    assert "No submission can be prepared." in text
    assert "Invented Camp" not in text
    response = pdf(client, case)
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in response
    assert not ExportLog.objects.exists()


def test_a_recent_disappearance_is_flagged_urgent(client, reviewer, organization):
    case = full_case(organization)
    recent = timezone.localdate() - datetime.timedelta(days=40)
    CaseEventFactory(case=case, kind="contact_lost", date_start=None, date_start_precision="day")
    CaseEventFactory(case=case, kind="detained", date_start=recent, date_start_precision="day")
    client.force_login(reviewer)
    response = page(client, case)
    assert response.context["submission"].urgent
    assert "Urgent procedure" in response.content.decode()


def test_partial_dates_count_from_their_latest_day():
    today = datetime.date(2026, 5, 31)
    assert months_before(today, 3) == datetime.date(2026, 2, 28)
    assert months_before(datetime.date(2026, 1, 15), 3) == datetime.date(2025, 10, 15)
    assert latest_possible_date(datetime.date(2026, 2, 1), "month") == datetime.date(2026, 2, 28)
    assert latest_possible_date(datetime.date(2025, 1, 1), "year") == datetime.date(2025, 12, 31)


def test_the_pdf_holds_the_elements_and_is_recorded(client, reviewer, organization):
    case = full_case(organization)
    client.force_login(reviewer)
    response = pdf(client, case)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="wgeid-submission-{case.entry_number}-'
    )
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Working Group on Enforced or Involuntary Disappearances" in text
    assert "Testova Aigerim" in text
    assert "Тестова Айгерім" in text
    assert "Who is believed responsible" in text
    assert "CONFIDENTIAL" in text
    assert "NOT READY" not in text
    entry = ExportLog.objects.get(format="pdf")
    assert (entry.report, entry.case, entry.row_count) == ("un_submission", case, 1)


def test_the_pdf_prints_the_official_chinese_name_and_the_uyghur_name(
    client, reviewer, organization
):
    case = full_case(organization)
    PersonNameFactory(
        person=case.person,
        value="阿依古丽·托合提",
        script="hani",
        language="zh",
        kind="official_zh",
    )
    PersonNameFactory(person=case.person, value="ئايگۈل توختى", script="arab", language="ug")
    client.force_login(reviewer)
    text = "\n".join(
        p.extract_text() for p in PdfReader(io.BytesIO(pdf(client, case).content)).pages
    )
    assert "阿依古丽·托合提" in text
    assert "ئايگۈل توختى" in text
    assert "pinyin" not in text


def test_an_incomplete_pdf_is_a_marked_draft(client, reviewer, organization):
    case = documented_case(organization)
    ConsentFactory(case=case, un_submission_consent=True)
    client.force_login(reviewer)
    text = "\n".join(
        p.extract_text() for p in PdfReader(io.BytesIO(pdf(client, case).content)).pages
    )
    assert "DRAFT, NOT READY TO SEND" in text
    assert "What the family did to find the person" in text


def test_the_page_runs_a_fixed_number_of_queries(
    client, reviewer, organization, django_assert_max_num_queries
):
    case = full_case(organization)
    client.force_login(reviewer)
    with django_assert_max_num_queries(20):
        page(client, case)
