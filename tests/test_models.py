"""The model rules: validation in clean(), named constraints, entry numbers, partial dates."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from cases.models import Case, CaseEvent, Consent, EntryNumberCounter, PersonName
from casetracker.dates import DatePrecision, format_partial_date
from tests.factories import (
    CaseEventFactory,
    CaseFactory,
    CitizenshipFactory,
    ConsentFactory,
    FacilityFactory,
    PersonFactory,
    PersonNameFactory,
    RelationshipFactory,
    publish,
)

pytestmark = pytest.mark.django_db


def messages(error, field):
    return " ".join(error.value.message_dict[field])


class TestCaseEventDates:
    def test_it_refuses_an_event_that_ends_before_it_starts(self):
        event = CaseEventFactory.build(
            case=CaseFactory(),
            date_start=datetime.date(2019, 5, 10),
            date_start_precision=DatePrecision.DAY,
            date_end=datetime.date(2019, 5, 9),
            date_end_precision=DatePrecision.DAY,
        )
        with pytest.raises(ValidationError) as error:
            event.full_clean()
        assert "cannot end before it starts" in messages(error, "date_end")

    def test_it_accepts_an_event_that_ends_on_its_start_day(self):
        event = CaseEventFactory.build(
            case=CaseFactory(),
            date_start=datetime.date(2019, 5, 10),
            date_start_precision=DatePrecision.DAY,
            date_end=datetime.date(2019, 5, 10),
            date_end_precision=DatePrecision.DAY,
        )
        event.full_clean()

    def test_the_database_refuses_an_event_that_ends_before_it_starts(self):
        case = CaseFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            CaseEvent.objects.create(
                case=case,
                kind=CaseEvent.Kind.DETAINED,
                date_start=datetime.date(2019, 5, 10),
                date_end=datetime.date(2018, 1, 1),
            )

    def test_it_refuses_a_day_where_the_precision_says_year(self):
        event = CaseEventFactory.build(
            case=CaseFactory(),
            date_start=datetime.date(2018, 3, 12),
            date_start_precision=DatePrecision.YEAR,
        )
        with pytest.raises(ValidationError) as error:
            event.full_clean()
        assert "year" in messages(error, "date_start")

    def test_it_refuses_a_day_where_the_precision_says_month(self):
        event = CaseEventFactory.build(
            case=CaseFactory(),
            date_start=datetime.date(2018, 3, 12),
            date_start_precision=DatePrecision.MONTH,
        )
        with pytest.raises(ValidationError) as error:
            event.full_clean()
        assert "month" in messages(error, "date_start")

    def test_it_accepts_a_year_stored_as_its_first_day(self):
        event = CaseEventFactory.build(
            case=CaseFactory(),
            date_start=datetime.date(2018, 1, 1),
            date_start_precision=DatePrecision.YEAR,
        )
        event.full_clean()
        assert event.date_display == "2018"

    def test_it_refuses_unknown_suspected_reasons(self):
        event = CaseEventFactory.build(case=CaseFactory(), suspected_reasons=["religion", "bogus"])
        with pytest.raises(ValidationError) as error:
            event.full_clean()
        assert "bogus" in messages(error, "suspected_reasons")

    def test_it_refuses_an_event_in_the_future(self):
        event = CaseEventFactory.build(
            case=CaseFactory(),
            date_start=timezone.localdate() + datetime.timedelta(days=2),
            date_start_precision=DatePrecision.DAY,
        )
        with pytest.raises(ValidationError):
            event.full_clean()


class TestPerson:
    def test_it_refuses_a_birth_date_in_the_future(self):
        person = PersonFactory.build(
            birth_date=timezone.localdate() + datetime.timedelta(days=1),
            birth_date_precision=DatePrecision.DAY,
        )
        with pytest.raises(ValidationError) as error:
            person.full_clean()
        assert "future" in messages(error, "birth_date")

    def test_it_refuses_a_birth_day_where_the_precision_says_year(self):
        person = PersonFactory.build(
            birth_date=datetime.date(1965, 7, 3), birth_date_precision=DatePrecision.YEAR
        )
        with pytest.raises(ValidationError) as error:
            person.full_clean()
        assert "year" in messages(error, "birth_date")

    def test_it_accepts_a_birth_year(self):
        person = PersonFactory.build(
            birth_date=datetime.date(1965, 1, 1), birth_date_precision=DatePrecision.YEAR
        )
        person.full_clean()
        assert person.birth_year == 1965
        assert person.birth_date_display == "1965"

    def test_display_name_prefers_the_latin_primary_name(self):
        person = PersonFactory()
        PersonNameFactory(person=person, value="Тестова Айгерим", script="cyrl")
        PersonNameFactory(person=person, value="Aigerim Testova", script="latn")
        PersonNameFactory(person=person, value="Aika", script="latn", kind="alias")
        assert str(person) == "Aigerim Testova"


class TestRelationship:
    def test_it_refuses_a_relationship_of_a_person_to_themself(self):
        person = PersonFactory()
        relationship = RelationshipFactory.build(person=person, relative=person)
        with pytest.raises(ValidationError) as error:
            relationship.full_clean()
        assert "own relative" in messages(error, "relative")

    def test_the_database_refuses_a_relationship_to_self(self):
        person = PersonFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            RelationshipFactory(person=person, relative=person)


class TestNames:
    def test_one_primary_name_per_person_and_script(self):
        person = PersonFactory()
        PersonNameFactory(person=person, value="Aigerim Testova", script="latn")
        with pytest.raises(IntegrityError), transaction.atomic():
            PersonNameFactory(person=person, value="Aygerim Testova", script="latn")

    def test_the_constraint_is_reported_by_full_clean(self):
        person = PersonFactory()
        PersonNameFactory(person=person, value="Aigerim Testova", script="latn")
        second = PersonNameFactory.build(person=person, value="Aygerim Testova", script="latn")
        with pytest.raises(ValidationError) as error:
            second.full_clean()
        assert "already has a primary name in this script" in str(error.value)

    def test_aliases_in_the_same_script_are_allowed(self):
        person = PersonFactory()
        PersonNameFactory(person=person, value="Aigerim Testova", script="latn")
        PersonNameFactory(person=person, value="Aygerim Testova", script="latn", kind="alias")
        assert person.names.count() == 2

    def test_a_primary_name_in_another_script_is_allowed(self):
        person = PersonFactory()
        PersonNameFactory(person=person, value="Aigerim Testova", script="latn")
        PersonNameFactory(person=person, value="Тестова Айгерим", script="cyrl", language="kk")
        assert person.names.filter(kind="primary").count() == 2

    def test_saving_a_name_stores_its_search_key(self):
        name = PersonNameFactory(value="  Қайрат Тестов ", script="cyrl")
        assert name.value == "Қайрат Тестов"
        assert name.search_key == "kairat tastu"
        name.value = "Kairat Testov"
        name.save(update_fields=["value"])
        name.refresh_from_db()
        assert name.search_key == "kairat tastu"


class TestCitizenship:
    def test_a_person_holds_a_country_once(self):
        person = PersonFactory()
        CitizenshipFactory(person=person)
        with pytest.raises(IntegrityError), transaction.atomic():
            CitizenshipFactory(person=person)

    def test_citizenship_cannot_be_lost_before_it_was_acquired(self):
        citizenship = CitizenshipFactory.build(
            person=PersonFactory(),
            acquired_on=datetime.date(2015, 1, 1),
            lost_on=datetime.date(2010, 1, 1),
        )
        with pytest.raises(ValidationError):
            citizenship.full_clean()


class TestEntryNumbers:
    def test_new_cases_get_increasing_entry_numbers(self):
        first, second = CaseFactory(), CaseFactory()
        assert second.entry_number == first.entry_number + 1

    def test_an_entry_number_is_never_reused_after_a_case_is_removed(self):
        first = CaseFactory()
        last = CaseFactory()
        number = last.entry_number
        last.delete()
        again = CaseFactory()
        assert again.entry_number == number + 1
        assert first.entry_number < number

    def test_entry_numbers_are_unique_in_the_database(self):
        first = CaseFactory()
        second = CaseFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            Case.objects.filter(pk=second.pk).update(entry_number=first.entry_number)

    def test_take_reserves_a_block(self):
        start = EntryNumberCounter.take(10)
        assert EntryNumberCounter.take() == start + 10


class TestDetentionYear:
    def test_it_follows_the_first_detention_event(self):
        case = CaseFactory()
        assert case.detention_year is None
        CaseEventFactory(
            case=case, date_start=datetime.date(2019, 1, 1), date_start_precision="year"
        )
        CaseEventFactory(case=case, date_start=datetime.date(2017, 6, 1))
        case.refresh_from_db()
        assert case.detention_year == 2017

    def test_it_is_cleared_when_the_event_goes(self):
        case = CaseFactory()
        event = CaseEventFactory(case=case)
        event.delete()
        case.refresh_from_db()
        assert case.detention_year is None


class TestPublicCases:
    def test_a_published_case_with_consent_to_publish_is_public(self):
        case = CaseFactory(publication_state=Case.PublicationState.PUBLISHED)
        ConsentFactory(case=case, consent_to_publish=True)
        # Public once publication wrote its public entry, not by its state alone.
        assert not Case.objects.public().exists()
        publish(case)
        assert list(Case.objects.public()) == [case]
        assert case.is_public

    @pytest.mark.parametrize("state", ["draft", "in_review", "withdrawn"])
    def test_an_unpublished_case_is_not_public(self, state):
        case = CaseFactory(publication_state=state)
        ConsentFactory(case=case, consent_to_publish=True)
        assert not Case.objects.public().exists()

    def test_a_case_without_consent_is_not_public(self):
        CaseFactory(publication_state=Case.PublicationState.PUBLISHED)
        assert not Case.objects.public().exists()

    def test_withdrawn_consent_takes_the_case_off_at_once(self):
        case = CaseFactory(publication_state=Case.PublicationState.PUBLISHED)
        consent = ConsentFactory(case=case, consent_to_publish=True)
        publish(case)
        consent.withdrawn_at = timezone.now()
        consent.save()
        assert not Case.objects.public().exists()
        case.refresh_from_db()
        assert not case.is_public


class TestConsent:
    def test_a_photo_needs_the_full_identity_level(self):
        consent = ConsentFactory.build(
            case=CaseFactory(), identity_level=Consent.IdentityLevel.NAME_ONLY, photo_consent=True
        )
        with pytest.raises(ValidationError):
            consent.full_clean()

    def test_anonymous_consent_shows_neither_name_nor_photo(self):
        consent = ConsentFactory.build(identity_level=Consent.IdentityLevel.ANONYMOUS)
        assert not consent.shows_name
        assert not consent.shows_photo


class TestFacility:
    def test_coordinates_come_in_pairs(self):
        facility = FacilityFactory.build(latitude=43.9)
        with pytest.raises(ValidationError):
            facility.full_clean()


class TestPartialDates:
    @pytest.mark.parametrize(
        ("value", "precision", "shown"),
        [
            # Django's English date format (DATE_FORMAT), as elsewhere on the site.
            (datetime.date(2018, 3, 12), "day", "March 12, 2018"),
            (datetime.date(2018, 3, 1), "month", "March 2018"),
            (datetime.date(2018, 1, 1), "year", "2018"),
            (datetime.date(2018, 1, 1), "approx", "c. 2018"),
            (None, "day", ""),
        ],
    )
    def test_it_shows_what_is_known_and_no_more(self, value, precision, shown):
        assert format_partial_date(value, precision) == shown

    @pytest.mark.parametrize(
        ("language", "month", "day"),
        [
            ("kk", "наурыз 2018", "12 наурыз 2018 ж."),
            ("ru", "март 2018", "12 марта 2018 г."),
            ("ky", "март 2018", None),
            ("ug", "مارت 2018", "12 مارت 2018"),
            ("zh-hans", "2018年3月", "2018年3月12日"),
        ],
    )
    def test_it_speaks_the_pages_language(self, language, month, day):
        with translation.override(language):
            assert format_partial_date(datetime.date(2018, 3, 1), "month") == month
            if day:
                assert format_partial_date(datetime.date(2018, 3, 12), "day") == day


def test_names_are_kept_in_every_script():
    person = PersonFactory()
    for value, script in [
        ("Aigerim Testova", "latn"),
        ("Тестова Айгерим", "cyrl"),
        ("阿依格丽木·特斯托娃", "hani"),
        ("ئايگېرىم تېستوۋا", "arab"),
    ]:
        PersonNameFactory(person=person, value=value, script=script)
    assert set(person.names.values_list("script", flat=True)) == set(PersonName.Script.values)


def test_a_number_written_by_hand_is_not_handed_out_again():
    case = CaseFactory()
    Case.objects.filter(pk=case.pk).update(entry_number=case.entry_number + 50)
    assert CaseFactory().entry_number == case.entry_number + 51
