"""The staff case list: filters, paging, export links, and a fixed number of queries."""

import pytest
from django.urls import reverse

from tests.factories import CaseFactory
from tests.staff_data import documented_case

pytestmark = pytest.mark.django_db


def test_it_lists_filters_and_links_every_export(client, reviewer, organization):
    case = documented_case(organization, publication_state="in_review")
    client.force_login(reviewer)
    response = client.get(reverse("staff:case_list"), {"publication_state": "in_review"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Testova Aigerim" in page
    assert reverse("staff:export_csv") in page
    assert reverse("staff:export_xlsx") in page
    assert reverse("staff:dossier_pdf", args=[case.entry_number]) in page
    assert reverse("staff:un_submission", args=[case.entry_number]) in page
    assert 'name="publication_state" value="in_review"' in page  # carried to the exports
    assert (
        client.get(reverse("staff:case_list"), {"publication_state": "draft"})
        .context["page"]
        .paginator.count
        == 0
    )


def test_a_bad_filter_is_a_clear_400(client, reviewer):
    client.force_login(reviewer)
    response = client.get(reverse("staff:case_list"), {"priority": "9", "gender": "x"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "priority" in text
    assert "gender" in text
    assert "Select a valid choice" in text


def test_it_runs_a_fixed_number_of_queries(
    client, reviewer, organization, django_assert_max_num_queries
):
    for _ in range(30):
        CaseFactory(organization=organization)
    client.force_login(reviewer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("staff:case_list"))
    assert response.context["page"].paginator.count == 30
