"""Each group sees and edits only its own cases in the admin: lists, pages, autocomplete,
inlines and related choices. Another group's case by URL is a 404."""

import pytest

from cases.models import Case
from tests.admin_forms import form_data
from tests.factories import (
    CaseEventFactory,
    CaseFactory,
    PersonFactory,
    PersonNameFactory,
)
from tests.factories import TestimonyFactory as MakeTestimony

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_case(organization):
    case = CaseFactory(organization=organization)
    PersonNameFactory(person=case.person, value="Almatova Gulnar")
    return case


@pytest.fixture
def their_case(other_organization):
    case = CaseFactory(organization=other_organization, notes="Bishkek private notes")
    PersonNameFactory(person=case.person, value="Bishkekova Saule")
    return case


def test_it_lists_only_the_volunteers_own_cases(client, volunteer, own_case, their_case):
    client.force_login(volunteer)
    response = client.get("/admin/cases/case/")
    assert response.status_code == 200
    assert "Almatova Gulnar" in response.text
    assert "Bishkekova Saule" not in response.text


def test_it_answers_404_for_another_groups_case(client, volunteer, their_case):
    client.force_login(volunteer)
    for url in [
        f"/admin/cases/case/{their_case.pk}/change/",
        f"/admin/cases/case/{their_case.pk}/history/",
        f"/admin/cases/case/{their_case.pk}/workflow/submit/",
        f"/admin/cases/person/{their_case.person_id}/change/",
        f"/admin/cases/person/{their_case.person_id}/history/",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Bishkek private notes" not in response.text


def test_it_refuses_a_post_to_another_groups_case(client, volunteer, their_case):
    client.force_login(volunteer)
    response = client.post(f"/admin/cases/case/{their_case.pk}/change/", {"notes": "mine now"})
    assert response.status_code == 404
    response = client.post(f"/admin/cases/case/{their_case.pk}/workflow/withdraw/")
    assert response.status_code == 404
    their_case.refresh_from_db()
    assert their_case.notes == "Bishkek private notes"
    assert their_case.publication_state == Case.PublicationState.DRAFT


def test_it_shows_the_own_case_on_one_page(client, volunteer, own_case):
    CaseEventFactory(case=own_case, place="Invented Town")
    client.force_login(volunteer)
    response = client.get(f"/admin/cases/case/{own_case.pk}/change/")
    assert response.status_code == 200
    for text in ["Almatova Gulnar", "Invented Town", "Private notes."]:
        assert text in response.text
    prefixes = {inline.formset.prefix for inline in response.context["inline_admin_formsets"]}
    assert prefixes == {
        "names",
        "citizenships",
        "relationships",
        "events",
        "testimonies",
        "sources",
        "consent",
        "translations",
    }


def test_autocomplete_offers_only_people_and_cases_of_the_own_group(
    client, volunteer, own_case, their_case
):
    client.force_login(volunteer)
    people = client.get(
        "/admin/autocomplete/",
        {"app_label": "cases", "model_name": "testimony", "field_name": "testifier", "term": ""},
    ).json()["results"]
    assert {int(p["id"]) for p in people} == {own_case.person_id}
    found = client.get(
        "/admin/autocomplete/",
        {"app_label": "cases", "model_name": "testimony", "field_name": "testifier",
         "term": "Bishkekova"},
    ).json()["results"]  # fmt: skip
    assert found == []
    cases = client.get(
        "/admin/autocomplete/",
        {"app_label": "orgs", "model_name": "advocacyaction", "field_name": "cases", "term": ""},
    )
    assert {int(c["id"]) for c in cases.json()["results"]} == {own_case.pk}
    orgs = client.get(
        "/admin/autocomplete/",
        {"app_label": "cases", "model_name": "case", "field_name": "organization", "term": ""},
    ).json()["results"]
    assert [o["text"] for o in orgs] == ["Test Group Almaty"]


def test_a_forged_inline_cannot_point_at_another_groups_person(
    client, volunteer, own_case, their_case
):
    client.force_login(volunteer)
    page = client.get(f"/admin/cases/case/{own_case.pk}/change/")
    data = form_data(
        page,
        **{
            "testimonies-TOTAL_FORMS": "1",
            "testimonies-0-medium": "interview",
            "testimonies-0-testifier": str(their_case.person_id),
            "testimonies-0-visibility": "restricted",
        },
    )
    response = client.post(f"/admin/cases/case/{own_case.pk}/change/", data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not own_case.testimonies.exists()


def test_a_forged_inline_cannot_take_another_groups_event(client, volunteer, own_case, their_case):
    theirs = CaseEventFactory(case=their_case, place="Their Town")
    client.force_login(volunteer)
    page = client.get(f"/admin/cases/case/{own_case.pk}/change/")
    data = form_data(
        page,
        **{
            "events-TOTAL_FORMS": "1",
            "events-INITIAL_FORMS": "1",
            "events-0-id": str(theirs.pk),
            "events-0-case": str(own_case.pk),
            "events-0-kind": "released",
        },
    )
    client.post(f"/admin/cases/case/{own_case.pk}/change/", data)
    theirs.refresh_from_db()
    assert theirs.case == their_case
    assert theirs.kind == "detained"


def test_a_volunteer_cannot_move_a_case_to_another_group(
    client, volunteer, own_case, other_organization
):
    client.force_login(volunteer)
    page = client.get(f"/admin/cases/case/{own_case.pk}/change/")
    data = form_data(page, organization=str(other_organization.pk))
    response = client.post(f"/admin/cases/case/{own_case.pk}/change/", data)
    assert response.status_code == 200
    own_case.refresh_from_db()
    assert own_case.organization != other_organization


def test_site_staff_see_every_group(client, site_staff, own_case, their_case):
    client.force_login(site_staff)
    response = client.get("/admin/cases/case/")
    assert "Almatova Gulnar" in response.text
    assert "Bishkekova Saule" in response.text
    assert client.get(f"/admin/cases/case/{their_case.pk}/change/").status_code == 200


def test_a_user_without_membership_sees_no_cases(client, own_case):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="nobody"))
    assert client.get("/admin/cases/case/").status_code == 403
    assert client.get(f"/admin/cases/case/{own_case.pk}/change/").status_code == 404


