"""Open data: every public case as CSV or JSON rows, read in chunks straight from the database."""

import csv

from django.db import connections
from django.urls import reverse
from django.utils.translation import gettext_lazy

from cases.csv_lines import BYTE_ORDER_MARK
from cases.formulas import FORMULA_TRIGGERS, neutralise
from cases.models import PersonName
from cases.public.records import NAME_SCRIPTS

OPEN_DATA_LICENCE = gettext_lazy(
    "Creative Commons Attribution 4.0 International (CC BY 4.0): share and adapt with credit "
    "to casetracker and the group that holds each case."
)
OPEN_DATA_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"

# The open-data columns, in order, with what each means (shown on the open-data page).
OPEN_DATA_COLUMNS = (
    ("entry_number", gettext_lazy("The case's public entry number; stable and never reused.")),
    ("url", gettext_lazy("Address of the case page.")),
    ("identity", gettext_lazy("What the family agreed to show: full, name_only or anonymous.")),
    ("name_latin", gettext_lazy("Primary name in Latin script (empty when anonymous).")),
    ("name_cyrillic", gettext_lazy("Primary name in Cyrillic script (empty when anonymous).")),
    ("name_chinese", gettext_lazy("Name in Chinese characters (empty when anonymous).")),
    ("name_uyghur", gettext_lazy("Name in Uyghur Arabic script (empty when anonymous).")),
    ("gender", gettext_lazy("female, male or unknown.")),
    ("birth_year", gettext_lazy("Year of birth, when known.")),
    ("ethnicity", gettext_lazy("Code of the ethnicity, such as kazakh or uyghur.")),
    ("prefecture", gettext_lazy("Code of the hometown prefecture in Xinjiang.")),
    ("citizenships", gettext_lazy("ISO 3166 codes of the person's citizenships, space-separated.")),
    ("status", gettext_lazy("Code of the current status, such as camp or imprisoned.")),
    ("status_confirmed_on", gettext_lazy("Date the status was last confirmed (YYYY-MM-DD).")),
    ("detention_year", gettext_lazy("Year of the first known detention.")),
    ("evidence_level", gettext_lazy("0 (unreviewed) to 4 (official or primary document).")),
    ("organization", gettext_lazy("Slug of the advocacy group that holds the case.")),
    ("published_at", gettext_lazy("When the case was first published (ISO 8601).")),
    ("updated_at", gettext_lazy("When the entry last changed (ISO 8601).")),
)

# The entry columns the open data reads (the content only for the names and citizenships).
_ENTRY_VALUES = (
    "entry_number",
    "identity_level",
    "gender",
    "birth_year",
    "ethnicity",
    "prefecture",
    "status",
    "detention_year",
    "evidence_level",
    "organization__slug",
    "first_published_at",
    "published_at",
    "content",
)
_NAME_KINDS = (PersonName.Kind.PRIMARY, PersonName.Kind.OFFICIAL_CHINESE)
# A stand-in entry number, replaced in the reversed address of a case page: the address is
# reversed once per download, not once per row.
_NUMBER_MARK = 918273645


def _iso(value):
    return value.isoformat() if value else None


def _names_by_script(names):
    by_script = {}
    for name in names:
        if name["kind"] in _NAME_KINDS:
            by_script.setdefault(name["script"], name["value"])
    return by_script


def case_url_parts(base_url=""):
    """The address of a case page as the text before and after its entry number."""
    url = base_url + reverse("cases:case", kwargs={"entry_number": _NUMBER_MARK})
    before, after = url.split(str(_NUMBER_MARK))
    return before, after


