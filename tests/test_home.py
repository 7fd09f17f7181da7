import pytest

from cases.models import Case
from tests.factories import CaseFactory, ConsentFactory, publish

pytestmark = pytest.mark.django_db


def test_it_counts_only_public_cases_for_an_anonymous_visitor(
    client, django_assert_max_num_queries
):
    published = CaseFactory(publication_state=Case.PublicationState.PUBLISHED, notes="SECRET-NOTE")
    ConsentFactory(case=published)
    publish(published)
    CaseFactory(publication_state=Case.PublicationState.DRAFT)
    # Cold cache: the headline figures are computed once (cases.public.figures), then cached.
    with django_assert_max_num_queries(12):
        response = client.get("/")
    with django_assert_max_num_queries(2):
        response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "1 published case" in body
    assert "SECRET-NOTE" not in body
