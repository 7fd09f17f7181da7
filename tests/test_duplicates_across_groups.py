"""Duplicate warnings and import previews never describe another group's entries beyond what
their public page shows: an anonymous entry is at most hinted at, and such look-ups are counted,
limited per user and in the audit log."""

import datetime
import json

import pytest

from cases.models import Case, Consent, Person
from orgs.models import AuditEvent
from tests.admin_forms import form_data
from tests.factories import (
    CaseFactory,
    ConsentFactory,
    PersonFactory,
    PersonNameFactory,
    publish,
)
from tests.import_sheets import HEADERS_RU, csv_bytes, upload

pytestmark = pytest.mark.django_db

ANONYMOUS_NOTICE = "An anonymous published entry may match; ask site staff."


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(settings, tmp_path):
    settings.CASE_IMPORT_DIR = str(tmp_path / "imports")


def published_case(organization, *, identity, name, county="Tekes"):
    """A published case of `organization`, born 1975 in Ili (county `county`)."""
    person = PersonFactory(
        birth_date=datetime.date(1975, 1, 1), hometown_prefecture="ili", hometown_county=county
    )
    PersonNameFactory(person=person, value=name, script="cyrl", language="kk")
    case = CaseFactory(
        person=person,
        organization=organization,
        publication_state=Case.PublicationState.PUBLISHED,
        entry_number=4817,
    )
    ConsentFactory(case=case, identity_level=identity)
    return publish(case)


@pytest.fixture
def anonymous_case(organization):
    """Group A (Almaty) published this case anonymously: the public never learns the name."""
    return published_case(
        organization, identity=Consent.IdentityLevel.ANONYMOUS, name="Сауытбай Гүлнар"
    )


def add_person(client, name, **changes):
    page = client.get("/admin/cases/person/add/")
    data = form_data(
        page,
        **{
            "gender": "female",
            "ethnicity": "kazakh",
            "birth_date": "1975-01-01",
            "birth_date_precision": "year",
            "hometown_prefecture": "ili",
            "names-0-value": name,
            "names-0-script": "latn",
            "names-0-language": "en",
            "names-0-kind": "primary",
            **changes,
        },
    )
    return client.post("/admin/cases/person/add/", data), data


def import_preview(client, organization, rows):
    return client.post(
        "/admin/cases/case/import/",
        {"organization": organization.pk, "file": upload(csv_bytes([HEADERS_RU, *rows]))},
    )


def assert_nothing_identifying(text, case):
    for secret in ("Сауытбай", "Гүлнар", "Tekes", f"#{case.entry_number}", "4817"):
        assert secret not in text, secret
    assert f"/admin/cases/case/{case.pk}/" not in text


def lookup_events():
    return AuditEvent.objects.filter(kind=AuditEvent.Kind.DUPLICATE_LOOKUP)


def test_a_new_person_matching_another_groups_anonymous_entry_gets_only_the_notice(
    client, outsider, anonymous_case
):
    client.force_login(outsider)
    response, data = add_person(client, "Gulnar Sauytbay")
    assert response.status_code == 200
    assert ANONYMOUS_NOTICE in response.text
    assert_nothing_identifying(response.text, anonymous_case)
    assert Person.objects.count() == 1
    event = lookup_events().get()
    assert (event.user, event.target) == (outsider, "person")
    assert event.details["anonymous_matches"] == 1
    assert "Gulnar" not in json.dumps(event.details) + event.target
    # A different person after all: the volunteer saves anyway.
    data["save_despite_duplicates"] = "on"
    assert client.post("/admin/cases/person/add/", data).status_code == 302
    assert Person.objects.count() == 2


def test_another_groups_named_entry_is_shown_as_its_public_page_shows_it(
    client, outsider, organization
):
    case = published_case(
        organization, identity=Consent.IdentityLevel.NAME_ONLY, name="Тестова Айгерім"
    )
    client.force_login(outsider)
    response, _data = add_person(client, "Aigerim Testova")
    assert response.status_code == 200
    assert "published entry #4817 of another group" in response.text
    assert 'href="/cases/4817/"' in response.text
    assert "Тестова Айгерім" in response.text
    # The public page, never the admin page of a case the volunteer may not open.
    assert f"/admin/cases/case/{case.pk}/" not in response.text
    assert ANONYMOUS_NOTICE not in response.text


