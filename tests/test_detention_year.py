"""Case.detention_year, kept current from the timeline by one rule (Case.detention_year_expression)
whichever way events are written: one by one, moved by a merge, or in bulk."""

import datetime

import pytest

from cases.models import Case
from cases.services.merge import merge_cases
from tests.factories import CaseEventFactory, CaseFactory

pytestmark = pytest.mark.django_db


def on(year, month=1):
    return datetime.date(year, month, 1)


def test_many_cases_get_their_year_in_one_statement(django_assert_num_queries):
    twice = CaseFactory()
    CaseEventFactory(case=twice, date_start=on(2019))
    CaseEventFactory(case=twice, date_start=on(2017, 6))
    undated = CaseFactory()
    CaseEventFactory(case=undated, date_start=None)
    released = CaseFactory()
    CaseEventFactory(case=released, kind="released", date_start=on(2020))
    nothing = CaseFactory()
    cases = [twice, undated, released, nothing]
    # As a bulk insert leaves them: the events written, the column not.
    Case.objects.update(detention_year=1999)
    with django_assert_num_queries(1):
        Case.objects.filter(pk__in=[c.pk for c in cases]).refresh_detention_years()
    years = dict(Case.objects.values_list("pk", "detention_year"))
    assert [years[c.pk] for c in cases] == [2017, None, None, None]


def test_one_case_and_many_agree():
    case = CaseFactory()
    CaseEventFactory(case=case, date_start=on(2018, 3))
    Case.objects.filter(pk=case.pk).update(detention_year=None)
    case.refresh_from_db()
    case.refresh_detention_year()
    assert case.detention_year == 2018
    Case.objects.filter(pk=case.pk).update(detention_year=None)
    Case.objects.filter(pk=case.pk).refresh_detention_years()
    case.refresh_from_db()
    assert case.detention_year == 2018


def test_a_merge_updates_both_timelines(site_staff, organization):
    keep = CaseFactory(organization=organization)
    CaseEventFactory(case=keep, date_start=on(2019))
    merged = CaseFactory(organization=organization)
    CaseEventFactory(case=merged, date_start=on(2017))
    merge_cases(keep=keep, merge=merged, by=site_staff)
    keep.refresh_from_db()
    merged.refresh_from_db()
    assert keep.detention_year == 2017
    assert merged.detention_year is None


def test_a_bulk_write_gives_the_year_to_the_history_rows_it_wrote():
    case = CaseFactory()
    created = case.history.get()
    CaseEventFactory(case=case, date_start=on(2018))
    case.summary = "changed later"
    case.save()
    Case.objects.update(detention_year=None)
    Case.history.update(detention_year=None)
    Case.objects.filter(pk=case.pk).refresh_detention_years(created_at=created.history_date)
    years = dict(Case.history.values_list("history_type", "detention_year"))
    assert years == {"+": 2018, "~": None}
    assert Case.objects.get(pk=case.pk).detention_year == 2018
