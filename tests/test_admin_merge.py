"""Site staff merge two cases: nothing held by either is lost, history stays, the merged-away
case is withdrawn."""

import pytest

from cases.models import Case, CaseEvent, PersonName, Source
from tests.factories import (
    AdvocacyActionFactory,
    CaseEventFactory,
    CaseFactory,
    PersonNameFactory,
    RelationshipFactory,
    SourceFactory,
)
from tests.factories import TestimonyFactory as MakeTestimony

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_reports(organization, other_organization):
    keep = CaseFactory(organization=organization)
    PersonNameFactory(person=keep.person, value="Sauytbay Gulnar")
    CaseEventFactory(case=keep, place="Kept Place")
    merge = CaseFactory(organization=other_organization)
    PersonNameFactory(person=merge.person, value="Сауытбай Гүлнар", script="cyrl")
    PersonNameFactory(person=merge.person, value="Sawytbay Gulnar")  # a second Latin primary
    event = CaseEventFactory(case=merge, place="Moved Place")
    event.place = "Moved Place, corrected"
    event.save()
    MakeTestimony(case=merge)
    SourceFactory(case=merge, title="Moved source")
    mother = CaseFactory(organization=other_organization)
    RelationshipFactory(person=mother.person, relative=merge.person, kind="son")
    MakeTestimony(case=mother, testifier=merge.person)
    action = AdvocacyActionFactory(organization=other_organization)
    action.cases.add(merge)
    return keep, merge


def test_site_staff_merge_two_cases_through_the_admin(client, site_staff, two_reports):
    keep, merge = two_reports
    client.force_login(site_staff)
    preview = client.post(
        f"/admin/cases/case/{keep.pk}/merge/", {"entry_number": str(merge.entry_number)}
    )
    assert preview.status_code == 200
    assert "Yes, merge" in preview.text
    assert CaseEvent.objects.filter(case=merge).exists()

    response = client.post(
        f"/admin/cases/case/{keep.pk}/merge/",
        {"entry_number": str(merge.entry_number), "confirm": "yes"},
        follow=True,
    )
    assert "was merged into this one" in response.text
    assert set(keep.events.values_list("place", flat=True)) == {
        "Kept Place",
        "Moved Place, corrected",
    }
    assert keep.testimonies.count() == 1
    # Where the merged-away person was someone's relative or testifier, the kept one is now.
    assert keep.person.relationships_as_relative.get().kind == "son"
    assert keep.person.testimonies_given.count() == 1
    assert list(keep.sources.values_list("title", flat=True)) == ["Moved source"]
    assert keep.advocacy_actions.count() == 1
    assert not merge.advocacy_actions.exists()
    names = dict(keep.person.names.values_list("value", "kind"))
    assert names == {
        "Sauytbay Gulnar": "primary",
        "Сауытбай Гүлнар": "primary",
        "Sawytbay Gulnar": "alias",
    }

    merge.refresh_from_db()
    assert merge.publication_state == Case.PublicationState.WITHDRAWN
    assert f"#{keep.entry_number}" in merge.notes
    assert f"merged #{merge.entry_number} into #{keep.entry_number}" in (
        merge.history.first().history_change_reason
    )
    moved = CaseEvent.objects.get(place="Moved Place, corrected")
    # The moved event keeps its history from before the merge, and records the move.
    assert [r.case_id for r in moved.history.order_by("history_date")] == [
        merge.pk,
        merge.pk,
        keep.pk,
    ]
    assert moved.history.first().history_user == site_staff
    assert PersonName.history.filter(value="Sawytbay Gulnar").count() == 2
    timeline = client.get(f"/admin/cases/case/{keep.pk}/history/")
    assert "Moved Place, corrected" in timeline.text


def test_a_volunteer_cannot_merge(client, volunteer, organization):
    keep = CaseFactory(organization=organization)
    merge = CaseFactory(organization=organization)
    client.force_login(volunteer)
    page = client.get(f"/admin/cases/case/{keep.pk}/change/")
    assert "/merge/" not in page.text
    response = client.post(
        f"/admin/cases/case/{keep.pk}/merge/",
        {"entry_number": str(merge.entry_number), "confirm": "yes"},
    )
    assert response.status_code == 403
    merge.refresh_from_db()
    assert merge.publication_state == Case.PublicationState.DRAFT


def test_a_bad_entry_number_is_explained(client, site_staff, organization):
    keep = CaseFactory(organization=organization)
    client.force_login(site_staff)
    for value in ["abc", "99999999", str(keep.entry_number), "1" * 40]:
        response = client.post(
            f"/admin/cases/case/{keep.pk}/merge/", {"entry_number": value, "confirm": "yes"}
        )
        assert response.status_code == 200
        assert "errorlist" in response.text
    assert Source.objects.count() == 0
