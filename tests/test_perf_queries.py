"""Query counts that must not grow with the data: loading rows without their files, the admin
case page of a published case, the public list with every filter set."""

import pytest

from cases.models import Source, Testimony
from tests.factories import CaseFactory, SourceFactory, TestimonyFactory

pytestmark = pytest.mark.django_db


def test_rows_loaded_without_their_file_never_read_it(django_assert_num_queries):
    case = CaseFactory()
    for _n in range(4):
        SourceFactory(case=case)
        TestimonyFactory(case=case)
    with django_assert_num_queries(2):
        sources = list(Source.objects.only("pk", "case_id", "kind"))
        testimonies = list(Testimony.objects.only("pk", "case_id", "medium"))
    assert len(sources) == len(testimonies) == 4
