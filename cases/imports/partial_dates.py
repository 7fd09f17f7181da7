"""Dates as volunteers type them: "2017", "2017 г.", "около 2019", "03.2018", "6.11.2019",
"весна 2018", "March 2018", "наурыз 2018". Each becomes a date and its precision
(casetracker.dates): a day is never invented, a year is stored as 1 January, a month as its first
day, and a vague date ("around", a season) as approximate on the first day of the period it names.
"""

import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext as _

from casetracker.dates import DatePrecision

EXPECTED = "2017, 03.2018, 12.03.2018, 2018-03-12, март 2018, весна 2018, около 2019"

# Month names in Russian (nominative and genitive), Kazakh, Kyrgyz and English; lower case, ё→е.
MONTHS: dict[str, int] = {}
for _number, _words in enumerate(
    [
        "январь января янв қаңтар каңтар үчтүн january jan",
        "февраль февраля фев ақпан бирдин february feb",
        "март марта мар наурыз жалган куран march",
        "апрель апреля апр сәуір чын куран april apr",
        "май мая мамыр бугу may",
        "июнь июня маусым кулжа june jun",
        "июль июля шілде теке july jul",
        "август августа авг тамыз баш оона august aug",
        "сентябрь сентября сен сент қыркүйек аяк оона september sep sept",
        "октябрь октября окт қазан тогуздун айы october oct",
        "ноябрь ноября ноя қараша жетинин айы november nov",
        "декабрь декабря дек желтоқсан бештин айы december dec",
    ],
    start=1,
):
    for _word in _words.split():
        MONTHS.setdefault(_word, _number)

# A vague period within a year, stored as the first month of that period with approximate
# precision (the original words are kept on the record by the importer).
PERIODS: dict[str, int] = {}
for _month, _words in {
    1: "зима зимой начало начале early winter қыс қыста кыш кышта басы басында",
    3: "весна весной spring көктем көктемде",
    # Kazakh "жаз" is summer (Kyrgyz "жаз" is spring; Kyrgyz sheets write "жай" for summer).
    6: "лето летом summer жаз жазда жазында жай жайында",
    7: "середина середине mid middle ортасы ортасында",
    9: "осень осенью autumn fall күз күзде күзүндө",
    10: "конец конце late end аяғы аяғында аягы аягында",
}.items():
    for _word in _words.split():
        PERIODS.setdefault(_word, _month)

APPROXIMATE_WORDS = {
    "около",
    "примерно",
    "приблизительно",
    "ок",
    "прибл",
    "шамамен",
    "шамасы",
    "болжам",
    "болжолу",
    "болжол",
    "жакын",
    "about",
    "around",
    "approx",
    "approximately",
    "circa",
    "ca",
    "c",
    "~",
}
# Words that only say "year" or "in": "2017 г.", "2017 год", "2017 ж.", "2017-жылы", "in 2017".
NOISE_WORDS = {"г", "гг", "год", "года", "году", "ж", "жыл", "жылы", "in", "year", "of", "в", "во"}


class PartialDateError(ValueError):
    """The text is not a date this importer reads; the message says why."""


def parse_partial_date(value: object) -> tuple[datetime.date | None, str]:
    """(date, precision) for a cell, or (None, "") for an empty cell; raises PartialDateError."""
    if value is None:
        return None, ""
    if isinstance(value, datetime.datetime):
        return _checked(value.date()), DatePrecision.DAY
    if isinstance(value, datetime.date):
        return _checked(value), DatePrecision.DAY
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer():
            return _year(int(value)), DatePrecision.YEAR
        raise PartialDateError(_("not a date"))
    text = str(value).strip().lower().replace("ё", "е")
    if not text:
        return None, ""
    return _parse_text(text)


def _parse_text(text: str) -> tuple[datetime.date, str]:
    approximate = False
    if text.endswith("?"):
        approximate, text = True, text.rstrip("?").strip()
    if text.startswith("~"):
        approximate, text = True, text[1:].strip()
    words = [w.rstrip(".") for w in re.split(r"[\s,]+", text) if w.rstrip(".")]
    # "2017-жылы", "2017ж", "2017г": a year with its word glued on.
    glued = re.fullmatch(r"(\d{4})-?(г|ж|жылы|год|года)", words[-1]) if words else None
    if glued:
        words[-1] = glued.group(1)
    while words and words[0] in APPROXIMATE_WORDS:
        approximate = True
        words = words[1:]
    words = [w for w in words if w not in NOISE_WORDS]
    if approximate and len(words) == 1 and re.fullmatch(r"\d{4}", words[0]):
        return _year(int(words[0])), DatePrecision.APPROXIMATE
    if approximate and len(words) == 1:
        # "~03.2018": how a season ("весна 2018") is shown back on the case page.
        date, precision = _numeric(words[0])
        if precision == DatePrecision.MONTH:
            return date, DatePrecision.APPROXIMATE
    if approximate:
        raise PartialDateError(_("not a date"))
    if len(words) == 1:
        return _numeric(words[0])
    if len(words) == 2 and re.fullmatch(r"\d{4}", words[1]):
        year = int(words[1])
        if words[0] in MONTHS:
            return _checked(_make(year, MONTHS[words[0]], 1)), DatePrecision.MONTH
        if words[0] in PERIODS:
            return _year(year).replace(month=PERIODS[words[0]]), DatePrecision.APPROXIMATE
    if len(words) == 3 and re.fullmatch(r"\d{4}", words[2]):
        # "12 марта 2018", "12 March 2018", "2018 жылғы 12 наурыз" is not read.
        day, month = words[0], words[1]
        if re.fullmatch(r"\d+", day) and month in MONTHS:
            return _checked(_make(int(words[2]), MONTHS[month], int(day))), DatePrecision.DAY
    raise PartialDateError(_("not a date"))


def _numeric(word: str) -> tuple[datetime.date, str]:
    if re.fullmatch(r"\d{4}", word):
        return _year(int(word)), DatePrecision.YEAR
    match = re.fullmatch(r"(\d{1,2})[./](\d{4})", word) or None
    if match:
        return _checked(_make(int(match[2]), int(match[1]), 1)), DatePrecision.MONTH
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", word)
    if match:
        return _checked(_make(int(match[1]), int(match[2]), 1)), DatePrecision.MONTH
    match = re.fullmatch(r"(\d{1,2})[./](\d{1,2})[./](\d{4})", word)
    if match:
        return _checked(_make(int(match[3]), int(match[2]), int(match[1]))), DatePrecision.DAY
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", word)
    if match:
        return _checked(_make(int(match[1]), int(match[2]), int(match[3]))), DatePrecision.DAY
    raise PartialDateError(_("not a date"))


def _make(year: int, month: int, day: int) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise PartialDateError(_("this date does not exist")) from None


def _year(year: int) -> datetime.date:
    return _checked(_make(year, 1, 1))


def _checked(value: datetime.date) -> datetime.date:
    if value.year < 1900:
        raise PartialDateError(_("a date before 1900"))
    if value > timezone.localdate():
        raise PartialDateError(_("a date in the future"))
    return value
