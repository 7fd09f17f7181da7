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
