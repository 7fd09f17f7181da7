"""Two volunteers edit the same case: the second save of a stale form is refused, with a
message that says what changed, instead of silently overwriting the first."""

import pytest
from django.test import Client

from cases.imports.plan import dry_run
from cases.imports.reading import read_table
from cases.imports.writing import import_cases
from cases.models import Case, Submission
from cases.services import submissions
from tests.admin_forms import form_data
from tests.factories import CaseFactory, MembershipFactory, UserFactory
from tests.import_sheets import csv_bytes, upload

pytestmark = pytest.mark.django_db


def test_the_second_save_of_a_stale_form_is_refused(client, volunteer, organization):
    case = CaseFactory(organization=organization, status="camp", summary="First summary.")
    colleague = MembershipFactory(
        user=UserFactory(username="saule"), organization=organization
    ).user
    other = Client()
    other.force_login(colleague)
    client.force_login(volunteer)

    aigul_page = client.get(f"/admin/cases/case/{case.pk}/change/")
    saule_page = other.get(f"/admin/cases/case/{case.pk}/change/")

    saved = other.post(
        f"/admin/cases/case/{case.pk}/change/", form_data(saule_page, status="disappeared")
    )
    assert saved.status_code == 302

    refused = client.post(
        f"/admin/cases/case/{case.pk}/change/", form_data(aigul_page, summary="Aigul's summary.")
    )
    assert refused.status_code == 200
    assert "Someone else saved this case after you opened it" in refused.text
    assert "saule" in refused.text
    assert "status" in refused.text
    case.refresh_from_db()
    assert case.status == "disappeared"
    assert case.summary == "First summary."

    fresh = client.get(f"/admin/cases/case/{case.pk}/change/")
    again = client.post(
        f"/admin/cases/case/{case.pk}/change/", form_data(fresh, summary="Aigul's summary.")
    )
    assert again.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.summary) == ("disappeared", "Aigul's summary.")


def test_a_workflow_step_in_between_also_makes_the_form_stale(client, volunteer, organization):
    case = CaseFactory(organization=organization)
    client.force_login(volunteer)
    page = client.get(f"/admin/cases/case/{case.pk}/change/")
    client.post(f"/admin/cases/case/{case.pk}/workflow/submit/")
    refused = client.post(f"/admin/cases/case/{case.pk}/change/", form_data(page, status="died"))
    assert refused.status_code == 200
    assert "publication state" in refused.text
    assert Case.objects.get(pk=case.pk).status != "died"


def test_a_missing_or_forged_version_is_refused(client, volunteer, organization):
    case = CaseFactory(organization=organization)
    client.force_login(volunteer)
    page = client.get(f"/admin/cases/case/{case.pk}/change/")
    for version in [None, "999", "-1"]:
        data = form_data(page, status="died", loaded_version=version)
        response = client.post(f"/admin/cases/case/{case.pk}/change/", data)
        assert response.status_code == 200
    assert Case.objects.get(pk=case.pk).status != "died"


def test_an_import_that_updates_a_case_makes_an_open_admin_form_stale(
    client, volunteer, organization, case_import_dir
):
    case = CaseFactory(organization=organization, status="camp", summary="First summary.")
    client.force_login(volunteer)
    page = client.get(f"/admin/cases/case/{case.pk}/change/")

    rows = [["Entry number", "Status"], [str(case.entry_number), "disappeared"]]
    plan = dry_run(read_table(upload(csv_bytes(rows))), organization=organization, user=volunteer)
    assert plan.can_import
    assert import_cases(plan, user=volunteer).updated == 1

    refused = client.post(
        f"/admin/cases/case/{case.pk}/change/", form_data(page, summary="Later summary.")
    )
    assert refused.status_code == 200
    assert "Someone else saved this case after you opened it" in refused.text
    case.refresh_from_db()
    assert case.status == "disappeared"


def test_merging_a_submission_makes_an_open_admin_form_stale(
    client, volunteer, organization, site_staff
):
    case = CaseFactory(organization=organization, notes="Existing notes.")
    submission = Submission.objects.create(
        submitter_name="Invented Relative",
        submitter_contact="invented contact",
        detained_names="Testova Aigerim",
        account="Invented account of the detention.",
        consent_to_document=True,
    )
    client.force_login(volunteer)
    page = client.get(f"/admin/cases/case/{case.pk}/change/")

    staff = Client()
    staff.force_login(site_staff)
    merge = f"/admin/cases/submission/{submission.pk}/merge/"
    assert staff.post(merge, {"entry_number": case.entry_number}).status_code == 302
    assert submissions.Submission.objects.get().state == Submission.State.MERGED

    refused = client.post(f"/admin/cases/case/{case.pk}/change/", form_data(page))
    assert refused.status_code == 200
    case.refresh_from_db()
    assert "Invented account of the detention." in case.notes
