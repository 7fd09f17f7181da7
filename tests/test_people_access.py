"""Who sees which people and families in the admin: the owning group's members, and the groups
whose cases they appear in. Lists, change pages, autocomplete and the choices a form accepts
follow one rule (Person/Family.objects.visible_to)."""

import pytest
from django.core.management import call_command
from django.test import Client

from cases.imports.plan import dry_run
from cases.imports.reading import read_table
from cases.imports.writing import import_cases
from cases.models import Case, Family, Person, PersonName, Submission
from cases.public.allowlist import PUBLIC_FIELDS
from cases.services.submissions import convert_to_case
from tests.admin_forms import form_data
from tests.factories import (
    CaseFactory,
    FamilyFactory,
    MembershipFactory,
    PersonFactory,
    RelationshipFactory,
    UserFactory,
)
from tests.factories import TestimonyFactory as MakeTestimony
from tests.import_sheets import csv_bytes, upload

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


def test_a_relative_on_the_groups_case_is_seen_whoever_holds_their_record(
    client, volunteer, organization, other_organization
):
    """People tied to a group's case (relatives, testifiers, consent givers) are seen by that
    group, including rows from before people had a group."""
    case = CaseFactory(organization=organization)
    relative = PersonFactory(organization=None)
    testifier = PersonFactory(organization=other_organization)
    stranger = PersonFactory(organization=None)
    RelationshipFactory(person=case.person, relative=relative)
    MakeTestimony(case=case, testifier=testifier)
    visible = set(Person.objects.visible_to(volunteer).values_list("pk", flat=True))
    assert visible == {case.person_id, relative.pk, testifier.pk}
    client.force_login(volunteer)
    assert client.get(f"/admin/cases/person/{relative.pk}/change/").status_code == 200
    assert client.get(f"/admin/cases/person/{stranger.pk}/change/").status_code == 404


def test_a_member_of_one_group_has_it_filled_in_and_cannot_leave_it_empty(
    client, volunteer, organization
):
    client.force_login(volunteer)
    page = client.get("/admin/cases/family/add/")
    assert page.context["adminform"].form["organization"].value() == organization.pk
    response = client.post("/admin/cases/family/add/", {"label": "Invented", "organization": ""})
    assert response.status_code == 200
    assert not Family.objects.exists()


def test_the_holding_group_is_not_shown_to_members_once_the_record_exists(
    client, volunteer, organization, other_organization
):
    """A relative held by another group, on this group's case: their page does not say which
    group that is, and a member cannot move a record to another group."""
    case = CaseFactory(organization=organization)
    relative = PersonFactory(organization=None)
    relative.organization = other_organization
    relative.save()
    RelationshipFactory(person=case.person, relative=relative)
    client.force_login(volunteer)
    url = f"/admin/cases/person/{relative.pk}/change/"
    page = client.get(url)
    assert "organization" not in page.context["adminform"].form.fields
    assert other_organization.name not in page.text
    history = client.get(f"/admin/cases/person/{relative.pk}/history/")
    assert history.status_code == 200
    assert other_organization.name not in history.text
    response = client.post(url, form_data(page, organization=str(organization.pk)))
    assert response.status_code == 302
    relative.refresh_from_db()
    assert relative.organization == other_organization


def test_site_staff_see_people_no_group_holds_and_may_assign_them(
    client, site_staff, organization, volunteer
):
    person = PersonFactory(organization=None)
    client.force_login(site_staff)
    url = f"/admin/cases/person/{person.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, form_data(page, organization=str(organization.pk)))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.organization == organization
    assert Person.objects.visible_to(volunteer).filter(pk=person.pk).exists()


def test_the_case_page_gives_the_detained_person_the_cases_group(client, volunteer, organization):
    client.force_login(volunteer)
    page = client.get("/admin/cases/case/add/")
    data = form_data(
        page,
        person_gender="female",
        **{"names-0-value": "Invented Tokhtarova Gaukhar", "names-0-script": "latn"},
    )
    assert client.post("/admin/cases/case/add/", data).status_code == 302
    person = PersonName.objects.get(value="Invented Tokhtarova Gaukhar").person
    assert person.organization == organization


def test_site_staff_moving_a_case_moves_its_detained_person(
    client, site_staff, organization, other_organization
):
    case = CaseFactory(organization=organization)
    client.force_login(site_staff)
    url = f"/admin/cases/case/{case.pk}/change/"
    response = client.post(url, form_data(client.get(url), organization=other_organization.pk))
    assert response.status_code == 302
    case.person.refresh_from_db()
    assert case.person.organization == other_organization


def test_an_import_gives_its_people_the_importing_group(
    volunteer, organization, settings, tmp_path
):
    settings.CASE_IMPORT_DIR = str(tmp_path)
    case = CaseFactory(organization=organization)
    header = ["Entry number", "Name", "Relative", "Relationship"]
    # New cases (the bulk path), then a row that adds a relative to an existing case.
    for row in (
        ["", "Invented Imported Person", "Invented Imported Relative", "дочь"],
        [str(case.entry_number), "Testova Aigerim", "Testov Marat", "сын"],
    ):
        table = read_table(upload(csv_bytes([header, row]), "cases.csv"))
        plan = dry_run(table, organization=organization, user=volunteer)
        assert plan.can_import
        import_cases(plan, user=volunteer)
    for value in ("Invented Imported Person", "Invented Imported Relative", "Testov Marat"):
        assert PersonName.objects.get(value=value).person.organization == organization
    assert not Person.objects.filter(organization=None).exists()


def test_a_converted_submission_gives_its_person_the_chosen_group(site_staff, organization):
    submission = Submission.objects.create(
        submitter_name="Invented Sender",
        submitter_contact="invented",
        detained_names="Invented Submitted Person",
        account="Invented account.",
    )
    case = convert_to_case(submission=submission, organization=organization, user=site_staff)
    assert case.person.organization == organization


def test_demo_data_gives_people_and_families_the_group_of_their_case(db):
    call_command("seed_demo", cases=12, seed=3, verbosity=0)
    assert not Person.objects.filter(organization=None).exists()
    assert not Family.objects.filter(organization=None).exists()
    for case in Case.objects.select_related("person"):
        assert case.person.organization_id == case.organization_id


def test_the_holding_group_stays_private():
    for label in ("cases.person", "cases.family", "cases.facilitynote"):
        assert "organization" not in PUBLIC_FIELDS.get(label, ())
    assert "cases.family" not in PUBLIC_FIELDS
    assert "cases.facilitynote" not in PUBLIC_FIELDS


@pytest.mark.parametrize("rows", [1, 10])
def test_the_family_list_of_a_member_costs_the_same_queries_for_1_or_10_families(
    client, volunteer, organization, rows, django_assert_max_num_queries
):
    for n in range(rows):
        FamilyFactory(label=f"Invented family {n}", organization=organization)
        CaseFactory(organization=organization, person__family=FamilyFactory(organization=None))
    client.force_login(volunteer)
    with django_assert_max_num_queries(8):
        response = client.get("/admin/cases/family/")
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 2 * rows
