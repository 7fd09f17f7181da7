"""Query counts that must not grow with the data: loading rows without their files, the admin
case page of a published case, the public list with every filter set."""

import pytest

from cases import models
from tests import factories
from tests.factories import CaseFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_rows_loaded_without_their_file_never_read_it(django_assert_num_queries):
    case = CaseFactory()
    for _n in range(4):
        SourceFactory(case=case)
        factories.TestimonyFactory(case=case)
    with django_assert_num_queries(2):
        sources = list(models.Source.objects.only("pk", "case_id", "kind"))
        testimonies = list(models.Testimony.objects.only("pk", "case_id", "medium"))
    assert len(sources) == len(testimonies) == 4


@pytest.mark.parametrize("sources", [1, 6])
def test_a_published_case_page_builds_its_public_differences_once(
    client, volunteer, organization, sources, monkeypatch, django_assert_max_num_queries
):
    from cases.models import Case
    from cases.services import publication
    from tests.factories import ConsentFactory, publish
    from tests.staff_data import documented_case

    case = documented_case(organization, evidence_level=2)
    ConsentFactory(case=case, consent_to_publish=True)
    for n in range(sources):
        SourceFactory(case=case, title=f"Held report {n}", visibility="sensitive")
        SourceFactory(case=case, title=f"Public report {n}", visibility="public")
    Case.objects.filter(pk=case.pk).update(publication_state=Case.PublicationState.PUBLISHED)
    publish(case)
    Case.objects.filter(pk=case.pk).update(summary="Changed since publication.")
    built = []
    snapshot_cases = publication.snapshot_cases
    monkeypatch.setattr(publication, "snapshot_cases", lambda: built.append(1) or snapshot_cases())
    client.force_login(volunteer)
    with django_assert_max_num_queries(45):
        response = client.get(f"/admin/cases/case/{case.pk}/change/")
    assert response.status_code == 200
    assert len(built) == 1
    assert "Changed since publication." in response.text


def test_the_figures_count_every_column_in_one_scan_and_agree_with_a_count_per_column(
    django_assert_max_num_queries,
):
    from cases.models import Case, Consent, PublicEntry
    from cases.public import figures
    from tests.factories import ConsentFactory, PersonFactory, publish

    for status, year in [("camp", 2018), ("camp", None), ("imprisoned", 2019), ("died", 2018)]:
        case = CaseFactory(
            person=PersonFactory(),
            status=status,
            publication_state=Case.PublicationState.PUBLISHED,
        )
        Case.objects.filter(pk=case.pk).update(detention_year=year)
        ConsentFactory(case=case, identity_level=Consent.IdentityLevel.NAME_ONLY)
        publish(case)
    entries = PublicEntry.objects.all()
    from django.db import connection

    # One scan on PostgreSQL; a query per column and the total elsewhere.
    with django_assert_max_num_queries(
        1 if connection.vendor == "postgresql" else len(figures._COUNTED) + 1
    ):
        counts, total = figures._column_counts(entries)
    assert total == 4
    for column in figures._COUNTED:
        expected = figures._counts(entries, column)
        assert counts[column] == expected
        assert list(counts[column]) == list(expected)
    assert counts["status"] == {"camp": 2, "died": 1, "imprisoned": 1}
