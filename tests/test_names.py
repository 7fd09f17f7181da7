"""Script detection (cases.names.detect_script): one answer for a name wherever it is asked,
in the import, the submission queue and the PDFs."""

import pytest
from django.urls import reverse

from cases.imports.rows import script_of
from cases.models import PersonName, Submission
from cases.names import HAN_PATTERN, detect_script, search_key
from cases.staff.pdf import pdf_text
from tests.factories import MembershipFactory, UserFactory


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("Sauytbay Sayragul", "latn"),
        ("Şükrü Işıkgün", "latn"),  # Turkish spelling: Latin Extended-A
        ("Nguyễn", "latn"),  # Latin Extended Additional
        ("Сауытбай Сайрагүл", "cyrl"),
        ("Қайрат Нұрғали", "cyrl"),
        ("Ԥ", "cyrl"),  # Cyrillic Supplement, U+0524
        ("ئاينۇر", "arab"),
        ("ﻻ", "arab"),  # Arabic presentation form, U+FEFB
        ("ݐ", "arab"),  # Arabic Supplement, U+0750
        ("王芳", "hani"),
        ("一", "hani"),  # U+4E00, first of CJK Unified Ideographs
        ("鿿", "hani"),  # U+9FFF, last of them
        ("㐀", "hani"),  # U+3400, first of CJK Extension A
        ("䶿", "hani"),  # U+4DBF, last of CJK Extension A
        ("豈", "hani"),  # U+F900, CJK Compatibility Ideographs
        ("𠀀", "hani"),  # U+20000, CJK Extension B
        ("𰀀", "hani"),  # U+30000, CJK Extension G
    ],
)
def test_it_names_the_script_of_each_kind_of_name(text, script):
    assert detect_script(text) == script


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "1965",
        "١٢",  # Arabic-Indic digits are no Arabic letters
        "\ufeff",  # the byte-order mark sits at the end of the Arabic presentation forms
        "—·.",
        "Ωμέγα",  # Greek: not a script names are recorded in
        "\u3000",  # an ideographic space is no Chinese character
    ],
)
def test_text_without_letters_of_a_known_script_has_no_script(text):
    assert detect_script(text) is None


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("王芳 Wang Fang", "hani"),
        ("ئاينۇر Aynur", "arab"),
        ("Турсун Tursun", "cyrl"),
        ("\ufeffAynur", "latn"),
    ],
)
def test_a_name_in_two_scripts_goes_by_the_less_common_one(text, script):
    assert detect_script(text) == script


def test_every_answer_is_a_script_names_are_stored_in():
    answers = {detect_script(text) for text in ("a", "я", "ا", "王")}
    assert answers == set(PersonName.Script.values)


def test_the_import_reads_a_rare_chinese_character_as_chinese():
    assert script_of("㐀明") == (PersonName.Script.HAN, PersonName.Language.CHINESE)
    assert script_of("Нұрғали") == (PersonName.Script.CYRILLIC, PersonName.Language.KAZAKH)
    assert script_of("١٢") == (None, None)


def test_a_chinese_name_with_a_rare_character_is_one_word():
    assert " " not in search_key("㐀明")
    assert HAN_PATTERN.search("𠀀")


def test_the_pdf_prints_chinese_text_and_reads_out_only_the_characters_its_font_lacks():
    assert pdf_text("王芳（Wang Fang）") == "王芳（Wang Fang）"
    assert pdf_text("罪名：阿依古丽。") == "罪名：阿依古丽。"
    # 㐀 (CJK Extension A) and 𠀀 (Extension B) are not in the shipped subset.
    assert pdf_text("罪名：㐀明。") == "罪名：[pinyin: Qiu]明。"
    assert pdf_text("王芳 㐀 𠀀, Aynur 1965") == "王芳 [pinyin: Qiu He], Aynur 1965"


@pytest.mark.django_db
def test_a_submission_turns_a_rare_chinese_character_into_a_chinese_name(client, organization):
    coordinator = MembershipFactory(
        user=UserFactory(username="coordinator"), organization=organization, role="coordinator"
    ).user
    submission = Submission.objects.create(
        submitter_name="Invented Relative",
        submitter_contact="invented",
        detained_names="㐀明\nTestova Aigerim\n١٢٣",
        account="Taken from home.",
    )
    client.force_login(coordinator)
    url = reverse("admin:cases_submission_convert", args=[submission.pk])
    assert client.post(url, {"organization": organization.pk}).status_code == 302
    submission.refresh_from_db()
    names = {(n.value, n.script, n.kind) for n in submission.case.person.names.all()}
    assert names == {
        ("㐀明", "hani", "primary"),
        ("Testova Aigerim", "latn", "primary"),
        ("١٢٣", "latn", "alias"),
    }


@pytest.mark.django_db
def test_stored_keys_of_rare_chinese_names_are_computed_again():
    from importlib import import_module

    from django.apps import apps

    from tests.factories import PersonNameFactory

    rare = PersonNameFactory(value="𠀀㐀", script="hani")
    common = PersonNameFactory(value="Testova Aigerim")
    PersonName.objects.filter(pk=rare.pk).update(search_key="ha ku")  # as the old rule keyed it
    import_module("cases.migrations.0015_rekey_rare_chinese_names").rekey(apps, None)
    rare.refresh_from_db()
    assert rare.search_key == search_key("𠀀㐀") == "haku"
    assert PersonName.objects.get(pk=common.pk).search_key == search_key("Testova Aigerim")
