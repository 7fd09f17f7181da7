"""Reading one row of a case list into values, or into errors that say the row, the column, the
value and what was expected."""

import datetime
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.formulas import starts_formula
from cases.imports.columns import COLUMNS_BY_KEY, Column
from cases.imports.partial_dates import EXPECTED as DATE_EXAMPLES
from cases.imports.partial_dates import PartialDateError, parse_partial_date
from cases.imports.reading import Formula
from cases.imports.vocabulary import VOCABULARIES, Meanings, fold
from cases.models import PersonName, Testimony
from cases.names import detect_script, search_key
from cases.numbers import parse_entry_number
from casetracker.dates import DatePrecision

# Markup is refused rather than stored: a case list has no use for it, and a tag in a name is
# either a mistake or an attempt on whoever views it later.
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?][^>]*>|<\s*/?\s*[a-zA-Z]+\s*$")
PHONE = re.compile(r"^[\d\s+()\-.,;/]+$")
# "-" (or a dash) alone is how case lists write "not known": an empty cell, in every column.
NOTHING_KNOWN = re.compile(r"^[-\u2012\u2013\u2014\u2015]+$")


@dataclass
class RowError:
    row: int
    line: int
    column: str
    value: str
    problem: str
    expected: str
    # For a word a coded column does not know: the coded column and the word, folded. The dry
    # run asks what it means (plan.ImportPlan.unknown_words).
    coded_column: str = ""
    word: str = ""

    def __str__(self) -> str:
        return _(
            "Row %(row)s (line %(line)s), column “%(column)s”: “%(value)s” is %(problem)s; "
            "expected %(expected)s."
        ) % {
            "row": self.row,
            "line": self.line,
            "column": self.column,
            "value": self.value,
            "problem": self.problem,
            "expected": self.expected,
        }


@dataclass
class Name:
    value: str
    script: str
    language: str
    kind: str

    @cached_property
    def key(self) -> str:
        return search_key(self.value)


@dataclass
class CaseRow:
    row: int
    line: int
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    # Filled by the dry run: the case an "Entry number" row updates.
    case_id: int | None = None
    # The words of coded columns read through a meaning given for the file or saved by the
    # group, or not read at all: [(coded column, folded word, text, Meanings.FILE,
    # Meanings.SAVED or "" when unknown)].
    words_seen: list[tuple[str, str, str, str]] = field(default_factory=list)

    @property
    def is_update(self) -> bool:
        return bool(self.values.get("entry_number"))

    @property
    def names(self) -> list[Name]:
        return self.values.get("names", [])

    @property
    def primary_name(self) -> Name | None:
        return self.names[0] if self.names else None

    @property
    def birth_year(self) -> int | None:
        birth_date = self.values.get("birth_date")
        return birth_date.year if birth_date else None

    @property
    def prefecture(self) -> str:
        return self.values.get("prefecture", "")

    @property
    def county(self) -> str:
        return self.values.get("county", "")


class CellError(Exception):
    def __init__(self, problem, expected, *, coded_column="", word=""):
        super().__init__(problem)
        self.problem = problem
        self.expected = expected
        self.coded_column = coded_column
        self.word = word


# The longest value a coded column's meaning may be given for (ImportWordMapping.word).
MAX_WORD_LENGTH = 100


class WordReader:
    """Reads the words of one row's coded columns, with the import's meanings."""

    def __init__(self, meanings: Meanings) -> None:
        self.meanings = meanings
        self.seen: list[tuple[str, str, str, str]] = []

    def read(self, coded_column: str, text: str, *, problem=None, expected=None) -> str:
        code, source = self.meanings.look_up(coded_column, text)
        word = fold(text)
        if code is None:
            vocabulary = VOCABULARIES[coded_column]
            # A long text is no word to give a meaning to.
            mappable = bool(word) and len(word) <= MAX_WORD_LENGTH
            if mappable:
                self.seen.append((coded_column, word, text, ""))
            raise CellError(
                problem or _("not a word this import knows"),
                expected or _("one of: %s") % vocabulary.expected(),
                coded_column=coded_column if mappable else "",
                word=word if mappable else "",
            )
        if source is not None:
            self.seen.append((coded_column, word, text, source))
        return code


def _refuse_formula(text):
    """Text stored as typed (names, places, titles, notes) would come out in an export or a
    sheet that someone opens in a spreadsheet: what would run there as a formula is refused as
    "=" is. Typed columns (phone, dates, entry number, choices, links) accept only their own
    shapes and never call this, so "+7 701 000 00 00" stays a phone number."""
    if starts_formula(text):
        raise CellError(FORMULA_PROBLEM, FORMULA_EXPECTED)


