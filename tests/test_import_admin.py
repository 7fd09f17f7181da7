"""The spreadsheet import in the admin, as a volunteer uses it: upload, dry run, confirm."""

import datetime
import re

import pytest
from django.urls import reverse

from cases import models as case_models
from cases.models import Case, CaseEvent, Person, Relationship
from casetracker.dates import DatePrecision
from tests.factories import (
    CaseFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    PersonNameFactory,
    UserFactory,
)
from tests.import_sheets import (
    HEADERS_RU,
    csv_bytes,
    sample_bytes,
    sample_fixed_bytes,
    upload,
    xlsx_bytes,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("case_import_dir")]


IMPORT_URL = "/admin/cases/case/import/"


@pytest.fixture
def client_as(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def post_file(client, organization, content, name="cases.csv"):
    return client.post(IMPORT_URL, {"organization": organization.pk, "file": upload(content, name)})


def confirm_url(response):
    match = re.search(r'action="(/admin/cases/case/import/[^/"]+/confirm/)"', response.text)
    assert match, "the preview offers no confirm form"
    return match.group(1)


def test_it_links_the_import_from_the_case_list(client_as, volunteer):
    # Who may open the case list is the admin's rule (cases.admin); here the volunteer may view it.
    from django.contrib.auth.models import Permission

    volunteer.user_permissions.add(Permission.objects.get(codename="view_case"))
    response = client_as(volunteer).get(reverse("admin:cases_case_changelist"))
    assert IMPORT_URL in response.text


def test_it_shows_the_form_with_the_documented_columns(client_as, volunteer):
    response = client_as(volunteer).get(IMPORT_URL)
    assert response.status_code == 200
    assert "Date of detention" in response.text
    assert "дата задержания" in response.text
    assert reverse("admin:cases_case_import_template", kwargs={"kind": "xlsx"}) in response.text


def test_it_names_row_42_of_the_sample_and_writes_nothing(client_as, volunteer, organization):
    response = post_file(client_as(volunteer), organization, sample_bytes(), "sheet-ru.csv")
    assert response.status_code == 200
    errors = re.findall(r'<tr class="import-error">(.*?)</tr>', response.text, re.S)
    assert len(errors) == 1
    assert "row 42 (line 43)" in errors[0]
    assert "Дата задержания" in errors[0]
    assert "32.13.2018" in errors[0]
    assert "this date does not exist" in errors[0]
    assert 'id="count-create">59<' in response.text
    assert 'id="count-fail">1<' in response.text
    assert 'id="case-import-confirm"' not in response.text
    assert not Case.objects.exists()
    assert not Person.objects.exists()


def test_the_fixed_sample_imports_all_60_rows_as_drafts(client_as, volunteer, organization):
    client = client_as(volunteer)
    preview = post_file(client, organization, sample_fixed_bytes(), "sheet-ru.csv")
    assert 'id="count-create">60<' in preview.text
    assert 'id="count-fail">0<' in preview.text
    assert not Case.objects.exists()

    url = confirm_url(preview)
    response = client.post(url, follow=True)
    assert response.redirect_chain == [(url.replace("/confirm/", "/progress/"), 302)]
    assert "Imported “sheet-ru.csv” into Test Group Almaty: 60 new draft cases" in response.text
    assert "The import is done: 60 rows written." in response.text
    cases = Case.objects.all()
    assert cases.count() == 60
    assert set(cases.values_list("organization", flat=True)) == {organization.pk}
    assert set(cases.values_list("publication_state", flat=True)) == {"draft"}
    assert set(cases.values_list("created_by", flat=True)) == {volunteer.pk}
    assert len(set(cases.values_list("entry_number", flat=True))) == 60

    # Row 1: "Нұрғали Гүлнар,1981,неизвестно,2017 г.,Үрімжі,Оспан Ұлжан,сын,8 705 372 39 85"
    row_one = "Imported from “sheet-ru.csv”, row 1"
    first = Case.history.get(history_change_reason=row_one).instance.person
    assert first.names.get().value == "Нұрғали Гүлнар"
    assert first.names.get().language == "kk"
    assert first.birth_date == datetime.date(1981, 1, 1)
    assert first.hometown_prefecture == "urumqi"
    case = first.case
    assert case.status == Case.Status.UNKNOWN
    assert case.detention_year == 2017
    event = case.events.get()
    assert (event.kind, event.date_start, event.date_start_precision) == (
        "detained",
        datetime.date(2017, 1, 1),
        DatePrecision.YEAR,
    )
    relationship = Relationship.objects.get(person=first)
    assert relationship.kind == "son"
    assert relationship.relative.display_name == "Оспан Ұлжан"
    assert relationship.relative.gender == "male"
    assert relationship.relative.contact_details == "8 705 372 39 85"
    testimony = case_models.Testimony.objects.get(case=case)
    assert testimony.testifier == relationship.relative
    assert testimony.relationship == "son"

    # History names the file and the row, and the volunteer who imported it.
    record = case.history.get()
    assert record.history_type == "+"
    assert record.history_user == volunteer
    assert record.history_change_reason == row_one
    assert first.history.get().history_change_reason == row_one
    assert first.names.get().history.get().history_change_reason == row_one
    assert relationship.history.get().history_change_reason == row_one
    assert event.history.get().history_user == volunteer

    # Row 3: "Сауытбай Бауыржан,1946,освобождён,2018 г.,"Іле, Текес",..."
    third = Case.objects.get(
        person__names__value="Сауытбай Бауыржан", person__birth_date__year=1946
    )
    assert third.status == Case.Status.RELEASED_CHINA
    assert third.person.hometown_prefecture == "ili"
    assert third.person.hometown_county == "Текес"


def test_the_imported_cases_read_back_in_the_admin(client_as, volunteer, organization):
    from django.contrib.auth.models import Permission

    volunteer.user_permissions.add(Permission.objects.get(codename="view_case"))
    client = client_as(volunteer)
    client.post(confirm_url(post_file(client, organization, sample_fixed_bytes())))
    case = Case.objects.order_by("entry_number").first()
    assert client.get(reverse("admin:cases_case_change", args=[case.pk])).status_code == 200
    # Ordinary saves after a bulk import get fresh keys (the sequences moved past the import).
    person = PersonFactory()
    PersonNameFactory(person=person)
    assert CaseFactory(person=person, organization=organization).pk


def test_every_date_form_of_the_sample_is_read(client_as, volunteer, organization):
    client = client_as(volunteer)
    client.post(confirm_url(post_file(client, organization, sample_fixed_bytes())))
    expected = {
        "Сауытбай Қайрат": (datetime.date(2019, 1, 1), DatePrecision.APPROXIMATE),  # около 2019
        "Әбдірахман Ғалым": (datetime.date(2019, 11, 6), DatePrecision.DAY),  # 6.11.2019
        "Серікбай Асқар": (datetime.date(2019, 12, 17), DatePrecision.DAY),  # 2019-12-17
        "Жақсылық Ерлан": (datetime.date(2018, 7, 1), DatePrecision.MONTH),  # 07.2018
        "Қасым Нурлан": (datetime.date(2016, 1, 1), DatePrecision.MONTH),  # январь 2016
        "Серікбай Сәуле": (datetime.date(2019, 9, 1), DatePrecision.APPROXIMATE),  # осень 2019
    }
    for name, (date, precision) in expected.items():
        events = CaseEvent.objects.filter(case__person__names__value=name)
        assert (date, precision) in {(e.date_start, e.date_start_precision) for e in events}, name
    autumn = CaseEvent.objects.get(
        case__person__names__value="Серікбай Сәуле", date_start=datetime.date(2019, 9, 1)
    )
    assert autumn.notes == "Date as given in the import: осень 2019"


def test_an_xlsx_with_kazakh_headers_and_date_cells_imports(client_as, volunteer, organization):
    rows = [
        ["Аты-жөні", "Туған жылы", "Ұлты", "Жағдайы", "Ұсталған күні", "Туысы", "Туыстығы"],
        ["Тестова Айгерім", 1980, "қазақ", "лагерде", datetime.datetime(2018, 3, 12), "Тест Ұл",
         "ұлы"],
        ["Testov Nurlan", "1975", "уйгур", "абакта", "2017-жылы", "", ""],
        ["Тестов Бакыт", None, "кыргыз", "дайынсыз жоголгон", "наурыз 2019", "", ""],
    ]  # fmt: skip
    client = client_as(volunteer)
    preview = post_file(client, organization, xlsx_bytes(rows), "тізім.xlsx")
    assert 'id="count-create">3<' in preview.text, preview.text
    client.post(confirm_url(preview))
    aigerim = Case.objects.get(person__names__value="Тестова Айгерім")
    assert aigerim.status == Case.Status.CAMP
    assert aigerim.person.ethnicity == "kazakh"
    assert aigerim.person.birth_date == datetime.date(1980, 1, 1)
    event = aigerim.events.get()
    assert (event.date_start, event.date_start_precision) == (datetime.date(2018, 3, 12), "day")
    assert Relationship.objects.get(person=aigerim.person).kind == "son"
    nurlan = Case.objects.get(person__names__value="Testov Nurlan")
    assert (nurlan.status, nurlan.person.ethnicity) == ("imprisoned", "uyghur")
    assert nurlan.person.names.get().script == "latn"
    assert nurlan.events.get().date_start_precision == "year"
    bakyt = Case.objects.get(person__names__value="Тестов Бакыт")
    assert (bakyt.status, bakyt.person.ethnicity) == ("disappeared", "kyrgyz")
    assert bakyt.person.birth_date is None
    assert bakyt.events.get().date_start == datetime.date(2019, 3, 1)


def test_a_semicolon_csv_without_bom_in_english_imports(client_as, volunteer, organization):
    rows = [
        ["Name", "Other names", "Chinese name", "Gender", "Birth date", "Ethnicity", "Hometown",
         "Status", "Date of detention", "Facility", "Relative", "Relationship",
         "Relative's phone", "Testimony medium", "Source link", "Source title", "Notes"],
        ["Testova Aigerim", "Тестова Айгерим; Testowa Aygerim", "测试", "f", "03.1980", "Kazakh",
         "Ili, Tekes, Testtown", "forced labour", "spring 2018", "Test Camp No. 1", "Testov Ali",
         "brother", "+7 701 000 00 00", "phone", "https://example.org/report", "A report",
         "Line one\nline two"],
    ]  # fmt: skip
    client = client_as(volunteer)
    preview = post_file(client, organization, csv_bytes(rows, delimiter=";", bom=False))
    assert 'id="count-create">1<' in preview.text, preview.text
    client.post(confirm_url(preview))
    case = Case.objects.get()
    person = case.person
    assert sorted(person.names.values_list("kind", "script")) == [
        ("alias", "cyrl"),
        ("alias", "latn"),
        ("official_zh", "hani"),
        ("primary", "latn"),
    ]
    assert (person.gender, person.birth_date, person.birth_date_precision) == (
        "female",
        datetime.date(1980, 3, 1),
        "month",
    )
    assert (person.hometown_prefecture, person.hometown_county, person.hometown_township) == (
        "ili",
        "Tekes",
        "Testtown",
    )
    assert case.status == "forced_labour"
    assert case.notes == "Line one\nline two"
    event = case.events.get()
    assert event.facility.name == "Test Camp No. 1"
    assert event.date_start_precision == "approx"
    testimony = case.testimonies.get()
    assert testimony.medium == "phone"
    source = case.sources.get()
    assert (source.url, source.title, source.visibility) == (
        "https://example.org/report",
        "A report",
        "restricted",
    )


def test_the_template_downloads_and_reads_back(client_as, volunteer, organization):
    from io import BytesIO

    from openpyxl import load_workbook

    client = client_as(volunteer)
    response = client.get(reverse("admin:cases_case_import_template", kwargs={"kind": "xlsx"}))
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(response.content))
    sheet = workbook.worksheets[0]
    sheet.append(["", "Testov Erlan", "", "", "male", "1970", "Kazakh", "Altay", "camp"])
    guide = [row[0] for row in workbook.worksheets[1].iter_rows(min_row=2, values_only=True)]
    assert "Date of detention" in guide
    buffer = BytesIO()
    workbook.save(buffer)
    preview = post_file(client, organization, buffer.getvalue(), "template.xlsx")
    assert 'id="count-create">1<' in preview.text, preview.text
    csv_template = client.get(reverse("admin:cases_case_import_template", kwargs={"kind": "csv"}))
    assert csv_template.content.decode("utf-8-sig").startswith("Entry number,Name,")
    assert client.get("/admin/cases/case/import/template.pdf").status_code == 404


