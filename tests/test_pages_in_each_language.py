"""A page read in Kazakh, Russian, Kyrgyz, Uyghur or Chinese holds no English sentence of the
project's own: every message of the catalogs that the language translates is looked for, in its
English form, in the text of the public pages, the submission form, the admin pages a volunteer
uses, the import and the staff area."""

import html
import re

import pytest
from babel.messages.pofile import read_po

from cases.models import Case, Consent
from casetracker.catalogs import LOCALE_DIR
from tests.factories import CaseFactory, ConsentFactory, PersonNameFactory, publish

pytestmark = pytest.mark.django_db

LANGUAGES = {"kk": "kk", "ru": "ru", "ky": "ky", "ug": "ug", "zh-hans": "zh_Hans"}
CATALOGS = {**LANGUAGES, "en": "kk"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
TAG = re.compile(r"<[^>]+>")
SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.S)


def english_sentences(catalog_language):
    """The literal runs of four words or more of each message that the language translates."""
    with (LOCALE_DIR / catalog_language / "LC_MESSAGES" / "django.po").open("rb") as source:
        catalog = read_po(source, locale=catalog_language)
    runs = set()
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english in ids:
            if english in strings:
                continue
            for run in PLACEHOLDER.split(TAG.sub(" ", english)):
                run = " ".join(html.unescape(run).split()).strip(" .,:;")
                if len(run.split()) >= 4:
                    runs.add(run)
    return runs


def visible_text(page):
    return " ".join(html.unescape(TAG.sub(" ", SCRIPT.sub(" ", page))).split())


@pytest.fixture
def published_case(organization):
    case = CaseFactory(organization=organization, publication_state=Case.PublicationState.PUBLISHED)
    ConsentFactory(case=case, identity_level=Consent.IdentityLevel.NAME_ONLY)
    PersonNameFactory(person=case.person, value="Invented Testname", script="latn")
    return publish(case)


def english_left(client, url, language):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language, follow=True)
    assert response.status_code in (200, 404), (url, response.status_code)
    text = visible_text(response.content.decode())
    return sorted(run for run in english_sentences(CATALOGS[language]) if run in text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages_hold_no_english_sentence_of_the_project(client, language, published_case):
    urls = [
        "/",
        "/cases/",
        "/cases/?q=nobody-is-called-this",
        f"/cases/{published_case.entry_number}/",
        "/methodology/",
        "/submit/",
        "/figures/",
        "/cases/999999/",
    ]
    for url in urls:
        assert english_left(client, url, language) == [], url


@pytest.mark.parametrize("language", LANGUAGES)
def test_admin_and_staff_pages_hold_no_english_sentence_of_the_project(
    client, language, volunteer, site_staff, published_case
):
    client.force_login(volunteer)
    for url in [
        "/admin/",
        "/admin/cases/case/",
        "/admin/cases/case/add/",
        f"/admin/cases/case/{published_case.pk}/change/",
        "/admin/cases/case/import/",
    ]:
        assert english_left(client, url, language) == [], url
    client.force_login(site_staff)
    assert english_left(client, "/staff/", language) == []


def test_the_check_finds_english_sentences_on_an_english_page(client, volunteer, published_case):
    assert english_left(client, "/methodology/", "en") != []
    client.force_login(volunteer)
    page = client.get(f"/admin/cases/case/{published_case.pk}/change/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    text = visible_text(page.content.decode())
    assert any(run in text for run in english_sentences("kk"))
