"""Factories for invented test data. Every name here is made up."""

import datetime

import factory
from factory.django import DjangoModelFactory

from cases.models import (
    Case,
    CaseEvent,
    Citizenship,
    Consent,
    Facility,
    FacilityNote,
    Family,
    Person,
    PersonName,
    Relationship,
    Source,
    Testimony,
)
from orgs.models import AdvocacyAction, Country, Membership, Organization, User

# Every test user's password, for tests that sign in through the login form.
PASSWORD = "correct horse battery staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    is_staff = True
    password = factory.django.Password(PASSWORD)


class CountryFactory(DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = "KZ"
    name = "Kazakhstan"


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Test Group {n}")
    slug = factory.Sequence(lambda n: f"test-group-{n}")
    country = factory.SubFactory(CountryFactory)
    city = "Almaty"
    description = "A test group."
    contact_notes = "private contact notes"


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.VOLUNTEER


class FamilyFactory(DjangoModelFactory):
    class Meta:
        model = Family

    label = factory.Sequence(lambda n: f"Invented family {n}")
    organization = factory.SubFactory(OrganizationFactory)


class PersonFactory(DjangoModelFactory):
    """A person no group holds (as a row from before people had a group), unless given one:
    a case's person belongs to the case's group (CaseFactory)."""

    class Meta:
        model = Person

    gender = Person.Gender.FEMALE
    ethnicity = "kazakh"
    birth_date = datetime.date(1970, 1, 1)
    birth_date_precision = "year"
    hometown_prefecture = "ili"


class PersonNameFactory(DjangoModelFactory):
    class Meta:
        model = PersonName

    person = factory.SubFactory(PersonFactory)
    value = "Testova Aigerim"
    script = PersonName.Script.LATIN
    language = PersonName.Language.ENGLISH
    kind = PersonName.Kind.PRIMARY


class CaseFactory(DjangoModelFactory):
    class Meta:
        model = Case

    person = factory.SubFactory(PersonFactory, organization=factory.SelfAttribute("..organization"))
    organization = factory.SubFactory(OrganizationFactory)
    status = Case.Status.CAMP
    evidence_level = 1
    summary = "Public summary."
    notes = "Private notes."


class ConsentFactory(DjangoModelFactory):
    class Meta:
        model = Consent

    case = factory.SubFactory(CaseFactory)
    consent_to_publish = True
    identity_level = Consent.IdentityLevel.NAME_ONLY


class CaseEventFactory(DjangoModelFactory):
    class Meta:
        model = CaseEvent

    case = factory.SubFactory(CaseFactory)
    kind = CaseEvent.Kind.DETAINED
    date_start = datetime.date(2018, 3, 1)
    date_start_precision = "month"


class FacilityFactory(DjangoModelFactory):
    class Meta:
        model = Facility

    name = factory.Sequence(lambda n: f"Test Facility {n}")
    prefecture = "ili"


class FacilityNoteFactory(DjangoModelFactory):
    class Meta:
        model = FacilityNote

    facility = factory.SubFactory(FacilityFactory)
    organization = factory.SubFactory(OrganizationFactory)
    text = "An invented private note on the facility."


class CitizenshipFactory(DjangoModelFactory):
    class Meta:
        model = Citizenship

    person = factory.SubFactory(PersonFactory)
    country = factory.SubFactory(CountryFactory)


class RelationshipFactory(DjangoModelFactory):
    class Meta:
        model = Relationship

    person = factory.SubFactory(PersonFactory)
    relative = factory.SubFactory(PersonFactory)
    kind = Relationship.Kind.DAUGHTER


class TestimonyFactory(DjangoModelFactory):
    class Meta:
        model = Testimony

    case = factory.SubFactory(CaseFactory)
    medium = Testimony.Medium.INTERVIEW


class SourceFactory(DjangoModelFactory):
    class Meta:
        model = Source

    case = factory.SubFactory(CaseFactory)
    kind = Source.Kind.MEDIA_REPORT
    title = "A test source"


class AdvocacyActionFactory(DjangoModelFactory):
    class Meta:
        model = AdvocacyAction

    organization = factory.SubFactory(OrganizationFactory)
    kind = AdvocacyAction.Kind.PETITION
    title = "A test petition"
    date = datetime.date(2020, 5, 1)


def publish(*cases):
    """Publish cases as a reviewer's publication does: each gets a public entry built from its
    working record as it is now (call it after adding what the page should show)."""
    from cases.services.publication import publish_entries

    publish_entries([case.pk for case in cases], reason="published in a test")
    for case in cases:
        case.refresh_from_db()
    return cases[0] if len(cases) == 1 else cases
