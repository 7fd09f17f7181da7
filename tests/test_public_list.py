"""The public case list: filters in the URL, name search in every script, pagination, errors,
the open-data download of the filtered list, and query counts pinned."""

import csv
import datetime
import io
import json

import pytest
from django.db import connection

from cases.models import Case, Consent, PublicEntry
from cases.public.figures import public_figures
from cases.public.opendata import OPEN_DATA_COLUMNS
from tests.factories import (
    CaseEventFactory,
    CaseFactory,
    CitizenshipFactory,
    ConsentFactory,
    CountryFactory,
    OrganizationFactory,
    PersonFactory,
    PersonNameFactory,
    RelationshipFactory,
    publish,
)

pytestmark = pytest.mark.django_db


def published(*, identity=Consent.IdentityLevel.NAME_ONLY, names=(), **case_fields):
    person_fields = {
        key.removeprefix("person__"): case_fields.pop(key)
        for key in list(case_fields)
        if key.startswith("person__")
    }
    case = CaseFactory(
        person=PersonFactory(**person_fields),
        publication_state=Case.PublicationState.PUBLISHED,
        **case_fields,
    )
    ConsentFactory(case=case, identity_level=identity)
    for value, script in names:
        PersonNameFactory(person=case.person, value=value, script=script)
    return publish(case)


def listed(client, query=""):
    response = client.get("/cases/" + query)
    assert response.status_code == 200, response.content.decode()[:2000]
    return response


def entries(response):
    return {row["entry_number"] for row in response.context["rows"]}


def download(client, fmt, query=""):
    response = client.get(f"/cases/open-data.{fmt}{query}")
    assert response.status_code == 200
    # The CSV starts with a byte-order mark (test_the_open_data_csv_opens_in_excel).
    return b"".join(response.streaming_content).decode("utf-8-sig")


@pytest.fixture
def sauytbay():
    return published(
        names=[
            ("Sauytbay Gulzhan", "latn"),
            ("Сауытбай Гүлжан", "cyrl"),
            ("古丽江·萨吾提拜", "hani"),
        ]
    )


@pytest.mark.parametrize(
    "query",
    ["Sauytbay", "Sawytbay", "Сауытбай", "sauytbai", "Gulzhan Sauytbay", "Гүлжан", "古丽江"],
)
def test_it_finds_a_person_by_any_spelling_in_any_script(client, sauytbay, query):
    published(names=[("Nurlan Bekov", "latn")])
    response = listed(client, f"?q={query}")
    assert entries(response) == {sauytbay.entry_number}


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram similarity needs PostgreSQL (pg_trgm)"
)
def test_it_finds_a_misspelt_name_by_trigram_similarity_on_postgresql(client, sauytbay):
    published(names=[("Nurlan Bekov", "latn")])
    # "Sauytbaj" (a German-style spelling) is one no folding rule merges; pg_trgm finds it.
    assert entries(listed(client, "?q=Sauytbaj")) == {sauytbay.entry_number}
    assert entries(listed(client, "?q=Sauytbaj&sort=entry")) == {sauytbay.entry_number}


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the matches are looked up apart on PostgreSQL"
)
def test_a_search_matches_the_documents_once_per_page(
    client, sauytbay, django_assert_max_num_queries
):
    """The page, its count and the counts beside the filters all read the entries that one
    look-up found: the trigram match over every document runs once, not once per query."""
    published(names=[("Nurlan Bekov", "latn")])
    with django_assert_max_num_queries(13) as captured:
        response = listed(client, "?q=Sauytbaj")
    matching = [q["sql"] for q in captured.captured_queries if "search_document LIKE" in q["sql"]]
    assert len(matching) == 1
    assert "%>" in matching[0]
    assert entries(response) == {sauytbay.entry_number}


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the matches are looked up apart on PostgreSQL"
)
def test_a_search_matching_very_many_entries_gives_the_same_page(
    client, sauytbay, monkeypatch, settings
):
    """Past a number of matches the queries ask the look-up itself instead of carrying every
    key: the page, its count and the downloads stay the same."""
    settings.PUBLIC_PAGE_CACHE = False
    published(names=[("Nurlan Bekov", "latn")])
    published(names=[("Sauytbay Nurlan", "latn")])
    carried = listed(client, "?q=Sauytbaj&per_page=20")
    monkeypatch.setattr(PublicEntry.objects._queryset_class, "MATCHES_CARRIED", 0)
    asked = listed(client, "?q=Sauytbaj&per_page=20")
    assert len(entries(asked)) == 2
    assert [r["entry_number"] for r in asked.context["rows"]] == [
        r["entry_number"] for r in carried.context["rows"]
    ]
    assert asked.context["count"] == carried.context["count"] == 2
    assert download(client, "csv", "?q=Sauytbaj").count("Sauytbay") == 2


