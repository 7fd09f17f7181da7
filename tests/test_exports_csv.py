"""The staff CSV export: streamed, the chosen columns, the filtered rows, safe cells and names."""

import csv
import io

import pytest
from django.urls import reverse

from cases.models import ExportLog
from cases.staff.exports import COLUMNS
from tests.factories import CaseFactory, PersonNameFactory
from tests.staff_data import documented_case, full_case

pytestmark = pytest.mark.django_db


def download(client, **params):
    response = client.get(reverse("staff:export_csv"), params)
    assert response.status_code == 200, response.content
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return response, list(csv.reader(io.StringIO(text[1:])))


def test_it_exports_the_default_columns_and_every_case(client, reviewer, organization):
    first = documented_case(organization)
    second = documented_case(organization, latin="Sampleuly Nurlan", cyrillic="Сэмплұлы Нұрлан")
    client.force_login(reviewer)
    response, rows = download(client)
    header, *body = rows
    assert header[:4] == ["Entry number", "Name (Latin)", "Name (Cyrillic)", "Gender"]
    assert len(body) == 2
    by_number = {int(row[0]): row for row in body}
    assert by_number[first.entry_number][1:3] == ["Testova Aigerim", "Тестова Айгерім"]
    assert by_number[second.entry_number][2] == "Сэмплұлы Нұрлан"
    detained_on = header.index("Detained on")
    # Month precision: the month, never an invented first day.
    assert by_number[first.entry_number][detained_on] == "2018-03"
    assert by_number[first.entry_number][header.index("Detention date precision")] == "month"
    place = by_number[first.entry_number][header.index("Place of detention")]
    assert place == "Invented Camp No. 3; Ghulja"
    assert by_number[first.entry_number][header.index("Citizenships")] == "KZ"
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_it_exports_only_the_chosen_columns_in_list_order(client, reviewer, organization):
    case = documented_case(organization, notes="a private note")
    client.force_login(reviewer)
    _response, rows = download(client, columns=["notes", "entry_number", "prc_id_number"])
    assert rows == [
        ["Entry number", "Notes (private)", "PRC ID number (private)"],
        [str(case.entry_number), "a private note", "650000197001010000"],
    ]


def test_every_column_can_be_exported(client, site_staff, organization):
    full_case(organization)
    client.force_login(site_staff)
    _response, rows = download(client, columns=[c.key for c in COLUMNS])
    assert rows[0] == [str(c.label) for c in COLUMNS]
    assert len(rows) == 2


def test_it_applies_public_and_private_filters(client, reviewer, organization):
    published = documented_case(organization, publication_state="published", priority=4)
    draft = documented_case(organization, latin="Draftova Gulnar", publication_state="draft")
    client.force_login(reviewer)
    _response, rows = download(client, publication_state="published", columns=["entry_number"])
    assert rows[1:] == [[str(published.entry_number)]]
    _response, rows = download(client, priority="4", columns=["entry_number"])
    assert rows[1:] == [[str(published.entry_number)]]
    _response, rows = download(client, q="Draftova", columns=["entry_number"])
    assert rows[1:] == [[str(draft.entry_number)]]
    _response, rows = download(client, status="imprisoned", columns=["entry_number"])
    assert rows[1:] == []


def test_it_neutralises_formulas(client, reviewer, organization):
    case = documented_case(organization, latin='=HYPERLINK("http://x")', summary="+1 call")
    PersonNameFactory(person=case.person, value="@SUM(A1)", kind="alias", script="latn")
    # Names are stripped when saved; summaries and notes keep a leading tab or carriage return.
    documented_case(organization, latin="-2+3", summary="\tтаб", notes="\rcr")
    client.force_login(reviewer)
    _response, rows = download(
        client, columns=["name_latin", "name_cyrillic", "other_names", "summary", "notes"]
    )
    cells = [cell for row in rows[1:] for cell in row if cell]
    dangerous = [c for c in cells if c[0] in "=+-@\t\r"]
    assert dangerous == []
    assert '\'=HYPERLINK("http://x")' in cells
    assert "'@SUM(A1)" in cells
    assert "'+1 call" in cells
    assert "'-2+3" in cells
    assert "'\tтаб" in cells
    assert "'\rcr" in cells


def test_it_gives_a_safe_file_name(client, reviewer, organization):
    documented_case(organization)
    client.force_login(reviewer)
    response, _rows = download(client, q="Айгерім")
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="cases-')
    assert disposition.endswith('.csv"')
    assert disposition.isascii()
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    "params",
    [
        {"status": "not-a-status"},
        {"detained_from": "last year"},
        {"detained_to": "99999"},
        {"evidence_level": "9"},
        {"citizenship": "XX"},
        {"publication_state": "secret"},
        {"priority": "high"},
        {"columns": "password"},
    ],
)
def test_a_bad_parameter_gets_a_clear_400_and_no_file(client, reviewer, params):
    client.force_login(reviewer)
    response = client.get(reverse("staff:export_csv"), params)
    assert response.status_code == 400
    assert "Content-Disposition" not in response
    assert next(iter(params)) in response.content.decode()
    assert not ExportLog.objects.exists()


