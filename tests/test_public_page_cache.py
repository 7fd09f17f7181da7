"""The page cache for anonymous visitors: a hit costs no query, a publication or take-down
invalidates every page at once (across server processes sharing Redis), and nobody signed in
ever gets or leaves a cached page."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory

from cases.models import Case, Consent, PublicEntry
from cases.public.pagecache import cached_public_page
from cases.services.publication import take_down
from tests.factories import CaseFactory, ConsentFactory, PersonFactory, PersonNameFactory, publish

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = "redis://127.0.0.1:6379/7"


def published(name):
    case = CaseFactory(person=PersonFactory(), publication_state=Case.PublicationState.PUBLISHED)
    ConsentFactory(case=case, identity_level=Consent.IdentityLevel.NAME_ONLY)
    PersonNameFactory(person=case.person, value=name, script="latn")
    return publish(case)


def csv_text(client, **headers):
    response = client.get("/cases/open-data.csv", **headers)
    assert response.status_code == 200
    content = response.content if not response.streaming else b"".join(response.streaming_content)
    return content.decode()


def test_a_second_visit_is_served_from_the_cache_without_a_query(client, django_assert_num_queries):
    published("Sauytbay Gulzhan")
    first = csv_text(client)
    assert "Sauytbay Gulzhan" in first
    with django_assert_num_queries(0):
        assert csv_text(client) == first


def test_languages_are_cached_apart(client):
    published("Sauytbay Gulzhan")
    english = client.get("/cases/open-data.json", HTTP_ACCEPT_LANGUAGE="en")
    b"".join(english.streaming_content)
    russian = client.get("/cases/open-data.json", HTTP_ACCEPT_LANGUAGE="ru")
    assert russian["Content-Language"] == "ru"


def test_a_take_down_invalidates_cached_pages_at_once(client):
    case = published("Sauytbay Gulzhan")
    assert "Sauytbay Gulzhan" in csv_text(client)
    take_down(case=case, reason="consent withdrawn")
    assert "Sauytbay Gulzhan" not in csv_text(client)


def test_a_new_publication_invalidates_cached_pages(client):
    published("Sauytbay Gulzhan")
    assert "Tursun Mihrigul" not in csv_text(client)
    published("Tursun Mihrigul")
    assert "Tursun Mihrigul" in csv_text(client)


def test_a_signed_in_user_is_never_served_a_cached_page(client, site_staff):
    published("Sauytbay Gulzhan")
    assert "Sauytbay Gulzhan" in csv_text(client)
    # Changed behind the publication service's back, so that only a fresh render shows it.
    PublicEntry.objects.all().delete()
    assert "Sauytbay Gulzhan" in csv_text(client)
    client.force_login(site_staff)
    assert "Sauytbay Gulzhan" not in csv_text(client)


def test_a_signed_in_users_page_is_never_stored(client, site_staff, django_assert_max_num_queries):
    published("Sauytbay Gulzhan")
    client.force_login(site_staff)
    csv_text(client)
    client.logout()
    client.cookies.clear()
    PublicEntry.objects.all().delete()
    assert "Sauytbay Gulzhan" not in csv_text(client)


def test_a_response_that_sets_a_cookie_is_never_stored():
    renders = []

    @cached_public_page
    def page_with_a_form(request):
        renders.append(1)
        return HttpResponse(f"<form><input name=csrfmiddlewaretoken value={get_token(request)}>")

    factory = RequestFactory()
    page_with_a_form(factory.get("/with-a-form/"))
    page_with_a_form(factory.get("/with-a-form/"))
    assert len(renders) == 2


def test_a_download_is_cached_in_parts_and_read_back_whole(client, settings):
    """A large download is kept in parts, so that a server process holds one part of it at a
    time; a second visitor gets the same bytes, with its length announced."""
    settings.PUBLIC_PAGE_CACHE_PART_BYTES = 200
    for number in range(6):
        published(f"Sauytbay Gulzhan {number}")
    first = csv_text(client)
    assert len(first.encode()) > 3 * 200
    response = client.get("/cases/open-data.csv")
    assert response.streaming
    parts = list(response.streaming_content)
    # The header's chunk and the rows' chunk, each at least a part's size but the last.
    assert len(parts) >= 2
    assert all(len(part) >= 200 for part in parts[:-1])
    assert b"".join(parts).decode() == first
    assert int(response["Content-Length"]) == len(first.encode())


def test_a_download_with_an_evicted_part_is_rendered_again(client, settings):
    settings.PUBLIC_PAGE_CACHE_PART_BYTES = 200
    for number in range(6):
        published(f"Sauytbay Gulzhan {number}")
    first = csv_text(client)
    cache = caches["default"]
    # Local memory's own keys and its own delete: the part is gone as if evicted.
    part_keys = [key for key in cache._cache if ":part:1" in key]
    assert part_keys
    for key in part_keys:
        cache._delete(key)
    assert csv_text(client) == first
    assert any(":part:1" in key for key in cache._cache)


def stored_parts():
    return [key for key in caches["default"]._cache if ":part:" in key]


def test_a_download_larger_than_the_limit_is_streamed_each_time_and_leaves_no_part(
    client, settings
):
    settings.PUBLIC_PAGE_CACHE_PART_BYTES = 200
    settings.PUBLIC_PAGE_CACHE_MAX_BYTES = 500
    for number in range(6):
        published(f"Sauytbay Gulzhan {number}")
    first = csv_text(client)
    assert len(first.encode()) > 500
    response = client.get("/cases/open-data.csv")
    assert not response.has_header("Content-Length")
    assert b"".join(response.streaming_content).decode() == first
    # The parts written before the limit was passed are deleted again.
    assert stored_parts() == []


def test_a_download_broken_off_leaves_no_part_and_is_not_served_from_the_cache(
    client, settings
):
    settings.PUBLIC_PAGE_CACHE_PART_BYTES = 200
    for number in range(6):
        published(f"Sauytbay Gulzhan {number}")
    response = client.get("/cases/open-data.csv")
    pieces = iter(response.streaming_content)
    next(pieces)
    next(pieces)
    assert stored_parts()
    response.close()  # the visitor went away: the server closes the generator
    assert stored_parts() == []
    assert not client.get("/cases/open-data.csv").has_header("Content-Length")


def test_downloads_are_cached_apart_for_each_host(client, settings):
    """A download names the site's address: one asked for under another host name is
    rendered for that host, never served from the other's copy."""
    settings.ALLOWED_HOSTS = ["testserver", "casetracker.example"]
    published("Sauytbay Gulzhan")
    first = client.get("/cases/open-data.json")
    b"".join(first.streaming_content)
    other = client.get("/cases/open-data.json", HTTP_HOST="casetracker.example")
    assert b"casetracker.example" in b"".join(other.streaming_content)
    again = client.get("/cases/open-data.json")
    assert b"casetracker.example" not in b"".join(again.streaming_content)


