import datetime

import pytest

from cases.models import Case
from cases.public.filters import CaseFilter
from tests.factories import (
    CaseEventFactory,
    CaseFactory,
    CitizenshipFactory,
    CountryFactory,
    PersonFactory,
    PersonNameFactory,
    RelationshipFactory,
)

pytestmark = pytest.mark.django_db


def filtered(**params):
    filterset = CaseFilter(params, queryset=Case.objects.all())
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs)


def test_status_and_evidence_level():
    camp = CaseFactory(status="camp", evidence_level=3)
    CaseFactory(status="released_abroad", evidence_level=1)
    assert filtered(status=["camp"]) == {camp}
    assert filtered(evidence_level=["3"]) == {camp}


def test_year_of_detention_range():
    early = CaseEventFactory(date_start=datetime.date(2017, 1, 1), date_start_precision="year").case
    late = CaseEventFactory(date_start=datetime.date(2019, 5, 1)).case
    assert filtered(detained_from="2018") == {late}
    assert filtered(detained_to="2017") == {early}


def test_citizenship_and_relatives_country():
    kg = CountryFactory(code="KG", name="Kyrgyzstan")
    case = CaseFactory()
    CaseFactory()
    CitizenshipFactory(person=case.person, country=kg)
    relative = PersonFactory()
    RelationshipFactory(person=case.person, relative=relative)
    relative.residences.create(country=kg, place="Bishkek")
    assert filtered(citizenship="KG") == {case}
    assert filtered(relatives_country="KG") == {case}


def test_name_or_entry_number():
    case = CaseFactory()
    PersonNameFactory(person=case.person, value="Бермет Тестова", script="cyrl")
    CaseFactory()
    assert filtered(q="bermet") == {case}
    assert filtered(q=f"#{case.entry_number}") == {case}


@pytest.mark.parametrize(
    "params",
    [
        {"status": ["nonsense"]},
        {"detained_from": "abc"},
        {"detained_from": "99999"},
        {"citizenship": "XX"},
        {"sort": "notes"},
    ],
)
def test_bad_values_are_form_errors(params):
    filterset = CaseFilter(params, queryset=Case.objects.all())
    assert not filterset.is_valid()
