"""How cells are read: partial dates, the words for statuses and the rest, and headers."""

import datetime

import pytest

from cases.imports.columns import COLUMNS, match_header
from cases.imports.partial_dates import PartialDateError, parse_partial_date
from cases.imports.vocabulary import ETHNICITY, GENDER, PREFECTURE, RELATIONSHIP, STATUS, fold
from casetracker.dates import DatePrecision

D = datetime.date


@pytest.mark.parametrize(
    ("text", "date", "precision"),
    [
        ("2017", D(2017, 1, 1), DatePrecision.YEAR),
        ("2017 г.", D(2017, 1, 1), DatePrecision.YEAR),
        ("2017г", D(2017, 1, 1), DatePrecision.YEAR),
        ("2017 год", D(2017, 1, 1), DatePrecision.YEAR),
        ("2017 ж.", D(2017, 1, 1), DatePrecision.YEAR),
        ("2017-жылы", D(2017, 1, 1), DatePrecision.YEAR),
        ("в 2017 году", D(2017, 1, 1), DatePrecision.YEAR),
        (2017, D(2017, 1, 1), DatePrecision.YEAR),
        ("около 2019", D(2019, 1, 1), DatePrecision.APPROXIMATE),
        ("примерно 2019 г.", D(2019, 1, 1), DatePrecision.APPROXIMATE),
        ("шамамен 2019", D(2019, 1, 1), DatePrecision.APPROXIMATE),
        ("c. 2019", D(2019, 1, 1), DatePrecision.APPROXIMATE),
        ("~2019", D(2019, 1, 1), DatePrecision.APPROXIMATE),
        ("2019?", D(2019, 1, 1), DatePrecision.APPROXIMATE),
        ("03.2018", D(2018, 3, 1), DatePrecision.MONTH),
        ("3.2018", D(2018, 3, 1), DatePrecision.MONTH),
        ("03/2018", D(2018, 3, 1), DatePrecision.MONTH),
        ("2018-03", D(2018, 3, 1), DatePrecision.MONTH),
        ("март 2018", D(2018, 3, 1), DatePrecision.MONTH),
        ("января 2016", D(2016, 1, 1), DatePrecision.MONTH),
        ("наурыз 2018", D(2018, 3, 1), DatePrecision.MONTH),
        ("March 2018", D(2018, 3, 1), DatePrecision.MONTH),
        ("12.03.2018", D(2018, 3, 12), DatePrecision.DAY),
        ("6.11.2019", D(2019, 11, 6), DatePrecision.DAY),
        ("12/03/2018", D(2018, 3, 12), DatePrecision.DAY),
        ("2019-12-17", D(2019, 12, 17), DatePrecision.DAY),
        ("12 марта 2018", D(2018, 3, 12), DatePrecision.DAY),
        (datetime.datetime(2018, 3, 12, 0, 0), D(2018, 3, 12), DatePrecision.DAY),
        ("весна 2018", D(2018, 3, 1), DatePrecision.APPROXIMATE),
        ("осень 2019", D(2019, 9, 1), DatePrecision.APPROXIMATE),
        ("лето 2017", D(2017, 6, 1), DatePrecision.APPROXIMATE),
        ("зима 2017", D(2017, 1, 1), DatePrecision.APPROXIMATE),
        ("конец 2016", D(2016, 10, 1), DatePrecision.APPROXIMATE),
        ("начало 2016", D(2016, 1, 1), DatePrecision.APPROXIMATE),
        ("көктем 2018", D(2018, 3, 1), DatePrecision.APPROXIMATE),
        ("spring 2018", D(2018, 3, 1), DatePrecision.APPROXIMATE),
        ("", None, ""),
    ],
)
def test_it_reads_every_date_form(text, date, precision):
    assert parse_partial_date(text) == (date, precision)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("32.13.2018", "this date does not exist"),
        ("30.02.2019", "this date does not exist"),
        ("13.2018", "this date does not exist"),
        ("1850", "a date before 1900"),
        ("2999", "a date in the future"),
        ("вчера", "not a date"),
        ("весна", "not a date"),
        ("около весны", "not a date"),
        ("2018.5", "not a date"),
        (2018.5, "not a date"),
        # Superscript digits pass str.isdigit() but int() refuses them.
        ("² марта 2018", "not a date"),
        ("12 марта ²⁰¹⁸", "not a date"),
    ],
)
def test_it_says_why_a_date_cannot_be_read(text, problem):
    with pytest.raises(PartialDateError, match=problem):
        parse_partial_date(text)


