"""Facilities and places on the public site: a page per facility that a public entry names, a
page per prefecture, the tile map of the prefectures, and links to them from cases and lists."""

import importlib
import pkgutil
import re

import pytest

from cases import migrations
from cases.models import Case, Consent, Prefecture, PublicEntryFacility
from cases.public import places
from cases.public.figures import public_figures
from cases.services import workflow
from tests.factories import (
    CaseEventFactory,
    CaseFactory,
    ConsentFactory,
    FacilityFactory,
    FacilityNoteFactory,
    MembershipFactory,
    PersonFactory,
    PersonNameFactory,
    UserFactory,
    publish,
)

pytestmark = pytest.mark.django_db


def case_at(
    facility, *, identity=Consent.IdentityLevel.NAME_ONLY, prefecture="ili", publish_it=True
):
    case = CaseFactory(
        person=PersonFactory(hometown_prefecture=prefecture),
        publication_state=Case.PublicationState.PUBLISHED,
    )
    ConsentFactory(case=case, identity_level=identity)
    PersonNameFactory(person=case.person, value=f"Aigerim Placeova {case.pk}", script="latn")
    CaseEventFactory(case=case, facility=facility)
    if publish_it:
        publish(case)
    return case


@pytest.fixture
def camp():
    facility = FacilityFactory(
        name="Tekes County Camp No. 2",
        name_zh="特克斯县第二营",
        name_pinyin="Tekesi Xian Di Er Ying",
        name_ug="تېكەس لاگېرى",
        name_kk="Текес лагері",
        kind="camp",
        prefecture="ili",
        county="Tekes",
    )
    FacilityNoteFactory(facility=facility, text="guards change at six")
    return facility


