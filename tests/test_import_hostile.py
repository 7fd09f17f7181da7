"""Hostile uploads get a clear error and write nothing."""

import io
import re
import time
import zipfile

import pytest

from cases.models import Case, Person
from tests.import_sheets import HEADERS_RU, csv_bytes, shared_strings_bomb, upload, xlsx_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("case_import_dir")]


IMPORT_URL = "/admin/cases/case/import/"
GOOD_ROW = ["1", "Тестова Айгерім", "1980", "в лагере", "2018", "Іле", "", "", ""]


@pytest.fixture
def send(client, volunteer, organization):
    client.force_login(volunteer)

    def post(content, name="cases.csv"):
        return client.post(
            IMPORT_URL, {"organization": organization.pk, "file": upload(content, name)}
        )

    return post


def assert_refused(response, message):
    assert response.status_code == 400
    assert message in response.text
    assert 'id="case-import-confirm"' not in response.text
    assert not Case.objects.exists()
    assert not Person.objects.exists()


def assert_row_error(response, *fragments):
    assert response.status_code == 200
    assert 'id="count-fail">1<' in response.text
    assert 'id="case-import-confirm"' not in response.text
    errors = response.text.split('<tr class="import-error">')[1]
    for fragment in fragments:
        assert fragment in errors
    assert not Case.objects.exists()


def test_a_pdf_is_not_a_spreadsheet(send):
    assert_refused(send(b"%PDF-1.7\n...", "cases.staff.pdf"), "reads .csv (UTF-8) and .xlsx files")


def test_binary_data_named_csv_is_refused(send):
    assert_refused(send(b"MZ\x90\x00\x03\x00\x00\x00" * 100, "cases.csv"), "is not text")


def test_a_zip_that_is_not_a_workbook_is_refused(send):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    assert_refused(send(buffer.getvalue(), "cases.xlsx"), "cannot be opened as an Excel workbook")


def test_text_named_xlsx_is_refused(send):
    assert_refused(send(b"Name\nTestova\n", "cases.xlsx"), "is not an Excel workbook")


