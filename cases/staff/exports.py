"""Staff exports of a filtered set of cases: the column list, CSV and XLSX writers, safe file names,
and the export log.

`COLUMNS` is the one definition of what a staff export may hold: each column has a label, a
description (docs/exports.md lists them, and a test keeps that page in step) and how to get its
value from a case. A column says which related rows it needs, so an export loads only what the
chosen columns read, in fixed chunks, whatever the number of cases.
"""

import csv
import datetime
import io
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from operator import itemgetter
from urllib.parse import urlencode

from django.db import connections
from django.db.models import FilteredRelation, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from cases.choices import choice_labels
from cases.csv_lines import BYTE_ORDER_MARK
from cases.formulas import neutralise_all
from cases.models import Case, CaseEvent, Citizenship, Consent, ExportLog, PersonName
from casetracker.dates import export_partial_date
from orgs import audit

# Cases read per database round trip (with their other names, citizenships and detentions, one
# query each per chunk): memory stays bounded by this, not by the size of the export
# (`manage.py benchmark export`).
CHUNK_SIZE = 2000

# --- Reading values off a row ---------------------------------------------------------------------
#
# An export reads plain rows (tuples from `values_list()`), never case objects: each column names
# the fields it reads, so an encrypted field is read (and decrypted) only when its column is
# chosen. A row holds those fields, then the per-chunk lists that a chosen column reads ("names",
# "citizenships", ...), loaded for a whole chunk at once.
#
# A column's `value` is made once per export: `value(at)` returns the function from a chunk of
# rows to the column's cells, where `at(name)` is the position of a field or per-chunk list in a
# row. Positions, choice labels, "yes"/"no" and the time zone are looked up then, not once per
# cell, and a column is read down a whole chunk at once (map() and comprehensions rather than a
# function call per cell): an export of 100,000 cases has millions of cells.

# Per row: the values of the person's names other than the primary ones, in the order of
# PersonName's ordering (kind, script), then as entered.
NAMES = "names"
# Per row: the sorted country codes of the person's citizenships.
CITIZENSHIPS = "citizenships"
# Per row: (date_start, date_start_precision, facility name, place) of the earliest dated
# "detained" event, or None.
DETENTION = "detention"
# Per row: the sorted country codes where the reporting family lives (`Case.relatives_countries`).
RELATIVES_COUNTRIES = "relatives_countries"


def _field(path):
    def value(at):
        get = itemgetter(at(path))
        return lambda rows: map(get, rows)

    return value


def _primary_name(script):
    """The person's primary name in `script`, read through a join of the export's own query
    rather than a per-chunk list: a person has at most one primary name per script (the
    constraint personname_one_primary_per_script), so the join never repeats a case."""
    relation = f"primary_name_{script}"
    condition = Q(person__names__kind=PersonName.Kind.PRIMARY, person__names__script=script)
    join = (relation, lambda: FilteredRelation("person__names", condition=condition))
    path = f"{relation}__value"

    def value(at):
        i = at(path)
        # None: the person has no such name (the join found no row).
        return lambda rows: [row[i] or "" for row in rows]

    return value, (path,), (join,)


def _joined(name):
    """The codes or names of the per-chunk list `name`, separated by semicolons."""

    def value(at):
        get = itemgetter(at(name))
        return lambda rows: map("; ".join, map(get, rows))

    return value


def _partial_date(date_path, precision_path):
    def value(at):
        date, precision = itemgetter(at(date_path)), itemgetter(at(precision_path))
        return lambda rows: map(export_partial_date, map(date, rows), map(precision, rows))

    return value


def _detained_on(at):
    i = at(DETENTION)
    return lambda rows: [
        export_partial_date(row[i][0], row[i][1]) if row[i] else None for row in rows
    ]


def _detained_on_precision(at):
    i, label = at(DETENTION), _EVENT_PRECISION.bound()
    return lambda rows: [label(row[i][1]) if row[i] else "" for row in rows]


def _place(event):
    if event is None:
        return ""
    return "; ".join(p for p in (event[2] or "", event[3]) if p)


def _detention_place(at):
    get = itemgetter(at(DETENTION))
    return lambda rows: map(_place, map(get, rows))


_CONSENT_FIELDS = (
    "consent__pk",
    "consent__consent_to_publish",
    "consent__withdrawn_at",
    "consent__identity_level",
    "consent__un_submission_consent",
)


def _yes_no():
    """The function from a flag to "yes" or "no" in the active language."""
    yes, no = gettext("yes"), gettext("no")
    return lambda flag: yes if flag else no


