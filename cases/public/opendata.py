"""Open data: every public case as CSV or JSON rows, read in chunks straight from the database."""

import itertools
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy

from cases.formulas import neutralise
from cases.models import Case, Citizenship, Consent, PersonName
from cases.public.allowlist import PUBLIC_FIELDS, public_columns
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

# The open-data columns read straight from the database (path -> allowlisted model and field).
_OPEN_DATA_VALUES = {
    "entry_number": ("cases.case", "entry_number"),
    "status": ("cases.case", "status"),
    "status_confirmed_on": ("cases.case", "status_confirmed_on"),
    "detention_year": ("cases.case", "detention_year"),
    "evidence_level": ("cases.case", "evidence_level"),
    "published_at": ("cases.case", "published_at"),
    "updated_at": ("cases.case", "updated_at"),
    "person_id": ("cases.case", "person"),
    "person__gender": ("cases.person", "gender"),
    "person__birth_date": ("cases.person", "birth_date"),
    "person__ethnicity": ("cases.person", "ethnicity"),
    "person__hometown_prefecture": ("cases.person", "hometown_prefecture"),
    "organization__slug": ("orgs.organization", "slug"),
}


def _open_data_columns():
    for label, name in _OPEN_DATA_VALUES.values():
        if name not in PUBLIC_FIELDS[label]:
            raise ImproperlyConfigured(
                f"{label}.{name} is not in cases.public.allowlist.PUBLIC_FIELDS."
            )
    # The consent decides, it is not shown: whether the names may appear.
    return [*_OPEN_DATA_VALUES, "consent__identity_level"]


def _iso(value):
    return value.isoformat() if value else None


def open_data_records(
    queryset: QuerySet[Case], base_url: str = "", chunk_size: int = 2000
) -> Iterator[dict[str, Any]]:
    """The open-data rows (OPEN_DATA_COLUMNS, in order) of the public cases in `queryset`.

    Read as plain values in chunks, with one query for the names and one for the citizenships of
    each chunk: a download of every public case stays fast and flat in memory.
    """
    rows = queryset.values(*_open_data_columns()).iterator(chunk_size=chunk_size)
    while True:
        chunk = list(itertools.islice(rows, chunk_size))
        if not chunk:
            return
        named_people = [
            row["person_id"]
            for row in chunk
            if row["consent__identity_level"] != Consent.IdentityLevel.ANONYMOUS
        ]
        names: dict[int, dict[str, str]] = {}
        for name in (
            PersonName.objects.filter(person_id__in=named_people)
            .order_by("person_id", "kind", "script", "pk")
            .values_list("person_id", *public_columns("cases.personname"))
        ):
            person_id, value, script, _language, kind = name
            if kind in (PersonName.Kind.PRIMARY, PersonName.Kind.OFFICIAL_CHINESE):
                names.setdefault(person_id, {}).setdefault(script, value)
        citizenships: dict[int, list[str]] = {}
        for person_id, code in (
            Citizenship.objects.filter(person_id__in=[row["person_id"] for row in chunk])
            .order_by("person_id", "country__code")
            .values_list("person_id", "country__code")
        ):
            citizenships.setdefault(person_id, []).append(code)
        for row in chunk:
            by_script = names.get(row["person_id"], {})
            birth_date = row["person__birth_date"]
            values = {
                **{column: by_script.get(script, "") for script, column in NAME_SCRIPTS.items()},
                "entry_number": row["entry_number"],
                "url": base_url
                + reverse("cases:case", kwargs={"entry_number": row["entry_number"]}),
                "identity": row["consent__identity_level"],
                "gender": row["person__gender"],
                "birth_year": birth_date.year if birth_date else None,
                "ethnicity": row["person__ethnicity"],
                "prefecture": row["person__hometown_prefecture"],
                "citizenships": " ".join(citizenships.get(row["person_id"], [])),
                "status": row["status"],
                "status_confirmed_on": _iso(row["status_confirmed_on"]),
                "detention_year": row["detention_year"],
                "evidence_level": row["evidence_level"],
                "organization": row["organization__slug"],
                "published_at": _iso(row["published_at"]),
                "updated_at": _iso(row["updated_at"]),
            }
            yield {key: values[key] for key, _help in OPEN_DATA_COLUMNS}


def csv_values(record):
    """One open-data record as the cells of a CSV line: text that a spreadsheet would run as a
    formula (a name typed as "=HYPERLINK(...)") starts with an apostrophe, as in staff exports."""
    return ["" if value is None else neutralise(value) for value in record.values()]
