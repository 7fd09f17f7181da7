"""Two volunteers edit the same case: the second save of a stale form is refused, with a
message that says what changed, instead of silently overwriting the first."""

import pytest
from django.test import Client

from cases.models import Case
from tests.admin_forms import form_data
from tests.factories import CaseFactory, MembershipFactory, UserFactory

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
