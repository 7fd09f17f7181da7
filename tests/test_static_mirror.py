"""The static mirror: every public page in every language as plain files, and nothing else.

The crawl reads the output folder as a static host would serve it: no private marker anywhere,
no admin, staff or sign-in URL, and every link resolves to a file inside the folder.
"""

import html
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from cases.models import Case
from orgs.models import AuditEvent
from tests.factories import CaseFactory, ConsentFactory, PersonNameFactory, publish
from tests.test_public_privacy import (  # noqa: F401 -- the fixture, shared
    MARKER,
    fill_private_fields_with_marker,
    published_world,
)

pytestmark = pytest.mark.django_db

ATTRIBUTE_URL = re.compile(r'\b(?:href|src|action)="([^"]*)"')
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.fixture
def mirror(published_world, tmp_path, settings):  # noqa: F811
    organization = published_world["organization"]
    cases = []
    for number in range(22):  # a second page of the list
        case = CaseFactory(
            organization=organization,
            publication_state=Case.PublicationState.PUBLISHED,
            published_at=timezone.now(),
        )
        PersonNameFactory(person=case.person, value=f"Invented Mirror {number}")
        ConsentFactory(case=case)
        cases.append(case)
    filled = fill_private_fields_with_marker()
    assert "notes" in filled["cases.case"]
    # Published after the marking: whatever publication reads of the marked records goes public.
    world = published_world
    publish(*cases, world["full"], world["name_only"], world["anonymous"])
    output = tmp_path / "mirror"
    call_command("export_static_site", output=output)
    return output


def links_in(file: Path):
    text = file.read_text(encoding="utf-8")
    pattern = CSS_URL if file.suffix == ".css" else ATTRIBUTE_URL
    return [html.unescape(url) for url in pattern.findall(text)]


def check_no_private_marker_no_staff_url_and_no_broken_link(mirror):
    files = [path for path in mirror.rglob("*") if path.is_file()]
    assert len(files) > 50
    checked_links = 0
    for file in files:
        data = file.read_bytes()
        assert MARKER.lower().encode() not in data.lower(), file
        if file.suffix not in {".html", ".css"}:
            continue
        for url in links_in(file):
            parts = urlsplit(url)
            for forbidden in ("admin", "staff", "account", "submit", "i18n", "healthz"):
                assert f"/{forbidden}" not in parts.path and not parts.path.startswith(forbidden), (
                    f"{url} in {file}"
                )
            if parts.scheme in {"http", "https", "mailto"}:
                assert parts.hostname not in {"testserver", "localhost", *settings.ALLOWED_HOSTS}
                continue
            if url.startswith("#") or url.startswith("data:"):
                continue
            assert not url.startswith("/"), f"absolute link {url} in {file}"
            assert not parts.query, f"{url} in {file}: a static host ignores queries"
            target = (file.parent / parts.path).resolve()
            assert target.is_file() and target.is_relative_to(mirror.resolve()), (
                f"{url} in {file} leads nowhere"
            )
            checked_links += 1
    assert checked_links > 500


def check_every_public_page_is_there_in_every_language(mirror, world):
    for language in LANGUAGES:
        folder = mirror / language
        home = (folder / "index.html").read_text(encoding="utf-8")
        assert f'lang="{language}"' in home
        for page in ("cases", "figures", "organizations", "countries", "open-data"):
            assert (folder / page / "index.html").is_file(), (language, page)
        assert (folder / "cases" / "page" / "2" / "index.html").is_file()
        assert (folder / "organizations" / world["organization"].slug / "index.html").is_file()
        assert (folder / "countries" / "KZ" / "index.html").is_file()
        for key in ("full", "name_only", "anonymous"):
            assert (folder / "cases" / str(world[key].entry_number) / "index.html").is_file()
        for key in ("draft", "withdrawn"):
            assert not (folder / "cases" / str(world[key].entry_number)).exists()
    # Files are shared by every language: the consented photo, and the open data.
    assert list((mirror / "cases" / str(world["full"].entry_number)).glob("photo.*"))
    assert not (mirror / "cases" / str(world["name_only"].entry_number)).exists()
    assert (mirror / "cases" / "open-data.csv").is_file()
    assert (mirror / "cases" / "open-data.json").is_file()
    assert (mirror / "static" / "casetracker" / "site.css").is_file()
    assert 'href="en/index.html"' in (mirror / "index.html").read_text()


def check_search_and_filters_lead_to_the_pre_rendered_list(mirror):
    page = (mirror / "ru" / "figures" / "index.html").read_text(encoding="utf-8")
    assert "../cases/index.html" in page  # the chart's filtered links, now the whole list
    listing = (mirror / "ru" / "cases" / "index.html").read_text(encoding="utf-8")
    assert 'action="index.html"' in listing
    assert 'href="page/2/index.html"' in listing
    assert 'class="mirror-note"' in listing
    assert 'method="post"' not in listing
    assert 'href="../../en/cases/index.html"' in listing  # the same page in English


def test_the_mirror_has_every_public_page_and_nothing_private(mirror, published_world):  # noqa: F811
    """One export (it visits every page in six languages), three readings of it."""
    check_no_private_marker_no_staff_url_and_no_broken_link(mirror)
    check_every_public_page_is_there_in_every_language(mirror, published_world)
    check_search_and_filters_lead_to_the_pre_rendered_list(mirror)
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT, target="static mirror")
    assert event.details["pages"] > 100


def test_it_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "old.html").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("export_static_site", output=tmp_path)