def open_data_records(queryset, base_url="", chunk_size=2000):
    """The open-data rows (OPEN_DATA_COLUMNS, in order) of the public entries in `queryset`.

    One query, read in chunks: a download of every public entry stays flat in memory. An
    anonymous entry's row carries only what its page shows (no name, no citizenship)."""
    url_before, url_after = case_url_parts(base_url)
    rows = queryset.order_by("entry_number").values_list(*_ENTRY_VALUES)
    scripts = list(NAME_SCRIPTS.items())
    for (
        entry_number,
        identity_level,
        gender,
        birth_year,
        ethnicity,
        prefecture,
        status,
        detention_year,
        evidence_level,
        organization,
        first_published_at,
        published_at,
        content,
    ) in rows.iterator(chunk_size=chunk_size):
        content = content or {}
        by_script = _names_by_script(content.get("names", []))
        names = {column: by_script.get(script, "") for script, column in scripts}
        yield {
            "entry_number": entry_number,
            "url": f"{url_before}{entry_number}{url_after}",
            "identity": identity_level,
            "name_latin": names["name_latin"],
            "name_cyrillic": names["name_cyrillic"],
            "name_chinese": names["name_chinese"],
            "name_uyghur": names["name_uyghur"],
            "gender": gender,
            "birth_year": birth_year,
            "ethnicity": ethnicity,
            "prefecture": prefecture,
            "citizenships": " ".join(content.get("citizenships", [])),
            "status": status,
            "status_confirmed_on": content.get("status_confirmed_on"),
            "detention_year": detention_year,
            "evidence_level": evidence_level,
            "organization": organization,
            "published_at": _iso(first_published_at),
            "updated_at": _iso(published_at),
        }


def csv_values(record):
    """One open-data record as the cells of a CSV line: text that a spreadsheet would run as a
    formula (a name typed as "=HYPERLINK(...)") starts with an apostrophe, as in staff exports."""
    return ["" if value is None else neutralise(value) for value in record.values()]


def csv_lines(queryset, base_url="", chunk_size=2000, *, byte_order_mark=True):
    """The open-data CSV of the entries in `queryset`, as text pieces: the byte-order mark and
    the header, then the rows in entry-number order. On PostgreSQL the rows come from
    COPY ... TO STDOUT (the database writes the CSV, in chunks of `chunk_size` rows, so memory
    stays flat); elsewhere from a chunked cursor. Both write the same bytes."""
    columns = [name for name, _help in OPEN_DATA_COLUMNS]
    header = (BYTE_ORDER_MARK if byte_order_mark else "") + _csv_line(columns)
    if connections[queryset.db].vendor == "postgresql":
        return _copied_csv(queryset, base_url, chunk_size, header)
    return _cursor_csv(queryset, base_url, chunk_size, header)


class _Echo:
    def write(self, value):
        return value


def _csv_line(values):
    return csv.writer(_Echo()).writerow(values)


def _cursor_csv(queryset, base_url, chunk_size, header):
    """The csv module's lines, `chunk_size` rows to a piece."""
    writer = csv.writer(_Echo())
    yield header
    rows = []
    for record in open_data_records(queryset, base_url, chunk_size):
        rows.append(writer.writerow(csv_values(record)))
        if len(rows) == chunk_size:
            yield "".join(rows)
            rows = []
    if rows:
        yield "".join(rows)


# --- PostgreSQL: the database writes the CSV -----------------------------------------------------

# What neutralise() does, in SQL: an apostrophe before text that a spreadsheet would read as a
# formula. The pattern and its replacement are passed as parameters.
# The hyphen goes first in the bracket, where it stands for itself.
_FORMULA_PATTERN = "^([" + "".join(sorted(FORMULA_TRIGGERS, key=lambda c: c != "-")) + "])"


def _text_cell(expression):
    """A text cell as the Python writer makes it: neutralised, and NULL when empty (COPY writes
    an empty string as "", None as nothing; the csv module writes both as nothing)."""
    return f"NULLIF(regexp_replace({expression}, %(formula)s, %(apostrophe)s), '')"


def _name_cell(script):
    return _text_cell(
        "(SELECT n.value->>'value' FROM jsonb_array_elements("
        "CASE jsonb_typeof(e.content->'names') WHEN 'array' THEN e.content->'names' "
        "ELSE '[]'::jsonb END) WITH ORDINALITY AS n "
        "WHERE n.value->>'kind' IN %(kinds)s "
        f"AND n.value->>'script' = '{script}' ORDER BY n.ordinality LIMIT 1)"
    )


