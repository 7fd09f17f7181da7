"""Who sees which people and families in the admin: the owning group's members, and the groups
whose cases they appear in. Lists, change pages, autocomplete and the choices a form accepts
follow one rule (Person/Family.objects.visible_to)."""

import pytest
from django.test import Client

from cases.models import Family, PersonName
from tests.admin_forms import form_data
from tests.factories import CaseFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def signed_in(user):
    """A browser of its own per person: no message or cookie of one user reaches the next."""
    client = Client()
    client.force_login(user)
    return client


def autocomplete(client, model_name, field_name, term=""):
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "cases", "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    return {int(result["id"]) for result in response.json()["results"]}


def test_a_colleagues_new_family_is_offered_and_accepted(
    client, volunteer, organization, other_organization, outsider
):
    colleague = MembershipFactory(
        user=UserFactory(username="saltanat"), organization=organization
    ).user
    own_case = CaseFactory(organization=organization)
    their_case = CaseFactory(organization=other_organization)
    client.force_login(volunteer)
    response = client.post(
        "/admin/cases/family/add/",
        {"label": "Invented Seitkali family", "organization": str(organization.pk)},
    )
    assert response.status_code == 302
    family = Family.objects.get(label="Invented Seitkali family")

    client = signed_in(colleague)
    assert "Invented Seitkali family" in client.get("/admin/cases/family/").text
    assert family.pk in autocomplete(client, "person", "family", "Seitkali")
    url = f"/admin/cases/person/{own_case.person_id}/change/"
    response = client.post(url, form_data(client.get(url), family=str(family.pk)))
    assert response.status_code == 302
    own_case.person.refresh_from_db()
    assert own_case.person.family == family

    client = signed_in(outsider)
    assert "Invented Seitkali family" not in client.get("/admin/cases/family/").text
    assert client.get(f"/admin/cases/family/{family.pk}/change/").status_code == 404
    assert autocomplete(client, "person", "family", "Seitkali") == set()
    url = f"/admin/cases/person/{their_case.person_id}/change/"
    response = client.post(url, form_data(client.get(url), family=str(family.pk)))
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    their_case.person.refresh_from_db()
    assert their_case.person.family is None


def test_a_person_added_for_one_group_stays_hidden_from_the_other_group_of_their_author(
    client, volunteer, organization, other_organization, outsider
):
    """Aigul volunteers for Almaty and Bishkek; Erlan only for Bishkek. What she enters for
    Almaty is not Bishkek's to read."""
    MembershipFactory(user=volunteer, organization=other_organization)
    client.force_login(volunteer)
    page = client.get("/admin/cases/person/add/")
    data = form_data(
        page,
        organization=str(organization.pk),
        contact_details="+7 700 000 00 00 (invented)",
        **{"names-0-value": "Invented Kadyrova Meruert", "names-0-script": "latn"},
    )
    assert client.post("/admin/cases/person/add/", data).status_code == 302
    person = PersonName.objects.get(value="Invented Kadyrova Meruert").person
    assert person.organization == organization

    client = signed_in(outsider)
    assert "Kadyrova" not in client.get("/admin/cases/person/").text
    found = client.get("/admin/cases/person/", {"q": "Kadyrova"}).context["cl"].result_list
    assert list(found) == []
    assert client.get(f"/admin/cases/person/{person.pk}/change/").status_code == 404
    assert client.get(f"/admin/cases/person/{person.pk}/history/").status_code == 404
    assert person.pk not in autocomplete(client, "testimony", "testifier", "Kadyrova")
    assert person.pk not in autocomplete(client, "relationship", "relative", "Kadyrova")
