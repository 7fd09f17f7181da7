"""The documented columns of a case list, and matching a sheet's headers to them.

The template (`template.py`) writes the English header of each column; a sheet may instead use
any of the usual Russian, Kazakh or Kyrgyz headers listed here. Headers are compared folded
(case, "ё", punctuation), and a header's part in brackets is ignored when the whole does not
match: "Место (Синьцзян)" reads as "Место".
"""

import functools
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases.imports.words import fold


@dataclass(frozen=True)
class Column:
    key: str
    header: str | Promise
    aliases: tuple[str, ...]
    help: str | Promise
    example: str = ""
    required: bool = False
    max_length: int = 200


COLUMNS = [
    Column(
        "entry_number",
        pgettext_lazy("import column header", "Entry number"),
        ("номер записи", "номер дела", "жазба нөмірі", "entry", "case number"),
        _(
            "Leave empty for a new case. The casetracker entry number of a case of the chosen "
            "organization to update it instead: the row then adds to that case."
        ),
        "",
    ),
    Column(
        "name",
        pgettext_lazy("import column header", "Name"),
        (
            "фио задержанного",
            "фио",
            "ф и о",
            "имя",
            "имя задержанного",
            "задержанный",
            "задержанная",
            "аты жөні",
            "аты-жөні",
            "есімі",
            "ұсталған адамның аты жөні",
            "ұсталған адам",
            "аты жөнү",
            "кармалган адамдын аты жөнү",
            "full name",
            "detained person",
        ),
        _("The detained person's name, in any script (Cyrillic, Latin, Chinese, Uyghur Arabic)."),
        "Нұрғали Гүлнар",
        required=True,
    ),
    Column(
        "other_names",
        pgettext_lazy("import column header", "Other names"),
        ("другие имена", "другие написания", "басқа есімдері", "башка аттары", "aliases"),
        _("Other spellings of the name, separated by “;”."),
        "Nurgali Gulnar; Нургали Гульнар",
        max_length=1000,
    ),
    Column(
        "chinese_name",
        pgettext_lazy("import column header", "Chinese name"),
        ("имя на китайском", "китайское имя", "қытайша аты", "кытайча аты", "official name"),
        _("The official Chinese name, in Chinese characters."),
        "努尔哈力·古丽娜尔",
    ),
    Column(
        "gender",
        pgettext_lazy("import column header", "Gender"),
        ("пол", "жынысы", "жынысы", "sex"),
        _("female / male (also ж / м, әйел / ер)."),
        "ж",
    ),
    Column(
        "birth_date",
        pgettext_lazy("import column header", "Birth date"),
        (
            "год рождения",
            "дата рождения",
            "г р",
            "туған жылы",
            "туған күні",
            "туулган жылы",
            "туулган күнү",
            "birth year",
            "year of birth",
            "date of birth",
            "born",
        ),
        _("A year (1981) or a partial or full date, read like the date of detention."),
        "1981",
    ),
    Column(
        "ethnicity",
        pgettext_lazy("import column header", "Ethnicity"),
        ("национальность", "этническая принадлежность", "ұлты", "улуту", "nationality"),
        _("Uyghur, Kazakh, Kyrgyz, Hui, Uzbek, Tajik, Tatar, other (in any of the languages)."),
        "казах",
    ),
    Column(
        "hometown",
        pgettext_lazy("import column header", "Hometown"),
        (
            "место",
            "место синьцзян",
            "место жительства",
            "родной город",
            "откуда",
            "туған жері",
            "мекені",
            "мекен жайы",
            "туулган жери",
            "place",
            "hometown in xinjiang",
        ),
        _(
            "Prefecture, then county, township and village, separated by commas; the prefecture "
            "as usually written in Kazakh, Russian, Kyrgyz or English."
        ),
        "Іле, Текес",
    ),
    Column(
        "status",
        pgettext_lazy("import column header", "Status"),
        ("статус", "положение", "мәртебесі", "жағдайы", "абалы", "статусу", "current status"),
        _("The usual words in Russian, Kazakh, Kyrgyz or English; empty means unknown."),
        "в лагере",
    ),
    Column(
        "detention_date",
        pgettext_lazy("import column header", "Date of detention"),
        (
            "дата задержания",
            "дата ареста",
            "когда задержан",
            "когда задержана",
            "ұсталған күні",
            "ұсталған уақыты",
            "ұсталған жылы",
            "кармалган күнү",
            "кармалган жылы",
            "detained on",
            "detention date",
            "date detained",
        ),
        _(
            "2017, 2017 г., около 2019, 03.2018, март 2018, весна 2018, 6.11.2019 or "
            "2019-11-06: a year, a month, a day, or an approximate time."
        ),
        "весна 2018",
    ),
    Column(
        "facility",
        pgettext_lazy("import column header", "Facility"),
        (
            "место содержания",
            "лагерь",
            "тюрьма",
            "учреждение",
            "ұсталған орны",
            "лагерь аты",
            "кармалган жери",
            "camp",
            "prison",
        ),
        _("Where the person is held; matched to a known facility by name, else added."),
        "",
    ),
    Column(
        "relative_name",
        pgettext_lazy("import column header", "Relative"),
        (
            "заявитель",
            "фио заявителя",
            "родственник",
            "родственник заявитель",
            "өтініш беруші",
            "арыз беруші",
            "туысы",
            "арыз ээси",
            "тууганы",
            "testifier",
            "relative name",
            "reported by",
        ),
        _("The relative who reported the case (the testifier), in any script."),
        "Оспан Ұлжан",
    ),
    Column(
        "relationship",
        pgettext_lazy("import column header", "Relationship"),
        (
            "родство",
            "кем приходится",
            "степень родства",
            "туыстығы",
            "туыстық қатынасы",
            "туугандыгы",
            "relation",
        ),
        _("What the relative is to the detained person: сын means the relative is their son."),
        "дочь",
    ),
    Column(
        "relative_phone",
        pgettext_lazy("import column header", "Relative's phone"),
        (
            "телефон заявителя",
            "телефон",
            "контакт",
            "контакты",
            "телефоны",
            "байланыс телефоны",
            "телефон номери",
            "phone",
            "contact",
        ),
        _("Private: kept on the relative's record, never shown in public."),
        "+7 701 000 00 00",
    ),
    Column(
        "testimony_medium",
        pgettext_lazy("import column header", "Testimony medium"),
        ("как сообщил", "форма показаний", "каким образом", "how reported", "medium"),
        _("How the relative reported it: interview, phone, written, video (default interview)."),
        "interview",
    ),
    Column(
        "source_url",
        pgettext_lazy("import column header", "Source link"),
        ("источник", "ссылка", "дереккөз", "сілтеме", "булак", "шилтеме", "source", "link"),
        _("A link to a source (media report, video, document)."),
        "https://example.org/report",
        max_length=500,
    ),
    Column(
        "source_title",
        pgettext_lazy("import column header", "Source title"),
        ("название источника", "дереккөз атауы", "булактын аталышы"),
        _("A title for the source; the link is used when empty."),
        "",
        max_length=300,
    ),
    Column(
        "notes",
        pgettext_lazy("import column header", "Notes"),
        ("примечания", "примечание", "комментарий", "заметки", "ескертпе", "эскертүү", "comment"),
        _("Private notes on the case, never shown in public."),
        "",
        max_length=5000,
    ),
]

COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}


@functools.cache
def _headers() -> dict[str, Column]:
    """Folded header → Column: each column's key, English header and usual headers, then the
    template's header in every other language of the site, so that a sheet made from the
    Kazakh template reads as well as one made from the English."""
    headers: dict[str, Column] = {}
    with translation.override("en"):
        for column in COLUMNS:
            for text in (column.key, str(column.header), *column.aliases):
                headers.setdefault(fold(text), column)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for column in COLUMNS:
                headers.setdefault(fold(str(column.header)), column)
    return headers


# Columns a sheet may hold for the volunteers' own use; read as "ignored", not as unknown.
ROW_NUMBER_HEADERS = {"", "№", "no", "n", "nr", "#", "номер", "п п", "рет саны", "катар"}


def match_header(text: object) -> Column | None:
    """The Column a header names, or None."""
    headers = _headers()
    folded = fold(text)
    if folded in headers:
        return headers[folded]
    without_brackets = fold(re.sub(r"\(.*?\)|\[.*?\]", " ", str(text)))
    return headers.get(without_brackets)