# The language a name's script suggests; Cyrillic names tell Kazakh and Kyrgyz by their letters.
LANGUAGE_OF_SCRIPT: dict[str, str] = {
    PersonName.Script.HAN: PersonName.Language.CHINESE,
    PersonName.Script.UYGHUR_ARABIC: PersonName.Language.UYGHUR,
    PersonName.Script.CYRILLIC: PersonName.Language.RUSSIAN,
    PersonName.Script.LATIN: PersonName.Language.OTHER,
}


def script_of(value: str) -> tuple[str | None, str | None]:
    """The script of a name and the language it suggests, or (None, None) for no letters."""
    script = detect_script(value)
    if script is None:
        return None, None
    if script == PersonName.Script.CYRILLIC:
        lower = value.lower()
        if any(ch in lower for ch in "әғқұһі"):
            return script, PersonName.Language.KAZAKH
        if any(ch in lower for ch in "ңөү"):
            return script, PersonName.Language.KYRGYZ
    return script, LANGUAGE_OF_SCRIPT[script]


def _name(text, kind, column):
    _refuse_formula(text)
    if len(text) > column.max_length:
        raise CellError(_("too long"), _("at most %(max)s characters") % {"max": column.max_length})
    script, language = script_of(text)
    if script is None or not search_key(text):
        raise CellError(
            _("not a name"), _("a name in Cyrillic, Latin, Chinese or Uyghur Arabic letters")
        )
    return Name(value=" ".join(text.split()), script=script, language=language, kind=kind)


def _parse_name(text, column, words):
    return {"names": [_name(text, PersonName.Kind.PRIMARY, column)]}


def _parse_other_names(text, column, words):
    parts = [part.strip() for part in re.split(r"[;\n]", text) if part.strip()]
    return {"other_names": [_name(part, PersonName.Kind.ALIAS, column) for part in parts]}


def _parse_chinese_name(text, column, words):
    name = _name(text, PersonName.Kind.OFFICIAL_CHINESE, column)
    if name.script != PersonName.Script.HAN:
        raise CellError(_("not in Chinese characters"), _("the name in Chinese characters"))
    return {"chinese_name": name}


def _choice(key):
    def parse(text, column, words):
        return {key: words.read(key, text)}

    return parse


def _date(key):
    def parse(text, column, words):
        try:
            value, precision = parse_partial_date(text)
        except PartialDateError as error:
            raise CellError(str(error), _("a date such as %s") % DATE_EXAMPLES) from None
        values = {key: value, f"{key}_precision": precision}
        if precision == DatePrecision.APPROXIMATE:
            # The words ("весна 2018") say more than the stored precision shows: keep them.
            values[f"{key}_text"] = str(text)
        return values

    return parse


def _parse_hometown(text, column, words):
    parts = [part.strip() for part in text.split(",")]
    for part in parts:
        _refuse_formula(part)
    if len(parts) > 4 or not all(parts):
        raise CellError(
            _("not a place this import reads"),
            _("prefecture, county, township, village separated by commas"),
        )
    prefecture = words.read(
        "prefecture",
        parts[0],
        problem=_("not a prefecture of Xinjiang this import knows"),
        expected=_("the prefecture first, one of: %s") % VOCABULARIES["prefecture"].expected(),
    )
    if any(len(part) > 100 for part in parts):
        raise CellError(_("too long"), _("at most 100 characters between commas"))
    parts += [""] * (4 - len(parts))
    return {
        "prefecture": prefecture,
        "county": parts[1],
        "township": parts[2],
        "village": parts[3],
    }


def _parse_entry_number(text, column, words):
    number = parse_entry_number(text)
    if number is None:
        raise CellError(_("not an entry number"), _("the number of a case, such as 1042"))
    return {"entry_number": number}


def _parse_phone(text, column, words):
    if len(text) > column.max_length or not PHONE.match(text) or sum(map(str.isdigit, text)) < 5:
        raise CellError(_("not a phone number"), _("a phone number such as +7 701 000 00 00"))
    return {"relative_phone": text}


def _parse_url(text, column, words):
    try:
        URLValidator(schemes=["http", "https"])(text)
    except ValidationError:
        raise CellError(_("not a link"), _("a link starting with https://")) from None
    if len(text) > column.max_length:
        raise CellError(_("too long"), _("at most %(max)s characters") % {"max": column.max_length})
    return {"source_url": text}