def test_duplicates_in_the_database_and_in_the_file_are_shown(client_as, volunteer, organization):
    known = PersonFactory(birth_date=datetime.date(1968, 1, 1), hometown_prefecture="ili")
    PersonNameFactory(person=known, value="Qayrat Testuly", script="latn")
    case = CaseFactory(person=known, organization=organization)
    elsewhere = PersonFactory(birth_date=datetime.date(1968, 1, 1), hometown_prefecture="ili")
    PersonNameFactory(person=elsewhere, value="Kairat Testuly", script="latn", kind="alias")
    hidden = CaseFactory(person=elsewhere, organization=OrganizationFactory())
    rows = [
        HEADERS_RU,
        ["1", "Тестұлы Қайрат", "1968", "в лагере", "2018", "Іле, Текес", "", "", ""],
        ["2", "Тестова Сәуле", "1970", "в лагере", "2018", "Іле", "", "", ""],
        ["3", "Testova Saule", "1970", "неизвестно", "2019", "Іле", "", "", ""],
        ["4", "Тестұлы Қайрат", "1990", "в лагере", "2018", "Іле", "", "", ""],
    ]
    preview = post_file(client_as(volunteer), organization, csv_bytes(rows))
    duplicates = re.findall(r'<tr class="import-duplicate">(.*?)</tr>', preview.text, re.S)
    assert len(duplicates) == 2
    assert "row 1" in duplicates[0]
    assert f"case #{case.entry_number}" in duplicates[0]
    # Another group's unpublished case is never named, not even as a duplicate.
    assert f"#{hidden.entry_number}" not in preview.text
    assert "rows 2, 3" in duplicates[1]
    assert 'id="count-create">4<' in preview.text


