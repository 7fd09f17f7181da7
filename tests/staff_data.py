"""Invented cases for the staff report tests. Every name and number here is made up."""

import datetime

from tests.factories import (
    AdvocacyActionFactory,
    CaseEventFactory,
    CaseFactory,
    CitizenshipFactory,
    ConsentFactory,
    CountryFactory,
    FacilityFactory,
    PersonFactory,
    PersonNameFactory,
    SourceFactory,
    TestimonyFactory,
)


def documented_case(organization, *, latin="Testova Aigerim", cyrillic="Тестова Айгерім", **fields):
    """A case with names in two scripts, a citizenship, a dated detention and consent."""
    person = PersonFactory(
        prc_id_number="650000197001010000",
        contact_details="phone +7 700 000 0000 (invented)",
        hometown_county="Invented County",
    )
    PersonNameFactory(person=person, value=latin, script="latn")
    if cyrillic:
        PersonNameFactory(person=person, value=cyrillic, script="cyrl", language="kk")
    CitizenshipFactory(person=person, country=CountryFactory(code="KZ", name="Kazakhstan"))
    case = CaseFactory(person=person, organization=organization, **fields)
    CaseEventFactory(
        case=case,
        date_start=datetime.date(2018, 3, 1),
        date_start_precision="month",
        facility=FacilityFactory(name="Invented Camp No. 3"),
        place="Ghulja",
        official_reason="invented charge",
        notes="private event note",
    )
    return case


def full_case(organization, **fields):
    """A documented case with testimonies, sources of each visibility, an action and consent."""
    case = documented_case(organization, **fields)
    ConsentFactory(case=case, un_submission_consent=True)
    TestimonyFactory(
        case=case,
        relationship="daughter",
        visibility="public",
        given_on=datetime.date(2019, 1, 5),
        transcript="private transcript text",
    )
    SourceFactory(case=case, title="Public media report", visibility="public")
    SourceFactory(case=case, title="Sensitive leaked record", visibility="sensitive")
    action = AdvocacyActionFactory(
        organization=organization,
        kind="letter_ministry",
        title="Letter to the Ministry of Foreign Affairs",
        addressee="Ministry of Foreign Affairs of Kazakhstan",
        is_public=True,
        outcome_notes="private outcome note",
    )
    action.cases.add(case)
    return case
