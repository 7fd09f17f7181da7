import datetime

import pytest

from cases.duplicates import likely_duplicates
from cases.models import Case
from cases.search import name_matches
from tests.factories import CaseFactory, PersonFactory, PersonNameFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kairat():
    person = PersonFactory(
        birth_date=datetime.date(1968, 1, 1), hometown_prefecture="ili", hometown_county="Tekes"
    )
    PersonNameFactory(person=person, value="Қайрат Тестұлы", script="cyrl", language="kk")
    return person


def test_a_latin_spelling_finds_the_cyrillic_record(kairat):
    found = likely_duplicates(names=["Testuly Kairat"], birth_year=1968, prefecture="ili")
    assert list(found) == [kairat]


def test_another_birth_year_is_not_a_duplicate(kairat):
    assert not likely_duplicates(names=["Kairat Testuly"], birth_year=1971).exists()


def test_another_hometown_is_not_a_duplicate(kairat):
    assert not likely_duplicates(names=["Kairat Testuly"], prefecture="kashgar").exists()


def test_the_record_itself_is_left_out(kairat):
    assert not likely_duplicates(names=["Kairat Testuly"], exclude_person=kairat).exists()


def test_blank_names_find_nothing(kairat):
    assert not likely_duplicates(names=["", "  "]).exists()


def test_name_search_matches_every_word_in_any_order(kairat):
    case = CaseFactory(person=kairat)
    CaseFactory()
    assert list(Case.objects.filter(name_matches("Kairat", path="person"))) == [case]
    assert list(Case.objects.filter(name_matches("testuly qayrat", path="person"))) == [case]
    assert not Case.objects.filter(name_matches("Kairat Gulnar", path="person")).exists()
    assert not Case.objects.filter(name_matches("", path="person")).exists()