def test_the_database_duplicates_follow_likely_duplicates(client_as, volunteer, organization):
    """The file-wide check applies the rule of cases.duplicates.likely_duplicates."""
    from cases.duplicates import likely_duplicates

    people = []
    for year, prefecture, county in [(1968, "ili", "Tekes"), (None, "", ""), (1970, "ili", "")]:
        person = PersonFactory(
            birth_date=datetime.date(year, 1, 1) if year else None,
            hometown_prefecture=prefecture,
            hometown_county=county,
        )
        PersonNameFactory(person=person, value="Kairat Testuly")
        CaseFactory(person=person, organization=organization)
        people.append(person)
    for year, place in [("1968", "Іле, Текес"), ("1970", "Іле, Құлжа"), ("", "Қашқар")]:
        rows = [HEADERS_RU, ["1", "Қайрат Тестұлы", year, "", "", place, "", "", ""]]
        preview = post_file(client_as(volunteer), organization, csv_bytes(rows))
        shown = {int(n) for n in re.findall(r"case #(\d+)", preview.text)}
        county = place.split(", ")[1] if ", " in place else ""
        prefecture = {"Іле": "ili", "Қашқар": "kashgar"}[place.split(", ")[0]]
        expected = likely_duplicates(
            names=["Қайрат Тестұлы"],
            birth_year=int(year) if year else None,
            prefecture=prefecture,
            county=county,
        )
        assert shown == {p.case.entry_number for p in expected}, (year, place)


