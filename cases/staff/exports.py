"""Staff exports of a filtered set of cases: the column list, CSV and XLSX writers, safe file names,
and the export log.

`COLUMNS` is the one definition of what a staff export may hold: each column has a label, a
description (docs/exports.md lists them, and a test keeps that page in step) and how to get its
value from a case. A column says which related rows it needs, so an export loads only what the
chosen columns read, in fixed chunks, whatever the number of cases.
"""

import datetime
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from cases.choices import choice_labels
from cases.csv_lines import csv_lines
from cases.formulas import neutralise
from cases.models import Case, CaseEvent, Citizenship, Consent, ExportLog, PersonName
from casetracker.dates import export_partial_date
from orgs import audit

# Rows fetched (and prefetched) per database round trip: memory stays bounded by this, not by
# the size of the export (about 25 MB of Python objects per 1,000 cases with their names and
# events; `manage.py benchmark export`).
CHUNK_SIZE = 1000

# --- Reading values off a case -------------------------------------------------------------------


def _names(case):
    return case.person.export_names


def _name_in(script):
    def value(case):
        for name in _names(case):
            if name.script == script and name.kind == PersonName.Kind.PRIMARY:
                return name.value
        return ""

    return value


def _other_names(case):
    return "; ".join(n.value for n in _names(case) if n.kind != PersonName.Kind.PRIMARY)


def _citizenships(case):
    return "; ".join(sorted(c.country.code for c in case.person.export_citizenships))


def _first_detention(case):
    # `detention_events` is a prefetch of the case's dated "detained" events, earliest first.
    events = case.detention_events
    return events[0] if events else None


def _detained_on(case):
    event = _first_detention(case)
    return export_partial_date(event.date_start, event.date_start_precision) if event else None


def _birth_date(case):
    person = case.person
    return export_partial_date(person.birth_date, person.birth_date_precision)


def _detained_on_precision(case):
    event = _first_detention(case)
    return _EVENT_PRECISION(event.date_start_precision) if event else ""


def _detention_place(case):
    event = _first_detention(case)
    if event is None:
        return ""
    parts = [event.facility.name if event.facility else "", event.place]
    return "; ".join(p for p in parts if p)


def _consent(case):
    return getattr(case, "consent", None)


def _consent_flag(attribute):
    def value(case):
        consent = _consent(case)
        if consent is None:
            return ""
        return gettext("yes") if getattr(consent, attribute) else gettext("no")

    return value


def _identity_level(case):
    consent = _consent(case)
    return _IDENTITY_LEVEL(consent.identity_level) if consent else ""


def _date_of(attribute):
    def value(case):
        moment = getattr(case, attribute)
        if isinstance(moment, datetime.datetime):
            return timezone.localdate(moment)
        return moment

    return value


_DETENTION_PREFETCH = Prefetch(
    "events",
    queryset=CaseEvent.objects.filter(
        kind=CaseEvent.Kind.DETAINED, date_start__isnull=False
    ).select_related("facility"),
    to_attr="detention_events",
)
# Prefetched into lists (to_attr): reading them costs no queryset clone per row.
_NAMES_PREFETCH = Prefetch("person__names", to_attr="export_names")
_CITIZENSHIPS_PREFETCH = Prefetch(
    "person__citizenships",
    queryset=Citizenship.objects.select_related("country"),
    to_attr="export_citizenships",
)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    description: str
    value: object
    kind: str = "text"  # text, int or date: how the XLSX writes the cell
    width: int = 16
    private: bool = False
    select_related: tuple = ()
    prefetch: tuple = field(default=())


def _attr(path):
    def value(case):
        obj = case
        for part in path.split("."):
            obj = getattr(obj, part)
        return obj

    return value


def label_of(model, name):
    """A function from a stored choice value of field `name` to its label in the active
    language. Not get_FOO_display(): that rebuilds and hashes the whole translated choice list
    on every call, where choice_labels() builds it once per language."""
    field = model._meta.get_field(name)

    def label(raw):
        if raw in ("", None):
            return ""
        return choice_labels(field).get(raw, raw)

    return label


def _display(path, name):
    """The choice label of field `name` of the object at `path` ("" for the case itself)."""
    parts = path.split(".") if path else []
    model = Case
    for part in parts:
        model = model._meta.get_field(part).related_model
    label = label_of(model, name)

    def value(case):
        obj = case
        for part in parts:
            obj = getattr(obj, part)
        return label(getattr(obj, name))

    return value


_EVENT_PRECISION = label_of(CaseEvent, "date_start_precision")
_IDENTITY_LEVEL = label_of(Consent, "identity_level")


