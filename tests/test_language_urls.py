"""Every public page has an address per language (English without a prefix), a visitor arriving
from elsewhere reads the browser's language, the language links keep the page and set no cookie,
and the public pages stay cacheable."""

import re

import pytest
from django.utils import translation

from cases.models import Case, Consent
from tests.factories import CaseFactory, ConsentFactory, PersonNameFactory, publish

pytestmark = pytest.mark.django_db

LANGUAGES = ("kk", "ru", "ky", "ug", "zh-hans", "en")


@pytest.fixture
def entry(db):
    case = CaseFactory(publication_state=Case.PublicationState.PUBLISHED)
    ConsentFactory(case=case, identity_level=Consent.IdentityLevel.NAME_ONLY)
    PersonNameFactory(person=case.person, value="Aigerim Testova", script="latn")
    publish(case)
    return case


def alternates(text):
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', text))


def test_each_language_has_its_own_address_and_declares_itself(client, entry):
    for code, prefix in [("kk", "/kk"), ("ru", "/ru"), ("ug", "/ug"), ("zh-hans", "/zh-hans")]:
        response = client.get(f"{prefix}/cases/{entry.entry_number}/")
        assert response.status_code == 200
        assert response["Content-Language"] == code
        text = response.content.decode()
        direction = "rtl" if code == "ug" else "ltr"
        assert f'<html lang="{code}" dir="{direction}">' in text
    english = client.get(f"/cases/{entry.entry_number}/")
    assert english["Content-Language"] == "en"


def test_every_page_lists_its_versions_in_every_language_and_a_default(client, entry):
    text = client.get(f"/ky/cases/{entry.entry_number}/").content.decode()
    found = alternates(text)
    base = "http://testserver"
    assert found == {
        "kk": f"{base}/kk/cases/{entry.entry_number}/",
        "ru": f"{base}/ru/cases/{entry.entry_number}/",
        "ky": f"{base}/ky/cases/{entry.entry_number}/",
        "ug": f"{base}/ug/cases/{entry.entry_number}/",
        "zh-hans": f"{base}/zh-hans/cases/{entry.entry_number}/",
        "en": f"{base}/cases/{entry.entry_number}/",
        "x-default": f"{base}/cases/{entry.entry_number}/",
    }
    assert f'<link rel="canonical" href="{base}/ky/cases/{entry.entry_number}/">' in text


def test_the_language_links_keep_the_page_and_its_query_and_post_nothing(client, entry):
    response = client.get("/ru/cases/?status=camp&page=1")
    text = response.content.decode()
    footer = text[text.index('<footer class="site-footer">') :]
    assert 'method="post"' not in footer
    assert 'href="/kk/cases/?status=camp&amp;page=1" lang="kk" hreflang="kk"' in footer
    assert 'href="/cases/?status=camp&amp;page=1" lang="en" hreflang="en"' in footer
    assert 'lang="ug" hreflang="ug" dir="rtl"' in footer
    assert (
        'href="/ru/cases/?status=camp&amp;page=1" lang="ru" hreflang="ru" dir="ltr" aria-current'
        in (footer)
    )
    assert not response.cookies


def test_a_visitor_arriving_from_elsewhere_is_sent_to_the_browsers_language(client, entry):
    url = f"/cases/{entry.entry_number}/?from=chat"
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="kk-KZ,kk;q=0.9,ru;q=0.8")
    assert response.status_code == 302
    assert response["Location"] == f"/kk/cases/{entry.entry_number}/?from=chat"
    assert "Accept-Language" in response["Vary"]
    assert not response.cookies
    home = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9", HTTP_SEC_FETCH_SITE="none")
    assert home["Location"] == "/zh-hans/"


def test_a_visitor_choosing_english_on_the_site_reads_english(client, entry):
    url = f"/cases/{entry.entry_number}/"
    chosen = client.get(url, HTTP_ACCEPT_LANGUAGE="ug", HTTP_SEC_FETCH_SITE="same-origin")
    assert chosen.status_code == 200
    assert chosen["Content-Language"] == "en"
    assert "Sec-Fetch-Site" in chosen["Vary"]
    # A browser without Fetch Metadata: the same-origin Referer tells the same.
    referred = client.get(
        url, HTTP_ACCEPT_LANGUAGE="ug", HTTP_REFERER="http://testserver/ug/cases/"
    )
    assert referred.status_code == 200
    # A Referer from another site is an arrival from elsewhere.
    elsewhere = client.get(
        url, HTTP_ACCEPT_LANGUAGE="ug", HTTP_REFERER="https://news.example.com/story"
    )
    assert elsewhere["Location"] == f"/ug{url}"


def test_a_prefixed_page_ignores_the_browsers_language(client, entry):
    response = client.get("/ru/cases/", HTTP_ACCEPT_LANGUAGE="kk")
    assert response.status_code == 200
    assert response["Content-Language"] == "ru"
    assert "Accept-Language" not in response.get("Vary", "")


def test_the_staff_side_follows_the_browsers_language(client, volunteer):
    client.force_login(volunteer)
    response = client.get("/staff/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response["Content-Language"] == "ru"
    assert client.get("/kk/staff/").status_code == 404


def test_an_error_page_offers_each_languages_home_and_not_the_address(client):
    text = client.get("/ru/cases/987654321/").content.decode()
    footer = text[text.index('<footer class="site-footer">') :]
    assert "987654321" not in footer
    assert 'href="/kk/" lang="kk"' in footer
    assert 'href="/" lang="en"' in footer
    assert 'hreflang="x-default"' not in text


@pytest.mark.parametrize("language", ["en", "kk", "ug"])
def test_public_pages_set_no_cookie_and_the_second_visit_comes_from_the_cache(
    client, entry, language, django_assert_max_num_queries
):
    with translation.override(language):
        from django.urls import reverse

        urls = [
            reverse("home"),
            reverse("cases:list"),
            reverse("cases:case", kwargs={"entry_number": entry.entry_number}),
        ]
    for url in urls:
        first = client.get(url)
        assert first.status_code == 200, url
        assert not first.cookies, url
        assert first["Content-Language"] == language
        with django_assert_max_num_queries(0):
            second = client.get(url)
        assert second.content == first.content
        assert not second.cookies


def test_the_sitemap_lists_every_language_with_alternates(client, entry):
    text = client.get("/sitemap.xml").content.decode()
    number = entry.entry_number
    assert f"<loc>http://testserver/cases/{number}/</loc>" in text
    assert f"<loc>http://testserver/ug/cases/{number}/</loc>" in text
    assert (
        f'<xhtml:link rel="alternate" hreflang="kk" href="http://testserver/kk/cases/{number}/"/>'
        in text
    )
    assert (
        f'<xhtml:link rel="alternate" hreflang="x-default" '
        f'href="http://testserver/cases/{number}/"/>' in text
    )
