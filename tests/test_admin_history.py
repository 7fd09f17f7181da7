"""The case's history page: who changed which field from what to what, inlines included."""

import pytest

from tests.admin_forms import form_data
from tests.factories import CaseEventFactory, CaseFactory, PersonNameFactory

pytestmark = pytest.mark.django_db


def test_it_shows_who_changed_which_field_from_what_to_what(client, volunteer, organization):
    case = CaseFactory(organization=organization, status="camp")
    PersonNameFactory(person=case.person, value="Testova Aigerim")
    event = CaseEventFactory(case=case, place="Old Place")
    client.force_login(volunteer)
    page = client.get(f"/admin/cases/case/{case.pk}/change/")
    data = form_data(
        page,
        status="imprisoned",
        **{"events-0-place": "New Place", "names-0-value": "Testova Aigerim Bolatovna"},
    )
    assert client.post(f"/admin/cases/case/{case.pk}/change/", data).status_code == 302

    response = client.get(f"/admin/cases/case/{case.pk}/history/")
    assert response.status_code == 200
    entries = response.context["entries"]
    changes = {
        (entry["kind"], str(change["field"]), str(change["old"]), str(change["new"]))
        for entry in entries
        for change in entry["changes"]
        if entry["user"] == volunteer
    }
    assert ("case", "status", "detained in a camp", "imprisoned after sentence") in changes
    assert ("event", "place", "Old Place", "New Place") in changes
    assert ("name", "name", "Testova Aigerim", "Testova Aigerim Bolatovna") in changes
    assert "aigul" in response.text
    assert "Old Place → New Place" in response.text
    assert event.pk in {entry["row"] for entry in entries if entry["kind"] == "event"}


def test_the_history_page_costs_the_same_queries_for_a_long_history(
    client, volunteer, organization, django_assert_max_num_queries
):
    case = CaseFactory(organization=organization)
    for n in range(30):
        CaseEventFactory(case=case, place=f"Place {n}")
        case.status = "camp" if n % 2 else "imprisoned"
        case.save()
    client.force_login(volunteer)
    with django_assert_max_num_queries(20):
        assert client.get(f"/admin/cases/case/{case.pk}/history/").status_code == 200


def test_a_relative_added_on_the_case_page_is_in_the_history(client, volunteer, organization):
    from tests.factories import PersonFactory, PersonNameFactory

    case = CaseFactory(organization=organization)
    # The daughter's record belongs to the group, so she is offered.
    daughter = PersonFactory(organization=organization)
    PersonNameFactory(person=daughter, value="Testova Dana")
    client.force_login(volunteer)
    page = client.get(f"/admin/cases/case/{case.pk}/change/")
    data = form_data(
        page,
        **{
            "relationships-TOTAL_FORMS": "1",
            "relationships-0-relative": str(daughter.pk),
            "relationships-0-kind": "daughter",
        },
    )
    assert client.post(f"/admin/cases/case/{case.pk}/change/", data).status_code == 302
    assert case.person.relationships.get().relative == daughter
    timeline = client.get(f"/admin/cases/case/{case.pk}/history/").context["entries"]
    assert next(e["kind"] for e in timeline if e["history_type"] == "+") == "relationship"
    # The case's own save only raised its version: no empty entry for it.
    assert not [e for e in timeline if e["kind"] == "case" and e["history_type"] == "~"]