def test_an_unpublished_or_withdrawn_entry_of_another_group_is_not_hinted_at(
    client, outsider, anonymous_case
):
    anonymous_case.consent.withdrawn_at = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    anonymous_case.consent.save()
    client.force_login(outsider)
    response, _data = add_person(client, "Gulnar Sauytbay")
    assert response.status_code == 302
    assert not lookup_events().exists()


def test_an_import_dry_run_names_no_anonymous_entry_of_another_group(
    client, outsider, other_organization, anonymous_case
):
    client.force_login(outsider)
    rows = [
        ["1", "Сауытбай Гүлнар", "1975", "в лагере", "2018", "Іле", "", "", ""],
        ["2", "Тестов Ерлан", "1970", "в лагере", "2018", "Іле", "", "", ""],
    ]
    preview = import_preview(client, other_organization, rows)
    assert preview.status_code == 200
    duplicates = preview.text.split('id="duplicates"')[1]
    assert ANONYMOUS_NOTICE in duplicates
    assert "row 1" in duplicates and "row 2" not in duplicates
    # The row's own name (from the volunteer's file) is shown; nothing of the entry is.
    assert_nothing_identifying(preview.text.replace("Сауытбай Гүлнар", ""), anonymous_case)
    event = lookup_events().get()
    assert (event.target, event.details["checked"], event.details["anonymous_matches"]) == (
        "import",
        2,
        1,
    )


def test_the_group_that_holds_the_entry_sees_it_in_full(client, volunteer, anonymous_case):
    client.force_login(volunteer)
    response, _data = add_person(client, "Gulnar Sauytbay")
    assert f'href="/admin/cases/case/{anonymous_case.pk}/change/"' in response.text
    assert ANONYMOUS_NOTICE not in response.text
    assert not lookup_events().exists()


def test_look_ups_among_other_groups_entries_are_limited_per_user(
    client, outsider, other_organization, anonymous_case, settings
):
    settings.DUPLICATE_LOOKUP_LIMIT = 3
    client.force_login(outsider)
    rows = [
        ["1", f"Тестов Ерлан {letter}", "1970", "в лагере", "2018", "Іле", "", "", ""]
        for letter in "абвг"
    ] + [["1", "Сауытбай Гүлнар", "1975", "в лагере", "2018", "Іле", "", "", ""]]
    preview = import_preview(client, other_organization, rows)
    assert preview.status_code == 200
    assert "you have reached the limit of 3 such checks in 24 hours" in preview.text
    # Rows 4 and 5 were not looked up: the anonymous entry of row 5 is not hinted at.
    assert ANONYMOUS_NOTICE not in preview.text
    # The rows still import: the limit only stops the look-up.
    assert 'id="case-import-confirm"' in preview.text
    event = lookup_events().get()
    assert (event.details["checked"], event.details["unchecked"]) == (3, 2)

    response, data = add_person(client, "Gulnar Sauytbay")
    assert response.status_code == 200
    assert "you have reached the limit of 3 such checks" in response.text
    assert ANONYMOUS_NOTICE not in response.text
    assert lookup_events().count() == 2
    data["save_despite_duplicates"] = "on"
    assert client.post("/admin/cases/person/add/", data).status_code == 302


def test_site_staff_are_not_counted(client, anonymous_case, settings):
    from tests.factories import UserFactory

    settings.DUPLICATE_LOOKUP_LIMIT = 0
    staff = UserFactory(username="site-staff", is_staff=True, is_site_staff=True)
    client.force_login(staff)
    response, _data = add_person(client, "Gulnar Sauytbay")
    assert f'href="/admin/cases/case/{anonymous_case.pk}/change/"' in response.text
    assert "reached the limit" not in response.text
