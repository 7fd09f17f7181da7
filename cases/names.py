"""Name search keys: one normalized form for a name in any script or transliteration.

"Sauytbay", "Sawytbay" and "Сауытбай" must meet. Every PersonName stores `search_key(value)`:
the name transliterated to ASCII, lower-cased, and folded so that the usual spelling variants
of Kazakh, Kyrgyz and Uyghur names in Russian, English and Turkish practice collapse to one form.
Searches fold the query the same way, then match on the key (trigram similarity on PostgreSQL).
"""

import re
import unicodedata

from anyascii import anyascii

# anyascii drops most vowels of the Uyghur Arabic script; this is the Uyghur Latin (ULY) reading.
_UYGHUR_ARABIC = {
    "ا": "a", "ە": "e", "ب": "b", "پ": "p", "ت": "t", "ج": "j", "چ": "ch", "خ": "kh",
    "د": "d", "ر": "r", "ز": "z", "ژ": "zh", "س": "s", "ش": "sh", "غ": "gh", "ف": "f",
    "ق": "q", "ك": "k", "گ": "g", "ڭ": "ng", "ل": "l", "م": "m", "ن": "n", "ھ": "h",
    "و": "o", "ۇ": "u", "ۆ": "o", "ۈ": "u", "ۋ": "w", "ې": "e", "ى": "i", "ي": "y",
    "ئ": "", "ء": "",
}  # fmt: skip

# Applied in order to the lower-cased ASCII form. Each rule merges spellings that the same
# name gets in different transliteration habits (Russian, English, Turkish, pinyin).
_FOLDS = [
    (re.compile(r"kh|x"), "h"),
    (re.compile(r"gh"), "g"),
    (re.compile(r"q"), "k"),
    (re.compile(r"zh|dzh|dj|j|c(?!h)"), "j"),
    (re.compile(r"sch|shch|sh"), "s"),
    (re.compile(r"ch|tsh|ts"), "c"),
    (re.compile(r"w|v"), "u"),
    (re.compile(r"yu|iu"), "u"),
    (re.compile(r"ya|ia"), "a"),
    (re.compile(r"y|ı|i"), "i"),
    (re.compile(r"o"), "u"),
    # Kazakh "ә" comes out as "a" and Uyghur "ە" as "e": one vowel for both.
    (re.compile(r"e"), "a"),
    (re.compile(r"(.)\1+"), r"\1"),
]


def transliterate(value: str) -> str:
    """A Latin reading of a name in any script."""
    value = unicodedata.normalize("NFC", value)
    value = "".join(_UYGHUR_ARABIC.get(ch, ch) for ch in value)
    # Chinese names: one syllable per character, so keep syllables apart before joining.
    value = re.sub(r"([\u4e00-\u9fff])", r" \1 ", value)
    text = anyascii(value)
    return re.sub(r"\s+", " ", text).strip()


def search_key(value: str) -> str:
    """The folded key stored beside every name and computed from every query."""
    text = transliterate(value).lower()
    words = re.findall(r"[a-z]+", text)
    folded = []
    for word in words:
        for pattern, replacement in _FOLDS:
            word = pattern.sub(replacement, word)
        folded.append(word)
    if re.search(r"[\u4e00-\u9fff]", value):
        # A Chinese name is one word whatever its syllables.
        return "".join(folded)
    # Sorted, because Kazakh and Russian practice puts the family name first and English last:
    # "Нұрғали Гүлнар" and "Gulnar Nurgali" are one name.
    return " ".join(sorted(folded))


def name_matches(text: str, *, path: str = "pk"):
    """An Exists() condition: a name of the person at `path` contains every word of `text`.

    The simple form, used on every database; an empty query matches nothing.
    """
    from django.db.models import Exists, OuterRef

    from cases.models import PersonName

    words = search_key(text).split()
    names = PersonName.objects.filter(person=OuterRef(path))
    if not words:
        return Exists(names.none())
    for word in words:
        names = names.filter(search_key__contains=word)
    return Exists(names)


def name_search(text: str, *, path: str = "pk"):
    """A condition for name search, the best each database offers.

    On PostgreSQL every word of the query must be contained in a name's key or be similar to a
    word of it (pg_trgm word similarity, served by the GIN trigram index on the key), which also
    finds misspellings the folding does not merge. Elsewhere it is `name_matches`.
    """
    from django.db import connection
    from django.db.models import Q

    from cases.models import PersonName

    if connection.vendor != "postgresql":
        return name_matches(text, path=path)
    words = search_key(text).split()
    if not words:
        return Q(pk__in=[])
    names = PersonName.objects.all()
    for word in words:
        # Short words are too unspecific for similarity: they must appear as they are.
        condition = Q(search_key__contains=word)
        if len(word) >= 4:
            condition |= Q(search_key__trigram_word_similar=word)
        names = names.filter(condition)
    return Q(**{f"{path}__in": names.values("person")})


def name_search_rank(text: str, *, path: str = "pk"):
    """How well the best name of the person at `path` matches `text` (PostgreSQL), else None.

    Ordering search results by it shows the closest spellings first; it also keeps PostgreSQL
    from walking the whole list in entry order to find the few matching rows.
    """
    from django.contrib.postgres.search import TrigramWordSimilarity
    from django.db import connection
    from django.db.models import OuterRef, Subquery

    from cases.models import PersonName

    key = search_key(text)
    if connection.vendor != "postgresql" or not key:
        return None
    best = (
        PersonName.objects.filter(person=OuterRef(path))
        .annotate(rank=TrigramWordSimilarity(key, "search_key"))
        .order_by("-rank")
        .values("rank")[:1]
    )
    return Subquery(best)


# Unicode blocks of the scripts names are written in (PersonName.Script codes).
_SCRIPT_RANGES = (
    ("cyrl", re.compile(r"[\u0400-\u052f]")),
    ("arab", re.compile(r"[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]")),
    ("hani", re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")),
    ("latn", re.compile(r"[A-Za-z\u00c0-\u024f]")),
)


def detect_script(value: str) -> str:
    """The script most of the name's letters are written in ("cyrl", "latn", "hani", "arab"),
    or "" when it has no letters of these scripts."""
    counts = {code: len(pattern.findall(value)) for code, pattern in _SCRIPT_RANGES}
    best = max(counts, key=counts.get)
    return best if counts[best] else ""
