"""Spreadsheet import: a group's existing case list (CSV or XLSX) becomes draft cases.

The flow is the one a volunteer sees in the admin (`cases.admin.imports.CaseImportMixin`):

1. `reading`: the upload is checked (size, kind, encoding, shape) and read into plain text cells;
   formulas are never evaluated.
2. `columns` matches the headers (English, Russian, Kazakh, Kyrgyz) to the documented columns;
   `rows` reads each row with `partial_dates` and `vocabulary` into values or row errors that
   name the row, the column, the value and what was expected.
3. `plan.dry_run` adds up what would be created, updated or fail, and the likely duplicates in the
   database and within the file. Nothing is written.
4. `writing.import_cases` writes a plan without errors in one transaction, all rows or none, with
   bulk inserts and a history row per object that names the file and the row.
"""