def _iso_cell(column):
    # datetime.isoformat() in UTC: microseconds only when there are any.
    utc = f"(e.{column} AT TIME ZONE 'UTC')"
    return (
        f"to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || "
        f"CASE WHEN to_char({utc}, 'US') = '000000' THEN '' ELSE to_char({utc}, '.US') END "
        "|| '+00:00'"
    )


def _copy_select():
    names = {column: _name_cell(script) for script, column in NAME_SCRIPTS.items()}
    cells = {
        "entry_number": "e.entry_number",
        "url": "%(url_before)s || e.entry_number || %(url_after)s",
        "identity": "NULLIF(e.identity_level, '')",
        **names,
        "gender": "NULLIF(e.gender, '')",
        "birth_year": "e.birth_year",
        "ethnicity": "NULLIF(e.ethnicity, '')",
        "prefecture": "NULLIF(e.prefecture, '')",
        "citizenships": _text_cell(
            "array_to_string(ARRAY(SELECT jsonb_array_elements_text("
            "CASE jsonb_typeof(e.content->'citizenships') WHEN 'array' "
            "THEN e.content->'citizenships' ELSE '[]'::jsonb END)), ' ')"
        ),
        "status": "NULLIF(e.status, '')",
        "status_confirmed_on": _text_cell("e.content->>'status_confirmed_on'"),
        "detention_year": "e.detention_year",
        "evidence_level": "e.evidence_level",
        "organization": _text_cell("o.slug"),
        "published_at": _iso_cell("first_published_at"),
        "updated_at": _iso_cell("published_at"),
    }
    return ", ".join(cells[name] for name, _help in OPEN_DATA_COLUMNS)


class _Rows:
    """COPY's output, one row per write(), with the csv module's line ending (CR LF)."""

    def __init__(self):
        self.lines = []

    def write(self, data):
        self.lines.append(data[:-1] + b"\r\n" if data.endswith(b"\n") else data)


def _copied_csv(queryset, base_url, chunk_size, header):
    """The rows in chunks of `chunk_size` entry numbers, each chunk one COPY statement: the
    response streams while PostgreSQL writes, and one chunk is in memory at a time."""
    url_before, url_after = case_url_parts(base_url)
    if queryset.query.is_empty():
        # A search with no usable word matches nothing: the header alone, as the ORM path gives.
        yield header.encode()
        return
    if queryset.query.where:
        subquery, subquery_params = queryset.order_by().values("pk").query.sql_with_params()
    else:
        subquery = None
    connection = connections[queryset.db]
    yield header.encode()
    after = -1
    while True:
        with connection.cursor() as cursor:
            params = {
                "formula": _FORMULA_PATTERN,
                "apostrophe": "'\\1",
                "kinds": tuple(str(kind) for kind in _NAME_KINDS),
                "url_before": url_before,
                "url_after": url_after,
                "after": after,
                "limit": chunk_size,
            }
            where = "e.entry_number > %(after)s"
            if subquery is not None:
                # The filtered entries' keys, as the FilterSet built them, inlined by the
                # driver (COPY takes no parameters), escaped for the second pass.
                inner = cursor.mogrify(subquery, subquery_params).decode().replace("%", "%%")
                where += f" AND e.id IN ({inner})"
            chunk = (
                f"SELECT {_copy_select()} FROM cases_publicentry e "
                f"JOIN orgs_organization o ON o.id = e.organization_id WHERE {where} "
                "ORDER BY e.entry_number LIMIT %(limit)s"
            )
            sql = cursor.mogrify(chunk, params).decode()
            rows = _Rows()
            cursor.cursor.copy_expert(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", rows)
        if not rows.lines:
            return
        yield b"".join(rows.lines)
        if len(rows.lines) < chunk_size:
            return
        after = int(rows.lines[-1].split(b",", 1)[0])
