"""The volunteers' case page as a volunteer meets it: one save for the family's whole report,
partial dates as they are said, errors that lead to their field, and workflow steps that say
why they cannot be taken."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from cases.models import Case, CaseEvent, EntryNumberCounter, Person, PersonName, Relationship
from cases.names import detect_script
from tests.admin_forms import form_data
from tests.factories import (
    CaseEventFactory,
    CaseFactory,
    CountryFactory,
    PersonFactory,
    PersonNameFactory,
    RelationshipFactory,
)

pytestmark = pytest.mark.django_db

ADD = "/admin/cases/case/add/"

# What the volunteer types or picks in the journey, input by input (each key is one
# interaction in a browser), and the one click on Save: a new case's page has the second name,
# the event, the testimony and the consent rows ready, with no "add another" click.
JOURNEY = {
    "names-0-value": "Сауытбаев Ерлан",
    "names-1-value": "Sauytbayev Yerlan",
    "person_gender": "male",
    "citizenships-0-country": None,  # filled with the country's id in the test
    "relationships-0-new_name": "Сауытбаева Гүлнар",
    "relationships-0-kind": "wife",
    "relationships-0-new_citizenship": None,
    "relationships-0-new_phone": "+7 700 000 0000",
    "events-0-kind": "detained",
    "events-0-date_start": "2018",
    "events-0-suspected_reasons": ["relatives_abroad"],
    "testimonies-0-from_relatives": "new-0",
    "testimonies-0-relationship": "wife",
    "testimonies-0-medium": "interview",
    "consent-0-from_relatives": "new-0",
    "consent-0-consent_to_publish": "on",
    "consent-0-identity_level": "name_only",
}
ADD_ANOTHER_CLICKS = 0
SAVES = 1


def journey_data(page, country, **changes):
    data = form_data(page)
    typed = {**JOURNEY, "citizenships-0-country": str(country.pk)}
    typed["relationships-0-new_citizenship"] = str(country.pk)
    data.update(typed)
    data.update(
        {
            "names-TOTAL_FORMS": "2",
            "names-1-language": "other",
            "names-1-kind": "alias",
            "events-TOTAL_FORMS": "1",
            "testimonies-TOTAL_FORMS": "1",
            "testimonies-0-visibility": "restricted",
            "consent-TOTAL_FORMS": "1",
            "consent-0-consent_to_document": "on",
        }
    )
    data.update(changes)
    return data


def test_the_journey_takes_one_save_with_no_error(client, volunteer, organization):
    country = CountryFactory(code="KZ", name="Kazakhstan")
    client.force_login(volunteer)
    page = client.get(ADD)
    response = client.post(ADD, journey_data(page, country))
    assert response.status_code == 302, response.context and response.context["error_summary"]

    case = Case.objects.get()
    person = case.person
    names = {(n.value, n.script) for n in person.names.all()}
    assert names == {("Сауытбаев Ерлан", "cyrl"), ("Sauytbayev Yerlan", "latn")}
    assert [c.country.code for c in person.citizenships.all()] == ["KZ"]
    relation = Relationship.objects.get(person=person)
    wife = relation.relative
    assert relation.kind == "wife"
    assert wife.names.get().value == "Сауытбаева Гүлнар"
    assert wife.contact_details == "+7 700 000 0000"
    assert [c.country.code for c in wife.citizenships.all()] == ["KZ"]
    event = case.events.get()
    assert (event.kind, event.date_start, event.date_start_precision) == (
        "detained",
        datetime.date(2018, 1, 1),
        "year",
    )
    assert event.suspected_reasons == ["relatives_abroad"]
    assert case.testimonies.get().testifier == wife
    assert case.consent.given_by == wife
    assert case.detention_year == 2018
    # For the closing note: what the journey costs now.
    interactions = len(JOURNEY) + ADD_ANOTHER_CLICKS + SAVES
    assert (interactions, SAVES) == (18, 1)


def test_the_new_case_page_has_the_rows_of_the_journey_ready(client, volunteer, organization):
    client.force_login(volunteer)
    page = client.get(ADD)
    for prefix, rows in [
        ("names", 2),
        ("relationships", 1),
        ("events", 1),
        ("testimonies", 1),
        ("consent", 1),
    ]:
        assert f'name="{prefix}-TOTAL_FORMS" value="{rows}"' in page.text, prefix


def test_relatives_added_in_the_same_save_are_testifier_and_consent_giver(
    client, volunteer, organization
):
    """Two relatives typed in on the page: the testimony names the second, the consent the
    first, each resolved to the person that row makes, in the one save."""
    country = CountryFactory(code="KZ", name="Kazakhstan")
    client.force_login(volunteer)
    page = client.get(ADD)
    data = journey_data(
        page,
        country,
        **{
            "relationships-TOTAL_FORMS": "2",
            "relationships-1-new_name": "Сауытбаев Нурлан",
            "relationships-1-kind": "son",
            "testimonies-0-from_relatives": "new-1",
            "consent-0-from_relatives": "new-0",
        },
    )
    response = client.post(ADD, data)
    assert response.status_code == 302, response.context and response.context["error_summary"]
    case = Case.objects.get()
    by_kind = {r.kind: r.relative for r in Relationship.objects.filter(person=case.person)}
    assert case.testimonies.get().testifier == by_kind["son"]
    assert case.consent.given_by == by_kind["wife"]


def test_a_refused_save_offers_the_typed_relatives_by_name(client, volunteer, organization):
    country = CountryFactory(code="KZ", name="Kazakhstan")
    client.force_login(volunteer)
    page = client.get(ADD)
    assert 'data-named-relative="%(name)s, the relative added above"' in page.text
    data = journey_data(page, country, **{"names-0-value": "", "names-1-value": ""})
    response = client.post(ADD, data)
    assert response.status_code == 200
    assert '<option value="new-0" selected>Сауытбаева Гүлнар, the relative added above' in (
        response.text
    )
    assert not Case.objects.exists()


def test_the_page_offers_the_relatives_as_testifier_and_consent_giver(
    client, volunteer, organization
):
    case = CaseFactory(organization=organization)
    PersonNameFactory(person=case.person, value="Detained Person")
    wife = PersonFactory()
    PersonNameFactory(person=wife, value="Wife Person")
    RelationshipFactory(person=case.person, relative=wife, kind="wife")
    client.force_login(volunteer)
    page = client.get(f"/admin/cases/case/{case.pk}/change/")
    data = form_data(
        page,
        **{
            "testimonies-TOTAL_FORMS": "1",
            "testimonies-0-from_relatives": str(wife.pk),
            "testimonies-0-medium": "phone",
            "testimonies-0-visibility": "restricted",
        },
    )
    assert f'<option value="{wife.pk}">Wife Person · wife</option>' in page.text
    response = client.post(f"/admin/cases/case/{case.pk}/change/", data)
    assert response.status_code == 302
    assert case.testimonies.get().testifier == wife


@pytest.mark.parametrize(
    ("typed", "stored", "precision", "shown"),
    [
        ("2018", datetime.date(2018, 1, 1), "year", "2018"),
        ("03.2018", datetime.date(2018, 3, 1), "month", "03.2018"),
        ("март 2018", datetime.date(2018, 3, 1), "month", "03.2018"),
        ("весна 2018", datetime.date(2018, 3, 1), "approx", "~03.2018"),
        ("около 2019", datetime.date(2019, 1, 1), "approx", "~2019"),
        ("6.11.2019", datetime.date(2019, 11, 6), "day", "06.11.2019"),
    ],
)
def test_a_date_is_read_as_said_and_shown_back_at_its_precision(
    client, volunteer, organization, typed, stored, precision, shown
):
    case = CaseFactory(organization=organization)
    client.force_login(volunteer)
    url = f"/admin/cases/case/{case.pk}/change/"
    page = client.get(url)
    data = form_data(
        page,
        **{
            "person_birth_date": typed,
            "events-TOTAL_FORMS": "1",
            "events-0-kind": "detained",
            "events-0-date_start": typed,
        },
    )
    assert client.post(url, data).status_code == 302
    event = CaseEvent.objects.get(case=case)
    assert (event.date_start, event.date_start_precision) == (stored, precision)
    person = Person.objects.get(pk=case.person_id)
    assert (person.birth_date, person.birth_date_precision) == (stored, precision)
    page = client.get(url)
    assert f'value="{shown}"' in page.text
    assert "весна 2018" in page.text  # the examples under the field


def test_an_unreadable_date_is_refused_with_the_examples(client, volunteer, organization):
    case = CaseFactory(organization=organization)
    client.force_login(volunteer)
    url = f"/admin/cases/case/{case.pk}/change/"
    data = form_data(client.get(url), person_birth_date="sometime")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "“sometime” is not a date this page reads" in response.text


def test_a_year_is_exported_as_a_year(client, volunteer, site_staff, organization):
    case = CaseFactory(organization=organization)
    PersonNameFactory(person=case.person, value="Exportov Yerlan")
    client.force_login(volunteer)
    url = f"/admin/cases/case/{case.pk}/change/"
    data = form_data(
        client.get(url),
        **{
            "person_birth_date": "1975",
            "events-TOTAL_FORMS": "1",
            "events-0-kind": "detained",
            "events-0-date_start": "2018",
        },
    )
    assert client.post(url, data).status_code == 302
    client.force_login(site_staff)
    response = client.get(
        reverse("staff:export_csv"), {"columns": ["entry_number", "birth_date", "detained_on"]}
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[1][1:] == ["1975", "2018"]


def test_suspected_reasons_are_checkboxes_with_their_labels(client, volunteer, organization):
    case = CaseFactory(organization=organization)
    CaseEventFactory(case=case, suspected_reasons=["religion"])
    client.force_login(volunteer)
    page = client.get(f"/admin/cases/case/{case.pk}/change/")
    assert 'type="checkbox" name="events-0-suspected_reasons" value="relatives_abroad"' in (
        page.text
    )
    assert "relatives abroad" in page.text
    assert 'value="religion" aria-label' in page.text or 'value="religion"' in page.text
    assert "Codes from the list of reasons" not in page.text


def test_the_empty_form_creates_nothing(client, volunteer, organization):
    client.force_login(volunteer)
    page = client.get(ADD)
    before = EntryNumberCounter.objects.values_list("last_value", flat=True).first()
    response = client.post(ADD, form_data(page))
    assert response.status_code == 200
    assert not Case.objects.exists()
    assert not Person.objects.exists()
    assert EntryNumberCounter.objects.values_list("last_value", flat=True).first() == before
    summary = response.context["error_summary"]
    assert summary[0]["anchor"] == "id_names-0-value"
    assert 'href="#id_names-0-value"' in response.text
    assert "1 problem stops this case from being saved" in response.text


def test_the_error_summary_counts_and_links_every_error(client, volunteer, organization):
    client.force_login(volunteer)
    page = client.get(ADD)
    data = form_data(
        page,
        **{
            "names-0-value": "Aidarov Nurlan",
            "person_birth_date": "whenever",
            "events-TOTAL_FORMS": "1",
            "events-0-kind": "detained",
            "events-0-date_start": "2099",
        },
    )
    response = client.post(ADD, data)
    assert response.status_code == 200
    assert not Case.objects.exists()
    anchors = [row["anchor"] for row in response.context["error_summary"]]
    assert anchors == ["id_person_birth_date", "id_events-0-date_start"]
    assert "2 problems stop this case from being saved" in response.text
    for anchor in anchors:
        assert f'href="#{anchor}"' in response.text
        assert f'id="{anchor}"' in response.text


def test_a_name_script_is_read_from_its_letters():
    assert detect_script("Сауытбаев Ерлан") == "cyrl"
    assert detect_script("Sauytbayev Yerlan") == "latn"
    assert detect_script("赛力克") == "hani"
    assert detect_script("ئەركىن") == "arab"
    assert detect_script("123") is None  # no letters, no script


def test_destructive_steps_stand_apart(client, reviewer, organization):
    case = CaseFactory(organization=organization)
    PersonNameFactory(person=case.person, value="Stepov Arman")
    client.force_login(reviewer)
    text = client.get(f"/admin/cases/case/{case.pk}/change/").text
    submit = text.index(f'href="/admin/cases/case/{case.pk}/workflow/submit/"')
    apart = text.index('class="workflow-steps workflow-destructive-steps"')
    withdraw = text.index('class="button workflow-withdraw workflow-destructive"')
    assert submit < apart < withdraw
    assert "data-unsaved-warning=" in text
    assert "casetracker/case_page.js" in text


def test_refused_steps_are_disabled_with_their_reason(client, volunteer, case_in_review):
    client.force_login(volunteer)
    text = client.get(f"/admin/cases/case/{case_in_review.pk}/change/").text
    assert "workflow/publish/" not in text
    start = text.index('<button type="button" class="button workflow-publish"')
    step = text[start : text.index("</li>", start)]
    assert " disabled " in step
    assert 'aria-describedby="workflow-why-publish"' in step
    assert 'id="workflow-why-publish"' in step
    assert "Only a reviewer" in step


def test_four_eyes_is_shown_before_confirming(client, reviewer, organization):
    case = CaseFactory(organization=organization)
    PersonNameFactory(person=case.person, value="Foureyes Aidana")
    client.force_login(reviewer)
    # The reviewer's own edit makes them an editor (a workflow click alone would not).
    page = client.get(f"/admin/cases/case/{case.pk}/change/")
    client.post(f"/admin/cases/case/{case.pk}/change/", form_data(page, summary="Edited."))
    client.post(f"/admin/cases/case/{case.pk}/workflow/submit/")
    page = client.get(f"/admin/cases/case/{case.pk}/change/")
    assert "workflow/publish/" not in page.text
    start = page.text.index("workflow-publish")
    assert "disabled" in page.text[start : start + 200]
    assert "Four eyes" in page.text[start : page.text.index("</li>", start)]


def test_inline_inputs_have_accessible_names(client, volunteer, organization):
    client.force_login(volunteer)
    page = client.get(ADD)
    assert 'aria-label="Name (1)"' in page.text
    assert 'aria-label="Relationship (1)"' in page.text
    assert 'aria-label="Country (1)"' in page.text
    assert "casetracker/admin.css" in page.text  # inlines stack below 768 px


def test_the_role_home_shows_each_section(client, volunteer, reviewer, organization):
    mine = CaseFactory(organization=organization, created_by=volunteer)
    PersonNameFactory(person=mine.person, value="Draftova Aliya")
    sent_back = CaseFactory(organization=organization, created_by=volunteer)
    PersonNameFactory(person=sent_back.person, value="Returnov Bolat")
    waiting = CaseFactory(organization=organization, created_by=volunteer)
    PersonNameFactory(person=waiting.person, value="Waitova Dana")
    client.force_login(volunteer)
    for case in (sent_back, waiting):
        client.post(f"/admin/cases/case/{case.pk}/workflow/submit/")
    client.force_login(reviewer)
    client.post(f"/admin/cases/case/{sent_back.pk}/workflow/draft/")

    client.force_login(volunteer)
    home = client.get("/admin/").context["home"]
    assert home.drafts == [mine]
    assert home.returned == [sent_back]
    assert home.to_review == []  # a volunteer reviews nothing
    client.force_login(reviewer)
    page = client.get("/admin/")
    assert page.context["home"].to_review == [waiting]
    assert "Waiting for your review (1)" in page.text
    assert "Waitova Dana" in page.text


def test_the_role_home_lists_my_imports(client, volunteer, organization):
    from simple_history.utils import update_change_reason

    case = CaseFactory(organization=organization, created_by=volunteer)
    record = case.history.get()
    record.history_user = volunteer
    record.save()
    update_change_reason(case, "Imported from “kazakh.xlsx”, row 2")
    client.force_login(volunteer)
    page = client.get("/admin/")
    assert "kazakh.xlsx" in page.text
    assert "1 case added" in page.text


@pytest.mark.parametrize("rows", [1, 8])
def test_the_home_page_costs_the_same_queries_for_1_or_8_cases(
    client, volunteer, organization, rows, django_assert_max_num_queries
):
    for n in range(rows):
        case = CaseFactory(organization=organization, created_by=volunteer)
        PersonNameFactory(person=case.person, value=f"Homeova{n} Aru")
    client.force_login(volunteer)
    with django_assert_max_num_queries(10):
        response = client.get("/admin/")
    assert response.status_code == 200
    assert response.text.count("Homeova") == rows


@pytest.mark.parametrize("rows", [1, 8])
def test_the_case_page_costs_the_same_queries_for_1_or_8_relatives(
    client, volunteer, organization, rows, django_assert_max_num_queries
):
    case = CaseFactory(organization=organization)
    PersonNameFactory(person=case.person, value="Relatov Yerlan")
    for n in range(rows):
        relative = PersonFactory()
        PersonNameFactory(person=relative, value=f"Relatova{n} Aru")
        RelationshipFactory(person=case.person, relative=relative, kind="sister")
    client.force_login(volunteer)
    with django_assert_max_num_queries(27):
        response = client.get(f"/admin/cases/case/{case.pk}/change/")
    assert response.status_code == 200
    assert response.text.count("Relatova0 Aru") >= 1


def test_the_add_page_costs_few_queries(client, volunteer, django_assert_max_num_queries):
    client.force_login(volunteer)
    with django_assert_max_num_queries(11):
        response = client.get(ADD)
    assert response.status_code == 200
    assert PersonName.objects.count() == 0


def test_person_search_rows_carry_context_but_never_another_groups_case(
    client, volunteer, organization, other_organization
):
    case = CaseFactory(organization=organization)
    PersonNameFactory(person=case.person, value="Contextov Yerlan")
    wife = PersonFactory(birth_date=datetime.date(1980, 1, 1))
    PersonNameFactory(person=wife, value="Contextova Gulnar", script="latn")
    PersonNameFactory(person=wife, value="Контекстова Гульнар", script="cyrl", kind="alias")
    RelationshipFactory(person=case.person, relative=wife, kind="wife")
    # She is also held by another group: that must not show.
    CaseFactory(organization=other_organization, person=wife)
    client.force_login(volunteer)
    response = client.get(
        "/admin/autocomplete/",
        {
            "term": "Контекстова",
            "app_label": "cases",
            "model_name": "testimony",
            "field_name": "testifier",
        },
    )
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["text"] == (
        f"Контекстова Гульнар / Contextova Gulnar · born 1980 · wife of the person in {case}"
    )


@pytest.mark.parametrize("rows", [1, 8])
def test_person_search_costs_the_same_queries_for_1_or_8_rows(
    client, volunteer, organization, rows, django_assert_max_num_queries
):
    case = CaseFactory(organization=organization)
    for n in range(rows):
        relative = PersonFactory()
        PersonNameFactory(person=relative, value=f"Searchova{n} Aru")
        RelationshipFactory(person=case.person, relative=relative, kind="sister")
    client.force_login(volunteer)
    params = {"term": "Searchova", "app_label": "cases", "model_name": "testimony"}
    with django_assert_max_num_queries(12):
        response = client.get("/admin/autocomplete/", {**params, "field_name": "testifier"})
    assert len(response.json()["results"]) == rows
