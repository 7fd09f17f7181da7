"""The documented column list and the samples stay in step with the code."""

from pathlib import Path

from cases.exports import COLUMNS, DEFAULT_COLUMNS

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