def test_a_facility_page_shows_its_names_kind_prefecture_and_public_cases(
    client, camp, django_assert_max_num_queries
):
    named = case_at(camp)
    anonymous = case_at(camp, identity=Consent.IdentityLevel.ANONYMOUS)
    draft = case_at(camp, publish_it=False)
    with django_assert_max_num_queries(4):
        response = client.get(f"/facilities/{camp.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<h1 lang="en">Tekes County Camp No. 2</h1>' in body
    for value, lang, direction in (
        ("特克斯县第二营", "zh-Hans", "ltr"),
        ("Tekesi Xian Di Er Ying", "zh-Latn", "ltr"),
        ("تېكەس لاگېرى", "ug", "rtl"),
        ("Текес лагері", "kk", "ltr"),
    ):
        assert f'<span lang="{lang}" dir="{direction}">{value}</span>' in body
    assert "internment camp" in body
    assert '<a href="/places/ili/">Ili</a>' in body
    assert "Tekes" in body
    assert f"#{named.entry_number}<" in body
    # An anonymous entry shows no timeline; a draft is not public; a note is a group's own.
    assert f"#{anonymous.entry_number}<" not in body
    assert f"#{draft.entry_number}<" not in body
    assert "guards change" not in body
    assert "1 published case names this facility" in body


def test_a_facility_page_is_paginated(client, camp):
    numbers = sorted((case_at(camp).entry_number for _n in range(23)), reverse=True)
    first = client.get(f"/facilities/{camp.pk}/").content.decode()
    assert "23 published cases name this facility" in first
    assert f"#{numbers[19]}<" in first
    assert f"#{numbers[20]}<" not in first
    second = client.get(f"/facilities/{camp.pk}/?page=2").content.decode()
    assert f"#{numbers[20]}<" in second


def test_a_facility_that_no_public_entry_names_is_not_found(client, camp):
    case_at(camp, publish_it=False)
    assert client.get(f"/facilities/{camp.pk}/").status_code == 404
    assert client.get("/facilities/987654/").status_code == 404
    case_at(camp, identity=Consent.IdentityLevel.ANONYMOUS)
    assert client.get(f"/facilities/{camp.pk}/").status_code == 404


def test_a_withdrawal_takes_the_case_off_its_facility_page(client, camp):
    case = case_at(camp)
    assert client.get(f"/facilities/{camp.pk}/").status_code == 200
    coordinator = UserFactory()
    MembershipFactory(user=coordinator, organization=case.organization, role="coordinator")
    workflow.apply(user=coordinator, case=case, name="withdraw")
    assert not PublicEntryFacility.objects.exists()
    assert client.get(f"/facilities/{camp.pk}/").status_code == 404


def test_case_pages_and_lists_link_to_the_facility_and_its_prefecture(client, camp):
    case = case_at(camp)
    page = client.get(f"/cases/{case.entry_number}/").content.decode()
    assert f'<a href="/facilities/{camp.pk}/">Tekes County Camp No. 2</a>' in page
    assert '<a href="/places/ili/">Ili</a>' in page
    listing = client.get("/cases/").content.decode()
    assert f'<a href="/facilities/{camp.pk}/">Tekes County Camp No. 2</a>' in listing


def test_a_prefecture_page_lists_its_public_facilities_with_their_counts(
    client, camp, django_assert_max_num_queries
):
    case_at(camp)
    case_at(camp)
    hidden = FacilityFactory(name="Only In Drafts", prefecture="ili")
    case_at(hidden, publish_it=False)
    elsewhere = FacilityFactory(name="Altay Prison", prefecture="altay")
    case_at(elsewhere, prefecture="altay")
    public_figures()
    # The facilities with their counts and the latest cases; the figures come from the cache.
    with django_assert_max_num_queries(2):
        response = client.get("/places/ili/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Ili</h1>" in body
    assert re.search(r"Tekes County Camp No. 2</a>.*?<td class=\"num\">2</td>", body, re.S)
    assert "Only In Drafts" not in body
    assert "Altay Prison" not in body
    assert 'href="/cases/?prefecture=ili"' in body
    assert "published cases of people from Ili" in body
    assert "People from Ili published most recently" in body
    assert client.get("/places/nowhere/").status_code == 404


def test_the_places_page_draws_a_tile_for_every_division_linking_to_its_page(client, camp):
    for _n in range(3):
        case_at(camp)
    case_at(camp, prefecture="altay")
    body = client.get("/places/").content.decode()
    tiles = re.findall(r'<a href="(/places/[a-z]+/)" aria-label="([^"]+)">', body)
    assert len(tiles) == len(places.TILES) == len(Prefecture.values) - 1  # all but "outside"
    assert ("/places/ili/", "Ili: 3 published cases") in tiles
    assert ("/places/altay/", "Altay: 1 published case") in tiles
    assert ("/places/hotan/", "Hotan: 0 published cases") in tiles
    assert "<title>Ili: 3 published cases</title>" in body
    assert "tile-shade-4" in body  # the largest count has the darkest shade
    assert "no published case" in body  # the legend
    # Nothing from another host, no script.
    main = body.split("<main", 1)[1]
    assert "<script" not in main
    assert not re.search(r'(src|href)="https?://', main)
    figures = client.get("/figures/").content.decode()
    assert 'aria-label="Ili: 3 published cases"' in figures


@pytest.mark.parametrize("largest", [1, 2, 3, 4, 5, 7, 10, 99, 100, 1234])
def test_the_legend_gives_each_count_the_shade_the_map_draws(largest):
    legend = places._legend(largest)
    assert legend[0]["shade"] == 0
    for count in range(1, largest + 1):
        shade = places._shade(count, largest)
        item = next(item for item in legend if item["shade"] == shade)
        numbers = [int(n.replace(",", "")) for n in re.findall(r"[\d,]+", item["text"])]
        low, high = numbers[0], numbers[-1]
        assert low <= count <= high, (largest, count, item)
    assert places._shade(largest, largest) == 4
    assert places._shade(0, largest) == 0


def test_the_sitemap_lists_places_and_the_facilities_public_entries_name(client, camp):
    case_at(camp)
    hidden = FacilityFactory(name="Only In Drafts")
    case_at(hidden, publish_it=False)
    text = client.get("/sitemap.xml").content.decode()
    assert f"<loc>http://testserver/facilities/{camp.pk}/</loc>" in text
    assert f"/facilities/{hidden.pk}/" not in text
    assert "<loc>http://testserver/places/</loc>" in text
    assert "<loc>http://testserver/places/kashgar/</loc>" in text


def test_entries_published_before_the_links_existed_get_them_from_their_content(camp):
    from django.apps import apps

    # By its name, whatever its number.
    name = next(
        module.name
        for module in pkgutil.iter_modules(migrations.__path__)
        if module.name.endswith("_facility_names_and_public_links")
    )
    migration = importlib.import_module(f"cases.migrations.{name}")
    named = case_at(camp)
    case_at(camp, identity=Consent.IdentityLevel.ANONYMOUS)
    gone = FacilityFactory()
    case_at(gone)
    gone.delete()
    PublicEntryFacility.objects.all().delete()
    migration.link_published_facilities(apps, None)
    assert list(PublicEntryFacility.objects.values_list("entry__case", "facility")) == [
        (named.pk, camp.pk)
    ]


def test_the_sitemap_lists_places_and_facilities_in_every_language(client, camp):
    case_at(camp)
    text = client.get("/sitemap.xml", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert f"<loc>http://testserver/facilities/{camp.pk}/</loc>" in text
    assert f'hreflang="ug" href="http://testserver/ug/facilities/{camp.pk}/"' in text
    assert "<loc>http://testserver/places/ili/</loc>" in text


def test_renaming_a_facility_refreshes_the_public_pages(
    client, camp, django_capture_on_commit_callbacks
):
    from cases.public.pagecache import public_version

    case_at(camp)
    before = public_version()
    with django_capture_on_commit_callbacks(execute=True):
        camp.name = "Tekes County Camp No. 3"
        camp.save()
    assert public_version() != before
    assert "Tekes County Camp No. 3" in client.get(f"/facilities/{camp.pk}/").content.decode()
