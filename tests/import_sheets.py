"""Real CSV and XLSX files for the import tests, built in memory. Every name here is invented."""

import csv
import io
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

SAMPLE = Path("/work/shared/data/sample-volunteer-sheet-ru.csv")
SAMPLE_FALLBACK = Path(__file__).parent / "data" / "sample-volunteer-sheet-ru.csv"

HEADERS_RU = [
    "№",
    "ФИО задержанного",
    "Год рождения",
    "Статус",
    "Дата задержания",
    "Место (Синьцзян)",
    "Заявитель",
    "Родство",
    "Телефон заявителя",
]


def sample_bytes():
    """The shared sample sheet: 60 rows, Russian headers, UTF-8 with BOM; row 42 is broken."""
    path = SAMPLE if SAMPLE.exists() else SAMPLE_FALLBACK
    return path.read_bytes()


def sample_fixed_bytes():
    """The sample with row 42's impossible date corrected, as a volunteer would fix it."""
    text = sample_bytes().decode("utf-8-sig")
    assert "32.13.2018" in text
    return ("\ufeff" + text.replace("32.13.2018", "12.03.2018")).encode("utf-8")


def csv_bytes(rows, *, delimiter=",", bom=True, encoding="utf-8"):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    text = buffer.getvalue()
    if bom and encoding == "utf-8":
        text = "\ufeff" + text
    return text.encode(encoding)


def xlsx_bytes(rows, *, formulas=(), formats=()):
    """An .xlsx workbook; `formulas` are (row, column, "=...") cells and `formats` (row, column,
    number format) as Excel sets them, 1-based."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for row, column, formula in formulas:
        sheet.cell(row=row, column=column, value=formula)
    for row, column, number_format in formats:
        sheet.cell(row=row, column=column).number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def shared_strings_bomb(megabytes):
    """A real workbook whose sheet reads its text from sharedStrings.xml, as Excel writes it, and
    whose shared strings hold `megabytes` MB of one repeated name: a few hundred kB packed.
    Written in a stream, so the test never holds the unpacked text in memory."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{kind}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{kind}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kind}.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{package}"><Relationship Id="rId1" Type="{relationships}/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{relationships}"><sheets>'
            '<sheet name="Cases" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{package}">'
            f'<Relationship Id="rId1" Type="{relationships}/worksheet" '
            'Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{relationships}/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{main}"><sheetData>'
            '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
            '<row r="2"><c r="A2" t="s"><v>1</v></c></row>'
            "</sheetData></worksheet>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            member.write(f'<sst xmlns="{main}"><si><t>Name</t></si>'.encode())
            chunk = ("<si><t>Тестова Айгерім</t></si>" * 4096).encode()
            for _ in range(megabytes * 1024 * 1024 // len(chunk)):
                member.write(chunk)
            member.write(b"</sst>")
    return buffer.getvalue()


def upload(content, name="cases.csv"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")