def test_it_finds_a_uyghur_name_written_in_arabic_or_latin_script(client):
    aynur = published(names=[("ئاينۇر تۇرسۇن", "arab"), ("Aynur Tursun", "latn")])
    published(names=[("Nurlan Bekov", "latn")])
    assert entries(listed(client, "?q=ئاينۇر")) == {aynur.entry_number}
    assert entries(listed(client, "?q=Aynur")) == {aynur.entry_number}


def test_it_finds_a_case_by_entry_number(client, sauytbay):
    published()
    assert entries(listed(client, f"?q=%23{sauytbay.entry_number}")) == {sauytbay.entry_number}
    assert entries(listed(client, f"?q={sauytbay.entry_number}")) == {sauytbay.entry_number}


def test_it_never_finds_an_anonymous_case_by_name(client):
    published(identity=Consent.IdentityLevel.ANONYMOUS, names=[("Sauytbay Gulzhan", "latn")])
    response = listed(client, "?q=Sauytbay")
    # The search may match the stored name, but the row shows no name at all.
    results = response.content.decode().split("<main", 1)[1].split("</main>")[0]
    assert "Sauytbay" not in results.split("</form>")[-1]
    for row in response.context["rows"]:
        assert row["name"] == ""


def test_it_filters_by_every_public_filter_from_the_url(client):
    kz = CountryFactory(code="KZ", name="Kazakhstan")
    kg = CountryFactory(code="KG", name="Kyrgyzstan")
    bishkek = OrganizationFactory(slug="bishkek-group", country=kg)
    target = published(
        status="imprisoned",
        evidence_level=3,
        organization=bishkek,
        person__ethnicity="kyrgyz",
        person__gender="male",
        person__hometown_prefecture="kizilsu",
    )
    CaseEventFactory(case=target, date_start=datetime.date(2018, 5, 1))
    CitizenshipFactory(person=target.person, country=kg)
    relative = PersonFactory()
    RelationshipFactory(person=target.person, relative=relative, kind="son")
    relative.residences.create(country=kz, place="Almaty")
    other = published(status="camp", evidence_level=1)
    CaseEventFactory(case=other, date_start=datetime.date(2017, 5, 1))
    publish(target, other)

    for query in [
        "?status=imprisoned",
        "?status=imprisoned&status=released_abroad",
        "?ethnicity=kyrgyz",
        "?gender=male",
        "?citizenship=KG",
        "?relatives_country=KZ",
        "?organization=bishkek-group",
        "?prefecture=kizilsu",
        "?detained_from=2018",
        "?detained_from=2018&detained_to=2018",
        "?evidence_level=3",
        "?status=imprisoned&ethnicity=kyrgyz&citizenship=KG&detained_to=2019&evidence_level=3",
    ]:
        assert entries(listed(client, query)) == {target.entry_number}, query
    assert entries(listed(client, "?detained_to=2017")) == {other.entry_number}