def test_a_volunteer_of_two_groups_chooses_one_of_theirs(client_as, volunteer, organization):
    second = OrganizationFactory(name="Test Group Bishkek")
    MembershipFactory(user=volunteer, organization=second)
    other = OrganizationFactory(name="Not Theirs")
    client = client_as(volunteer)
    form = client.get(IMPORT_URL)
    assert "Test Group Bishkek" in form.text
    assert "Not Theirs" not in form.text
    refused = post_file(client, other, sample_fixed_bytes())
    assert refused.status_code == 400
    assert "Select a valid choice" in refused.text
    client.post(confirm_url(post_file(client, second, sample_fixed_bytes())))
    assert set(Case.objects.values_list("organization", flat=True)) == {second.pk}


def test_site_staff_import_into_any_organization(client_as, site_staff):
    group = OrganizationFactory()
    client = client_as(site_staff)
    client.post(confirm_url(post_file(client, group, sample_fixed_bytes())))
    assert Case.objects.filter(organization=group).count() == 60


def test_a_user_without_an_organization_may_not_import(client_as):
    loner = UserFactory(username="loner")
    client = client_as(loner)
    assert client.get(IMPORT_URL).status_code == 403
    template = reverse("admin:cases_case_import_template", kwargs={"kind": "csv"})
    assert client.get(template).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_only_the_uploader_can_confirm(client_as, volunteer, organization, client):
    preview = post_file(client_as(volunteer), organization, sample_fixed_bytes())
    url = confirm_url(preview)
    colleague = MembershipFactory(organization=organization).user
    client.force_login(colleague)
    response = client.post(url)
    assert response.status_code == 302
    assert response.url == IMPORT_URL
    assert not Case.objects.exists()


