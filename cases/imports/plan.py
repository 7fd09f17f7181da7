"""The dry run: what an import would do, before anything is written."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from cases.duplicates import Candidate, PublicMatch, check_public_records, lookup_limit_message
from cases.imports.columns import COLUMNS, ROW_NUMBER_HEADERS, Column, match_header
from cases.imports.reading import ImportFileError, Table
from cases.imports.rows import CaseRow, RowError, read_row
from cases.imports.vocabulary import Meanings, fold
from cases.models import Case, CodedColumn, PersonName
from cases.models.imports import CODES
from orgs.models import Organization, User

# Keys per IN (...) list: well under SQLite's parameter limit.
KEY_BATCH = 900
# The most words of coded columns a dry run asks about, in one form.
MAX_QUESTIONS = 100


@dataclass
class DatabaseDuplicate:
    row: int
    name: str
    case_id: int
    entry_number: int
    matched_name: str
    birth_year: int | None


@dataclass
class PublicDuplicate:
    """A row that may be another group's published entry, as far as its public page shows."""

    row: int
    name: str
    match: PublicMatch


@dataclass
class FileDuplicate:
    name: str
    birth_year: int | None
    rows: list[int]


@dataclass
class WordInFile:
    """A word of a coded column that the built-in vocabulary does not hold, and the rows that
    use it: what the dry run asks the volunteer about."""

    coded_column: str
    header: str
    word: str
    # As the sheet writes it, in its first row.
    text: str
    rows: list[int] = field(default_factory=list)
    # The meaning it has now, and where it comes from (Meanings.FILE, Meanings.SAVED or "").
    code: str = ""
    source: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.coded_column, self.word)

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def column_label(self) -> str:
        return str(CodedColumn(self.coded_column).label)

    @property
    def code_label(self) -> str:
        return str(dict(CODES[self.coded_column].choices).get(self.code, self.code))


@dataclass
class ImportPlan:
    file_name: str
    organization: Organization
    headers: list[str]
    ignored_headers: list[str]
    rows: list[CaseRow] = field(default_factory=list)
    database_duplicates: list[DatabaseDuplicate] = field(default_factory=list)
    public_duplicates: list[PublicMatch] = field(default_factory=list)
    file_duplicates: list[FileDuplicate] = field(default_factory=list)
    # Rows not checked against other groups' published entries: the user's limit was reached.
    public_rows_unchecked: int = 0
    meanings: Meanings = field(default_factory=Meanings)
    # Every word of a coded column given a meaning for this file or by the group, or not known
    # at all, in the order of the sheet.
    words: list[WordInFile] = field(default_factory=list)

    @property
    def unknown_words(self) -> list[WordInFile]:
        """The words nothing gives a meaning to yet: each fails its rows."""
        return [word for word in self.words if not word.code]

    @property
    def saved_words(self) -> list[WordInFile]:
        """The words read with a meaning the group saved for its imports."""
        return [word for word in self.words if word.source == Meanings.SAVED]

    @property
    def asks_too_much(self) -> bool:
        """More different words than anyone answers one by one: a column read as another, say."""
        return len(self.words) > MAX_QUESTIONS

    @property
    def only_unknown_words_fail(self) -> bool:
        """Every failing row fails only for words that a meaning would read, and they are few
        enough to ask about."""
        return (
            bool(self.unknown_words)
            and not self.asks_too_much
            and all(error.coded_column for error in self.errors)
        )

    def meanings_in_use(self) -> Meanings:
        """The meanings this file uses, and nothing else: what the pending import keeps for the
        confirm step and the job."""
        used = Meanings()
        for word in self.words:
            if word.source == Meanings.FILE:
                used.file.setdefault(word.coded_column, {})[word.word] = word.code
            elif word.source == Meanings.SAVED:
                used.saved.setdefault(word.coded_column, {})[word.word] = word.code
        return used

    @property
    def duplicate_count(self) -> int:
        return (
            len(self.database_duplicates) + len(self.public_duplicates) + len(self.file_duplicates)
        )

    @property
    def public_check_message(self) -> str:
        return str(lookup_limit_message()) if self.public_rows_unchecked else ""

    @property
    def errors(self) -> list[RowError]:
        return [error for row in self.rows for error in row.errors]

    @property
    def failing_rows(self) -> list[CaseRow]:
        return [row for row in self.rows if row.errors]

    @property
    def create_count(self) -> int:
        return sum(1 for row in self.rows if not row.errors and not row.is_update)

    @property
    def update_count(self) -> int:
        return sum(1 for row in self.rows if not row.errors and row.is_update)

    @property
    def fail_count(self) -> int:
        return len(self.failing_rows)

    @property
    def can_import(self) -> bool:
        return bool(self.rows) and not self.fail_count


