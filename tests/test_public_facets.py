"""The public list's counts beside the filter options, its active filters as removable chips,
and its clean URLs: counts of each option within the other active filters, from the public
entries only, in a fixed number of queries, cached with the page."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from cases.models import Case, Consent
from cases.public import facets
from cases.public.figures import public_figures
from cases.public.filters import PublicCaseFilter
from cases.public.records import public_entries
from tests.factories import (
    CaseFactory,
    CitizenshipFactory,
    ConsentFactory,
    CountryFactory,
    OrganizationFactory,
    PersonFactory,
    publish,
)

pytestmark = pytest.mark.django_db


def case_of(status, ethnicity, prefecture, *, citizen_of=(), published=True, **extra):
    case = CaseFactory(
        person=PersonFactory(ethnicity=ethnicity, hometown_prefecture=prefecture),
        status=status,
        publication_state=Case.PublicationState.PUBLISHED,
        **extra,
    )
    ConsentFactory(case=case, identity_level=Consent.IdentityLevel.NAME_ONLY)
    for country in citizen_of:
        CitizenshipFactory(person=case.person, country=country)
    if published:
        publish(case)
    return case


@pytest.fixture
def four():
    kz = CountryFactory(code="KZ", name="Kazakhstan")
    case_of("camp", "kazakh", "ili", citizen_of=[kz])
    case_of("camp", "kazakh", "altay")
    case_of("camp", "uyghur", "ili")
    case_of("imprisoned", "kazakh", "ili", citizen_of=[kz])
    # Not public: counted nowhere.
    case_of("camp", "hui", "ili", published=False)
    return kz


def counts_for(query):
    filterset = PublicCaseFilter(QueryDict(query), queryset=public_entries())
    assert filterset.is_valid()
    return facets.facet_counts(filterset)


def test_each_option_counts_the_cases_it_gives_within_the_other_filters(four):
    counts = counts_for("status=camp")
    assert counts["status"] == {"camp": 3, "imprisoned": 1}  # its own filter aside
    assert counts["ethnicity"] == {"kazakh": 2, "uyghur": 1}
    assert counts["prefecture"] == {"ili": 2, "altay": 1}
    assert counts["citizenship"] == {"KZ": 1}

    counts = counts_for("status=camp&ethnicity=kazakh")
    assert counts["status"] == {"camp": 2, "imprisoned": 1}
    assert counts["ethnicity"] == {"kazakh": 2, "uyghur": 1}
    assert counts["prefecture"] == {"ili": 1, "altay": 1}

    counts = counts_for("citizenship=KZ")
    assert counts["citizenship"] == {"KZ": 2}
    assert counts["status"] == {"camp": 1, "imprisoned": 1}
    assert "hui" not in counts_for("prefecture=ili")["ethnicity"]


def test_the_unfiltered_list_counts_from_the_cached_figures(client, four):
    assert counts_for("")["ethnicity"] == {"kazakh": 3, "uyghur": 1}
    public_figures()
    with CaptureQueriesContext(connection) as captured:
        body = client.get("/cases/").content.decode()
    assert not any("GROUP BY" in query["sql"].upper() for query in captured.captured_queries)
    assert "Kazakh (3)" in body
    assert "Uyghur (1)" in body


def test_the_counts_take_a_fixed_number_of_queries_whatever_the_number_of_options(
    client, django_assert_max_num_queries
):
    countries = [CountryFactory(code=code, name=code) for code in ("KZ", "KG", "UZ", "TR", "DE")]
    organizations = [OrganizationFactory() for _n in range(4)]
    prefectures = ["ili", "altay", "kashgar", "hotan", "aksu", "turpan", "hami", "karamay"]
    statuses = ["camp", "imprisoned", "disappeared", "released_in_china"]
    for n in range(24):
        case_of(
            statuses[n % 4],
            ["kazakh", "uyghur", "kyrgyz"][n % 3],
            prefectures[n % 8],
            citizen_of=[countries[n % 5]],
            organization=organizations[n % 4],
        )
    filterset = PublicCaseFilter(
        QueryDict(
            "status=camp&ethnicity=kazakh&prefecture=ili&citizenship=KZ&relatives_country=KG"
        ),
        queryset=public_entries(),
    )
    assert filterset.is_valid()
    # The column filters in one query, each country filter in one.
    with django_assert_max_num_queries(3):
        facets.facet_counts(filterset)
    filterset = PublicCaseFilter(QueryDict("status=camp"), queryset=public_entries())
    assert filterset.is_valid()
    with django_assert_max_num_queries(2):
        facets.facet_counts(filterset)


def test_options_with_no_case_are_left_out_unless_chosen(client, four):
    body = client.get("/cases/?ethnicity=tatar").content.decode()
    assert "Tatar (0)" in body  # chosen: kept, with its 0
    assert "Kyrgyz (" not in body  # no case: left out
    assert "Uyghur (1)" in body
    # The not-yet-assessed level cannot be published, so it is never offered.
    assert "not yet assessed (" not in body
    # Within "Tatar", no case is a citizen of anywhere.
    assert "Kazakhstan (" not in body
    assert "Kazakhstan (2)" in client.get("/cases/").content.decode()


def test_active_filters_show_as_chips_that_each_take_one_filter_away(client, four):
    response = client.get("/cases/?status=camp&status=imprisoned&q=Test&detained_from=2016&page=2")
    chips = {chip["value"]: chip["query"] for chip in response.context["chips"]}
    assert chips["detained in a camp"] == "status=imprisoned&q=Test&detained_from=2016"
    assert chips["imprisoned after sentence"] == "status=camp&q=Test&detained_from=2016"
    assert chips["Test"] == "status=camp&status=imprisoned&detained_from=2016"
    assert chips["2016"] == "status=camp&status=imprisoned&q=Test"
    body = response.content.decode()
    assert "Filters · 3 active" in body  # the search is not a filter
    assert 'href="/cases/?status=imprisoned&amp;q=Test&amp;detained_from=2016"' in body
    assert '<details class="filters">' in body  # collapsed: the results come first


def test_an_invalid_filter_opens_the_filters_and_shows_no_chips(client, four):
    response = client.get("/cases/?detained_from=abc&status=camp")
    assert response.status_code == 400
    assert response.context["chips"] == []
    assert '<details class="filters" open>' in response.content.decode()


@pytest.mark.parametrize(
    ("query", "clean"),
    [
        ("?q=&status=camp&gender=&per_page=20", "/cases/?status=camp"),
        ("?q=&sort=", "/cases/"),
        ("?status=camp&status=&per_page=50", "/cases/?status=camp&per_page=50"),
    ],
)
def test_empty_and_default_parameters_redirect_to_the_clean_url(client, four, query, clean):
    response = client.get("/cases/" + query)
    assert response.status_code == 302
    assert response["Location"] == clean
    download = client.get("/cases/open-data.csv" + query)
    assert download["Location"] == clean.replace("/cases/", "/cases/open-data.csv")


def test_a_clean_url_is_served_as_it_is(client, four):
    assert client.get("/cases/?status=camp").status_code == 200
    assert client.get("/cases/?status=camp&per_page=20").status_code == 200


def test_cached_counts_follow_a_publication(client, four):
    first = client.get("/cases/?status=camp").content.decode()
    assert "Uyghur (1)" in first
    client.get("/cases/?status=camp")  # now from the cache, with its counts
    case_of("camp", "uyghur", "altay")
    again = client.get("/cases/?status=camp").content.decode()
    assert "Uyghur (2)" in again