def test_public_pages_set_no_cookie_or_are_not_cached(client, django_assert_max_num_queries):
    """A page that sets a cookie (the language form's CSRF token) is rendered for each visitor;
    a page that sets none comes from the cache."""
    published("Sauytbay Gulzhan")
    for url in ("/", "/cases/", "/figures/", "/organizations/", "/countries/", "/open-data/"):
        first = client.get(url)
        assert first.status_code == 200
        if first.cookies:
            continue
        with django_assert_max_num_queries(0):
            second = client.get(url)
        assert second.content == first.content
        assert not second.cookies


@pytest.fixture
def shared_redis(settings):
    """Django's cache on a Redis database of its own, as every production process shares it."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "casetracker.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield prefix
    caches["default"].clear()


def test_a_publication_in_another_process_invalidates_this_processs_cache(client, shared_redis):
    published("Sauytbay Gulzhan")
    assert "Sauytbay Gulzhan" in csv_text(client)
    PublicEntry.objects.all().delete()
    # Still the cached copy, now in Redis: this process would serve it to every visitor.
    assert "Sauytbay Gulzhan" in csv_text(client)
    # Another server process commits a publication (the service's own hook, on commit).
    script = (
        "import casetracker.settings as configured\n"
        f"configured.CACHES['default']['KEY_PREFIX'] = {shared_redis!r}\n"
        "import django; django.setup()\n"
        "from django.db import transaction\n"
        "from cases.services.publication import _public_record_changed\n"
        "with transaction.atomic():\n"
        "    _public_record_changed()\n"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "casetracker.settings",
        "CACHE_URL": REDIS_URL,
        "DATABASE_URL": "sqlite://:memory:",
    }
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment, check=True)
    assert "Sauytbay Gulzhan" not in csv_text(client)


def test_a_download_is_read_back_from_redis_in_parts_with_one_client(
    client, settings, shared_redis, django_assert_num_queries
):
    """In production the parts live in Redis: a second visitor gets the same bytes without a
    query, and the backend asks Redis through one client, not a new one per call."""
    settings.PUBLIC_PAGE_CACHE_PART_BYTES = 200
    for number in range(6):
        published(f"Sauytbay Gulzhan {number}")
    first = csv_text(client)
    with django_assert_num_queries(0):
        response = client.get("/cases/open-data.csv")
        parts = list(response.streaming_content)
    assert len(parts) >= 2
    assert b"".join(parts).decode() == first
    backend = caches["default"]._cache
    assert backend.get_client() is backend.get_client()


def test_with_a_read_replica_a_page_rendered_just_after_a_change_is_kept_briefly(
    client, settings, monkeypatch
):
    """A take-down commits on the primary; the replica that public pages read may show the
    entry a moment longer. A page rendered in that moment is kept only for the window, then
    rendered again, so that a taken-down entry cannot stay in the cache for a day."""
    import time

    from cases.public import pagecache

    monkeypatch.setattr(pagecache, "replica_configured", lambda: True)
    settings.PUBLIC_PAGE_CACHE_REPLICA_WINDOW_SECONDS = 60
    published("Sauytbay Gulzhan")  # the publication bumps the version: a change just now
    cache = caches["default"]

    def seconds_kept():
        pages = [k for k in cache._cache if ":public-pages:page:" in k]
        return max(cache._expire_info[k] for k in pages) - time.time()

    client.get("/cases/")
    assert seconds_kept() <= 60
    cache.clear()
    cache.set(pagecache.CHANGED_KEY, time.time() - 3600, None)
    client.get("/cases/")
    assert seconds_kept() > 3600

    # Without a replica, pages are kept for the full time even right after a change.
    monkeypatch.setattr(pagecache, "replica_configured", lambda: False)
    cache.clear()
    pagecache.bump_public_version()
    client.get("/cases/")
    assert seconds_kept() > 3600