def _consent_to_publish(at):
    consent, publish, withdrawn = (
        at(path) for path in ("consent__pk", "consent__consent_to_publish", "consent__withdrawn_at")
    )
    yes_no = _yes_no()
    # Consent.allows_publication, on the row's fields.
    return lambda rows: [
        "" if row[consent] is None else yes_no(row[publish] and row[withdrawn] is None)
        for row in rows
    ]


def _un_submission_consent(at):
    consent, flag, yes_no = at("consent__pk"), at("consent__un_submission_consent"), _yes_no()
    return lambda rows: ["" if row[consent] is None else yes_no(row[flag]) for row in rows]


def _identity_level(at):
    consent, level = at("consent__pk"), at("consent__identity_level")
    label = _IDENTITY_LEVEL.bound()
    return lambda rows: ["" if row[consent] is None else label(row[level]) for row in rows]


def _date_of(path):
    def value(at):
        i, zone = at(path), timezone.get_current_timezone()
        return lambda rows: [
            timezone.localdate(row[i], zone) if isinstance(row[i], datetime.datetime) else row[i]
            for row in rows
        ]

    return value


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    description: str
    # value(at) -> the function from a chunk of rows to the column's cells (see "Reading values
    # off a row").
    value: object
    kind: str = "text"  # text, int or date: how the XLSX writes the cell
    width: int = 16
    private: bool = False
    # The fields of the case (`values()` paths) the value reads, and which per-chunk lists.
    fields: tuple = ()
    related: tuple = ()
    # (name, function making the FilteredRelation) joins of the export's query that `fields` read
    # through. A function: a query takes its FilteredRelation over and changes it.
    joins: tuple = ()


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
        labels = self.table()
        return lambda raw: labels.get(raw, raw)

    def table(self):
        """{stored value: label} in the active language; a value missing from it is shown as
        stored. An empty or missing value has no label."""
        return {**choice_labels(self.field), "": "", None: ""}


def _display(path):
    """The choice label of the field at `path` (a `values()` path from the case)."""
    *relations, name = path.split("__")
    model = Case
    for part in relations:
        model = model._meta.get_field(part).related_model
    label_for = label_of(model, name)

    def value(at):
        get, labels = itemgetter(at(path)), label_for.table()

        def cells(rows):
            raw = list(map(get, rows))
            return map(labels.get, raw, raw)

        return cells

    return value


_EVENT_PRECISION = label_of(CaseEvent, "date_start_precision")
_IDENTITY_LEVEL = label_of(Consent, "identity_level")


def _name_column(key, label, description, script, width):
    value, fields, joins = _primary_name(script)
    return Column(key, label, description, value, width=width, fields=fields, joins=joins)


_N, _C, _D, _R = (NAMES,), (CITIZENSHIPS,), (DETENTION,), (RELATIVES_COUNTRIES,)
COLUMNS = [
    Column("entry_number", _("Entry number"), _("The case's public number."),
           _field("entry_number"), kind="int", width=10, fields=("entry_number",)),
    _name_column("name_latin", _("Name (Latin)"), _("Primary name in Latin script."),
                 PersonName.Script.LATIN, width=28),
    _name_column("name_cyrillic", _("Name (Cyrillic)"), _("Primary name in Cyrillic script."),
                 PersonName.Script.CYRILLIC, width=28),
    _name_column("name_chinese", _("Name (Chinese)"), _("Primary name in Chinese characters."),
                 PersonName.Script.HAN, width=14),
    _name_column("name_uyghur", _("Name (Uyghur Arabic)"), _("Primary name in Uyghur Arabic "
                 "script."), PersonName.Script.UYGHUR_ARABIC, width=24),
    Column("other_names", _("Other names"), _("Aliases, official Chinese and passport names."),
           _joined(NAMES), width=36, related=_N),
    Column("gender", _("Gender"), _("Gender of the detained person."),
           _display("person__gender"), width=10, fields=("person__gender",)),
    Column("birth_date", _("Birth date"), _("Birth date as far as it is known: 2018 for a year "
           "(or an approximate date), 2018-03 for a month, a full date for an exact day; see the "
           "precision column."), _partial_date("person__birth_date",
           "person__birth_date_precision"), kind="date", width=12,
           fields=("person__birth_date", "person__birth_date_precision")),
    Column("birth_date_precision", _("Birth date precision"), _("exact day, month, year or "
           "approximate."), _display("person__birth_date_precision"), width=12,
           fields=("person__birth_date_precision",)),
    Column("ethnicity", _("Ethnicity"), _("Ethnicity of the detained person."),
           _display("person__ethnicity"), width=12, fields=("person__ethnicity",)),
    Column("citizenships", _("Citizenships"), _("ISO codes of every citizenship, separated by "
           "semicolons."), _joined(CITIZENSHIPS), width=12, related=_C),
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
           _joined(RELATIVES_COUNTRIES), width=12, private=True, related=_R),
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
    """`queryset` as the plain rows (tuples) the columns read, with the case's and the person's
    keys first for the per-chunk lists, in a stable order; and the fields in row order."""
    fields = ["pk", "person_id"]
    joins = {}
    for column in columns:
        fields.extend(f for f in column.fields if f not in fields)
        joins.update((name, relation()) for name, relation in column.joins)
    ordering = queryset.query.order_by or ("-entry_number",)
    return queryset.annotate(**joins).order_by(*ordering).values_list(*fields), fields


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