def test_it_sorts_paginates_and_counts(client):
    cases = [published(evidence_level=level % 5) for level in range(45)]
    response = listed(client, "?per_page=20")
    assert response.context["count"] == 45
    assert len(response.context["rows"]) == 20
    body = response.content.decode()
    assert "45 cases" in body
    assert "Page 1 of 3" in body
    assert "page=2" in body
    # The default order is the newest entry first.
    assert response.context["rows"][0]["entry_number"] == cases[-1].entry_number
    last = listed(client, "?per_page=20&page=3")
    assert len(last.context["rows"]) == 5
    ascending = listed(client, "?sort=entry&per_page=50")
    numbers = [row["entry_number"] for row in ascending.context["rows"]]
    assert numbers == sorted(numbers) and len(numbers) == 45
    by_evidence = listed(client, "?sort=-evidence")
    assert by_evidence.context["rows"][0]["evidence_level"] == 4
    # A page past the end shows the last page, not an error.
    assert listed(client, "?page=999").context["page"].number == 3
    assert listed(client, "?page=abc").context["page"].number == 1


def test_it_keeps_the_filters_in_the_pagination_links(client):
    for _n in range(25):
        published(status="camp")
    body = listed(client, "?status=camp&per_page=20").content.decode()
    assert "?status=camp&amp;per_page=20&amp;page=2" in body


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?status=nonsense", "Select a valid choice"),
        ("?detained_from=abc", "Enter a number"),
        ("?detained_from=99999", "less than or equal to 2100"),
        ("?citizenship=XX", "Select a valid choice"),
        ("?sort=notes", "Select a valid choice"),
        ("?per_page=100000", "Select a valid choice"),
        ("?q=" + "x" * 300, "at most 200 characters"),
    ],
)
def test_it_explains_a_bad_parameter_instead_of_failing(client, query, message):
    published()
    response = client.get("/cases/" + query)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Some of the filters are not valid" in body
    assert message in body
    assert client.get("/cases/open-data.csv" + query).status_code == 400


