"""Real CSV and XLSX files for the import tests, built in memory. Every name here is invented."""

import csv
import io
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


def upload(content, name="cases.csv"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")
