"""Facilities are shared by every group: all members see and pick them, only coordinators and
site staff add or change one, every change is on record, and each group's private notes on a
facility stay with that group."""

import pytest

from cases.models import Facility, FacilityNote
from tests.admin_forms import form_data
from tests.factories import FacilityFactory, FacilityNoteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def facility():
    return FacilityFactory(name="Invented Camp No. 7", county="Tekes")


def test_a_volunteer_sees_a_facility_but_cannot_rename_it(client, volunteer, facility):
    client.force_login(volunteer)
    url = f"/admin/cases/facility/{facility.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert "name" not in page.context["adminform"].form.fields
    assert "Invented Camp No. 7" in page.text
    client.post(url, {**form_data(page), "name": "Renamed by a volunteer", "county": "X"})
    facility.refresh_from_db()
    assert (facility.name, facility.county) == ("Invented Camp No. 7", "Tekes")
    assert not facility.history.exclude(history_type="+").exists()


def test_a_volunteer_or_reviewer_cannot_add_a_facility(client, volunteer, reviewer):
    for user in (volunteer, reviewer):
        client.force_login(user)
        assert client.get("/admin/cases/facility/add/").status_code == 403
        response = client.post("/admin/cases/facility/add/", {"name": "New", "kind": "camp"})
        assert response.status_code == 403
    assert not Facility.objects.filter(name="New").exists()


def test_a_coordinators_rename_is_on_record(client, coordinator, facility):
    client.force_login(coordinator)
    url = f"/admin/cases/facility/{facility.pk}/change/"
    response = client.post(url, form_data(client.get(url), name="Invented Camp No. 8"))
    assert response.status_code == 302
    facility.refresh_from_db()
    assert facility.name == "Invented Camp No. 8"
    latest = facility.history.first()
    assert latest.history_user == coordinator
    change = latest.diff_against(latest.prev_record).changes
    assert [(c.field, c.old, c.new) for c in change] == [
        ("name", "Invented Camp No. 7", "Invented Camp No. 8")
    ]
    history = client.get(f"/admin/cases/facility/{facility.pk}/history/")
    assert history.status_code == 200
    assert "dana" in history.text


def test_site_staff_add_a_facility_on_record(client, site_staff):
    client.force_login(site_staff)
    page = client.get("/admin/cases/facility/add/")
    response = client.post(
        "/admin/cases/facility/add/", form_data(page, name="Invented Prison No. 2", kind="prison")
    )
    assert response.status_code == 302
    facility = Facility.objects.get(name="Invented Prison No. 2")
    assert facility.history.get().history_user == site_staff


def test_each_group_sees_only_its_own_notes(
    client, volunteer, outsider, organization, other_organization, facility
):
    FacilityNoteFactory(facility=facility, organization=organization, text="Almaty's note")
    FacilityNoteFactory(facility=facility, organization=other_organization, text="Bishkek's note")
    FacilityNoteFactory(facility=facility, organization=None, text="Old shared note")
    url = f"/admin/cases/facility/{facility.pk}/change/"
    client.force_login(volunteer)
    text = client.get(url).text
    assert "Almaty&#x27;s note" in text
    assert "Bishkek" not in text
    assert "Old shared note" not in text
    client.force_login(outsider)
    text = client.get(url).text
    assert "Bishkek&#x27;s note" in text
    assert "Almaty" not in text
    assert "Old shared note" not in text


def test_site_staff_see_every_note(client, site_staff, organization, facility):
    FacilityNoteFactory(facility=facility, organization=organization, text="Almaty's note")
    FacilityNoteFactory(facility=facility, organization=None, text="Old shared note")
    client.force_login(site_staff)
    text = client.get(f"/admin/cases/facility/{facility.pk}/change/").text
    assert "Almaty&#x27;s note" in text
    assert "Old shared note" in text


def test_a_volunteer_writes_a_note_for_their_group(client, volunteer, organization, facility):
    client.force_login(volunteer)
    url = f"/admin/cases/facility/{facility.pk}/change/"
    page = client.get(url)
    data = form_data(
        page,
        **{
            "private_notes-TOTAL_FORMS": "1",
            "private_notes-0-organization": str(organization.pk),
            "private_notes-0-text": "Families report transfers from here in 2019 (invented).",
        },
    )
    assert client.post(url, data).status_code == 302
    note = FacilityNote.objects.get()
    assert (note.facility, note.organization) == (facility, organization)
    # The facility itself was not saved again: no history record for nothing.
    assert facility.history.count() == 1


def test_a_forged_post_cannot_touch_another_groups_note(
    client, outsider, organization, other_organization, facility
):
    theirs = FacilityNoteFactory(facility=facility, organization=organization, text="Almaty's")
    client.force_login(outsider)
    url = f"/admin/cases/facility/{facility.pk}/change/"
    page = client.get(url)
    forged = {
        "private_notes-TOTAL_FORMS": "1",
        "private_notes-INITIAL_FORMS": "1",
        "private_notes-0-id": str(theirs.pk),
        "private_notes-0-facility": str(facility.pk),
        "private_notes-0-organization": str(other_organization.pk),
        "private_notes-0-text": "Taken over",
    }
    client.post(url, form_data(page, **forged))
    new_note = {
        "private_notes-TOTAL_FORMS": "1",
        "private_notes-0-organization": str(organization.pk),
        "private_notes-0-text": "Written in Almaty's name",
    }
    response = client.post(url, form_data(page, **new_note))
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    theirs.refresh_from_db()
    assert (theirs.organization, theirs.text) == (organization, "Almaty's")
    assert FacilityNote.objects.count() == 1


def test_every_member_still_picks_a_facility_for_an_event(client, volunteer, facility):
    client.force_login(volunteer)
    results = client.get(
        "/admin/autocomplete/",
        {"app_label": "cases", "model_name": "caseevent", "field_name": "facility",
         "term": "Invented"},
    ).json()["results"]  # fmt: skip
    assert [r["text"] for r in results] == ["Invented Camp No. 7"]


def test_an_import_adds_unknown_facilities_on_record(volunteer, organization, settings, tmp_path):
    from cases.imports.plan import dry_run
    from cases.imports.reading import read_table
    from cases.imports.writing import import_cases
    from tests.import_sheets import csv_bytes, upload

    settings.CASE_IMPORT_DIR = str(tmp_path)
    rows = [["Name", "Facility"], ["Invented Imported Person", "Invented Camp No. 99"]]
    plan = dry_run(
        read_table(upload(csv_bytes(rows), "cases.csv")), organization=organization, user=volunteer
    )
    import_cases(plan, user=volunteer)
    record = Facility.objects.get(name="Invented Camp No. 99").history.get()
    assert record.history_user == volunteer
    assert record.history_change_reason == "Imported from “cases.csv”"


@pytest.mark.parametrize("rows", [1, 10])
def test_the_facility_pages_cost_the_same_queries_for_1_or_10_rows(
    client, volunteer, organization, facility, rows, django_assert_max_num_queries
):
    for n in range(rows):
        FacilityFactory(name=f"Invented Facility {n}")
        FacilityNoteFactory(facility=facility, organization=organization, text=f"Note {n}")
    client.force_login(volunteer)
    with django_assert_max_num_queries(7):
        assert client.get("/admin/cases/facility/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(f"/admin/cases/facility/{facility.pk}/change/").status_code == 200