def test_a_volunteer_who_lost_the_membership_cannot_confirm(client_as, volunteer, organization):
    second = OrganizationFactory()
    membership = MembershipFactory(user=volunteer, organization=second)
    client = client_as(volunteer)
    url = confirm_url(post_file(client, second, sample_fixed_bytes()))
    membership.delete()
    assert client.post(url).status_code == 403
    assert not Case.objects.exists()


def test_confirm_twice_writes_once(client_as, volunteer, organization):
    client = client_as(volunteer)
    url = confirm_url(post_file(client, organization, sample_fixed_bytes()))
    client.post(url)
    again = client.post(url, follow=True)
    assert "This upload was already imported or has expired" in again.text
    assert Case.objects.count() == 60


def test_confirm_checks_again_and_writes_nothing_when_a_row_went_bad(
    client_as, volunteer, organization
):
    case = CaseFactory(organization=organization)
    rows = [["Entry number", "Name", "Status"], [str(case.entry_number), "Testova Aru", "умер"]]
    client = client_as(volunteer)
    preview = post_file(client, organization, csv_bytes(rows))
    assert 'id="count-update">1<' in preview.text
    url = confirm_url(preview)
    case.entry_number += 1000
    case.save()
    response = client.post(url)
    assert response.status_code == 400
    assert "not a case of Test Group Almaty" in response.text
    case.refresh_from_db()
    assert case.status == Case.Status.CAMP


def test_an_entry_number_updates_that_case(client_as, volunteer, organization):
    case = CaseFactory(organization=organization)
    PersonNameFactory(person=case.person, value="Testova Aigerim")
    other = CaseFactory()
    rows = [
        ["Entry number", "Name", "Other names", "Status", "Date of detention", "Relative",
         "Relationship"],
        [str(case.entry_number), "Testova Aigerim", "Тестова Айгерим", "освобождена", "05.2019",
         "Testov Marat", "сын"],
        [str(other.entry_number), "Someone Else", "", "умер", "", "", ""],
    ]  # fmt: skip
    client = client_as(volunteer)
    preview = post_file(client, organization, csv_bytes(rows))
    assert 'id="count-update">1<' in preview.text
    assert 'id="count-fail">1<' in preview.text
    assert "not a case of Test Group Almaty" in preview.text

    preview = post_file(client, organization, csv_bytes(rows[:2]))
    client.post(confirm_url(preview))
    case.refresh_from_db()
    assert case.status == Case.Status.RELEASED_CHINA
    assert case.history.first().history_change_reason == "Imported from “cases.csv”, row 1"
    assert case.history.first().history_user == volunteer
    assert sorted(case.person.names.values_list("value", flat=True)) == [
        "Testova Aigerim",
        "Тестова Айгерим",
    ]
    assert case.events.filter(date_start=datetime.date(2019, 5, 1)).exists()
    assert Relationship.objects.get(person=case.person).relative.display_name == "Testov Marat"
    assert Case.objects.count() == 2


def test_the_progress_of_an_import_is_shown(client_as, volunteer, organization):
    client = client_as(volunteer)
    preview = post_file(client, organization, sample_fixed_bytes())
    url = confirm_url(preview)
    progress = url.replace("/confirm/", "/progress/")
    assert f'data-progress-url="{progress}?format=json"' in preview.text
    assert "cases/case-import.js" in preview.text
    waiting = client.get(progress)
    assert waiting.status_code == 200
    assert 'http-equiv="refresh"' in waiting.text
    client.post(url)
    assert client.get(progress + "?format=json").json() == {
        "state": "done",
        "done": 60,
        "total": 60,
    }
    finished = client.get(progress)
    assert "The import is done: 60 rows written." in finished.text
    assert 'http-equiv="refresh"' not in finished.text
    other = MembershipFactory(organization=organization).user
    client.force_login(other)
    assert client.get(progress + "?format=json").status_code == 404


