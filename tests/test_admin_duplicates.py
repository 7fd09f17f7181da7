"""A new person or case that is likely already in the records: the admin shows the likely
duplicates with links before saving, and the volunteer confirms or stops."""

import datetime

import pytest

from cases.models import Case, Person, PersonName
from tests.admin_forms import form_data
from tests.factories import CaseFactory, PersonFactory, PersonNameFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded_case(organization):
    """Сауытбай Гүлнар, already in the Almaty group's records, born 1975 in Ili."""
    person = PersonFactory(birth_date=datetime.date(1975, 1, 1), hometown_prefecture="ili")
    PersonNameFactory(
        person=person, value="Сауытбай Гүлнар", script="cyrl", language="kk", kind="primary"
    )
    return CaseFactory(person=person, organization=organization)


def new_case_data(client, organization, name, **changes):
    page = client.get("/admin/cases/case/add/")
    assert page.status_code == 200
    return form_data(
        page,
        **{
            "organization": str(organization.pk),
            "status": "camp",
            "evidence_level": "1",
            "priority": "2",
            "person_gender": "female",
            "person_ethnicity": "kazakh",
            "person_birth_date": "1975-01-01",
            "person_birth_date_precision": "year",
            "person_hometown_prefecture": "ili",
            "names-0-value": name,
            "names-0-script": "latn",
            "names-0-language": "en",
            "names-0-kind": "primary",
            **changes,
        },
    )


def test_it_warns_of_a_cyrillic_name_typed_in_latin(client, volunteer, organization, recorded_case):
    client.force_login(volunteer)
    data = new_case_data(client, organization, "Gulnar Sawytbay")
    response = client.post("/admin/cases/case/add/", data)
    assert response.status_code == 200
    assert "This person may already be in the records" in response.text
    assert f'href="/admin/cases/case/{recorded_case.pk}/change/"' in response.text
    assert "Сауытбай Гүлнар" in response.text
    assert Case.objects.count() == 1
    assert not PersonName.objects.filter(value="Gulnar Sawytbay").exists()


def test_it_saves_when_the_volunteer_confirms(client, volunteer, organization, recorded_case):
    client.force_login(volunteer)
    data = new_case_data(client, organization, "Gulnar Sawytbay", save_despite_duplicates="on")
    response = client.post("/admin/cases/case/add/", data)
    assert response.status_code == 302
    case = Case.objects.exclude(pk=recorded_case.pk).get()
    assert case.person.display_name == "Gulnar Sawytbay"
    assert case.person.birth_year == 1975
    assert case.created_by == volunteer
    assert case.organization == organization


def test_a_different_birth_year_is_no_duplicate(client, volunteer, organization, recorded_case):
    client.force_login(volunteer)
    data = new_case_data(client, organization, "Gulnar Sawytbay", person_birth_date="1990-01-01")
    assert client.post("/admin/cases/case/add/", data).status_code == 302
    assert Case.objects.count() == 2


def test_it_does_not_reveal_another_groups_records(
    client, outsider, other_organization, recorded_case
):
    client.force_login(outsider)
    data = new_case_data(client, other_organization, "Gulnar Sauytbay")
    response = client.post("/admin/cases/case/add/", data)
    assert response.status_code == 302
    assert "Сауытбай" not in response.text


def test_it_warns_on_the_person_page_too(client, volunteer, recorded_case):
    client.force_login(volunteer)
    page = client.get("/admin/cases/person/add/")
    data = form_data(
        page,
        **{
            "gender": "female",
            "ethnicity": "kazakh",
            "birth_date": "1975-01-01",
            "birth_date_precision": "year",
            "hometown_prefecture": "ili",
            "names-0-value": "Sauytbai Gulnar",
            "names-0-script": "latn",
            "names-0-language": "en",
            "names-0-kind": "primary",
        },
    )
    response = client.post("/admin/cases/person/add/", data)
    assert response.status_code == 200
    assert f'href="/admin/cases/case/{recorded_case.pk}/change/"' in response.text
    assert Person.objects.count() == 1
    data["save_despite_duplicates"] = "on"
    assert client.post("/admin/cases/person/add/", data).status_code == 302
    assert Person.objects.count() == 2


def test_editing_an_existing_case_does_not_warn(client, volunteer, recorded_case):
    client.force_login(volunteer)
    page = client.get(f"/admin/cases/case/{recorded_case.pk}/change/")
    response = client.post(
        f"/admin/cases/case/{recorded_case.pk}/change/", form_data(page, status="disappeared")
    )
    assert response.status_code == 302
    recorded_case.refresh_from_db()
    assert recorded_case.status == "disappeared"