def test_it_downloads_the_filtered_list_as_csv_with_public_columns_only(client, sauytbay):
    anonymous = published(
        identity=Consent.IdentityLevel.ANONYMOUS, names=[("Hidden Name", "latn")], status="camp"
    )
    published(status="released_abroad")
    rows = list(csv.reader(io.StringIO(download(client, "csv", "?status=camp"))))
    assert rows[0] == [name for name, _help in OPEN_DATA_COLUMNS]
    by_entry = {int(row[0]): dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert set(by_entry) == {sauytbay.entry_number, anonymous.entry_number}
    assert by_entry[sauytbay.entry_number]["name_latin"] == "Sauytbay Gulzhan"
    assert by_entry[sauytbay.entry_number]["name_cyrillic"] == "Сауытбай Гүлжан"
    assert by_entry[anonymous.entry_number]["name_latin"] == ""
    assert by_entry[anonymous.entry_number]["identity"] == "anonymous"
    assert "Hidden Name" not in download(client, "csv")
    assert "Private notes" not in download(client, "csv")


# Tab and carriage return cannot start a stored name (names are stripped on save).
@pytest.mark.parametrize("trigger", ["=", "+", "-", "@"])
def test_the_csv_download_neutralises_formulas_as_staff_exports_do(client, trigger):
    """A name that a spreadsheet would run as a formula stays text in the public CSV."""
    hostile = f'{trigger}HYPERLINK("http://evil.example","x")'
    case = published(names=[(hostile, "latn")])
    rows = list(csv.reader(io.StringIO(download(client, "csv"), newline="")))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["entry_number"] == str(case.entry_number)
    assert row["name_latin"] == "'" + hostile
    # Numbers stay numbers, and JSON (not read by spreadsheets) keeps the text as it is.
    assert row["birth_year"] in ("", str(case.person.birth_year))
    assert json.loads(download(client, "json"))["cases"][0]["name_latin"] == hostile


def test_it_downloads_json_with_the_licence_and_the_search_applied(client, sauytbay):
    published(names=[("Nurlan Bekov", "latn")])
    data = json.loads(download(client, "json", "?q=Сауытбай"))
    assert "CC BY 4.0" in data["licence"]
    assert data["columns"] == [name for name, _help in OPEN_DATA_COLUMNS]
    assert [row["entry_number"] for row in data["cases"]] == [sauytbay.entry_number]
    assert data["cases"][0]["citizenships"] == ""


def test_it_links_the_download_to_the_current_filters(client):
    published(status="camp")
    body = listed(client, "?status=camp&per_page=50&page=1").content.decode()
    assert "/cases/open-data.csv?status=camp" in body
    assert "/cases/open-data.json?status=camp" in body


@pytest.mark.parametrize("per_page", [20, 50, 100])
@pytest.mark.parametrize(
    "query",
    [
        "",
        "?status=camp&ethnicity=kazakh",
        "?citizenship=KZ&relatives_country=KZ&detained_from=2016",
        "?q=Sauytbay&sort=-updated",
        "?organization=query-group&prefecture=ili&evidence_level=1&gender=female",
    ],
)
def test_it_runs_a_fixed_number_of_queries_whatever_the_page_size(
    client, django_assert_max_num_queries, query, per_page
):
    kz = CountryFactory(code="KZ", name="Kazakhstan")
    organization = OrganizationFactory(slug="query-group", country=kz)
    for n in range(110):
        case = published(
            organization=organization, names=[(f"Sauytbay Test{n}", "latn"), ("Сауытбай", "cyrl")]
        )
        CitizenshipFactory(person=case.person, country=kz)
    public_figures()  # the headline figures are cached, as they are in use
    separator = "&" if query else "?"
    # Count, rows, names; the option lists of citizenship, relatives' country and organization;
    # a lookup for each of those three when it is given; the counts beside the options (one
    # query for the column filters, one or two for the countries); the rows' facilities.
    with django_assert_max_num_queries(13):
        response = client.get(f"/cases/{query}{separator}per_page={per_page}")
    assert response.status_code == 200


def test_it_counts_an_unfiltered_list_from_the_cached_figures(
    client, django_assert_max_num_queries
):
    for _n in range(3):
        published()
    public_figures()
    # The rows (names are columns of the public entries), the facilities they name and the
    # three choice lists of the form: no COUNT over every public case, and the counts beside
    # the options come from the cached figures.
    with django_assert_max_num_queries(5) as captured:
        response = client.get("/cases/")
    assert response.context["count"] == 3
    assert not any("COUNT(" in query["sql"].upper() for query in captured.captured_queries)


def test_deep_pages_go_by_entry_number_with_shareable_links(client, django_assert_max_num_queries):
    numbers = sorted((published().entry_number for _n in range(45)), reverse=True)
    public_figures()
    # The rows, their facilities and the form's three choice lists: no OFFSET, no COUNT.
    with django_assert_max_num_queries(5) as captured:
        response = listed(client, f"?per_page=20&after={numbers[19]}")
    assert [row["entry_number"] for row in response.context["rows"]] == numbers[20:40]
    assert not any("OFFSET" in query["sql"].upper() for query in captured.captured_queries)
    body = response.content.decode()
    assert f"per_page=20&amp;after={numbers[39]}" in body
    assert f"per_page=20&amp;before={numbers[20]}" in body
    back = listed(client, f"?per_page=20&before={numbers[20]}")
    assert [row["entry_number"] for row in back.context["rows"]] == numbers[:20]
    oldest = listed(client, "?per_page=20&before=0")
    assert [row["entry_number"] for row in oldest.context["rows"]] == numbers[25:]
    assert listed(client, "?status=camp&after=abc").status_code == 200


def test_later_pages_link_onwards_by_entry_number(client, settings, monkeypatch):
    from cases.public import views

    monkeypatch.setattr(views, "KEYSET_AFTER_PAGE", 2)
    numbers = sorted((published().entry_number for _n in range(45)), reverse=True)
    body = listed(client, "?per_page=20&page=2").content.decode()
    assert f"per_page=20&amp;after={numbers[39]}" in body