COLUMNS = [
    Column("entry_number", _("Entry number"), _("The case's public number."),
           _attr("entry_number"), kind="int", width=10),
    Column("name_latin", _("Name (Latin)"), _("Primary name in Latin script."),
           _name_in(PersonName.Script.LATIN), width=28, prefetch=(_NAMES_PREFETCH,)),
    Column("name_cyrillic", _("Name (Cyrillic)"), _("Primary name in Cyrillic script."),
           _name_in(PersonName.Script.CYRILLIC), width=28, prefetch=(_NAMES_PREFETCH,)),
    Column("name_chinese", _("Name (Chinese)"), _("Primary name in Chinese characters."),
           _name_in(PersonName.Script.HAN), width=14, prefetch=(_NAMES_PREFETCH,)),
    Column("name_uyghur", _("Name (Uyghur Arabic)"), _("Primary name in Uyghur Arabic script."),
           _name_in(PersonName.Script.UYGHUR_ARABIC), width=24, prefetch=(_NAMES_PREFETCH,)),
    Column("other_names", _("Other names"), _("Aliases, official Chinese and passport names."),
           _other_names, width=36, prefetch=(_NAMES_PREFETCH,)),
    Column("gender", _("Gender"), _("Gender of the detained person."),
           _display("person", "gender"), width=10, select_related=("person",)),
    Column("birth_date", _("Birth date"), _("Birth date as far as it is known: 2018 for a year "
           "(or an approximate date), 2018-03 for a month, a full date for an exact day; see the "
           "precision column."), _birth_date, kind="date", width=12, select_related=("person",)),
    Column("birth_date_precision", _("Birth date precision"), _("exact day, month, year or "
           "approximate."), _display("person", "birth_date_precision"), width=12,
           select_related=("person",)),
    Column("ethnicity", _("Ethnicity"), _("Ethnicity of the detained person."),
           _display("person", "ethnicity"), width=12, select_related=("person",)),
    Column("citizenships", _("Citizenships"), _("ISO codes of every citizenship, separated by "
           "semicolons."), _citizenships, width=12, prefetch=(_CITIZENSHIPS_PREFETCH,)),
    Column("hometown_prefecture", _("Hometown prefecture"), _("Prefecture of the hometown."),
           _display("person", "hometown_prefecture"), width=18, select_related=("person",)),
    Column("hometown_county", _("Hometown county"), _("County of the hometown."),
           _attr("person.hometown_county"), width=18, select_related=("person",)),
    Column("occupation", _("Occupation"), _("Occupation of the detained person."),
           _attr("person.occupation"), width=20, select_related=("person",)),
    Column("status", pgettext_lazy("case status", "Status"), _("Current status."),
           _display("", "status"), width=24),
    Column("status_confirmed_on", _("Status confirmed on"), _("When the status was last "
           "confirmed."), _attr("status_confirmed_on"), kind="date", width=12),
    Column("evidence_level", _("Evidence level"), _("0 (unreviewed) to 4 (official or primary "
           "document)."), _attr("evidence_level"), kind="int", width=8),
    Column("detention_year", _("Year of detention"), _("Year of the first recorded detention."),
           _attr("detention_year"), kind="int", width=8),
    Column("detained_on", _("Detained on"), _("Date of the first recorded detention as far as "
           "it is known: 2018, 2018-03 or a full date (see its precision)."), _detained_on,
           kind="date", width=12, prefetch=(_DETENTION_PREFETCH,)),
    Column("detained_on_precision", _("Detention date precision"), _("How much of the "
           "detention date is known."), _detained_on_precision, width=12,
           prefetch=(_DETENTION_PREFETCH,)),
    Column("detention_place", _("Place of detention"), _("Facility and place of the first "
           "recorded detention."), _detention_place, width=30,
           prefetch=(_DETENTION_PREFETCH,)),
    Column("organization", _("Organization"), _("The organization that holds the case."),
           _attr("organization.name"), width=24, select_related=("organization",)),
    Column("summary", pgettext_lazy("case summary", "Summary"), _("The public summary."),
           _attr("summary"), width=50),
    Column("published_at", _("First published"), _("Date of first publication."),
           _date_of("published_at"), kind="date", width=12),
    Column("updated_at", _("Last changed"), _("Date of the last change."),
           _date_of("updated_at"), kind="date", width=12),
    # Private: the staff side only. Chosen explicitly, never part of the default set.
    Column("publication_state", _("Publication state"), _("Draft, in review, published or "
           "withdrawn."), _display("", "publication_state"), width=12, private=True),
    Column("priority", _("Priority"), _("Low, normal, high or urgent."),
           _display("", "priority"), width=10, private=True),
    Column("consent_to_publish", _("Consent to publish"), _("Whether the family consents to "
           "publication (and has not withdrawn it)."), _consent_flag("allows_publication"),
           width=10, private=True, select_related=("consent",)),
    Column("identity_level", _("Public identity"), _("Full name and photo, name only, or "
           "anonymous."), _identity_level, width=14, private=True, select_related=("consent",)),
    Column("un_submission_consent", _("Consent to a UN submission"), _("Whether the family "
           "consents to a submission to UN bodies."), _consent_flag("un_submission_consent"),
           width=10, private=True, select_related=("consent",)),
    Column("notes", _("Notes (private)"), _("The case's private notes."), _attr("notes"),
           width=50, private=True),
    Column("prc_id_number", _("PRC ID number (private)"), _("Chinese identity card number."),
           _attr("person.prc_id_number"), width=20, private=True, select_related=("person",)),
    Column("passport_numbers", _("Passport numbers (private)"), _("Passport numbers."),
           _attr("person.passport_numbers"), width=20, private=True,
           select_related=("person",)),
    Column("contact_details", _("Contact details (private)"), _("How to reach the person."),
           _attr("person.contact_details"), width=30, private=True,
           select_related=("person",)),
]  # fmt: skip
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
DEFAULT_COLUMNS = [
    "entry_number",
    "name_latin",
    "name_cyrillic",
    "gender",
    "birth_date",
    "birth_date_precision",
    "ethnicity",
    "citizenships",
    "hometown_prefecture",
    "status",
    "evidence_level",
    "detained_on",
    "detained_on_precision",
    "detention_place",
    "organization",
]