def column_mapping(headers: list[str]) -> tuple[list[tuple[int, str, Column]], list[str]]:
    """[(index, header, Column)] and the headers left unused; raises ImportFileError."""
    mapping: list[tuple[int, str, Column]] = []
    ignored: list[str] = []
    seen: dict[str, str] = {}
    for index, header in enumerate(headers):
        column = match_header(header)
        if column is None:
            if fold(header) not in ROW_NUMBER_HEADERS:
                ignored.append(header)
            continue
        if column.key in seen:
            raise ImportFileError(
                _("The columns “%(first)s” and “%(second)s” both give “%(column)s”; keep one.")
                % {"first": seen[column.key], "second": header, "column": column.header}
            )
        seen[column.key] = header
        mapping.append((index, header, column))
    if "name" not in seen and "entry_number" not in seen:
        name = next(c for c in COLUMNS if c.key == "name")
        raise ImportFileError(
            _(
                "No column holds the detained person's name. Name the column “%(header)s” (or "
                "“ФИО задержанного”, “Аты-жөні”), or start from the template."
            )
            % {"header": name.header}
        )
    return mapping, ignored


def dry_run(
    table: Table,
    *,
    organization: Organization,
    user: User,
    check_public_records: bool = True,
    meanings: Meanings | None = None,
) -> ImportPlan:
    """Read every row, look up the cases to update and the likely duplicates; write nothing.

    `meanings` are what the words of coded columns mean beyond the built-in vocabulary (the
    file's answers and the group's saved meanings); none when not given.
    `check_public_records=False` leaves out other groups' published entries: the check before
    writing needs no duplicates, and must not count against the user's look-up limit twice."""
    mapping, ignored = column_mapping(table.headers)
    meanings = meanings or Meanings()
    plan = ImportPlan(
        file_name=table.file_name,
        organization=organization,
        headers=[header for _index, header, _column in mapping],
        ignored_headers=ignored,
        meanings=meanings,
    )
    plan.rows = [
        read_row(line - table.header_line, line, cells, mapping, meanings)
        for line, cells in table.rows
        # Sheets are often numbered further down than they are filled: a row with nothing but
        # its number (or other ignored columns) is not a case.
        if any(index < len(cells) and str(cells[index]).strip() for index, _h, _c in mapping)
    ]
    _collect_words(plan, mapping)
    _find_cases_to_update(plan, organization, mapping)
    _find_file_duplicates(plan)
    _find_database_duplicates(plan, user)
    if check_public_records:
        _find_public_duplicates(plan, user)
    return plan


def _collect_words(plan: ImportPlan, mapping: list[tuple[int, str, Column]]) -> None:
    """The words of coded columns read through a meaning, or not read at all, with their rows."""
    headers = {column.key: header for _index, header, column in mapping}
    # The prefecture is the first part of the hometown column.
    headers["prefecture"] = headers.get("hometown", "")
    found: dict[tuple[str, str], WordInFile] = {}
    for row in plan.rows:
        for coded_column, word, text, source in row.words_seen:
            key = (coded_column, word)
            if key not in found:
                code, _source = plan.meanings.look_up(coded_column, word)
                found[key] = WordInFile(
                    coded_column,
                    headers.get(coded_column, ""),
                    word,
                    text,
                    code=(code or "") if source else "",
                    source=source,
                )
            if not found[key].rows or found[key].rows[-1] != row.row:
                found[key].rows.append(row.row)
    plan.words = list(found.values())


