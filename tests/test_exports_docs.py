"""The documented column list and the samples stay in step with the code."""

from pathlib import Path

from cases.staff.exports import COLUMNS, DEFAULT_COLUMNS

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_every_column_is_documented():
    text = (DOCS / "exports.md").read_text(encoding="utf-8")
    for column in COLUMNS:
        assert f"| `{column.key}` | {column.label} |" in text, column.key
    assert set(DEFAULT_COLUMNS) <= {c.key for c in COLUMNS}


def test_a_sample_of_every_format_is_there():
    names = {p.name for p in (DOCS / "samples").iterdir()}
    assert {
        "cases.csv",
        "cases.xlsx",
        "summary-report.pdf",
        "summary-chart-status.svg",
        "dossier.pdf",
        "dossier-confidential.pdf",
        "un-wgeid-submission.pdf",
    } <= names


def test_the_samples_open_and_hold_invented_demo_cases():
    import csv
    import io

    from openpyxl import load_workbook
    from pypdf import PdfReader

    samples = DOCS / "samples"
    rows = list(csv.reader(io.StringIO((samples / "cases.csv").read_text("utf-8-sig"))))
    assert rows[0][0] == "Entry number"
    assert len(rows) > 2
    assert all(row[-3] == "Demo Group (invented)" for row in rows[1:])
    assert "'=Injected Name" in {row[1] for row in rows[1:]}
    sheet = load_workbook(samples / "cases.xlsx").active
    assert sheet.freeze_panes == "A2"
    assert sheet.max_row == len(rows)
    for name in ("summary-report.pdf", "dossier.pdf", "un-wgeid-submission.pdf"):
        text = "".join(page.extract_text() for page in PdfReader(samples / name).pages)
        assert "Demo" in text, name
    confidential = PdfReader(samples / "dossier-confidential.pdf").pages[0].extract_text()
    assert "CONFIDENTIAL" in confidential


def test_neutralise_leaves_safe_values_alone():
    import datetime

    from cases.formulas import neutralise

    for trigger in ("=", "+", "-", "@", "\t", "\r"):
        assert neutralise(f"{trigger}x") == f"'{trigger}x"
    assert neutralise("Tursun -") == "Tursun -"
    assert neutralise(-3) == -3
    assert neutralise(datetime.date(2018, 1, 1)) == datetime.date(2018, 1, 1)
    assert neutralise(None) is None


def test_neutralise_all_agrees_with_neutralise():
    """The export neutralises a chunk's column at once (neutralise_all): the same rule."""
    import datetime

    from cases.formulas import FORMULA_TRIGGERS, neutralise, neutralise_all

    values = [None, "", 0, -3, 2.5, datetime.date(2018, 1, 1), "Tursun -", "'=x", "x=1"]
    values += [f"{trigger}x" for trigger in FORMULA_TRIGGERS] + list(FORMULA_TRIGGERS)
    assert neutralise_all(values) == [neutralise(value) for value in values]


def test_int_and_date_columns_never_hold_text_that_starts_a_formula():
    """The export neutralises text columns only: int and date columns hold numbers, dates and
    partial dates ("2018", "2018-03"), none of which a spreadsheet reads as a formula."""
    import datetime

    from cases.formulas import starts_formula
    from casetracker.dates import DatePrecision, export_partial_date

    kinds = {column.kind for column in COLUMNS}
    assert kinds == {"text", "int", "date"}
    for precision in DatePrecision:
        for day in (datetime.date(1, 1, 1), datetime.date(2018, 3, 1)):
            value = export_partial_date(day, precision)
            assert not (isinstance(value, str) and starts_formula(value))
