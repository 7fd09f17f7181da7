"""Name search keys: one key for a name in any script or common transliteration."""

import pytest

from cases.names import search_key


@pytest.mark.parametrize(
    "spellings",
    [
        ["Сауытбек", "Sauytbek", "Sawytbek", "Sauitbek"],
        ["Қайрат", "Кайрат", "Kairat", "Qayrat", "Kayrat"],
        ["Жанар", "Zhanar", "Janar"],
        ["Хасан", "Khasan", "Hasan", "Ҳасан"],
        ["Гүлнар Нұрғали", "Gulnar Nurgali", "Gulnar Nurghali"],
    ],
)
def test_spellings_of_one_name_share_a_key(spellings):
    keys = {search_key(value) for value in spellings}
    assert len(keys) == 1, keys


def test_different_names_get_different_keys():
    assert search_key("Gulnar") != search_key("Gulzhan")


def test_uyghur_arabic_reads_with_its_vowels():
    assert search_key("ئاينۇر") == search_key("Aynur")


def test_chinese_names_are_one_word():
    assert search_key("古丽娜尔") == "gulinaar"
    assert " " not in search_key("古丽娜尔·努尔兰")
