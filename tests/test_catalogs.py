"""The translation catalogs in locale/: complete, with the right plural forms, placeholders that
match their English source, a line saying whether a native speaker reviewed them, and compiled
.mo files that say the same as the .po (the .mo files are committed: see the README)."""

import gettext
import re

import pytest
from babel.messages.pofile import read_po
from django.utils import translation

from cases.models import Ethnicity, PersonName
from casetracker.catalogs import LANGUAGES, LOCALE_DIR, PLURAL_FORMS, REVIEW_HEADER

NPLURALS = {"kk": 2, "ru": 3, "ky": 2, "ug": 2, "zh_Hans": 1, "en": 2}
TRANSLATED = [language for language in LANGUAGES if language != "en"]
NAMED = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifr]")
POSITIONAL = re.compile(r"%(?!\()[-#0 +]*\d*(?:\.\d+)?[sdifr]")


def po_path(language):
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def catalog(language):
    with po_path(language).open("rb") as source:
        return read_po(source, locale=language)


def entries(language):
    return [message for message in catalog(language) if message.id]


def key(message):
    return (message.context, message.id)


def forms(message):
    return list(message.string) if isinstance(message.string, tuple | list) else [message.string]


def sources(message):
    return list(message.id) if isinstance(message.id, tuple | list) else [message.id]


def describe(message):
    context = f"[{message.context}] " if message.context else ""
    return context + sources(message)[0][:70]


def test_every_language_of_the_site_has_a_catalog(settings):
    codes = {translation.to_locale(code) for code, _name in settings.LANGUAGES}
    assert codes == set(LANGUAGES)
    for language in LANGUAGES:
        assert po_path(language).exists(), language
        assert po_path(language).with_suffix(".mo").exists(), language


@pytest.mark.parametrize("language", LANGUAGES)
def test_header_has_the_languages_plural_forms_and_review_line(language):
    text = po_path(language).read_text(encoding="utf-8")
    header = text[: text.index("\n\n")]
    assert f'"Plural-Forms: {PLURAL_FORMS[language]}\\n"' in header
    assert f"nplurals={NPLURALS[language]};" in PLURAL_FORMS[language]
    assert re.search(rf'^"{REVIEW_HEADER}: (no|yes\b.*)\\n"$', header, flags=re.M), language
    assert catalog(language).num_plurals == NPLURALS[language]


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalog_holds_the_same_messages_as_the_english_one(language):
    english = {key(message) for message in entries("en")}
    assert {key(message) for message in entries(language)} == english


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_is_complete_and_not_fuzzy(language):
    missing = [describe(m) for m in entries(language) if not all(s.strip() for s in forms(m))]
    fuzzy = [describe(message) for message in entries(language) if message.fuzzy]
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {language}: {fuzzy[:10]}"
    assert not missing, f"{len(missing)} untranslated in {language}: {missing[:10]}"


def test_english_catalog_translates_every_message_to_itself():
    for message in entries("en"):
        assert forms(message) == sources(message), describe(message)


def _placeholders(text):
    return set(NAMED.findall(text)), len(POSITIONAL.findall(text.replace("%%", "")))


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_match_the_source(language):
    wrong = []
    for message in entries(language):
        names = set().union(*(_placeholders(text)[0] for text in sources(message)))
        positional = max(_placeholders(text)[1] for text in sources(message))
        filled = [text for text in forms(message) if text]
        if not filled:
            continue
        found = set().union(*(_placeholders(text)[0] for text in filled))
        if not (found <= names and (found == names or len(filled) < len(forms(message)))):
            wrong.append(f"{describe(message)}: {sorted(found)} for {sorted(names)}")
            continue
        if any(_placeholders(text)[1] != positional for text in filled):
            wrong.append(f"{describe(message)}: positional placeholders differ")
            continue
        if message.python_format or names or positional:
            values = dict.fromkeys(names, 1)
            for text in filled:
                try:
                    text % (values if names else (1,) * positional)
                except (TypeError, ValueError, KeyError) as error:
                    wrong.append(f"{describe(message)}: {error}")
    assert not wrong, f"{len(wrong)} in {language}: {wrong[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalog_matches_the_po(language):
    """`python3 dev.py translations --compile` after every edit of a .po."""
    expected = {}
    for message in entries(language):
        if message.fuzzy or not all(forms(message)):
            continue
        base = f"{message.context}\x04{sources(message)[0]}" if message.context else None
        base = base or sources(message)[0]
        if len(sources(message)) > 1:
            for index, text in enumerate(forms(message)):
                expected[(base, index)] = text
        else:
            expected[base] = forms(message)[0]
    with po_path(language).with_suffix(".mo").open("rb") as compiled:
        found = dict(gettext.GNUTranslations(compiled)._catalog)  # type: ignore[attr-defined]
    found.pop("", None)
    assert found == expected, "The .mo is out of date: python3 dev.py translations --compile"


@pytest.mark.parametrize("language", ["ru", "kk", "ky", "ug", "zh-hans"])
def test_an_ethnicity_is_never_read_as_the_language_of_the_same_name(language):
    """Django's catalogs translate "Kazakh" as the language ("Казахский"); the ethnicity and
    the language of a name each have a context of their own, so Django never answers for them."""
    with translation.override(language):
        for ethnicity, english in (
            (Ethnicity.KAZAKH, "Kazakh"),
            (Ethnicity.KYRGYZ, "Kyrgyz"),
            (Ethnicity.UYGHUR, "Uyghur"),
        ):
            django_language_name = translation.gettext(english)
            if django_language_name != english:
                assert str(ethnicity.label) != django_language_name, ethnicity
        assert translation.pgettext("language", "Kazakh") == str(PersonName.Language.KAZAKH.label)
