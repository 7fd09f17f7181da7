"""Spreadsheet formula injection: text that a spreadsheet program would run as a formula.

A name typed as "=HYPERLINK(...)" or "-2+3+cmd|..." is harmless in the database but runs when a
CSV or XLSX holding it is opened in Excel or LibreOffice. Every file this site writes for a
spreadsheet (staff exports, the public open data) neutralises such text, and the import refuses
it where it would be stored as typed.
"""

# A spreadsheet treats a cell that begins with one of these as a formula (or, for tab and
# carriage return, may shift it into one): a case name such as "=HYPERLINK(...)" must stay text.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def starts_formula(text: str) -> bool:
    """True when a spreadsheet would read `text` as the start of a formula."""
    return text.startswith(FORMULA_TRIGGERS)


def neutralise(value):
    """The value made safe for a spreadsheet cell: text that could start a formula gets a
    leading apostrophe (OWASP's advice for CSV injection). Numbers and dates are left alone."""
    if isinstance(value, str) and starts_formula(value):
        return "'" + value
    return value


def neutralise_all(values):
    """neutralise() of each of `values`, as a list: the same rule written out, without a
    function call per value (a staff export neutralises a million cells;
    tests/test_exports_docs.py checks that both agree)."""
    return [
        "'" + value if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS) else value
        for value in values
    ]
