"""Numbers typed by people (cases.numbers): plain digits find a case, anything else ("²",
Arabic-Indic digits, "12abc", a number no column holds) is an empty result or a form error,
never a 500, on every page that reads one."""

import pytest
from django.urls import reverse

from cases.models import Case, Submission
from cases.numbers import parse_entry_number, parse_whole_number
from tests.factories import (
    CaseEventFactory,
    CaseFactory,
    ConsentFactory,
    PersonNameFactory,
    publish,
)
from tests.import_sheets import csv_bytes, upload

BAD = ["²", "١٢", "12abc", "9" * 40]


@pytest.mark.parametrize(
    ("text", "number"),
    [("1042", 1042), (" #1042 ", 1042), ("#0012", 12), ("0", None), ("", None), (None, None)],
)
def test_it_reads_an_entry_number_as_people_write_it(text, number):
    assert parse_entry_number(text) == number


@pytest.mark.parametrize("text", [*BAD, "-3", "+3", "1 2", "3.0", "1e3", "＃12", "１２"])
def test_anything_but_plain_digits_is_no_number(text):
    assert parse_entry_number(text) is None
    assert parse_whole_number(text) is None


def test_a_number_is_held_to_its_length():
    assert parse_whole_number("2018", max_digits=4) == 2018
    assert parse_whole_number("20180", max_digits=4) is None


@pytest.fixture
def published(db, organization):
    case = CaseFactory(organization=organization, publication_state="published")
    PersonNameFactory(person=case.person, value="Testova Aigerim")
    ConsentFactory(case=case, consent_to_publish=True)
    CaseEventFactory(case=case, kind="detained")
    return publish(case)


@pytest.mark.parametrize("value", BAD)
def test_the_public_list_and_its_download(client, published, value):
    for url in ("/cases/", "/cases/open-data.csv", "/cases/open-data.json"):
        response = client.get(url, {"q": value})
        assert response.status_code in (200, 400), url


def test_the_public_list_finds_an_entry_by_its_number(client, published):
    for term in (str(published.entry_number), f"#{published.entry_number}"):
        response = client.get("/cases/", {"q": term})
        assert [row["entry_number"] for row in response.context["rows"]] == [published.entry_number]


@pytest.mark.parametrize("value", BAD)
def test_the_staff_list(client, reviewer, published, value):
    client.force_login(reviewer)
    for name in ("staff:case_list", "staff:export_csv", "staff:summary"):
        response = client.get(reverse(name), {"q": value})
        assert response.status_code in (200, 400), name


@pytest.mark.parametrize("value", BAD)
@pytest.mark.parametrize("parameter", ["q", "organization", "detention_year"])
def test_the_admin_case_list(client, volunteer, published, parameter, value):
    client.force_login(volunteer)
    response = client.get("/admin/cases/case/", {parameter: value})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


def test_the_admin_case_list_filters_by_well_formed_values(client, volunteer, published):
    published.refresh_from_db()
    client.force_login(volunteer)
    for parameter, value in (
        ("q", f"#{published.entry_number}"),
        ("organization", str(published.organization_id)),
        ("detention_year", str(published.detention_year)),
    ):
        response = client.get("/admin/cases/case/", {parameter: value})
        assert list(response.context["cl"].result_list) == [published], parameter


@pytest.mark.parametrize("value", BAD)
def test_the_case_autocomplete(client, volunteer, published, value):
    client.force_login(volunteer)
    response = client.get(
        "/admin/autocomplete/",
        {"term": value, "app_label": "cases", "model_name": "testimony", "field_name": "case"},
    )
    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.parametrize("value", [*BAD, "0"])
def test_the_people_list_page_number(client, volunteer, published, value):
    client.force_login(volunteer)
    response = client.get("/admin/cases/person/", {"p": value})
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("value", BAD)
def test_the_merge_form(client, site_staff, published, value):
    client.force_login(site_staff)
    response = client.post(f"/admin/cases/case/{published.pk}/merge/", {"entry_number": value})
    assert response.status_code == 200
    assert "Give the entry number" in response.text
    assert response.context["other"] is None


@pytest.mark.parametrize("value", BAD)
def test_the_submission_merge_form(client, site_staff, published, value):
    submission = Submission.objects.create(
        submitter_name="Invented Relative",
        submitter_contact="invented",
        detained_names="Testova Aigerim",
        account="Taken from home.",
    )
    client.force_login(site_staff)
    url = reverse("admin:cases_submission_merge", args=[submission.pk])
    response = client.post(url, {"entry_number": value})
    assert response.status_code == 200
    assert "entry_number" in response.context["form"].errors
    submission.refresh_from_db()
    assert submission.state == Submission.State.NEW


@pytest.mark.parametrize("value", BAD)
def test_the_import_column(client, settings, tmp_path, volunteer, organization, published, value):
    settings.CASE_IMPORT_DIR = str(tmp_path / "imports")
    client.force_login(volunteer)
    rows = [["Entry number", "Name", "Status"], [value, "Testova Aigerim", "умер"]]
    response = client.post(
        "/admin/cases/case/import/",
        {"organization": organization.pk, "file": upload(csv_bytes(rows))},
    )
    assert response.status_code == 200
    assert "not an entry number" in response.text
    assert Case.objects.get(pk=published.pk).status == published.status