def _text(key):
    def parse(text, column, words):
        _refuse_formula(text)
        if len(text) > column.max_length:
            raise CellError(
                _("too long"), _("at most %(max)s characters") % {"max": column.max_length}
            )
        return {key: text}

    return parse


PARSERS = {
    "entry_number": _parse_entry_number,
    "name": _parse_name,
    "other_names": _parse_other_names,
    "chinese_name": _parse_chinese_name,
    "gender": _choice("gender"),
    "birth_date": _date("birth_date"),
    "ethnicity": _choice("ethnicity"),
    "hometown": _parse_hometown,
    "status": _choice("status"),
    "detention_date": _date("detention_date"),
    "facility": _text("facility"),
    "relative_name": lambda text, column, words: {
        "relative": _name(text, PersonName.Kind.PRIMARY, column)
    },
    "relationship": _choice("relationship"),
    "relative_phone": _parse_phone,
    "testimony_medium": _choice("testimony_medium"),
    "source_url": _parse_url,
    "source_title": _text("source_title"),
    "notes": _text("notes"),
}

NEEDS_RELATIVE = ("relationship", "relative_phone", "testimony_medium")
FORMULA_PROBLEM = gettext_lazy("a formula (formulas are not calculated)")
FORMULA_EXPECTED = gettext_lazy(
    "text that does not start with =, +, -, @ (a spreadsheet would run it as a formula)"
)


def _cell_text(value):
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return " ".join(str(value).replace("\x00", "").split()) if value is not None else ""


def read_row(
    row_number: int,
    line: int,
    cells: list[Any],
    mapping: list[tuple[int, str, Column]],
    meanings: Meanings | None = None,
) -> CaseRow:
    """A CaseRow for one sheet row; `mapping` is [(index, header text, Column)]."""
    case_row = CaseRow(row=row_number, line=line)
    words = WordReader(meanings or Meanings())

    def error(header, value, problem, expected, coded_column="", word=""):
        case_row.errors.append(
            RowError(
                row_number,
                line,
                header,
                _cell_text(value)[:200],
                str(problem),
                expected,
                coded_column,
                word,
            )
        )

    headers_by_key: dict[str, str] = {}
    texts: dict[str, str | datetime.date] = {}
    for index, header, column in mapping:
        headers_by_key[column.key] = header
        raw = cells[index] if index < len(cells) else ""
        if isinstance(raw, Formula):
            error(header, raw, FORMULA_PROBLEM, _("the value itself, typed as text"))
            continue
        text: str | datetime.date
        if isinstance(raw, datetime.date) and column.key in ("birth_date", "detention_date"):
            text = raw
        else:
            text = _cell_text(raw) if column.key != "notes" else str(raw).strip()
            if not text or NOTHING_KNOWN.match(text):
                continue
            if MARKUP.search(text):
                error(header, text, _("HTML markup"), _("plain text without tags"))
                continue
        texts[column.key] = text
        try:
            case_row.values.update(PARSERS[column.key](text, column, words))
        except CellError as problem:
            error(
                header, text, problem.problem, problem.expected, problem.coded_column, problem.word
            )
    case_row.words_seen = words.seen

    values = case_row.values
    names = values.pop("names", [])
    chinese = values.pop("chinese_name", None)
    others = values.pop("other_names", [])
    values["names"] = names + ([chinese] if chinese else []) + others
    name_failed = any(e.column == headers_by_key.get("name") for e in case_row.errors)
    if not names and not name_failed and not values.get("entry_number"):
        header = headers_by_key.get("name", str(COLUMNS_BY_KEY["name"].header))
        error(header, "", _("empty"), _("the detained person's name"))
    relative_failed = any(e.column == headers_by_key.get("relative_name") for e in case_row.errors)
    if "relative" not in values and not relative_failed:
        for key in NEEDS_RELATIVE:
            if key in values:
                header = headers_by_key[key]
                error(
                    header,
                    texts[key],
                    _("given without a relative"),
                    _("the relative's name in the column “%(column)s”")
                    % {"column": headers_by_key.get("relative_name", _("Relative"))},
                )
    elif "relative" in values:
        values.setdefault("relationship", "other")
        values.setdefault("testimony_medium", Testimony.Medium.INTERVIEW)
    if "source_title" in values and "source_url" not in values:
        error(
            headers_by_key["source_title"],
            texts["source_title"],
            _("given without a link"),
            _("a link in the source column"),
        )
    return case_row
