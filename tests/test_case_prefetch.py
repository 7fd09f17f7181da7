"""The whole-case prefetch (CaseQuerySet.with_everything): a case's page, dossier and UN
submission read everything a case holds in a fixed number of queries, and the public variant
loads nothing a public page may not show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case, Consent
from tests import factories
from tests.staff_data import full_case

pytestmark = pytest.mark.django_db


def add_one_of_each(case, n):
    relative = factories.PersonFactory()
    factories.PersonNameFactory(person=relative, value=f"Relative{n} Testova")
    factories.CitizenshipFactory(person=relative)
    factories.RelationshipFactory(person=case.person, relative=relative, kind="son")
    factories.CaseEventFactory(case=case, facility=factories.FacilityFactory())
    factories.TestimonyFactory(case=case, testifier=relative, visibility="restricted")
    factories.SourceFactory(case=case, title=f"Restricted source {n}", visibility="restricted")
    action = factories.AdvocacyActionFactory(
        organization=case.organization, title=f"Private action {n}"
    )
    action.cases.add(case)


def read_everything(case):
    """What the dossier and the UN submission read of a case, as text."""
    person = case.person
    return [
        case.organization.country,
        case.consent.given_by and case.consent.given_by.display_name,
        person.family,
        [name.value for name in person.names.all()],
        [c.country.name for c in person.citizenships.all()],
        [(e.kind, e.facility and e.facility.name) for e in case.events.all()],
        [(t.visibility, t.testifier and t.testifier.display_name) for t in case.testimonies.all()],
        [s.title for s in case.sources.all()],
        [
            (r.relative.display_name, [c.country_id for c in r.relative.citizenships.all()])
            for r in person.relationships.all()
        ],
        [(a.title, a.organization.name) for a in case.advocacy_actions.all()],
    ]


def load_and_read(pk, **options):
    with CaptureQueriesContext(connection) as queries:
        case = Case.objects.filter(pk=pk).with_everything(**options).get()
        values = read_everything(case)
    return case, values, len(queries)


def test_everything_a_case_holds_comes_in_a_fixed_number_of_queries(organization):
    case = full_case(organization)
    Consent.objects.filter(case=case).update(given_by=factories.PersonFactory())
    add_one_of_each(case, 1)
    _case, _values, few = load_and_read(case.pk)
    for n in range(2, 6):
        add_one_of_each(case, n)
    _case, values, many = load_and_read(case.pk)
    # The case with its person, family, organization, country, consent and its giver; then
    # one query each for names, citizenships, events, testimonies, their testifiers' names,
    # sources, relatives, their names, their citizenships, actions and the giver's names.
    assert few == many == 12
    assert len(values[5]) == 6  # events
    assert "Restricted source 5" in values[7]


def test_the_public_variant_loads_only_what_is_public(organization):
    case = full_case(organization)
    add_one_of_each(case, 1)
    loaded = Case.objects.filter(pk=case.pk).with_everything(public=True).get()
    assert [t.visibility for t in loaded.testimonies.all()] == ["public"]
    assert [s.title for s in loaded.sources.all()] == ["Public media report"]
    assert [a.title for a in loaded.advocacy_actions.all()] == [
        "Letter to the Ministry of Foreign Affairs"
    ]
    # Names carry their public columns only: the search key stays in the database.
    name = loaded.person.names.all()[0]
    assert "search_key" in name.get_deferred_fields()
