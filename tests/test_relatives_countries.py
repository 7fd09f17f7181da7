"""Where the reporting family lives ("relatives live in"), on the first screen of the case page:
entered by a volunteer, kept in the history, prefilled from the relatives on record, in the staff
export as a private column, and never on the public site."""

import csv
import io

import pytest
from django.urls import reverse

from cases.models import Case, ExportLog, PublicEntryCountry, Residence
from cases.services.merge import merge_cases
from tests.admin_forms import form_data
from tests.factories import (
    CaseFactory,
    CitizenshipFactory,
    ConsentFactory,
    CountryFactory,
    PersonFactory,
    PersonNameFactory,
    RelationshipFactory,
    publish,
)

pytestmark = pytest.mark.django_db

ADD = "/admin/cases/case/add/"


@pytest.fixture
def countries(db):
    return {
        code: CountryFactory(code=code, name=name)
        for code, name in (("KZ", "Kazakhstan"), ("TR", "Turkey"), ("KG", "Kyrgyzstan"))
    }


def test_it_is_on_the_first_screen_next_to_the_citizenship(client, volunteer):
    client.force_login(volunteer)
    page = client.get(ADD)
    sections = page.context["page_sections"]
    keys = [s["inline"].formset.prefix if "inline" in s else s["index"] for s in sections]
    # The citizenships, then the first fieldset, which opens with "relatives live in".
    assert keys.index("citizenships") + 1 == keys.index(0)
    first_fieldset = sections[keys.index(0)]["fieldset"]
    assert first_fieldset.fields[0] == "relatives_countries"
    html = page.content.decode()
    assert 'name="relatives_countries"' in html
    assert html.index('name="citizenships-0-country"') < html.index('name="relatives_countries"')
    assert html.index('name="relatives_countries"') < html.index('name="person_gender"')
    assert "Relatives live in" in html


def test_a_volunteer_adds_a_case_with_several_countries(client, volunteer, organization, countries):
    client.force_login(volunteer)
    page = client.get(ADD)
    data = form_data(
        page,
        **{
            "names-0-value": "Testov Yerlan",
            "relatives_countries": [countries["KZ"].pk, countries["TR"].pk],
        },
    )
    response = client.post(ADD, data)
    assert response.status_code == 302, response.context and response.context["error_summary"]
    case = Case.objects.get()
    assert sorted(c.code for c in case.relatives_countries.all()) == ["KZ", "TR"]
    assert case.history.first().relatives_countries.count() == 2

    # Taking one away is in the case's history, with who did it.
    change_url = f"/admin/cases/case/{case.pk}/change/"
    page = client.get(change_url)
    assert sorted(page.context["adminform"].form["relatives_countries"].value()) == sorted(
        [countries["KZ"].pk, countries["TR"].pk]
    )
    data = form_data(page, relatives_countries=[countries["KZ"].pk])
    assert client.post(change_url, data).status_code == 302
    assert [c.code for c in case.relatives_countries.all()] == ["KZ"]
    history = client.get(f"/admin/cases/case/{case.pk}/history/")
    changes = [
        (str(change["field"]), change["old"], change["new"], entry["user"])
        for entry in history.context["entries"]
        for change in entry["changes"]
    ]
    assert ("relatives live in", "Kazakhstan, Turkey", "Kazakhstan", volunteer) in changes


def test_a_forged_country_is_refused_and_nothing_is_saved(client, volunteer, countries):
    client.force_login(volunteer)
    data = form_data(
        client.get(ADD), **{"names-0-value": "Testov Yerlan", "relatives_countries": ["999999"]}
    )
    response = client.post(ADD, data)
    assert response.status_code == 200
    assert "relatives_countries" in response.context["adminform"].form.errors
    assert not Case.objects.exists()


def test_it_starts_from_where_the_relatives_on_record_live(
    client, volunteer, organization, countries
):
    case = CaseFactory(organization=organization)
    PersonNameFactory(person=case.person, value="Testov Yerlan")
    # She lives in Turkey and is a citizen of Kazakhstan: where she lives counts.
    wife = PersonFactory(organization=organization)
    CitizenshipFactory(person=wife, country=countries["KZ"])
    Residence.objects.create(person=wife, country=countries["TR"])
    RelationshipFactory(person=case.person, relative=wife, kind="wife")
    # His brother's residence is unknown: his citizenship stands in for it.
    brother = PersonFactory(organization=organization)
    CitizenshipFactory(person=brother, country=countries["KG"])
    RelationshipFactory(person=case.person, relative=brother, kind="sibling")

    client.force_login(volunteer)
    change_url = f"/admin/cases/case/{case.pk}/change/"
    page = client.get(change_url)
    assert sorted(page.context["adminform"].form["relatives_countries"].value()) == sorted(
        [countries["TR"].pk, countries["KG"].pk]
    )
    assert client.post(change_url, form_data(page)).status_code == 302
    assert sorted(c.code for c in case.relatives_countries.all()) == ["KG", "TR"]

    # Once it holds a value, the page shows that value, not the relatives'.
    case.relatives_countries.set([countries["KZ"]])
    page = client.get(change_url)
    assert page.context["adminform"].form["relatives_countries"].value() == [countries["KZ"].pk]


def test_it_is_not_on_the_public_site(client, organization, countries):
    case = CaseFactory(organization=organization, summary="An invented summary.")
    PersonNameFactory(person=case.person, value="Testov Yerlan")
    ConsentFactory(case=case, consent_to_publish=True)
    case.relatives_countries.set([countries["TR"]])
    publish(case)

    page = client.get(reverse("cases:case", args=[case.entry_number]))
    assert page.status_code == 200
    assert "Testov Yerlan" in page.text
    assert "Turkey" not in page.text
    assert not PublicEntryCountry.objects.filter(country_code="TR").exists()
    listed = client.get(reverse("cases:list"), {"relatives_country": "TR"})
    assert listed.context["count"] == 0
    download = client.get(reverse("cases:download", kwargs={"fmt": "json"}))
    assert b"Turkey" not in b"".join(download.streaming_content)


def test_the_staff_export_has_it_as_a_private_column(client, reviewer, organization, countries):
    case = CaseFactory(organization=organization)
    case.relatives_countries.set([countries["TR"], countries["KZ"]])
    CaseFactory(organization=organization)
    client.force_login(reviewer)
    response = client.get(
        reverse("staff:export_csv"), {"columns": ["entry_number", "relatives_countries"]}
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["Entry number", "Relatives live in"]
    assert {row[0]: row[1] for row in rows[1:]}[str(case.entry_number)] == "KZ; TR"
    assert ExportLog.objects.get().includes_private

    listed = client.get(reverse("staff:case_list"), {"relatives_country": "TR"})
    assert [c.pk for c in listed.context["page"]] == [case.pk]


def test_a_merge_keeps_the_countries_of_both_cases(site_staff, organization, countries):
    keep = CaseFactory(organization=organization)
    keep.relatives_countries.set([countries["KZ"]])
    merged = CaseFactory(organization=organization)
    merged.relatives_countries.set([countries["TR"], countries["KZ"]])
    merge_cases(keep=keep, merge=merged, by=site_staff)
    assert sorted(c.code for c in keep.relatives_countries.all()) == ["KZ", "TR"]
    assert keep.history.filter(history_user=site_staff).exists()
