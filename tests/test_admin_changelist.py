"""The case list: bounded queries whatever the page size, no full-table count on filtered
pages, search by any name in any script and by entry number, the list filters."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    CaseEventFactory,
    CaseFactory,
    ConsentFactory,
    PersonNameFactory,
    publish,
)

pytestmark = pytest.mark.django_db


def make_cases(organization, count):
    for n in range(count):
        case = CaseFactory(organization=organization)
        PersonNameFactory(person=case.person, value=f"Testov{n} Nurlan")
        PersonNameFactory(
            person=case.person, value=f"Тестов{n} Нурлан", script="cyrl", kind="alias"
        )
        ConsentFactory(case=case)


@pytest.mark.parametrize("rows", [10, 50])
def test_the_page_costs_the_same_queries_for_10_or_50_rows(
    client, volunteer, organization, rows, django_assert_max_num_queries
):
    make_cases(organization, rows)
    client.force_login(volunteer)
    with django_assert_max_num_queries(12):
        response = client.get("/admin/cases/case/")
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == rows


def test_a_filtered_page_does_not_count_every_case(client, site_staff, organization):
    make_cases(organization, 3)
    client.force_login(site_staff)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/admin/cases/case/", {"status": "camp"})
    assert response.status_code == 200
    assert response.context["cl"].full_result_count is None
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("WHERE" in sql.upper() for sql in counts)


def test_it_finds_a_cyrillic_name_from_its_latin_spelling(client, volunteer, organization):
    case = CaseFactory(organization=organization)
    PersonNameFactory(person=case.person, value="Сауытбай Сайрагүл", script="cyrl")
    other = CaseFactory(organization=organization)
    PersonNameFactory(person=other.person, value="Omarova Aisha")
    client.force_login(volunteer)
    response = client.get("/admin/cases/case/", {"q": "Sayragul Sawytbay"})
    assert list(response.context["cl"].result_list) == [case]


def test_it_finds_a_case_by_entry_number(client, volunteer, organization):
    cases = [CaseFactory(organization=organization) for _ in range(3)]
    client.force_login(volunteer)
    for term in [str(cases[1].entry_number), f"#{cases[1].entry_number}"]:
        response = client.get("/admin/cases/case/", {"q": term})
        assert list(response.context["cl"].result_list) == [cases[1]]


def test_hostile_search_and_filter_values_give_no_error(client, volunteer, organization):
    CaseFactory(organization=organization)
    client.force_login(volunteer)
    for params in [
        {"q": "9" * 40},
        {"q": "' OR 1=1 --"},
        {"detention_year": "abc"},
        {"organization": "x"},
        {"evidence_level": "nine"},
    ]:
        assert client.get("/admin/cases/case/", params).status_code in (200, 302), params


def test_the_filters(client, volunteer, organization, other_organization):
    early = CaseFactory(organization=organization, status="camp", evidence_level=3)
    CaseEventFactory(case=early)  # detained 2018
    late = CaseFactory(organization=organization, status="imprisoned")
    late.person.ethnicity = "uyghur"
    late.person.save()
    CaseFactory(organization=other_organization)
    client.force_login(volunteer)

    def listed(**params):
        return set(client.get("/admin/cases/case/", params).context["cl"].result_list)

    assert listed(status="camp") == {early}
    assert listed(evidence_level="3") == {early}
    assert listed(detention_year="2018") == {early}
    assert listed(person__ethnicity="uyghur") == {late}
    assert listed(publication_state="draft") == {early, late}
    assert listed(organization=str(organization.pk)) == {early, late}
    assert listed(organization=str(other_organization.pk)) == set()

    page = client.get("/admin/cases/case/")
    organizations = [
        choice["display"]
        for spec in page.context["cl"].filter_specs
        if getattr(spec, "parameter_name", "") == "organization"
        for choice in spec.choices(page.context["cl"])
    ]
    assert "Test Group Bishkek" not in organizations
    assert "Test Group Almaty" in organizations


def test_the_list_tells_which_cases_are_on_the_public_site_for_its_rows_only(
    client, volunteer, organization, monkeypatch
):
    from cases.admin.cases import CaseAdmin

    drafts = [CaseFactory(organization=organization) for _ in range(2)]
    on_site = CaseFactory(organization=organization, publication_state="published")
    ConsentFactory(case=on_site, consent_to_publish=True)
    publish(on_site)
    monkeypatch.setattr(CaseAdmin, "list_per_page", 2)
    client.force_login(volunteer)
    flags = {}
    for page in (1, 2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/admin/cases/case/", {"p": page})
        flags.update({case.pk: case.on_site for case in response.context["cl"].result_list})
        # The page's rows join the public entries on the case key; nothing reads them through
        # an EXISTS over the whole list, and the count needs none of it.
        reading = [q["sql"] for q in queries if "cases_publicentry" in q["sql"]]
        assert len(reading) == 1
        assert 'LEFT OUTER JOIN "cases_publicentry"' in reading[0]
        assert 'EXISTS(SELECT 1 AS "a" FROM "cases_publicentry"' not in reading[0]
        assert "COUNT(" not in reading[0].upper()
        # No column shows a private field: the list never reads (nor decrypts) one.
        for private in ('"cases_person"."prc_id_number"', '"cases_person"."contact_details"'):
            assert private not in reading[0]
    assert flags == {on_site.pk: True, drafts[0].pk: False, drafts[1].pk: False}


def test_the_case_page_tells_whether_the_case_is_on_the_public_site(
    client, volunteer, organization
):
    on_site = CaseFactory(organization=organization, publication_state="published")
    ConsentFactory(case=on_site, consent_to_publish=True)
    publish(on_site)
    draft = CaseFactory(organization=organization)
    client.force_login(volunteer)
    for case, shown in ((on_site, 'alt="True"'), (draft, 'alt="False"')):
        page = client.get(f"/admin/cases/case/{case.pk}/change/").content.decode()
        label = page.index("On the public site:</label>")
        assert shown in page[label : page.index("</div>", label)]
