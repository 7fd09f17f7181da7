"""Words a spreadsheet's coded columns use that the import does not know: the dry run asks what
they mean once for the whole file, the volunteer answers (and may save the answer for the
group), and every row imports. Every name in the sheets is invented."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from cases.imports.vocabulary import (
    ETHNICITY,
    GENDER,
    RELATIONSHIP,
    STATUS,
    MeaningError,
    Meanings,
    Vocabulary,
    fold,
)
from cases.jobs import CASE_IMPORT
from cases.models import Case, ImportWordMapping, Relationship
from jobs.models import Job
from jobs.runner import start as start_job
from orgs.models import Membership
from tests.factories import MembershipFactory, UserFactory
from tests.import_sheets import csv_bytes, sample_bytes, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("case_import_dir")]

IMPORT_URL = "/admin/cases/case/import/"
KAZAKH_SHEET = Path(__file__).parent / "data" / "volunteer-sheet-kk.csv"
# The statuses of the Kazakh sheet that the built-in vocabulary does not hold, and their rows.
UNKNOWN = {"оқуда": [22, 26, 27], "хабар жоқ": [5, 10]}


def kazakh_sheet():
    return KAZAKH_SHEET.read_bytes()


def post_file(client, organization, content, name="kk.csv"):
    return client.post(IMPORT_URL, {"organization": organization.pk, "file": upload(content, name)})


def word_rows(response):
    """{word as written: (select name, the row's text)} of the dry run's questions."""
    rows = re.findall(r'<tr class="import-word[^"]*"[^>]*>(.*?)</tr>', response.text, re.S)
    found = {}
    for row in rows:
        word = re.search(r"<code>(.*?)</code>", row).group(1)
        name = re.search(r'<select name="([^"]+)"', row)
        found[word] = (name.group(1) if name else None, re.sub(r"<[^>]+>", " ", row))
    return found


def words_url(response):
    match = re.search(r'action="(/admin/cases/case/import/[^/"]+/words/)"', response.text)
    assert match, "the dry run asks nothing"
    return match.group(1)


def confirm_url(response):
    match = re.search(r'action="(/admin/cases/case/import/[^/"]+/confirm/)"', response.text)
    assert match, "the preview offers no confirm form"
    return match.group(1)


def answer(client, preview, meanings, *, remember=False):
    fields = word_rows(preview)
    data = {fields[word][0]: code for word, code in meanings.items()}
    if remember:
        data["remember"] = "on"
    return client.post(words_url(preview), data)


@pytest.fixture
def signed_in(client, volunteer):
    client.force_login(volunteer)
    return client


# --- the vocabulary ---


@pytest.mark.parametrize(
    ("vocabulary", "words", "code"),
    [
        (STATUS, ["задержан", "ұсталды", "кармалды", "tutulghan", "تۇتۇلغان"], "unknown_facility"),
        (STATUS, ["лагерде", "в лагере", "лагерьде", "لاگېردا", "lagérda", "lagerda"], "camp"),
        (STATUS, ["пропал без вести", "хабар-ошарсыз", "Хабар ошарсыз"], "disappeared"),
        (STATUS, ["dériksiz yoqalghan", "دېرىكسىز يوقالغان", "жоғалып кетті"], "disappeared"),
        (STATUS, ["освобождён", "ОСВОБОЖДЕН", "босатылды", "бошотулду"], "released_china"),
        (STATUS, ["сотталды", "осужден", "осуждён", "соттолду", "تۈرمىدە"], "imprisoned"),
        (STATUS, ["мәжбүрлі еңбекте", "мажбурли енбекте", "mejburiy emgek"], "forced_labour"),
        (STATUS, ["под стражей", "тергеуде", "qamaqta"], "pre_trial"),
        (STATUS, ["лагерде қайтыс болды", "умер в лагере", "lagérda ölgen"], "died_in_custody"),
        (STATUS, ["нет данных", "мәлімет жоқ", "نامەلۇم"], "unknown"),
        (RELATIONSHIP, ["әкесі", "Әкесі", "акеси", "отец", "ئاتىسى", "dadisi"], "father"),
        (RELATIONSHIP, ["анасы", "мать", "энеси", "ئانىسى"], "mother"),
        (RELATIONSHIP, ["ұлы", "улы", "сын", "уулу", "ئوغلى", "oghli"], "son"),
        (RELATIONSHIP, ["қызы", "кызы", "дочь", "قىزى"], "daughter"),
        (RELATIONSHIP, ["жұбайы", "жубайы", "супруги"], "spouse"),
        (RELATIONSHIP, ["аялы", "әйелі", "жена", "ئايالى"], "wife"),
        (RELATIONSHIP, ["күйеуі", "куйеуи", "күйөөсү", "муж", "ئېرى"], "husband"),
        (RELATIONSHIP, ["атасы", "әжесі", "дедушка", "чоң атасы"], "grandparent"),
        (RELATIONSHIP, ["апасы", "сіңлісі", "СІҢЛІСІ", "синлиси", "ئاچىسى"], "sister"),
        (RELATIONSHIP, ["агасы", "ағасы", "иниси", "інісі", "брат", "akisi"], "brother"),
        (GENDER, ["әйел", "ئايال", "ж"], "female"),
        (ETHNICITY, ["қазақ", "قازاق", "qazaq"], "kazakh"),
        (ETHNICITY, ["ұйғыр", "ئۇيغۇر", "уйгур"], "uyghur"),
    ],
)
def test_the_vocabulary_reads_the_words_volunteers_write(vocabulary, words, code):
    for word in words:
        assert vocabulary.get(word) == code, word


def test_words_are_compared_folded_with_kazakh_letters_kept():
    assert fold("  ОСВОБОЖДЁН! ") == "освобожден"
    assert fold("Сіңлісі") == "сіңлісі"
    # A zero-width non-joiner and a Persian keyboard's yeh do not make another word.
    assert fold("ئانى\u200cسى") == fold("ئانىسى")
    assert fold("ئانیسی") == fold("ئانىسى")


def test_no_word_means_two_codes():
    with pytest.raises(ValueError, match="means both"):
        Vocabulary(Case.Status, {"camp": "лагерде", "died": "лагерде"})
    with pytest.raises(ValueError, match="not a code"):
        Vocabulary(Case.Status, {"camping": "лагерде"})


def test_the_group_meaning_comes_before_the_built_in_words():
    meanings = Meanings(saved={"relationship": {"атасы": "father"}})
    assert meanings.look_up("relationship", "Атасы") == ("father", Meanings.SAVED)
    assert Meanings().look_up("relationship", "атасы") == ("grandparent", None)
    both = Meanings(file={"status": {"оқуда": "camp"}}, saved={"status": {"оқуда": "pre_trial"}})
    assert both.look_up("status", "Оқуда") == ("camp", Meanings.FILE)


@pytest.mark.parametrize(
    "params",
    [
        {"file": {"status": {"оқуда": "holiday"}}},
        {"file": {"status": {"оқуда": "mother"}}},
        {"saved": {"hair_colour": {"оқуда": "camp"}}},
        {"file": ["status"]},
        "status=camp",
    ],
)
def test_meanings_with_an_unknown_code_or_column_are_refused(params):
    with pytest.raises(MeaningError):
        Meanings.from_params(params)


# --- the dry run asks, the volunteer answers, every row imports ---


def test_the_sample_sheet_asks_nothing_and_names_row_42(signed_in, organization):
    preview = post_file(signed_in, organization, sample_bytes(), "sheet-ru.csv")
    assert 'id="words"' not in preview.text
    errors = re.findall(r'<tr class="import-error">(.*?)</tr>', preview.text, re.S)
    assert len(errors) == 1
    assert "row 42 (line 43)" in errors[0]
    assert "32.13.2018" in errors[0]
    assert 'id="case-import-confirm"' not in preview.text
    assert not Case.objects.exists()


def test_the_dry_run_lists_each_unknown_word_with_its_rows(signed_in, organization):
    preview = post_file(signed_in, organization, kazakh_sheet())
    assert preview.status_code == 200
    assert 'id="count-create">25<' in preview.text
    assert 'id="count-fail">5<' in preview.text
    assert 'id="case-import-confirm"' not in preview.text
    questions = word_rows(preview)
    assert set(questions) == set(UNKNOWN)
    for word, rows in UNKNOWN.items():
        name, text = questions[word]
        assert name is not None
        assert "Жағдайы" in text
        assert f"{len(rows)} rows: {', '.join(map(str, rows))}" in " ".join(text.split())
    # A question per word, not an error per row.
    assert '<tr class="import-error">' not in preview.text
    # The choices are the status's codes, with their labels, and nothing of another column.
    select = re.search(r'<select name="meaning-0".*?</select>', preview.text, re.S).group(0)
    assert '<option value="camp">detained in a camp</option>' in select
    assert 'value="mother"' not in select
    assert re.search(r'<label for="id_meaning-0" class="visually-hidden">', preview.text)
    assert not Case.objects.exists()


def test_after_mapping_every_row_of_the_kazakh_sheet_imports(
    signed_in, volunteer, organization, django_assert_max_num_queries
):
    preview = post_file(signed_in, organization, kazakh_sheet())
    with django_assert_max_num_queries(16):
        again = answer(signed_in, preview, {"оқуда": "camp", "хабар жоқ": "disappeared"})
    assert again.status_code == 200
    assert 'id="count-create">30<' in again.text
    assert 'id="count-fail">0<' in again.text
    assert not Case.objects.exists()
    # The answers stay on the page, to be changed before confirming.
    assert re.search(r'<option value="camp" selected>', again.text)

    response = signed_in.post(confirm_url(again), follow=True)
    assert "The import is done: 30 rows written." in response.text
    assert Case.objects.filter(organization=organization).count() == 30
    camp = Case.objects.filter(person__names__value="Бекмұхамбетов Нұрлыбек").first()
    assert camp is not None
    statuses = {
        history.history_change_reason: history.status
        for history in Case.history.filter(history_type="+")
    }
    for row in UNKNOWN["оқуда"]:
        assert statuses[f"Imported from “kk.csv”, row {row}"] == "camp"
    for row in UNKNOWN["хабар жоқ"]:
        assert statuses[f"Imported from “kk.csv”, row {row}"] == "disappeared"
    # Row 1's relative is "иниси", Kazakh typed on a Russian keyboard: a younger brother.
    first = Case.history.get(history_change_reason="Imported from “kk.csv”, row 1").instance
    assert Relationship.objects.get(person=first.person).kind == "brother"
    # Nothing was saved for the group: the box was not ticked.
    assert not ImportWordMapping.objects.exists()


def test_a_saved_meaning_applies_to_the_groups_next_import_only(
    client, signed_in, volunteer, organization, outsider, other_organization
):
    preview = post_file(signed_in, organization, kazakh_sheet())
    again = answer(signed_in, preview, {"оқуда": "camp", "хабар жоқ": "disappeared"}, remember=True)
    assert "saved for the next imports of Test Group Almaty" in again.text
    saved = ImportWordMapping.objects.get(word="оқуда")
    assert (saved.organization, saved.column, saved.code) == (organization, "status", "camp")
    assert saved.created_by == volunteer
    assert ImportWordMapping.objects.count() == 2

    # The same group's next import reads the words at once, and says so.
    colleague = MembershipFactory(organization=organization).user
    client.force_login(colleague)
    next_time = post_file(client, organization, kazakh_sheet(), "kk-again.csv")
    assert 'id="count-create">30<' in next_time.text
    assert 'id="count-fail">0<' in next_time.text
    saved_rows = re.findall(r'<li class="import-saved-word">(.*?)</li>', next_time.text, re.S)
    assert any(
        "оқуда" in row and "detained in a camp" in row and "rows 22, 26, 27" in row
        for row in saved_rows
    )
    client.post(confirm_url(next_time))
    assert Case.objects.filter(organization=organization, status="camp").count() >= 3

    # Another group never sees them: its dry run asks.
    client.force_login(outsider)
    elsewhere = post_file(client, other_organization, kazakh_sheet())
    assert set(word_rows(elsewhere)) == set(UNKNOWN)
    assert 'id="count-fail">5<' in elsewhere.text
    assert "import-saved-word" not in elsewhere.text
    assert not Case.objects.filter(organization=other_organization).exists()


def test_the_job_applies_the_meanings_the_preview_showed(
    client, signed_in, organization, coordinator
):
    ImportWordMapping.objects.create(
        organization=organization, column="status", word="Оқуда", code="camp"
    )
    ImportWordMapping.objects.create(
        organization=organization, column="status", word="хабар жоқ", code="disappeared"
    )
    preview = post_file(signed_in, organization, kazakh_sheet())
    assert 'id="count-fail">0<' in preview.text
    # Meanwhile the coordinator changes the group's meaning: the confirmed import keeps the one
    # the volunteer saw.
    ImportWordMapping.objects.filter(word="оқуда").update(code="pre_trial")
    signed_in.post(confirm_url(preview))
    rows = {
        history.history_change_reason: history.status
        for history in Case.history.filter(history_type="+")
    }
    assert {rows[f"Imported from “kk.csv”, row {row}"] for row in UNKNOWN["оқуда"]} == {"camp"}


def test_a_file_with_other_errors_lists_its_words_and_waits_for_the_fix(
    signed_in, organization, case_import_dir
):
    rows = [
        ["Аты-жөні", "Жағдайы", "Ұсталған жылы"],
        ["Тестұлы Ерғали", "оқуда", "2018"],
        ["Тестова Айнагүл", "оқуда", "32.13.2018"],
    ]
    preview = post_file(signed_in, organization, csv_bytes(rows))
    assert "Words this import does not know" in preview.text
    assert "<code>оқуда</code>" in preview.text
    assert "/words/" not in preview.text
    assert "32.13.2018" in preview.text
    folder = Path(case_import_dir)
    assert not folder.exists() or not list(folder.iterdir())


# --- hostile answers ---


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("holiday", "“holiday” is not a meaning of the column “Status”"),
        ("mother", "“mother” is not a meaning of the column “Status”"),
    ],
)
def test_a_meaning_that_is_not_a_code_of_the_column_is_refused(
    signed_in, organization, code, message
):
    preview = post_file(signed_in, organization, kazakh_sheet())
    refused = answer(signed_in, preview, {"оқуда": code, "хабар жоқ": "disappeared"}, remember=True)
    assert refused.status_code == 400
    assert message in refused.text
    assert 'id="case-import-confirm"' not in refused.text
    assert not ImportWordMapping.objects.exists()
    # The file still waits with no meanings: confirming it imports nothing.
    token_url = words_url(preview).replace("/words/", "/confirm/")
    response = signed_in.post(token_url)
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_a_meaning_for_a_word_not_in_the_file_is_refused(signed_in, organization):
    preview = post_file(signed_in, organization, kazakh_sheet())
    fields = word_rows(preview)
    refused = signed_in.post(
        words_url(preview),
        {fields["оқуда"][0]: "camp", "meaning-99": "died", "remember": "on"},
    )
    assert refused.status_code == 400
    assert "not in this file" in refused.text
    assert not ImportWordMapping.objects.exists()


def test_a_forged_token_is_refused(signed_in, organization):
    post_file(signed_in, organization, kazakh_sheet())
    response = signed_in.post(
        "/admin/cases/case/import/forged-token/words/", {"meaning-0": "camp"}, follow=True
    )
    assert "This upload was already imported or has expired" in response.text
    assert not ImportWordMapping.objects.exists()
    assert not Case.objects.exists()


def test_another_user_cannot_answer_for_an_upload(client, signed_in, organization):
    preview = post_file(signed_in, organization, kazakh_sheet())
    other = MembershipFactory(organization=organization).user
    client.force_login(other)
    response = client.post(words_url(preview), {"meaning-0": "camp"}, follow=True)
    assert "This upload was already imported or has expired" in response.text
    assert not ImportWordMapping.objects.exists()


def test_a_job_with_forged_meanings_writes_nothing(volunteer, organization):
    job = start_job(
        CASE_IMPORT,
        user=volunteer,
        reference="forged",
        params={
            "token": "forged",
            "file_name": "kk.csv",
            "sha256": "0" * 64,
            "organization_id": organization.pk,
            "meanings": {"file": {"status": {"оқуда": "mother"}}},
        },
    )
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert "meanings given for the file's words are not valid" in job.error
    assert not Case.objects.exists()


# --- the group's meanings in the admin ---


def mapping_url(mapping=None):
    if mapping is None:
        return reverse("admin:cases_importwordmapping_changelist")
    return reverse("admin:cases_importwordmapping_change", args=[mapping.pk])


def test_a_coordinator_changes_and_deletes_the_groups_meanings(
    client, coordinator, organization, other_organization
):
    own = ImportWordMapping.objects.create(
        organization=organization, column="status", word="оқуда", code="camp"
    )
    theirs = ImportWordMapping.objects.create(
        organization=other_organization, column="status", word="окууда", code="camp"
    )
    client.force_login(coordinator)
    listing = client.get(mapping_url())
    assert listing.status_code == 200
    assert "оқуда" in listing.text
    assert "окууда" not in listing.text
    assert client.get(mapping_url(theirs)).status_code == 404

    page = client.get(mapping_url(own))
    assert page.status_code == 200
    response = client.post(
        mapping_url(own),
        {"organization": organization.pk, "word": "ОҚУДА ", "meaning": "status:pre_trial"},
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.word, own.column, own.code) == ("оқуда", "status", "pre_trial")

    # A meaning of another column is its own; a made-up one is refused.
    refused = client.post(
        mapping_url(own),
        {"organization": organization.pk, "word": "оқуда", "meaning": "status:mother"},
    )
    assert refused.status_code == 200
    own.refresh_from_db()
    assert own.code == "pre_trial"
    # Another group's organization is not offered.
    refused = client.post(
        mapping_url(own),
        {"organization": other_organization.pk, "word": "оқуда", "meaning": "status:camp"},
    )
    assert refused.status_code == 200
    own.refresh_from_db()
    assert own.organization == organization

    delete = reverse("admin:cases_importwordmapping_delete", args=[own.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not ImportWordMapping.objects.filter(pk=own.pk).exists()
    assert ImportWordMapping.objects.filter(pk=theirs.pk).exists()


def test_a_coordinator_adds_a_meaning_and_a_duplicate_is_refused(client, coordinator, organization):
    client.force_login(coordinator)
    add = reverse("admin:cases_importwordmapping_add")
    data = {"organization": organization.pk, "word": "Атасы", "meaning": "relationship:father"}
    assert client.post(add, data).status_code == 302
    mapping = ImportWordMapping.objects.get()
    assert (mapping.word, mapping.column, mapping.code) == ("атасы", "relationship", "father")
    assert mapping.created_by == coordinator
    again = client.post(add, {**data, "word": "атасы"})
    assert again.status_code == 200
    assert ImportWordMapping.objects.count() == 1


def test_a_volunteer_sees_the_groups_meanings_but_cannot_change_them(
    client, volunteer, organization
):
    mapping = ImportWordMapping.objects.create(
        organization=organization, column="status", word="оқуда", code="camp"
    )
    client.force_login(volunteer)
    assert client.get(mapping_url()).status_code == 200
    response = client.post(
        mapping_url(mapping),
        {"organization": organization.pk, "word": "оқуда", "meaning": "status:died"},
    )
    assert response.status_code == 403
    mapping.refresh_from_db()
    assert mapping.code == "camp"


def test_someone_without_a_group_sees_no_meanings(client, organization):
    ImportWordMapping.objects.create(
        organization=organization, column="status", word="оқуда", code="camp"
    )
    stranger = UserFactory(is_staff=True)
    client.force_login(stranger)
    assert client.get(mapping_url()).status_code == 403
    assert Membership.objects.filter(user=stranger).count() == 0


def test_every_coded_column_asks_about_its_own_words(signed_in, organization):
    headers = ["Аты-жөні", "Жынысы", "Ұлты", "Жағдайы", "Туған жері", "Арыз беруші", "Туыстығы"]
    rows = [
        headers,
        ["Тестұлы Ерғали", "еркек кісі", "моңғол", "лагерде", "Шиху, Шиху", "Тестова Әлия",
         "нағашы апасы"],
        ["Тестова Айнагүл", "ж", "қазақ", "оқуда", "Шиху", "Тестұлы Марат", "нағашы апасы"],
    ]  # fmt: skip
    preview = post_file(signed_in, organization, csv_bytes(rows))
    questions = word_rows(preview)
    assert set(questions) == {"еркек кісі", "моңғол", "оқуда", "Шиху", "нағашы апасы"}
    assert "2 rows: 1, 2" in " ".join(questions["Шиху"][1].split())
    again = answer(
        signed_in,
        preview,
        {
            "еркек кісі": "male",
            "моңғол": "other",
            "оқуда": "camp",
            "Шиху": "tacheng",
            "нағашы апасы": "other",
        },
    )
    assert 'id="count-create">2<' in again.text
    signed_in.post(confirm_url(again))
    case = Case.history.get(history_change_reason="Imported from “kk.csv”, row 1").instance
    person = case.person
    assert (person.gender, person.ethnicity, person.hometown_prefecture) == (
        "male",
        "other",
        "tacheng",
    )
    assert person.hometown_county == "Шиху"
    assert Relationship.objects.get(person=person).kind == "other"


def test_a_prefecture_question_offers_prefectures_only(signed_in, organization):
    rows = [["Аты-жөні", "Туған жері"], ["Тестұлы Ерғали", "Шиху, Шиху"]]
    preview = post_file(signed_in, organization, csv_bytes(rows))
    refused = answer(signed_in, preview, {"Шиху": "camp"})
    assert refused.status_code == 400
    assert "“camp” is not a meaning of the column “Hometown prefecture”" in refused.text
    assert not Case.objects.exists()


def test_a_file_with_too_many_different_words_is_not_a_questionnaire(
    signed_in, organization, case_import_dir
):
    rows = [["Аты-жөні", "Жағдайы"]] + [
        [f"Тестұлы Ерғали {chr(0x430 + i % 30)}{i}", f"сөз{i}"] for i in range(101)
    ]
    preview = post_file(signed_in, organization, csv_bytes(rows))
    assert "too many to ask about one by one" in preview.text
    assert "/words/" not in preview.text
    folder = Path(case_import_dir)
    assert not folder.exists() or not list(folder.iterdir())


def test_a_saved_meaning_is_changed_by_a_coordinator_only(organization, volunteer, coordinator):
    ImportWordMapping.remember(
        organization, {"status": {"оқуда": "camp"}}, user=coordinator, may_change=True
    )
    ImportWordMapping.remember(
        organization,
        {"status": {"оқуда": "pre_trial", "хабар жоқ": "disappeared"}},
        user=volunteer,
        may_change=False,
    )
    saved = ImportWordMapping.meanings_of(organization)
    assert saved["status"] == {"оқуда": "camp", "хабар жоқ": "disappeared"}
    ImportWordMapping.remember(
        organization, {"status": {"оқуда": "pre_trial"}}, user=coordinator, may_change=True
    )
    assert ImportWordMapping.meanings_of(organization)["status"]["оқуда"] == "pre_trial"