def test_the_preview_runs_a_fixed_number_of_queries(
    client_as, volunteer, organization, django_assert_max_num_queries
):
    client = client_as(volunteer)
    small = [HEADERS_RU] + [
        ["1", f"Тестов Ерлан {chr(0x430 + i)}", "1970", "в лагере", "2018", "Іле", "", "", ""]
        for i in range(3)
    ]
    big = [HEADERS_RU] + [
        ["1", f"Тестов Ерлан {chr(0x430 + i % 30)}{i}", "1970", "в лагере", "2018", "Іле",
         "Тест Ана", "мать", "+7 700 000 00 00"]
        for i in range(600)
    ]  # fmt: skip
    # One query for the group's own cases, one for other groups' published entries, one for the
    # group's saved word meanings.
    with django_assert_max_num_queries(14):
        post_file(client, organization, csv_bytes(small))
    with django_assert_max_num_queries(14):
        post_file(client, organization, csv_bytes(big))


def test_a_database_error_while_writing_rolls_everything_back(
    client_as, volunteer, organization, monkeypatch
):
    from cases.models import EntryNumberCounter

    existing = CaseFactory(organization=organization)
    Case.objects.filter(pk=existing.pk).update(entry_number=40)
    # A counter that hands out a taken number (say, a restore that went wrong): only the
    # database notices, in the middle of the import.
    monkeypatch.setattr(EntryNumberCounter, "take", classmethod(lambda cls, count=1: 10))
    client = client_as(volunteer)
    response = client.post(confirm_url(post_file(client, organization, sample_fixed_bytes())))
    assert response.status_code == 302
    assert response.url == IMPORT_URL
    page = client.get(IMPORT_URL)
    assert "nothing was written" in page.text
    assert list(Case.objects.all()) == [existing]
    assert Person.objects.count() == 1
    assert not Case.history.exclude(id=existing.pk).exists()


def test_excel_dates_keep_the_precision_their_format_shows(client_as, volunteer, organization):
    march = datetime.datetime(2018, 3, 1)
    rows = [
        ["Name", "Birth date", "Date of detention"],
        ["Тестова Айгерім", datetime.datetime(1980, 1, 1), march],
        ["Тестова Сәуле", 1975, march],
        ["Тестова Дана", "1975", datetime.datetime(2018, 3, 12)],
    ]
    formats = [(2, 2, "yyyy"), (2, 3, "mm.yyyy"), (3, 3, "mmmm yyyy"), (4, 3, "dd.mm.yyyy")]
    client = client_as(volunteer)
    preview = post_file(client, organization, xlsx_bytes(rows, formats=formats), "dates.xlsx")
    client.post(confirm_url(preview))
    got = {
        case.person.display_name: (
            case.person.birth_date_precision,
            case.events.get().date_start,
            case.events.get().date_start_precision,
        )
        for case in Case.objects.all()
    }
    assert got == {
        "Тестова Айгерім": ("year", datetime.date(2018, 3, 1), "month"),
        "Тестова Сәуле": ("year", datetime.date(2018, 3, 1), "month"),
        "Тестова Дана": ("year", datetime.date(2018, 3, 12), "day"),
    }


def test_excel_unicode_text_imports(client_as, volunteer, organization):
    """Excel's "Unicode text" export: UTF-16 with a byte-order mark, separated by tabs."""
    text = "Name\tStatus\tDate of detention\r\nТестова Айгерім\tв лагере\tвесна 2018\r\n"
    client = client_as(volunteer)
    preview = post_file(client, organization, text.encode("utf-16"), "cases.txt")
    assert 'id="count-create">1<' in preview.text
    client.post(confirm_url(preview))
    assert Case.objects.get().status == Case.Status.CAMP


def test_rows_with_nothing_but_their_number_are_left_out(client_as, volunteer, organization):
    rows = [
        HEADERS_RU,
        ["1", "Тестова Айгерім", "1980", "в лагере", "2018", "Іле", "", "", ""],
        ["2", "", "", "", "", "", "", "", ""],
        ["3", "Тестова Сәуле", "1970", "в лагере", "2018", "Іле", "", "", ""],
        ["4"],
    ]
    preview = post_file(client_as(volunteer), organization, csv_bytes(rows))
    assert 'id="count-create">2<' in preview.text
    assert 'id="count-fail">0<' in preview.text
