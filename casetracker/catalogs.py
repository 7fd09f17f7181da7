"""The translation catalogs in locale/: their headers, and compiling them without GNU gettext.

    python -m casetracker.catalogs headers   # after makemessages: plural forms, review line
    python -m casetracker.catalogs compile   # every locale/*/LC_MESSAGES/*.po → .mo (Babel)

`python3 dev.py translations` runs both around Django's makemessages; `--compile` only compiles,
which needs nothing but the development install (Babel), so a translator without GNU gettext
can check their work. The compiled .mo files are committed: a fresh install serves every
language without any build step, and tests/test_catalogs.py checks that they match the .po.

Needs no Django settings; Babel is imported only to compile.
"""

import re
import sys
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

# gettext directory names of the site's languages (settings.LANGUAGES uses "zh-hans").
LANGUAGES = ("kk", "ru", "ky", "ug", "zh_Hans", "en")

# CLDR's cardinal plural rules, as gettext writes them: Kazakh, Kyrgyz and Uyghur have "one"
# and "other", Russian "one", "few" and "many", Chinese a single form.
PLURAL_FORMS = {
    "kk": "nplurals=2; plural=(n != 1);",
    "ru": (
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
        "(n%100<10 || n%100>=20) ? 1 : 2);"
    ),
    "ky": "nplurals=2; plural=(n != 1);",
    "ug": "nplurals=2; plural=(n != 1);",
    "zh_Hans": "nplurals=1; plural=0;",
    "en": "nplurals=2; plural=(n != 1);",
}

# Whether someone who reads the language has checked the catalog: "no" until they have, then
# their name or group and the date ("yes, Atajurt volunteers, 2026-12-01"). makemessages keeps
# the line; a new catalog starts at "no".
REVIEW_HEADER = "X-Reviewed-By-Native-Speaker"

LANGUAGE_NAMES = {
    "kk": "Kazakh",
    "ru": "Russian",
    "ky": "Kyrgyz",
    "ug": "Uyghur",
    "zh_Hans": "Chinese (Simplified)",
    "en": "English",
}


def _header_line(name: str, value: str) -> str:
    return f'"{name}: {value}\\n"\n'


def set_headers(text: str, language: str) -> str:
    """The .po `text` with its header naming the language, its plural forms and whether a
    native speaker reviewed it (an existing review line is kept)."""
    header_end = text.index("\n\n")
    header, rest = text[: header_end + 1], text[header_end + 1 :]
    header = re.sub(r"^# SOME DESCRIPTIVE TITLE\.\n", "", header, flags=re.M)
    header = re.sub(
        r"^# Copyright \(C\) YEAR.*\n|^# This file is distributed under the same license.*\n"
        r"|^# FIRST AUTHOR.*\n|^#, fuzzy\n",
        "",
        header,
        flags=re.M,
    )
    if not header.startswith("# casetracker"):
        header = (
            f"# casetracker: {LANGUAGE_NAMES[language]} translation. Terms: docs/glossary.md.\n"
            + header
        )
    # Multi-line Plural-Forms values (makemessages copies Django's) collapse to one line.
    header = re.sub(r'^"Plural-Forms:.*?\\n"\n', "", header, flags=re.M | re.S)
    header = re.sub(r'^"Language: .*\\n"\n', "", header, flags=re.M)
    reviewed = re.search(rf'^"{REVIEW_HEADER}: (.*)\\n"\n', header, flags=re.M)
    review = reviewed.group(1) if reviewed else "no"
    header = re.sub(rf'^"{REVIEW_HEADER}: .*\\n"\n', "", header, flags=re.M)
    project = _header_line("Project-Id-Version", "casetracker")
    header = re.sub(r'^"Project-Id-Version: .*\\n"\n', lambda _match: project, header, flags=re.M)
    header = header.replace("charset=CHARSET", "charset=UTF-8")
    header += (
        _header_line("Language", language)
        + _header_line("Plural-Forms", PLURAL_FORMS[language])
        + _header_line(REVIEW_HEADER, review)
    )
    return header + rest


def _plural_count(language: str) -> int:
    return int(PLURAL_FORMS[language].split(";")[0].removeprefix("nplurals="))


def set_plural_forms(text: str, language: str) -> str:
    """Every plural entry of the .po `text` with as many msgstr[i] as the language has forms
    (makemessages writes two whatever the language); an extra form is dropped only if empty."""
    count = _plural_count(language)
    blocks = text.split("\n\n")
    for number, block in enumerate(blocks):
        if "\nmsgid_plural " not in block:
            continue
        lines = block.split("\n")
        start = next(i for i, line in enumerate(lines) if line.startswith("msgstr["))
        forms: dict[int, list[str]] = {}
        for line in lines[start:]:
            found = re.match(r"msgstr\[(\d+)\] ", line)
            if found:
                current = int(found.group(1))
                forms[current] = [line]
            elif line:
                forms[current].append(line)
        for index in range(count):
            forms.setdefault(index, [f'msgstr[{index}] ""'])
        kept = [
            index
            for index in sorted(forms)
            if index < count or forms[index] != [f'msgstr[{index}] ""']
        ]
        blocks[number] = "\n".join(lines[:start] + [line for i in kept for line in forms[i]])
        if block.endswith("\n"):
            blocks[number] += "\n"
    return "\n\n".join(blocks)


def headers() -> None:
    for language in LANGUAGES:
        for po in sorted((LOCALE_DIR / language / "LC_MESSAGES").glob("*.po")):
            text = po.read_text(encoding="utf-8")
            text = set_plural_forms(set_headers(text, language), language)
            po.write_text(text, encoding="utf-8")


def compile_catalogs() -> list[Path]:
    """Writes the .mo next to every .po; fuzzy and empty translations (a plural entry with a
    form missing too) are left out, so Django falls back to the English source for them."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parent.parent.name)
        # Babel would write an untranslated plural entry as English; leave it out, as msgfmt
        # does, so that lookups fall through like those of any untranslated message.
        for message in list(catalog):
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.id and not all(strings):
                catalog.delete(message.id, context=message.context)
        mo = po.with_suffix(".mo")
        with mo.open("wb") as target:
            write_mo(target, catalog, use_fuzzy=False)
        written.append(mo)
    return written


def main(argv: list[str]) -> None:
    if argv == ["headers"]:
        headers()
    elif argv == ["compile"]:
        for mo in compile_catalogs():
            print(f"compiled {mo.relative_to(LOCALE_DIR.parent)}")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
