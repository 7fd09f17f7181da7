"""The downloadable template: the documented columns, as XLSX (with a sheet that explains each
column) or as a CSV header line."""

import io

from django.utils.translation import gettext as _

from cases.csv_lines import csv_lines
from cases.imports.columns import COLUMNS


def template_csv() -> bytes:
    header = [str(column.header) for column in COLUMNS]
    return "".join(csv_lines(header, (), byte_order_mark=True)).encode("utf-8")


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    cases = workbook.active
    cases.title = _("Cases")
    cases.append([str(column.header) for column in COLUMNS])
    for cell in cases[1]:
        cell.font = Font(bold=True)
    cases.freeze_panes = "A2"
    # Text format keeps "03.2018" and phone numbers as typed instead of Excel's own reading.
    for index, column in enumerate(COLUMNS, start=1):
        letter = cases.cell(row=1, column=index).column_letter
        cases.column_dimensions[letter].width = max(14, len(str(column.header)) + 4)
        for row in range(2, 1002):
            cases.cell(row=row, column=index).number_format = "@"

    guide = workbook.create_sheet(_("Columns"))
    guide.append([_("Column"), _("Required"), _("What to write"), _("Example"), _("Also read")])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        guide.append(
            [
                str(column.header),
                _("yes") if column.required else "",
                str(column.help),
                column.example,
                ", ".join(column.aliases[:6]),
            ]
        )
    for letter, width in zip("ABCDE", (20, 10, 70, 30, 50), strict=True):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
