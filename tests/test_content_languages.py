"""Content in several languages: names marked with their language and direction, a case's
summary and events' descriptions in the visitor's language (as published), dates in the
page's language, and an open-data CSV that spreadsheet programs read as UTF-8."""

import re

import pytest
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import pgettext

from cases.models import Case, CaseTranslation, Consent
from cases.public.pagecache import bump_public_version
from tests.factories import (
    CaseEventFactory,
    CaseFactory,
    ConsentFactory,
    PersonNameFactory,
    publish,
)

pytestmark = pytest.mark.django_db


def named_case(**fields):
    case = CaseFactory(publication_state=Case.PublicationState.PUBLISHED, **fields)
    ConsentFactory(case=case, identity_level=Consent.IdentityLevel.NAME_ONLY)
    return case


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_every_name_carries_its_language_and_direction(client):
    case = named_case()
    PersonNameFactory(person=case.person, value="Sauytbay Gulzhan", script="latn", language="kk")
    PersonNameFactory(
        person=case.person, value="Сауытбай Гүлжан", script="cyrl", language="kk", kind="alias"
    )
    PersonNameFactory(
        person=case.person, value="ساۋۇتباي گۈلجان", script="arab", language="ug", kind="alias"
    )
    PersonNameFactory(
        person=case.person,
        value="萨吾提拜·古丽詹",
        script="hani",
        language="zh",
        kind="official_zh",
    )
    publish(case)
    text = page(client, f"/ru/cases/{case.entry_number}/")
    assert '<html lang="ru" dir="ltr">' in text
    assert '<span class="person-name" lang="ug" dir="rtl">ساۋۇتباي گۈلجان</span>' in text
    assert '<span class="person-name" lang="zh-Hans" dir="ltr">萨吾提拜·古丽詹</span>' in text
    assert '<span class="person-name" lang="kk" dir="ltr">Сауытбай Гүлжан</span>' in text
    assert '<span class="person-name" lang="kk-Latn" dir="ltr">Sauytbay Gulzhan</span>' in text
    listing = page(client, "/ug/cases/")
    assert '<html lang="ug" dir="rtl">' in listing
    assert '<span class="person-name" lang="kk-Latn" dir="ltr">Sauytbay Gulzhan</span>' in listing


def test_a_name_of_unknown_language_names_its_script():
    from cases.names import name_direction, name_language_tag

    assert name_language_tag("Иванова Анна") == "und-Cyrl"
    assert name_language_tag("Иванова Анна", "cyrl", "ru") == "ru"
    assert name_language_tag("ئايگۈل", "arab", "other") == "ug"
    assert name_language_tag("ئايگۈل", "arab", "kk") == "kk-Arab"
    assert name_language_tag("王芳") == "zh-Hans"
    assert name_direction("ئايگۈل") == "rtl"
    assert name_direction("Aigul") == "ltr"


def test_dates_on_the_case_page_speak_the_pages_language(client):
    case = named_case()
    PersonNameFactory(person=case.person, value="Testova Aigerim", script="latn")
    CaseEventFactory(case=case)  # March 2018, month precision
    publish(case)
    assert "наурыз 2018" in page(client, f"/kk/cases/{case.entry_number}/")
    assert "март 2018" in page(client, f"/ru/cases/{case.entry_number}/")
    assert "2018年3月" in page(client, f"/zh-hans/cases/{case.entry_number}/")
    assert "March 2018" in page(client, f"/cases/{case.entry_number}/")


@pytest.fixture
def translated_case():
    case = named_case(summary="Задержан после поездки в Казахстан.", content_language="ru")
    PersonNameFactory(person=case.person, value="Testov Yerlan", script="latn")
    event = CaseEventFactory(case=case, description="Увезён ночью из дома.")
    CaseTranslation.objects.create(
        case=case, language="kk", text="Қазақстанға сапардан кейін ұсталды."
    )
    CaseTranslation.objects.create(
        case=case, event=event, language="kk", text="Түнде үйінен алып кетті."
    )
    publish(case)
    return case


def note(language, message):
    """The note under a text, as the page in `language` words it."""
    with translation.override(language):
        return escape(
            pgettext("note under a text", message) % {"language": pgettext("language", "Russian")}
        )