@pytest.mark.parametrize(
    ("vocabulary", "words", "code"),
    [
        (STATUS, ["в лагере", "лагерде", "camp", "detained in a camp"], "camp"),
        (STATUS, ["осуждён", "в тюрьме", "сотталған", "абакта", "imprisoned"], "imprisoned"),
        (STATUS, ["пропал без вести", "хабарсыз кеткен", "дайынсыз жоголгон"], "disappeared"),
        (STATUS, ["под домашним арестом", "үй қамағында", "house arrest"], "restricted"),
        (STATUS, ["освобождён", "ОСВОБОЖДЕНА", "босатылған", "бошотулган"], "released_china"),
        (STATUS, ["умер", "қайтыс болған", "каза болгон", "died"], "died"),
        (STATUS, ["принудительный труд", "мәжбүрлі еңбек", "аргасыз эмгек"], "forced_labour"),
        (STATUS, ["неизвестно", "белгісіз", "белгисиз", "unknown"], "unknown"),
        (ETHNICITY, ["казах", "қазақ", "Kazakh"], "kazakh"),
        (ETHNICITY, ["уйгур", "ұйғыр", "Uyghur", "uighur"], "uyghur"),
        (ETHNICITY, ["кыргыз", "қырғыз", "киргизка"], "kyrgyz"),
        (ETHNICITY, ["дунган", "хуэй", "Hui"], "hui"),
        (RELATIONSHIP, ["сын", "ұлы", "уулу", "son"], "son"),
        (RELATIONSHIP, ["внучка", "немересі", "небере"], "grandchild"),
        (RELATIONSHIP, ["жена", "әйелі", "аялы"], "wife"),
        (GENDER, ["ж", "әйел", "F"], "female"),
        (PREFECTURE, ["Іле", "Или", "Ili"], "ili"),
        (PREFECTURE, ["Тарбағатай", "Тарбагатай", "Tacheng"], "tacheng"),
        (PREFECTURE, ["Үрімжі", "Урумчи", "Ürümqi"], "urumqi"),
    ],
)
def test_it_reads_the_usual_words(vocabulary, words, code):
    for word in words:
        assert vocabulary.get(word) == code, word


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("ФИО задержанного", "name"),
        ("Аты-жөні", "name"),
        ("Год рождения", "birth_date"),
        ("Туған жылы", "birth_date"),
        ("Статус", "status"),
        ("Жағдайы", "status"),
        ("Дата задержания", "detention_date"),
        ("Ұсталған күні", "detention_date"),
        ("Заявитель", "relative_name"),
        ("Туысы", "relative_name"),
        ("Родство", "relationship"),
        ("Туыстығы", "relationship"),
        ("Телефон заявителя", "relative_phone"),
        ("Байланыс телефоны", "relative_phone"),
        ("Место (Синьцзян)", "hometown"),
        ("  date of DETENTION ", "detention_date"),
    ],
)
def test_it_matches_russian_and_kazakh_headers(header, key):
    assert match_header(header).key == key


def test_no_header_names_two_columns():
    seen = {}
    for column in COLUMNS:
        for text in {fold(t) for t in (column.key, column.header, *column.aliases)}:
            assert seen.setdefault(text, column.key) == column.key, text
