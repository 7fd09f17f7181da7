"""Names as text: which script a name is written in, its search key and its Latin reading.

"Sauytbay", "Sawytbay" and "Сауытбай" must meet. Every PersonName stores `search_key(value)`:
the name transliterated to ASCII, lower-cased, and folded so that the usual spelling variants
of Kazakh, Kyrgyz and Uyghur names in Russian, English and Turkish practice collapse to one form.
Searches fold the query the same way, then match on the key (`cases.search` builds the queries).

Plain text only: this module imports no model, so that models, imports, forms and PDFs can all
ask it the same questions.
"""

import re
import unicodedata

from anyascii import anyascii

# The script codes (ISO 15924) of PersonName.Script, which takes its values from here.
CYRILLIC = "cyrl"
LATIN = "latn"
HAN = "hani"
UYGHUR_ARABIC = "arab"

# Characters of each script, as bodies of a regular-expression character class. Whole Unicode
# blocks, so that a rare character (CJK Extension A, the supplementary planes) is read the same
# way as a common one.
HAN_CHARACTERS = (
    "\u2e80-\u2fdf"  # CJK radicals, Kangxi radicals
    "\u3005\u3007\u3021-\u3029\u3038-\u303b"  # iteration mark, ideographic numbers
    "\u3400-\u4dbf"  # CJK Extension A
    "\u4e00-\u9fff"  # CJK Unified Ideographs
    "\uf900-\ufaff"  # CJK Compatibility Ideographs
    "\U00020000-\U000323af"  # Extensions B to H and the compatibility supplement
)
ARABIC_CHARACTERS = (
    "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff"  # Arabic, its supplement and extension A
    "\ufb50-\ufdff\ufe70-\ufefc"  # presentation forms (not U+FEFF, the byte-order mark)
)
CYRILLIC_CHARACTERS = "\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f"
LATIN_CHARACTERS = (
    "A-Za-z\u00c0-\u024f\u1e00-\u1eff\u2c60-\u2c7f\ua720-\ua7ff\uff21-\uff3a\uff41-\uff5a"
)

HAN_PATTERN = re.compile(f"[{HAN_CHARACTERS}]")

# In order of precedence: a name with one Chinese character is a Chinese name, whatever else
# it holds; Latin comes last because Cyrillic and Arabic names often carry a Latin spelling.
_SCRIPTS = (
    (HAN, HAN_PATTERN),
    (UYGHUR_ARABIC, re.compile(f"[{ARABIC_CHARACTERS}]")),
    (CYRILLIC, re.compile(f"[{CYRILLIC_CHARACTERS}]")),
    (LATIN, re.compile(f"[{LATIN_CHARACTERS}]")),
)


def detect_script(text: str) -> str | None:
    """The script code (PersonName.Script) of a name, or None when it has no letter of any.

    Only letters count: digits, punctuation and marks are shared between scripts (Arabic-Indic
    digits are not Arabic letters, a byte-order mark is not an Arabic ligature).
    """
    letters = "".join(character for character in text if character.isalpha())
    for code, pattern in _SCRIPTS:
        if pattern.search(letters):
            return code
    return None


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
    value = HAN_PATTERN.sub(lambda match: f" {match.group(0)} ", value)
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
    if HAN_PATTERN.search(value):
        # A Chinese name is one word whatever its syllables.
        return "".join(folded)
    # Sorted, because Kazakh and Russian practice puts the family name first and English last:
    # "Нұрғали Гүлнар" and "Gulnar Nurgali" are one name.
    return " ".join(sorted(folded))


# The script each language is written in by default; a name in another script says so in its
# language tag (a Kazakh name in Latin letters is kk-Latn, in Arabic letters kk-Arab).
_USUAL_SCRIPT = {
    "kk": CYRILLIC,
    "ky": CYRILLIC,
    "ru": CYRILLIC,
    "ug": UYGHUR_ARABIC,
    "zh": HAN,
    "en": LATIN,
    "uz": LATIN,
    "tr": LATIN,
}
# BCP 47 script subtags; Chinese names on the record are the official (simplified) ones.
_SCRIPT_SUBTAG = {CYRILLIC: "Cyrl", LATIN: "Latn", HAN: "Hans", UYGHUR_ARABIC: "Arab"}
# Without a known language, the usual language of the script among the people documented.
_LANGUAGE_OF_SCRIPT = {HAN: "zh", UYGHUR_ARABIC: "ug"}


def name_language_tag(value: str, script: str = "", language: str = "") -> str:
    """The `lang` attribute for a name written in `script` (detected from the name when not
    given) in `language` (PersonName.Language, "other" or empty when unknown): "kk", "ug",
    "zh-Hans", "kk-Latn", or "und-Cyrl" for a Cyrillic name of unknown language."""
    script = script or detect_script(value) or ""
    if script not in _SCRIPT_SUBTAG:
        return ""
    if language not in _USUAL_SCRIPT:
        language = _LANGUAGE_OF_SCRIPT.get(script, "und")
    if language == "zh":
        return "zh-Hans"
    if _USUAL_SCRIPT.get(language) == script:
        return language
    return f"{language}-{_SCRIPT_SUBTAG[script]}"


def name_direction(value: str, script: str = "") -> str:
    """The `dir` attribute for a name: right to left in Arabic letters."""
    script = script or detect_script(value) or ""
    return "rtl" if script == UYGHUR_ARABIC else "ltr"
