"""Open data: every public case as CSV or JSON rows, read in chunks straight from the database."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from cases.formulas import neutralise
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


def _iso(value):
    return value.isoformat() if value else None


def _names_by_script(names):
    by_script = {}
    for name in names:
        if name["kind"] in (PersonName.Kind.PRIMARY, PersonName.Kind.OFFICIAL_CHINESE):
            by_script.setdefault(name["script"], name["value"])
    return by_script


def open_data_records(queryset, base_url="", chunk_size=2000):
    """The open-data rows (OPEN_DATA_COLUMNS, in order) of the public entries in `queryset`.

    One query, read in chunks: a download of every public entry stays flat in memory. An
    anonymous entry's row carries only what its page shows (no name, no citizenship)."""
    rows = queryset.order_by("entry_number").values(*_ENTRY_VALUES)
    for row in rows.iterator(chunk_size=chunk_size):
        content = row["content"] or {}
        by_script = _names_by_script(content.get("names", []))
        values = {
            **{column: by_script.get(script, "") for script, column in NAME_SCRIPTS.items()},
            "entry_number": row["entry_number"],
            "url": base_url + reverse("cases:case", kwargs={"entry_number": row["entry_number"]}),
            "identity": row["identity_level"],
            "gender": row["gender"],
            "birth_year": row["birth_year"],
            "ethnicity": row["ethnicity"],
            "prefecture": row["prefecture"],
            "citizenships": " ".join(content.get("citizenships", [])),
            "status": row["status"],
            "status_confirmed_on": content.get("status_confirmed_on"),
            "detention_year": row["detention_year"],
            "evidence_level": row["evidence_level"],
            "organization": row["organization__slug"],
            "published_at": _iso(row["first_published_at"]),
            "updated_at": _iso(row["published_at"]),
        }
        yield {key: values[key] for key, _help in OPEN_DATA_COLUMNS}


def csv_values(record):
    """One open-data record as the cells of a CSV line: text that a spreadsheet would run as a
    formula (a name typed as "=HYPERLINK(...)") starts with an apostrophe, as in staff exports."""
    return ["" if value is None else neutralise(value) for value in record.values()]