def _grouped(pairs):
    """{key: [values]} of (key, value) pairs, in their order."""
    groups = {}
    for key, value in pairs:
        if key in groups:
            groups[key].append(value)
        else:
            groups[key] = [value]
    return groups


def _related(chunk, related):
    """The per-chunk lists of a chunk of rows (whose first two fields are the case's and the
    person's keys), in `related`'s order, as one tuple per row: one query per list."""
    cases = [row[0] for row in chunk]
    people = [row[1] for row in chunk]
    per_row = []
    for name in related:
        if name == NAMES:
            # The primary names are joined by the main query (_primary_name).
            others = PersonName.objects.exclude(kind=PersonName.Kind.PRIMARY)
            names = _grouped(
                _among(others, "person_id", people)
                .order_by("person", "kind", "script", "pk")
                .values_list("person", "value")
            )
            per_row.append([names.get(person, ()) for person in people])
        elif name == CITIZENSHIPS:
            countries = _grouped(
                _among(Citizenship.objects.all(), "person_id", people).values_list(
                    "person", "country__code"
                )
            )
            per_row.append([sorted(countries.get(person, ())) for person in people])
        elif name == DETENTION:
            first = {}
            for case, *event in (
                _among(
                    CaseEvent.objects.filter(
                        kind=CaseEvent.Kind.DETAINED, date_start__isnull=False
                    ),
                    "case_id",
                    cases,
                )
                .order_by("case", "date_start", "pk")
                .values_list(
                    "case", "date_start", "date_start_precision", "facility__name", "place"
                )
            ):
                first.setdefault(case, event)
            per_row.append([first.get(case) for case in cases])
        elif name == RELATIVES_COUNTRIES:
            through = Case.relatives_countries.through
            lived = _grouped(
                _among(through.objects.all(), "case_id", cases).values_list(
                    "case_id", "country__code"
                )
            )
            per_row.append([sorted(lived.get(case, ())) for case in cases])
    return zip(*per_row, strict=True)


def row_chunks(queryset, columns):
    """Every case of the queryset as rows (tuples) of neutralised values, a list of CHUNK_SIZE
    rows at a time: one chunk in memory at once."""
    # The per-chunk lists in a fixed order, after the fields in each row.
    related = sorted({name for column in columns for name in column.related})
    plain, fields = export_queryset(queryset, columns)
    positions = {name: i for i, name in enumerate([*fields, *related])}
    values = [column.value(positions.__getitem__) for column in columns]
    # Only text can start a formula: an int or date column holds numbers, dates and partial
    # dates such as "2018-03", which begin with a digit.
    text = [column.kind == "text" for column in columns]
    for chunk in _chunks(plain.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE):
        if related:
            lists = _related(chunk, related)
            chunk = [row + more for row, more in zip(chunk, lists, strict=True)]
        cells = [
            neutralise_all(value(chunk)) if is_text else value(chunk)
            for value, is_text in zip(values, text, strict=True)
        ]
        yield list(zip(*cells, strict=True))


def rows(queryset, columns):
    """Every case of the queryset as a tuple of neutralised values, one chunk in memory at
    once."""
    for chunk in row_chunks(queryset, columns):
        yield from chunk


def header(columns):
    return [str(column.label) for column in columns]


def csv_stream(queryset, columns):
    """The CSV with a byte-order mark for spreadsheet programs: the header line, then one piece
    of text per chunk of cases (far fewer writes through the response than one per line). The
    csv module writes None as an empty cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header(columns))
    yield BYTE_ORDER_MARK + buffer.getvalue()
    for chunk in row_chunks(queryset, columns):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(chunk)
        yield buffer.getvalue()


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
        row = list(row)
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
