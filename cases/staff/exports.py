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
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import connections
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

# Cases read per database round trip (with their names, citizenships and detentions, one query
# each per chunk): memory stays bounded by this, not by the size of the export
# (`manage.py benchmark export`).
CHUNK_SIZE = 2000

# --- Reading values off a row ---------------------------------------------------------------------
#
# An export reads plain rows (`values()`), never case objects: each column names the fields it
# reads, so an encrypted field is read (and decrypted) only when its column is chosen. A row is a
# dict of those fields, plus "names", "citizenships" and "detention" when a chosen column reads
# them, loaded for a whole chunk at once.

# Per row: (script, kind, value) of the person's names, in the order of PersonName's ordering.
NAMES = "names"
# Per row: the sorted country codes of the person's citizenships.
CITIZENSHIPS = "citizenships"
# Per row: (date_start, date_start_precision, facility name, place) of the earliest dated
# "detained" event, or None.
DETENTION = "detention"
# Per row: the sorted country codes where the reporting family lives (`Case.relatives_countries`).
RELATIVES_COUNTRIES = "relatives_countries"


def _name_in(script):
    def value(row):
        for name_script, kind, name in row[NAMES]:
            if name_script == script and kind == PersonName.Kind.PRIMARY:
                return name
        return ""

    return value


def _other_names(row):
    return "; ".join(name for _script, kind, name in row[NAMES] if kind != PersonName.Kind.PRIMARY)


def _citizenships(row):
    return "; ".join(row[CITIZENSHIPS])


def _relatives_countries(row):
    return "; ".join(row[RELATIVES_COUNTRIES])


def _detained_on(row):
    event = row[DETENTION]
    return export_partial_date(event[0], event[1]) if event else None


def _birth_date(row):
    return export_partial_date(row["person__birth_date"], row["person__birth_date_precision"])


class _DetainedOnPrecision:
    def __call__(self, row):
        return self.bound()(row)

    def bound(self):
        label = _EVENT_PRECISION.bound()

        def value(row):
            event = row[DETENTION]
            return label(event[1]) if event else ""

        return value


_detained_on_precision = _DetainedOnPrecision()


def _detention_place(row):
    event = row[DETENTION]
    if event is None:
        return ""
    return "; ".join(p for p in (event[2] or "", event[3]) if p)


_CONSENT_FIELDS = (
    "consent__pk",
    "consent__consent_to_publish",
    "consent__withdrawn_at",
    "consent__identity_level",
    "consent__un_submission_consent",
)


def _yes_no(flag):
    return gettext("yes") if flag else gettext("no")


def _consent_to_publish(row):
    if row["consent__pk"] is None:
        return ""
    # Consent.allows_publication, on the row's fields.
    return _yes_no(row["consent__consent_to_publish"] and row["consent__withdrawn_at"] is None)


def _un_submission_consent(row):
    if row["consent__pk"] is None:
        return ""
    return _yes_no(row["consent__un_submission_consent"])


def _identity_level(row):
    if row["consent__pk"] is None:
        return ""
    return _IDENTITY_LEVEL(row["consent__identity_level"])


def _date_of(path):
    def value(row):
        moment = row[path]
        if isinstance(moment, datetime.datetime):
            return timezone.localdate(moment)
        return moment

    return value


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    description: str
    value: object
    kind: str = "text"  # text, int or date: how the XLSX writes the cell
    width: int = 16
    private: bool = False
    # The fields of the case (`values()` paths) the value reads, and which per-chunk lists.
    fields: tuple = ()
    related: tuple = ()


def _field(path):
    def value(row):
        return row[path]

    return value


class label_of:
    """A function from a stored choice value of field `name` to its label in the active
    language. Not get_FOO_display(): that rebuilds and hashes the whole translated choice list
    on every call, where choice_labels() builds it once per language. `bound()` is the same
    function with the labels of the active language fixed: an export asks for the language
    once, not once per cell."""

    def __init__(self, model, name):
        self.field = model._meta.get_field(name)

    def __call__(self, raw):
        return self.bound()(raw)

    def bound(self):
        labels = choice_labels(self.field)

        def label(raw):
            if raw in ("", None):
                return ""
            return labels.get(raw, raw)

        return label


def _display(path):
    """The choice label of the field at `path` (a `values()` path from the case)."""
    *relations, name = path.split("__")
    model = Case
    for part in relations:
        model = model._meta.get_field(part).related_model
    return _Display(path, label_of(model, name))


class _Display:
    def __init__(self, path, label):
        self.path, self.label = path, label

    def __call__(self, row):
        return self.label(row[self.path])

    def bound(self):
        path, label = self.path, self.label.bound()
        return lambda row: label(row[path])


_EVENT_PRECISION = label_of(CaseEvent, "date_start_precision")
_IDENTITY_LEVEL = label_of(Consent, "identity_level")