def test_a_50_mb_file_is_refused(send):
    content = b"Name\n" + b"Testova Aigerim\n" * (50 * 1024 * 1024 // 16)
    assert len(content) > 50 * 1024 * 1024 - 100
    assert_refused(send(content, "cases.csv"), "the largest file this import reads")


def test_a_file_just_over_the_limit_is_refused(send, settings):
    settings.CASE_IMPORT_MAX_BYTES = 1000
    assert_refused(send(csv_bytes([HEADERS_RU, GOOD_ROW]) * 20), "the largest file this import")


def test_a_row_with_10000_columns_is_refused(send):
    wide = [*GOOD_ROW, *(["x"] * 10_000)]
    assert_refused(send(csv_bytes([HEADERS_RU, wide])), "Line 2 of the file has more than 100")


def test_an_xlsx_row_with_10000_columns_is_refused(send):
    wide = [*GOOD_ROW, *(["x"] * 10_000)]
    assert_refused(send(xlsx_bytes([HEADERS_RU, wide]), "wide.xlsx"), "more than 100 columns")


def test_cp1251_bytes_are_refused_with_the_way_out(send):
    content = csv_bytes([HEADERS_RU, [*GOOD_ROW[:2], "1980"]], encoding="cp1251")
    assert_refused(send(content), "save it as “CSV UTF-8”")


def test_an_empty_file_is_refused(send):
    response = send(b"", "cases.csv")
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_a_sheet_without_a_name_column_is_refused(send):
    assert_refused(send(csv_bytes([["A", "B"], ["1", "2"]])), "No column holds the detained")


def test_two_columns_for_one_field_are_refused(send):
    content = csv_bytes([["Name", "ФИО задержанного"], ["Testova", "Тестова"]])
    assert_refused(send(content), "both give “Name”")


def test_a_header_only_file_has_nothing_to_import(send):
    response = send(csv_bytes([HEADERS_RU]))
    assert 'id="count-create">0<' in response.text
    assert 'id="case-import-confirm"' not in response.text


def test_a_csv_formula_is_a_row_error_and_never_runs(send):
    row = ["1", '=HYPERLINK("http://evil.example","x")', "1980", "в лагере", "", "", "", "", ""]
    assert_row_error(send(csv_bytes([HEADERS_RU, row])), "a formula", "ФИО задержанного")


def test_an_xlsx_formula_is_a_row_error_and_is_not_evaluated(send):
    rows = [HEADERS_RU, GOOD_ROW]
    response = send(xlsx_bytes(rows, formulas=[(2, 3, "=1979+1")]), "cases.xlsx")
    assert_row_error(response, "row 1 (line 2)", "Год рождения", "=1979+1", "formula")


@pytest.mark.parametrize(
    "column, value",
    [
        (1, "-2+3+cmd|' /C calc'!A0"),
        (1, "@SUM(1+1)*cmd|' /C calc'!A0"),
        (1, '+HYPERLINK("http://evil.example","x")'),
        # Leading spaces are trimmed before storing: the check reads what would be stored.
        (1, ' =HYPERLINK("http://evil.example","x")'),
        (5, "Іле, =HYPERLINK(1)"),
        (6, "-Тест Ана"),
    ],
)
def test_text_that_a_spreadsheet_would_run_is_refused_as_a_formula(send, column, value):
    row = list(GOOD_ROW)
    row[column] = value
    if column == 6:
        row[7] = "мать"
    assert_row_error(send(csv_bytes([HEADERS_RU, row])), "a formula", HEADERS_RU[column])


def test_a_phone_number_with_a_plus_and_a_dash_for_unknown_still_import(
    client, volunteer, organization
):
    """Typed columns accept only their own shapes: "+7 …" is a phone number, not a formula;
    a lone "-" is how lists write "not known", and reads as an empty cell."""
    client.force_login(volunteer)
    row = ["1", "Тестова Айгерім", "-", "—", "-", "Іле", "Тест Ана", "мать", "+7 701 000 00 00"]
    response = client.post(
        IMPORT_URL,
        {"organization": organization.pk, "file": upload(csv_bytes([HEADERS_RU, row]))},
    )
    assert 'id="count-fail">0<' in response.text, response.text
    confirm = re.search(r'action="(/admin/cases/case/import/[^/"]+/confirm/)"', response.text)
    client.post(confirm.group(1))
    case = Case.objects.get()
    assert case.person.birth_date is None
    relative = case.person.relationships.get().relative
    assert relative.contact_details == "+7 701 000 00 00"


def test_html_in_a_cell_is_a_row_error_shown_escaped(send):
    row = list(GOOD_ROW)
    row[1] = '<script>alert("x")</script>Тестова'
    response = send(csv_bytes([HEADERS_RU, row]))
    assert_row_error(response, "HTML markup", "&lt;script&gt;")
    assert "<script>alert" not in response.text


def test_html_in_a_file_name_is_shown_escaped(send):
    response = send(csv_bytes([HEADERS_RU, GOOD_ROW]), '<img src=x onerror="alert(1)">.csv')
    assert response.status_code == 200
    assert "<img src=x" not in response.text
    assert "&lt;img src=x" in response.text


def test_every_kind_of_cell_error_names_row_column_value_and_expectation(send):
    headers = [
        "Name",
        "Birth date",
        "Status",
        "Ethnicity",
        "Gender",
        "Hometown",
        "Date of detention",
        "Relative",
        "Relationship",
        "Relative's phone",
        "Source link",
        "Chinese name",
        "Entry number",
    ]
    rows = [
        headers,
        ["Тестова Айгерім", "1850", "", "", "", "", "", "", "", "", "", "", ""],
        ["Тестова Айгерім", "", "на Луне", "", "", "", "", "", "", "", "", "", ""],
        ["Тестова Айгерім", "", "", "марсианин", "", "", "", "", "", "", "", "", ""],
        ["Тестова Айгерім", "", "", "", "неясно", "", "", "", "", "", "", "", ""],
        ["Тестова Айгерім", "", "", "", "", "Париж, Франция", "", "", "", "", "", "", ""],
        ["Тестова Айгерім", "", "", "", "", "", "2099", "", "", "", "", "", ""],
        ["Тестова Айгерім", "", "", "", "", "", "", "Тест Ана", "соседка", "", "", "", ""],
        ["Тестова Айгерім", "", "", "", "", "", "", "Тест Ана", "мать", "звоните", "", "", ""],
        ["Тестова Айгерім", "", "", "", "", "", "", "", "", "", "javascript:alert(1)", "", ""],
        ["Тестова Айгерім", "", "", "", "", "", "", "", "", "", "", "Aigerim", ""],
        ["Тестова Айгерім", "", "", "", "", "", "", "", "мать", "", "", "", ""],
        ["12345", "", "", "", "", "", "", "", "", "", "", "", ""],
        ["", "1980", "", "", "", "", "", "", "", "", "", "", ""],
        ["Тестова Айгерім", "", "", "", "", "", "", "", "", "", "", "", "abc"],
        ["Тестова Айгерім", "", "", "", "", "", "весна", "", "", "", "", "", ""],
    ]  # fmt: skip
    response = send(csv_bytes(rows))
    expected = [
        ("row 1 ", "Birth date", "1850", "a date before 1900"),
        ("row 2 ", "Status", "на Луне", "not a word this import knows"),
        ("row 3 ", "Ethnicity", "марсианин", "Uyghur, Kazakh"),
        ("row 4 ", "Gender", "неясно", "female, male"),
        ("row 5 ", "Hometown", "Париж, Франция", "not a prefecture of Xinjiang"),
        ("row 6 ", "Date of detention", "2099", "a date in the future"),
        ("row 7 ", "Relationship", "соседка", "mother, father"),
        ("row 8 ", "Relative&#x27;s phone", "звоните", "a phone number such as"),
        ("row 9 ", "Source link", "javascript:alert(1)", "not a link"),
        ("row 10 ", "Chinese name", "Aigerim", "not in Chinese characters"),
        ("row 11 ", "Relationship", "мать", "given without a relative"),
        ("row 12 ", "Name", "12345", "not a name"),
        ("row 13 ", "Name", "", "the detained person&#x27;s name"),
        ("row 14 ", "Entry number", "abc", "not an entry number"),
        ("row 15 ", "Date of detention", "весна", "a date such as 2017, 03.2018"),
    ]
    errors = response.text.split('<tr class="import-error">')[1:]
    assert len(errors) == len(expected)
    for error, fragments in zip(errors, expected, strict=True):
        for fragment in fragments:
            assert fragment in error, (fragment, error)
    assert f'id="count-fail">{len(expected)}<' in response.text
    assert not Case.objects.exists()


def test_a_50_mb_upload_is_refused_before_its_body_is_read(volunteer, organization):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(volunteer)
    content = b"Name\n" + b"x" * (50 * 1024 * 1024)
    response = client.post(
        IMPORT_URL, {"organization": organization.pk, "file": upload(content, "big.csv")}
    )
    # Refused for its size, before the CSRF check would have read the body.
    assert_refused(response, "larger than 10.0\xa0MB")


def test_an_upload_without_the_csrf_token_is_refused(volunteer, organization):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(volunteer)
    response = client.post(
        IMPORT_URL,
        {"organization": organization.pk, "file": upload(csv_bytes([HEADERS_RU, GOOD_ROW]))},
    )
    assert response.status_code == 403
    assert not Case.objects.exists()


def test_a_workbook_that_unpacks_to_far_too_much_is_refused(send, settings):
    settings.CASE_IMPORT_MAX_UNPACKED_BYTES = 200 * 1024 * 1024
    buffer = io.BytesIO(xlsx_bytes([HEADERS_RU, GOOD_ROW]))
    # 300 MB of zeros, some 300 kB packed: a zip bomb in a workbook's clothes.
    with (
        zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/padding.bin", "w", force_zip64=True) as member,
    ):
        chunk = bytes(1024 * 1024)
        for _ in range(300):
            member.write(chunk)
    response = send(buffer.getvalue(), "bomb.xlsx")
    assert_refused(response, "The workbook unpacks to more than 200")


def test_a_shared_strings_bomb_is_refused_in_under_a_second(send):
    """A workbook of a few hundred kB whose shared strings unpack to 100 MB: refused before
    openpyxl reads them (which took over a minute and most of a gigabyte), by the default cap."""
    content = shared_strings_bomb(100)
    assert len(content) < 400 * 1024
    started = time.perf_counter()
    response = send(content, "bomb.xlsx")
    elapsed = time.perf_counter() - started
    assert_refused(response, "The workbook unpacks to more than 32.0\xa0MB")
    assert elapsed < 1, elapsed


def test_a_member_that_unpacks_past_its_declared_size_is_refused(send, settings):
    """The declared size is only the archive's word: the unpacked bytes are counted too."""
    settings.CASE_IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    content = shared_strings_bomb(4)
    # Make the central directory claim a tiny sharedStrings.xml (sizes at offsets 20 and 24).
    directory = content.rindex(b"PK\x01\x02")
    while content[directory + 46 : directory + 46 + 19] != b"xl/sharedStrings.xml"[:19]:
        directory = content.rindex(b"PK\x01\x02", 0, directory)
    lied = bytearray(content)
    lied[directory + 24 : directory + 28] = (1000).to_bytes(4, "little")
    # zipfile reads no further than the declared size and then fails the member's checksum.
    assert_refused(send(bytes(lied), "lying.xlsx"), "it may be damaged")