def _find_cases_to_update(plan, organization, mapping):
    rows = [row for row in plan.rows if row.is_update]
    if not rows:
        return
    header = next(h for _i, h, column in mapping if column.key == "entry_number")
    numbers = {row.values["entry_number"] for row in rows}
    found = {}
    numbers_list = sorted(numbers)
    for start in range(0, len(numbers_list), KEY_BATCH):
        found.update(
            Case.objects.filter(
                organization=organization, entry_number__in=numbers_list[start : start + KEY_BATCH]
            ).values_list("entry_number", "pk")
        )
    for row in rows:
        number = row.values["entry_number"]
        if number in found:
            row.case_id = found[number]
        else:
            row.errors.append(
                RowError(
                    row.row,
                    row.line,
                    header,
                    str(number),
                    _("not a case of %(organization)s") % {"organization": organization},
                    _("the entry number of a case of this organization, or an empty cell"),
                )
            )


def _find_file_duplicates(plan):
    groups = defaultdict(list)
    for row in plan.rows:
        if row.primary_name and not row.is_update:
            groups[(row.primary_name.key, row.birth_year)].append(row)
    plan.file_duplicates = [
        FileDuplicate(
            name=rows[0].primary_name.value,
            birth_year=birth_year,
            rows=[row.row for row in rows],
        )
        for (_key, birth_year), rows in groups.items()
        if len(rows) > 1
    ]


def _find_database_duplicates(plan, user):
    """The rule of cases.duplicates.likely_duplicates, for a whole file in a few queries.

    A name in any script meets on its search key; birth year, prefecture and county must agree
    where both sides give them. Only cases the volunteer may see: other groups' published
    entries are matched by `_find_public_duplicates`, through what their public page shows.
    """
    rows = [row for row in plan.rows if row.names]
    keys = sorted({name.key for row in rows for name in row.names} - {""})
    if not keys:
        return
    if user.sees_all_organizations:
        # Every case is visible: a plain join instead of an IN over 100,000 case keys.
        cases = Q(person__case__isnull=False)
    else:
        cases = Q(person__case__in=Case.objects.visible_to(user))
    people = defaultdict(list)
    for start in range(0, len(keys), KEY_BATCH):
        matches = (
            PersonName.objects.filter(cases, search_key__in=keys[start : start + KEY_BATCH])
            .values_list(
                "search_key",
                "value",
                "person_id",
                "person__birth_date",
                "person__hometown_prefecture",
                "person__hometown_county",
                "person__case__pk",
                "person__case__entry_number",
            )
            # No ordering or DISTINCT: repeats are merged below, and sorting costs a second.
            .order_by()
        )
        for match in matches:
            people[match[0]].append(match)
    for row in rows:
        found = {}
        for key in {name.key for name in row.names}:
            for _key, value, _person, birth_date, prefecture, county, case_pk, entry in people[key]:
                if case_pk == row.case_id or case_pk in found:
                    continue
                if row.birth_year and birth_date and birth_date.year != row.birth_year:
                    continue
                if row.prefecture and prefecture and prefecture != row.prefecture:
                    continue
                if row.county and county and county.lower() != row.county.lower():
                    continue
                found[case_pk] = DatabaseDuplicate(
                    row=row.row,
                    name=row.names[0].value,
                    case_id=case_pk,
                    entry_number=entry,
                    matched_name=value,
                    birth_year=birth_date.year if birth_date else None,
                )
        plan.database_duplicates.extend(sorted(found.values(), key=lambda d: d.entry_number))


def _find_public_duplicates(plan, user):
    """New rows that may be another group's published entry (cases.duplicates): counted against
    the user's look-up limit, one per row, and never naming an anonymous entry."""
    rows = [row for row in plan.rows if row.names and not row.is_update]
    candidates = [
        Candidate(
            keys=frozenset(name.key for name in row.names) - {""},
            birth_year=row.birth_year,
            prefecture=row.prefecture,
            county=row.county,
        )
        for row in rows
    ]
    check = check_public_records(candidates, user=user, where="import")
    plan.public_rows_unchecked = check.unchecked
    for row, matches in zip(rows, check.matches, strict=True):
        plan.public_duplicates.extend(
            PublicDuplicate(row=row.row, name=row.names[0].value, match=match) for match in matches
        )
