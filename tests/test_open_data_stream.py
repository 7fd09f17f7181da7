"""The open-data CSV as the database writes it: on PostgreSQL the rows come from COPY, and the
file is byte for byte what the csv module writes from the same entries (formula text
neutralised, empty cells empty, the csv module's line endings, the byte-order mark first)."""

import csv
import io

import pytest
from django.db import connection

from cases.models import Case, Consent, PublicEntry
from cases.public import opendata
from tests.factories import (
    CaseFactory,
    CitizenshipFactory,
    ConsentFactory,
    CountryFactory,
    OrganizationFactory,
    PersonFactory,
    PersonNameFactory,
    publish,
)

pytestmark = pytest.mark.django_db


def published(*, identity=Consent.IdentityLevel.FULL, names=(), organization=None, **fields):
    case = CaseFactory(
        person=PersonFactory(),
        publication_state=Case.PublicationState.PUBLISHED,
        **({"organization": organization} if organization else {}),
        **fields,
    )
    ConsentFactory(case=case, identity_level=identity)
    for value, script in names:
        PersonNameFactory(person=case.person, value=value, script=script)
    return case


@pytest.fixture
def entries():
    kz = CountryFactory(code="KZ", name="Kazakhstan")
    odd = OrganizationFactory(slug="-odd-group", name="Odd group")
    formula = published(
        names=[('=HYPERLINK("http://x","y")', "latn"), ("+7 701", "cyrl"), ("@c", "hani")],
        organization=odd,
    )
    CitizenshipFactory(person=formula.person, country=kz)
    published(names=[('Sauytbay, "Gulzhan"', "latn"), ("Сауытбай Гүлжан", "cyrl")])
    published(names=[("Tab\tname", "latn"), ("Line\nbreak", "cyrl"), ("-2+3", "arab")])
    published(identity=Consent.IdentityLevel.ANONYMOUS, names=[("Hidden Name", "latn")])
    published(names=[])
    for case in Case.objects.all():
        publish(case)
    return PublicEntry.objects.all()


def python_csv(queryset):
    return "".join(opendata._cursor_csv(queryset, "http://testserver", 2, "")).encode()


def streamed(pieces):
    return b"".join(piece if isinstance(piece, bytes) else piece.encode() for piece in pieces)


def test_the_csv_has_the_columns_and_neutralises_formulas(client, entries):
    response = client.get("/cases/open-data.csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body[1:])))
    assert list(rows[0]) == [name for name, _help in opendata.OPEN_DATA_COLUMNS]
    assert len(rows) == 5
    assert body.endswith("\r\n")
    by_latin = {row["name_latin"]: row for row in rows}
    formula = by_latin['\'=HYPERLINK("http://x","y")']
    assert formula["name_cyrillic"] == "'+7 701"
    assert formula["name_chinese"] == "'@c"
    assert formula["organization"] == "'-odd-group"
    assert formula["citizenships"] == "KZ"
    assert by_latin["Tab\tname"]["name_uyghur"] == "'-2+3"
    assert "Hidden Name" not in body


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
@pytest.mark.parametrize("chunk_size", [1, 2, 1000])
def test_copy_writes_the_same_bytes_as_the_csv_module(entries, chunk_size):
    header = opendata._csv_line([name for name, _help in opendata.OPEN_DATA_COLUMNS])
    expected = ("\ufeff" + header).encode() + python_csv(entries)
    copied = streamed(opendata.csv_lines(entries, "http://testserver", chunk_size=chunk_size))
    assert copied == expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_copy_keeps_to_the_filtered_entries(entries):
    filtered = PublicEntry.objects.filter(identity_level=Consent.IdentityLevel.ANONYMOUS)
    copied = streamed(opendata.csv_lines(filtered, "http://testserver", chunk_size=2))
    assert copied.count(b"\r\n") == 2
    assert copied.endswith(python_csv(filtered))


def test_the_download_runs_a_fixed_number_of_queries(
    client, entries, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        response = client.get("/cases/open-data.csv?status=camp&per_page=50")
        b"".join(response.streaming_content)


def test_a_search_with_no_usable_word_downloads_the_header_alone(client):
    response = client.get("/cases/open-data.csv", {"q": "!"})
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("entry_number")
