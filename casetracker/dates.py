"""Partial dates: this field's dates are often "2017", "03.2018" or "spring 2018".

A partial date is stored as a real date plus its precision, so that it sorts and filters like
any date, but a day is never invented: a year is stored as its 1 January and a month as its
first day, and the precision says how much of the date is known.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import dateformat
from django.utils.dates import MONTHS, MONTHS_ALT
from django.utils.formats import get_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    DAY = "day", _("exact day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")
    APPROXIMATE = "approx", _("approximate")


def partial_date_error(value, precision):
    """Why `value` cannot be stored with `precision`, or None when it can."""
    if value is None:
        return None
    if precision == DatePrecision.YEAR and (value.month, value.day) != (1, 1):
        return _("The precision is “year”: give the year only (stored as 1 January).")
    if precision == DatePrecision.MONTH and value.day != 1:
        return _("The precision is “month”: give the month only (stored as its first day).")
    return None


def validate_partial_date(value, precision, field):
    """Raise a ValidationError on `field` when the date claims more than the precision knows."""
    error = partial_date_error(value, precision)
    if error:
        raise ValidationError({field: error})


# Languages whose month names are common nouns, written in lower case ("наурыз 2018").
LOWER_CASE_MONTHS = {"kk", "ky", "ru"}


def _localized(value: datetime.date, format_name: str) -> str:
    text = dateformat.format(value, get_format(format_name))
    if (get_language() or "").split("-")[0] in LOWER_CASE_MONTHS:
        for month in (MONTHS[value.month], MONTHS_ALT[value.month]):
            text = text.replace(str(month), str(month).lower())
    return text


def format_partial_date(value, precision):
    """The date as far as it is known, in the active language's formats and month names:
    "2018", "March 2018", "March 12, 2018", "c. 2018"; "наурыз 2018" in Kazakh, "2018年3月" in
    Chinese."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.APPROXIMATE:
        return _("c. %(year)s") % {"year": value.year}
    if precision == DatePrecision.MONTH:
        return _localized(value, "YEAR_MONTH_FORMAT")
    return _localized(value, "DATE_FORMAT")


def truncate_to_precision(value: datetime.date, precision) -> datetime.date:
    """Drop what the precision does not know (used when data arrives with too much detail)."""
    if precision == DatePrecision.YEAR:
        return value.replace(month=1, day=1)
    if precision == DatePrecision.MONTH:
        return value.replace(day=1)
    return value


def export_partial_date(value, precision) -> datetime.date | str | None:
    """The date for a CSV or XLSX cell as far as it is known: an exact day stays a date, a month
    is "2018-03" and a year (or an approximate date) "2018", so that no day is invented."""
    if value is None:
        return None
    if precision == DatePrecision.DAY:
        return value
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return f"{value.year:04d}"


def editable_partial_date(value, precision) -> str:
    """The date as a volunteer would type it back, at its precision: "2018", "03.2018",
    "12.03.2018", "~2018" or, for an approximate month such as a season, "~03.2018"."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.month:02d}.{value.year:04d}"
    if precision == DatePrecision.APPROXIMATE:
        if value.month == 1:
            return f"~{value.year:04d}"
        return f"~{value.month:02d}.{value.year:04d}"
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"