_N, _C, _D, _R = (NAMES,), (CITIZENSHIPS,), (DETENTION,), (RELATIVES_COUNTRIES,)
COLUMNS = [
    Column("entry_number", _("Entry number"), _("The case's public number."),
           _field("entry_number"), kind="int", width=10, fields=("entry_number",)),
    Column("name_latin", _("Name (Latin)"), _("Primary name in Latin script."),
           _name_in(PersonName.Script.LATIN), width=28, related=_N),
    Column("name_cyrillic", _("Name (Cyrillic)"), _("Primary name in Cyrillic script."),
           _name_in(PersonName.Script.CYRILLIC), width=28, related=_N),
    Column("name_chinese", _("Name (Chinese)"), _("Primary name in Chinese characters."),
           _name_in(PersonName.Script.HAN), width=14, related=_N),
    Column("name_uyghur", _("Name (Uyghur Arabic)"), _("Primary name in Uyghur Arabic script."),
           _name_in(PersonName.Script.UYGHUR_ARABIC), width=24, related=_N),
    Column("other_names", _("Other names"), _("Aliases, official Chinese and passport names."),
           _other_names, width=36, related=_N),
    Column("gender", _("Gender"), _("Gender of the detained person."),
           _display("person__gender"), width=10, fields=("person__gender",)),
    Column("birth_date", _("Birth date"), _("Birth date as far as it is known: 2018 for a year "
           "(or an approximate date), 2018-03 for a month, a full date for an exact day; see the "
           "precision column."), _birth_date, kind="date", width=12,
           fields=("person__birth_date", "person__birth_date_precision")),
    Column("birth_date_precision", _("Birth date precision"), _("exact day, month, year or "
           "approximate."), _display("person__birth_date_precision"), width=12,
           fields=("person__birth_date_precision",)),
    Column("ethnicity", _("Ethnicity"), _("Ethnicity of the detained person."),
           _display("person__ethnicity"), width=12, fields=("person__ethnicity",)),
    Column("citizenships", _("Citizenships"), _("ISO codes of every citizenship, separated by "
           "semicolons."), _citizenships, width=12, related=_C),
    Column("hometown_prefecture", _("Hometown prefecture"), _("Prefecture of the hometown."),
           _display("person__hometown_prefecture"), width=18,
           fields=("person__hometown_prefecture",)),
    Column("hometown_county", _("Hometown county"), _("County of the hometown."),
           _field("person__hometown_county"), width=18, fields=("person__hometown_county",)),
    Column("occupation", _("Occupation"), _("Occupation of the detained person."),
           _field("person__occupation"), width=20, fields=("person__occupation",)),
    Column("status", pgettext_lazy("case status", "Status"), _("Current status."),
           _display("status"), width=24,
           fields=("status",)),
    Column("status_confirmed_on", _("Status confirmed on"), _("When the status was last "
           "confirmed."), _field("status_confirmed_on"), kind="date", width=12,
           fields=("status_confirmed_on",)),
    Column("evidence_level", _("Evidence level"), _("0 (unreviewed) to 4 (official or primary "
           "document)."), _field("evidence_level"), kind="int", width=8,
           fields=("evidence_level",)),
    Column("detention_year", _("Year of detention"), _("Year of the first recorded detention."),
           _field("detention_year"), kind="int", width=8, fields=("detention_year",)),
    Column("detained_on", _("Detained on"), _("Date of the first recorded detention as far as "
           "it is known: 2018, 2018-03 or a full date (see its precision)."), _detained_on,
           kind="date", width=12, related=_D),
    Column("detained_on_precision", _("Detention date precision"), _("How much of the "
           "detention date is known."), _detained_on_precision, width=12, related=_D),
    Column("detention_place", _("Place of detention"), _("Facility and place of the first "
           "recorded detention."), _detention_place, width=30, related=_D),
    Column("organization", _("Organization"), _("The organization that holds the case."),
           _field("organization__name"), width=24, fields=("organization__name",)),
    Column("summary", pgettext_lazy("case summary", "Summary"), _("The public summary."),
           _field("summary"), width=50,
           fields=("summary",)),
    Column("published_at", _("First published"), _("Date of first publication."),
           _date_of("published_at"), kind="date", width=12, fields=("published_at",)),
    Column("updated_at", _("Last changed"), _("Date of the last change."),
           _date_of("updated_at"), kind="date", width=12, fields=("updated_at",)),
    # Private: the staff side only. Chosen explicitly, never part of the default set.
    Column("publication_state", _("Publication state"), _("Draft, in review, published or "
           "withdrawn."), _display("publication_state"), width=12, private=True,
           fields=("publication_state",)),
    Column("priority", _("Priority"), _("Low, normal, high or urgent."),
           _display("priority"), width=10, private=True, fields=("priority",)),
    Column("relatives_countries", _("Relatives live in"), _("ISO codes of the countries where "
           "the family members who report the case live, separated by semicolons."),
           _relatives_countries, width=12, private=True, related=_R),
    Column("consent_to_publish", _("Consent to publish"), _("Whether the family consents to "
           "publication (and has not withdrawn it)."), _consent_to_publish,
           width=10, private=True, fields=_CONSENT_FIELDS),
    Column("identity_level", _("Public identity"), _("Full name and photo, name only, or "
           "anonymous."), _identity_level, width=14, private=True, fields=_CONSENT_FIELDS),
    Column("un_submission_consent", _("Consent to a UN submission"), _("Whether the family "
           "consents to a submission to UN bodies."), _un_submission_consent,
           width=10, private=True, fields=_CONSENT_FIELDS),
    Column("notes", _("Notes (private)"), _("The case's private notes."), _field("notes"),
           width=50, private=True, fields=("notes",)),
    Column("prc_id_number", _("PRC ID number (private)"), _("Chinese identity card number."),
           _field("person__prc_id_number"), width=20, private=True,
           fields=("person__prc_id_number",)),
    Column("passport_numbers", _("Passport numbers (private)"), _("Passport numbers."),
           _field("person__passport_numbers"), width=20, private=True,
           fields=("person__passport_numbers",)),
    Column("contact_details", _("Contact details (private)"), _("How to reach the person."),
           _field("person__contact_details"), width=30, private=True,
           fields=("person__contact_details",)),
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
    """`queryset` as the plain rows the columns read (with the person's key for the per-chunk
    lists), in a stable order."""
    fields = ["pk", "person_id"]
    for column in columns:
        fields.extend(f for f in column.fields if f not in fields)
    ordering = queryset.query.order_by or ("-entry_number",)
    return queryset.order_by(*ordering).values(*fields)


def _chunks(rows, size):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _among(queryset, column, keys):
    """`queryset` narrowed to rows whose `column` is one of `keys`: on PostgreSQL one array
    parameter (= ANY), which costs no per-key work in the ORM; elsewhere IN."""
    if connections[queryset.db].vendor == "postgresql":
        table = queryset.model._meta.db_table
        return queryset.extra(where=[f'"{table}"."{column}" = ANY(%s)'], params=[list(keys)])
    return queryset.filter(**{f"{column}__in": keys})


def _attach_related(chunk, related):
    """The names, citizenships, first detention and relatives' countries of a chunk of rows: one
    query each."""
    if NAMES in related or CITIZENSHIPS in related:
        people = {row["person_id"] for row in chunk}
    if NAMES in related:
        names = {}
        for person, script, kind, value in (
            _among(PersonName.objects.all(), "person_id", people)
            .order_by("person", "kind", "script", "pk")
            .values_list("person", "script", "kind", "value")
        ):
            names.setdefault(person, []).append((script, kind, value))
        for row in chunk:
            row[NAMES] = names.get(row["person_id"], ())
    if CITIZENSHIPS in related:
        countries = {}
        for person, code in _among(Citizenship.objects.all(), "person_id", people).values_list(
            "person", "country__code"
        ):
            countries.setdefault(person, []).append(code)
        for row in chunk:
            row[CITIZENSHIPS] = sorted(countries.get(row["person_id"], ()))
    if DETENTION in related:
        first = {}
        for case, *event in (
            _among(
                CaseEvent.objects.filter(kind=CaseEvent.Kind.DETAINED, date_start__isnull=False),
                "case_id",
                [row["pk"] for row in chunk],
            )
            .order_by("case", "date_start", "pk")
            .values_list("case", "date_start", "date_start_precision", "facility__name", "place")
        ):
            first.setdefault(case, event)
        for row in chunk:
            row[DETENTION] = first.get(row["pk"])
    if RELATIVES_COUNTRIES in related:
        through = Case.relatives_countries.through
        lived = {}
        for case, code in _among(
            through.objects.all(), "case_id", [row["pk"] for row in chunk]
        ).values_list("case_id", "country__code"):
            lived.setdefault(case, []).append(code)
        for row in chunk:
            row[RELATIVES_COUNTRIES] = sorted(lived.get(row["pk"], ()))


def rows(queryset, columns):
    """Every case of the queryset as a list of neutralised values, one chunk in memory at once."""
    related = {name for column in columns for name in column.related}
    values = [getattr(c.value, "bound", lambda c=c: c.value)() for c in columns]
    plain = export_queryset(queryset, columns).iterator(chunk_size=CHUNK_SIZE)
    for chunk in _chunks(plain, CHUNK_SIZE):
        _attach_related(chunk, related)
        for row in chunk:
            yield [neutralise(value(row)) for value in values]


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