def test_a_volunteer_cannot_delete_a_case(client, volunteer, own_case):
    client.force_login(volunteer)
    response = client.post(f"/admin/cases/case/{own_case.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Case.objects.filter(pk=own_case.pk).exists()


def test_the_testifiers_of_another_group_stay_hidden(client, volunteer, their_case):
    testifier = PersonFactory()
    PersonNameFactory(person=testifier, value="Hiddenova Aruzhan")
    MakeTestimony(case=their_case, testifier=testifier)
    client.force_login(volunteer)
    assert "Hiddenova" not in client.get("/admin/cases/person/").text
    assert client.get(f"/admin/cases/person/{testifier.pk}/change/").status_code == 404


def test_autocomplete_offers_facilities_to_every_member(client, volunteer):
    from tests.factories import FacilityFactory

    FacilityFactory(name="Invented Camp No. 3")
    client.force_login(volunteer)
    results = client.get(
        "/admin/autocomplete/",
        {"app_label": "cases", "model_name": "caseevent", "field_name": "facility",
         "term": "Invented"},
    ).json()["results"]  # fmt: skip
    assert [r["text"] for r in results] == ["Invented Camp No. 3"]


@pytest.mark.parametrize("rows", [1, 10])
def test_the_case_page_costs_the_same_queries_for_1_or_10_events(
    client, volunteer, own_case, rows, django_assert_max_num_queries
):
    from tests.factories import FacilityFactory

    facility = FacilityFactory()
    for n in range(rows):
        CaseEventFactory(case=own_case, place=f"Place {n}", facility=facility)
        MakeTestimony(case=own_case, testifier=own_case.person)
    client.force_login(volunteer)
    # Two of them prefill "relatives live in": the case's countries, then the relatives'.
    with django_assert_max_num_queries(27):
        response = client.get(f"/admin/cases/case/{own_case.pk}/change/")
    assert response.status_code == 200
    assert response.text.count(str(facility)) >= rows


def test_the_people_list_of_a_member_pages_without_counting_everyone(
    client, volunteer, organization, django_assert_max_num_queries
):
    for n in range(3):
        case = CaseFactory(organization=organization)
        PersonNameFactory(person=case.person, value=f"Listova{n} Aigerim")
    client.force_login(volunteer)
    with django_assert_max_num_queries(10):
        response = client.get("/admin/cases/person/", {"p": "1"})
    assert response.status_code == 200
    assert "Listova2 Aigerim" in response.text
    assert "not counted" in response.text
    assert client.get("/admin/cases/person/", {"p": "abc"}).status_code in (200, 302)
    assert client.get("/admin/cases/person/", {"p": "99"}).status_code in (200, 302)


def test_a_family_with_several_members_can_be_chosen(client, volunteer, own_case, their_case):
    from cases.models import Family

    family = Family.objects.create(label="Invented family")
    theirs = Family.objects.create(label="Their family")
    relative = PersonFactory(family=family, organization=own_case.organization)
    PersonNameFactory(person=relative, value="Relativa Aruzhan")
    own_case.person.family = family
    own_case.person.save()
    their_case.person.family = theirs
    their_case.person.save()
    client.force_login(volunteer)
    assert "Their family" not in client.get("/admin/cases/family/").text
    assert client.get(f"/admin/cases/family/{theirs.pk}/change/").status_code == 404
    page = client.get(f"/admin/cases/person/{relative.pk}/change/")
    response = client.post(
        f"/admin/cases/person/{relative.pk}/change/",
        form_data(page, family=str(family.pk), occupation="teacher"),
    )
    assert response.status_code == 302
    relative.refresh_from_db()
    assert relative.occupation == "teacher"
    response = client.post(
        f"/admin/cases/person/{relative.pk}/change/", form_data(page, family=str(theirs.pk))
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text


@pytest.mark.parametrize("value", ["abc", "1e10", "99999999999999999999", "-1"])
def test_the_case_add_page_ignores_an_organization_in_the_url_that_is_no_key(
    client, volunteer, value
):
    client.force_login(volunteer)
    response = client.get("/admin/cases/case/add/", {"organization": value})
    assert response.status_code == 200