def columns_for(keys):
    """The Column objects for `keys` (already validated), in the order the list defines."""
    wanted = set(keys)
    return [column for column in COLUMNS if column.key in wanted]


def export_queryset(queryset, columns):
    """`queryset` with just the joins and prefetches the columns read, in a stable order.

    Prefetches work with `.iterator(chunk_size=...)`: each chunk of cases brings its own names,
    citizenships and events, so memory holds one chunk at a time.
    """
    select, prefetch = {"person"}, []
    for column in columns:
        select.update(column.select_related)
        for lookup in column.prefetch:
            if lookup not in prefetch:
                prefetch.append(lookup)
    ordering = queryset.query.order_by or ("-entry_number",)
    return queryset.select_related(*sorted(select)).prefetch_related(*prefetch).order_by(*ordering)


def rows(queryset, columns):
    """Every case of the queryset as a list of neutralised values, one chunk in memory at once."""
    for case in export_queryset(queryset, columns).iterator(chunk_size=CHUNK_SIZE):
        yield [neutralise(column.value(case)) for column in columns]


def header(columns):
    return [str(column.label) for column in columns]


def csv_stream(queryset, columns):
    """The CSV, line by line, with a byte-order mark for spreadsheet programs."""
    return csv_lines(header(columns), rows(queryset, columns), byte_order_mark=True)


def write_xlsx(queryset, columns, *, title):
    """The XLSX in a temporary file (openpyxl's write-only mode streams rows to disk), returned
    open and rewound for a FileResponse."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=re.sub(r"[\[\]:*?/\\]", " ", str(title))[:31])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    bold = Font(bold=True)
    header_cells = []
    for label in header(columns):
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    date_columns = [i for i, column in enumerate(columns) if column.kind == "date"]
    for row in rows(queryset, columns):
        for i in date_columns:
            # A partial date ("2018", "2018-03") stays text: a date cell would invent a day.
            if isinstance(row[i], datetime.date):
                cell = WriteOnlyCell(sheet, value=row[i])
                cell.number_format = "yyyy-mm-dd"
                row[i] = cell
        # openpyxl stores a string that starts with "=" as a formula: neutralise() has already
        # prefixed every such value with an apostrophe, so each one is written as text.
        sheet.append(row)
    # Not a context manager: the FileResponse reads it and closes it when the response ends.
    output = tempfile.TemporaryFile()  # noqa: SIM115
    workbook.save(output)
    output.seek(0)
    return output


def safe_filename(*parts, extension):
    """An ASCII file name for Content-Disposition: slugified parts and today's date."""
    stem = "-".join(filter(None, (slugify(str(part)) for part in parts))) or "export"
    return f"{stem[:80]}-{timezone.localdate():%Y-%m-%d}.{extension}"


def record_export(
    *,
    user,
    report: str,
    format: str,
    row_count: int,
    filters: Mapping[str, object] | None = None,
    columns: Iterable[str] = (),
    case: Case | None = None,
    includes_private: bool = False,
) -> ExportLog:
    """Put one export or report on record, in the export log and the security audit log. Every
    staff export goes through here, with its cleaned filter values
    (cases.staff.filters.logged_filters): search terms are taken out once, here, for both."""
    filters = audit.redact_filters(filters)
    entry = ExportLog(
        user=user,
        report=report,
        format=format,
        filter_query=urlencode(filters, doseq=True, safe="[]"),
        columns=list(columns),
        row_count=row_count,
        case=case,
        includes_private=includes_private,
    )
    entry.full_clean()
    entry.save()
    audit.record_export(
        request=None,
        export_format=format,
        filters=filters,
        rows=row_count,
        target=case_label(case) if case is not None else report,
    )
    return entry


def case_label(case: Case):
    return gettext("case %(number)s") % {"number": case.entry_number}