def test_the_summary_and_the_events_read_in_the_visitors_language(client, translated_case):
    text = page(client, f"/kk/cases/{translated_case.entry_number}/")
    assert '<p lang="kk" dir="ltr">Қазақстанға сапардан кейін ұсталды.</p>' in text
    assert '<p lang="kk" dir="ltr">Түнде үйінен алып кетті.</p>' in text
    assert f'<p class="muted written-in">{note("kk", "Translated from %(language)s")}</p>' in text
    assert "Задержан" not in text


def test_without_a_version_in_the_visitors_language_the_original_says_its_language(
    client, translated_case
):
    text = page(client, f"/ug/cases/{translated_case.entry_number}/")
    assert '<p lang="ru" dir="ltr">Задержан после поездки в Казахстан.</p>' in text
    assert '<p lang="ru" dir="ltr">Увезён ночью из дома.</p>' in text
    assert f'<p class="muted written-in">{note("ug", "Written in %(language)s")}</p>' in text
    russian = page(client, f"/ru/cases/{translated_case.entry_number}/")
    assert '<p lang="ru" dir="ltr">Задержан после поездки в Казахстан.</p>' in russian
    assert "written-in" not in russian


def test_a_translation_is_public_only_once_published(client, translated_case):
    CaseTranslation.objects.create(
        case=translated_case, language="en", text="Detained after a trip to Kazakhstan."
    )
    bump_public_version()
    url = f"/cases/{translated_case.entry_number}/"
    assert "Detained after a trip" not in page(client, url)
    publish(translated_case)
    assert '<p lang="en" dir="ltr">Detained after a trip to Kazakhstan.</p>' in page(client, url)


def test_a_withdrawn_consent_leaves_no_translation_in_public(client, translated_case):
    from cases.models import PublicEntry

    entry = PublicEntry.objects.get(case=translated_case)
    assert entry.content["summary_translations"] == {"kk": "Қазақстанға сапардан кейін ұсталды."}
    anonymous = named_case(summary="Private words.", content_language="en")
    anonymous.consent.identity_level = Consent.IdentityLevel.ANONYMOUS
    anonymous.consent.save()
    CaseTranslation.objects.create(case=anonymous, language="ru", text="Тайные слова.")
    publish(anonymous)
    assert PublicEntry.objects.get(case=anonymous).content == {}


def test_the_case_page_in_the_admin_offers_translations_of_its_events(
    client, volunteer, organization, translated_case
):
    translated_case.organization = organization
    translated_case.save()
    client.force_login(volunteer)
    text = client.get(f"/admin/cases/case/{translated_case.pk}/change/").text
    assert 'name="translations-TOTAL_FORMS" value="2"' in text
    assert re.search(r'<option value="\d+" selected>detained · March 2018</option>', text)
    assert "Түнде үйінен алып кетті." in text


def test_the_open_data_csv_opens_in_excel(client):
    case = named_case()
    PersonNameFactory(person=case.person, value="Сауытбай Гүлжан", script="cyrl")
    publish(case)
    response = client.get("/cases/open-data.csv")
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbfentry_number,")
    assert "Сауытбай Гүлжан" in content.decode("utf-8-sig")


def test_numbers_and_latin_text_are_isolated_in_uyghur_sentences(client):
    case = named_case()
    PersonNameFactory(person=case.person, value="Testova Aigerim", script="latn")
    publish(case)
    number = case.entry_number
    uyghur = page(client, f"/ug/cases/{number}/")
    assert f"<bdi>{number}</bdi>" in uyghur
    assert f"<bdi>http://testserver/ug/cases/{number}/</bdi>" in uyghur
    english = page(client, f"/cases/{number}/")
    assert "<bdi>" not in english


def test_a_translation_counts_as_an_edit_for_the_four_eyes_rule(reviewer):
    from cases.services.publication import content_editors

    case = named_case(summary="Задержан после поездки в Казахстан.", content_language="ru")
    assert reviewer.pk not in content_editors(case)
    translation = CaseTranslation(case=case, language="en", text="Detained after a trip.")
    translation._history_user = reviewer
    translation.save()
    assert reviewer.pk in content_editors(case)