def test_it_records_the_export(client, reviewer, organization):
    documented_case(organization)
    documented_case(organization, latin="Sampleuly Nurlan")
    documented_case(organization, latin="Otherova Aliya", status="released_abroad")
    client.force_login(reviewer)
    download(client, status="camp", columns=["entry_number", "notes"], page="2")
    entry = ExportLog.objects.get()
    assert entry.user == reviewer
    assert entry.report == "case_list"
    assert entry.format == "csv"
    assert entry.filter_query == "status=camp"
    assert entry.row_count == 2
    assert entry.columns == ["entry_number", "notes"]
    assert entry.includes_private is True
    assert entry.case is None


def test_the_export_runs_a_fixed_number_of_queries(
    client, reviewer, organization, django_assert_max_num_queries
):
    for index in range(12):
        documented_case(organization, latin=f"Testova Number{index}")
    CaseFactory(organization=organization)
    client.force_login(reviewer)
    every_column = [c.key for c in COLUMNS]
    with django_assert_max_num_queries(16):
        _response, rows = download(client, columns=every_column)
    assert len(rows) == 14


def test_it_reads_the_cases_in_chunks(client, reviewer, organization, monkeypatch):
    """Citizenships are loaded chunk by chunk, so memory holds one chunk, not the whole export;
    the response streams one piece of CSV per chunk (the header first), not one per line."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases.staff import exports

    monkeypatch.setattr(exports, "CHUNK_SIZE", 5)
    for index in range(13):
        documented_case(organization, latin=f"Testova Number{index}")
    client.force_login(reviewer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            reverse("staff:export_csv"), {"columns": ["entry_number", "citizenships"]}
        )
        pieces = [piece.decode("utf-8") for piece in response.streaming_content]
    assert len(pieces) == 4  # the header, then 5 + 5 + 3 cases
    assert pieces[0] == "\ufeffEntry number,Citizenships\r\n"
    assert [piece.count("\r\n") for piece in pieces[1:]] == [5, 5, 3]
    citizenship_queries = [q for q in queries if 'FROM "cases_citizenship"' in q["sql"]]
    assert len(citizenship_queries) == 3


def test_the_primary_names_are_joined_without_repeating_a_case(client, reviewer, organization):
    """The primary name of each script comes through a join of the export's own query: other
    names (and a primary name in another script) never add a row."""
    case = documented_case(organization)
    PersonNameFactory(person=case.person, value="Testova Aigerim Alias", kind="alias")
    PersonNameFactory(person=case.person, value="特斯托娃", kind="official_zh", script="hani")
    PersonNameFactory(person=case.person, value="Testova A.", kind="passport", script="latn")
    bare = CaseFactory(organization=organization)
    client.force_login(reviewer)
    _response, rows = download(
        client, columns=["entry_number", "name_latin", "name_chinese", "other_names"]
    )
    assert sorted(rows[1:]) == sorted(
        [
            [
                str(case.entry_number),
                "Testova Aigerim",
                "",
                "Testova Aigerim Alias; 特斯托娃; Testova A.",
            ],
            [str(bare.entry_number), "", "", ""],
        ]
    )


def test_the_query_count_does_not_grow_with_the_cases(organization, django_assert_num_queries):
    """One query for the cases and one per per-chunk list, for 2 cases as for 12."""
    from cases.models import Case
    from cases.staff.exports import columns_for, csv_stream

    every_column = columns_for([c.key for c in COLUMNS])
    for count in (2, 12):
        while Case.objects.count() < count:
            documented_case(organization, latin=f"Testova Number{Case.objects.count()}")
        # The cases, then other names, citizenships, first detentions, relatives' countries.
        with django_assert_num_queries(5):
            text = "".join(csv_stream(Case.objects.all(), every_column))
        assert len(list(csv.reader(io.StringIO(text[1:])))) == count + 1


def test_empty_encrypted_fields_export_as_empty_cells_without_a_decryption(
    client, site_staff, organization, monkeypatch
):
    """An empty ID number, passport or contact is stored empty: nothing to decrypt."""
    from casetracker import encryption

    case = documented_case(organization)
    case.person.prc_id_number = ""
    case.person.contact_details = ""
    case.person.save()
    decrypted = []
    real_decrypt = encryption.decrypt
    monkeypatch.setattr(
        encryption, "decrypt", lambda *a, **k: decrypted.append(a) or real_decrypt(*a, **k)
    )
    client.force_login(site_staff)
    _response, rows = download(
        client, columns=["entry_number", "prc_id_number", "passport_numbers", "contact_details"]
    )
    assert rows[1:] == [[str(case.entry_number), "", "", ""]]
    assert decrypted == []
