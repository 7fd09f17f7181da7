"""Privacy of the public site: no private field ever reaches a public URL.

The marker test writes a marker string into every text field that
`cases.public.allowlist.PUBLIC_FIELDS` does not list, on every model of the project (history
included), then requests every URL pattern found by walking the URL configuration, with every
filter, search and download variant.
A page added later is covered without editing this test.
"""

import datetime
import io
import itertools
import json
import re

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.template.loader import render_to_string
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from PIL import Image

from cases import models as case_models
from cases.models import Case, Consent, PersonName, Source, Submission, Visibility
from cases.public.allowlist import PUBLIC_FIELDS
from cases.services import workflow
from tests import factories
from tests.factories import (
    AdvocacyActionFactory,
    CaseEventFactory,
    CaseFactory,
    CitizenshipFactory,
    ConsentFactory,
    CountryFactory,
    FacilityFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    PersonNameFactory,
    RelationshipFactory,
    SourceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MARKER = "PRIVMARK7Q"
# Prefixes that are not the public site: the admin and the staff's own pages (sign-in required;
# tests/test_access_control.py walks those as anonymous and as another group's member).
SKIPPED_PREFIXES = ("admin/", "account/", "staff/")
PROJECT_APPS = ("cases", "orgs")
# The public record is what publication writes, not what volunteers type: the marker goes into
# the working record, and the test republishes and then reads the public record back.
PUBLIC_RECORD_MODELS = {
    "cases.publicentry",
    "cases.publicentrycountry",
    "cases.publicentryfacility",
    "cases.publicnamekey",
    "cases.publicfile",
    "cases.publicaction",
    "cases.publicationrecord",
}


def _png():
    """A small real PNG: uploads are decoded and re-encoded when stored."""
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png()

FILTER_VARIANTS = [
    "",
    "?status=camp&status=imprisoned",
    "?ethnicity=kazakh&gender=female",
    "?citizenship=KZ",
    "?relatives_country=KZ",
    "?organization=marker-group",
    "?prefecture=ili&prefecture=altay",
    "?detained_from=2016&detained_to=2020",
    "?evidence_level=1&evidence_level=3",
    "?sort=-updated&per_page=100",
    "?sort=detained&page=2",
    "?q=Sauytbay",
    "?q=Сауытбай",
    "?q=Bermet",
    "?q=%D8%B3%D8%A7%D8%A6%D9%89%D8%AA",
    "?status=nonsense&detained_from=abc",
]


def private_text_fields(model):
    public = set(PUBLIC_FIELDS.get(model._meta.label_lower, ()))
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not field.choices
        and not field.primary_key
        and field.name not in public
    ]


def fill_private_fields_with_marker():
    """Write MARKER into every private text field of every row of the project's models."""
    filled = {}
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        if model._meta.label_lower in PUBLIC_RECORD_MODELS:
            continue
        fields = private_text_fields(model)
        if not fields:
            continue
        for pk in model._base_manager.values_list("pk", flat=True):
            values = {}
            for field in fields:
                value = f"{MARKER}{pk}" if field.unique else MARKER
                if field.max_length is not None:
                    assert field.max_length >= len(value), (
                        f"{model._meta.label}.{field.name} is too short for the marker"
                    )
                values[field.name] = value
            model._base_manager.filter(pk=pk).update(**values)
            filled.setdefault(model._meta.label_lower, set()).update(values)
    return filled


def url_patterns(resolver=None, prefix=""):
    """Every URL pattern of the site as (route with converters, pattern, namespace)."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern, resolver.namespace


def fill_route(route, values):
    """Every URL a route gives with the values known for its parameters."""
    names = re.findall(r"<(?:[^>:]+:)?([^>]+)>", route)
    for name in names:
        assert name in values, (
            f"The marker test does not know how to fill <{name}> in {route!r}: add example "
            "values for it to `kwarg_values` in tests/test_public_privacy.py."
        )
    for combination in itertools.product(*(values[name] for name in names)):
        url = route
        for name, value in zip(names, combination, strict=True):
            url = re.sub(rf"<(?:[^>:]+:)?{name}>", str(value), url, count=1)
        yield "/" + url.lstrip("^").rstrip("$")


def body_of(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.fixture
def published_world(settings, tmp_path):
    """Published cases with every consent level, their relatives, evidence and actions, and
    unpublished and withdrawn cases beside them."""
    settings.MEDIA_ROOT = tmp_path
    kz = CountryFactory(code="KZ", name="Kazakhstan", notes="Public note on returnees.")
    kg = CountryFactory(code="KG", name="Kyrgyzstan")
    cn = CountryFactory(code="CN", name="China")
    organization = OrganizationFactory(
        name="Marker Group", slug="marker-group", country=kz, risk_notes="risky"
    )
    MembershipFactory(organization=organization, user=UserFactory(username="volunteer-x"))
    facility = FacilityFactory(
        name="Test Camp No. 1",
        name_zh="测试营",
        name_pinyin="Ceshi Ying",
        name_ug="سىناق لاگېرى",
        name_kk="Сынақ лагері",
    )
    factories.FacilityNoteFactory(
        facility=facility, organization=organization, text="private facility note"
    )
    factories.FacilityNoteFactory(facility=facility, organization=None, text="staff note")

    def make_case(identity, *, state=Case.PublicationState.PUBLISHED, withdrawn=False, **extra):
        person = PersonFactory(
            occupation="teacher",
            hometown_county="Tekes",
            prc_id_number="650000000000000000",
            photo=SimpleUploadedFile("face.png", PNG, content_type="image/png"),
        )
        PersonNameFactory(person=person, value="Sauytbay Aigul", script="latn")
        PersonNameFactory(person=person, value="Сауытбай Айгүл", script="cyrl", language="kk")
        PersonNameFactory(person=person, value="ساۋىتباي", script="arab", language="ug")
        PersonNameFactory(person=person, value="艾古丽", script="hani", kind="official_zh")
        CitizenshipFactory(person=person, country=cn)
        CitizenshipFactory(person=person, country=kz)
        case = CaseFactory(
            person=person,
            organization=organization,
            publication_state=state,
            published_at=timezone.now(),
            status_confirmed_on=datetime.date(2024, 1, 1),
        )
        relative = PersonFactory(contact_details="+7 700 000 00 00")
        PersonNameFactory(person=relative, value="Bermet Relative", script="latn")
        CitizenshipFactory(person=relative, country=kg)
        relative.residences.create(country=kz, place="Almaty")
        RelationshipFactory(person=person, relative=relative, kind="daughter")
        ConsentFactory(
            case=case,
            identity_level=identity,
            photo_consent=identity == Consent.IdentityLevel.FULL,
            given_by=relative,
            withdrawn_at=timezone.now() if withdrawn else None,
            **extra,
        )
        CaseEventFactory(case=case, facility=facility, description="Public event text.")
        for visibility in Visibility.values:
            SourceFactory(case=case, visibility=visibility, title=f"Source {visibility}")
            factories.TestimonyFactory(case=case, visibility=visibility, testifier=relative)
        action = AdvocacyActionFactory(organization=organization, is_public=True)
        action.cases.add(case)
        hidden = AdvocacyActionFactory(organization=organization, is_public=False)
        hidden.cases.add(case)
        Submission.objects.create(
            submitter_name="x",
            submitter_contact="y",
            detained_names="z",
            account="w",
            case=case,
        )
        return case

    world = {
        "facility": facility,
        "full": make_case(Consent.IdentityLevel.FULL),
        "name_only": make_case(Consent.IdentityLevel.NAME_ONLY, giver_may_be_named=True),
        "anonymous": make_case(Consent.IdentityLevel.ANONYMOUS),
        "draft": make_case(Consent.IdentityLevel.FULL, state=Case.PublicationState.DRAFT),
        "withdrawn": make_case(Consent.IdentityLevel.FULL, withdrawn=True),
        "organization": organization,
        "countries": [kz, kg, cn],
    }
    # A facility that only an unpublished case names stays off the public site.
    world["unpublished_facility"] = FacilityFactory(name="Unpublished Camp", prefecture="altay")
    CaseEventFactory(case=world["draft"], facility=world["unpublished_facility"])
    factories.publish(world["full"], world["name_only"], world["anonymous"])
    return world


def test_it_lists_only_real_fields_in_the_allowlist():
    for label, names in PUBLIC_FIELDS.items():
        model = apps.get_model(label)
        for name in names:
            model._meta.get_field(name)  # raises FieldDoesNotExist for a typo


def test_it_keeps_the_known_private_fields_off_the_allowlist():
    private = {
        "cases.case": {"notes", "priority", "publication_state", "created_by"},
        "cases.person": {"prc_id_number", "passport_numbers", "contact_details", "notes"},
        "cases.testimony": {"transcript", "testifier", "file", "visibility"},
        "cases.source": {"file", "sha256", "visibility"},
        "orgs.organization": {"contact_notes", "risk_notes"},
        "orgs.advocacyaction": {"outcome_notes", "is_public"},
    }
    for label, names in private.items():
        assert not names & set(PUBLIC_FIELDS.get(label, ())), label
    assert "cases.consent" not in PUBLIC_FIELDS
    assert "cases.submission" not in PUBLIC_FIELDS


def test_it_never_shows_a_private_field_on_any_public_url(client, published_world):
    filled = fill_private_fields_with_marker()
    # The marker really is in the records the pages read.
    assert {"notes", "contact_details", "prc_id_number"} <= filled["cases.person"]
    assert "transcript" in filled["cases.testimony"]
    assert {"contact_notes", "risk_notes"} <= filled["orgs.organization"]
    assert "outcome_notes" in filled["orgs.advocacyaction"]
    assert "search_key" in filled["cases.personname"]

    world = published_world
    # Published again now: whatever the snapshot reads of the marked records goes public.
    factories.publish(world["full"], world["name_only"], world["anonymous"])
    for model_label in PUBLIC_RECORD_MODELS:
        model = apps.get_model(model_label)
        for row in model._base_manager.values():
            assert MARKER.lower() not in json.dumps(row, default=str).lower(), (
                f"private data in {model_label}"
            )
    assert case_models.PublicEntry.objects.count() == 3
    cases = [world[key] for key in ("full", "name_only", "anonymous", "draft", "withdrawn")]
    kwarg_values = {
        "entry_number": [case.entry_number for case in cases],
        "slug": [world["organization"].slug],
        "code": [country.code for country in world["countries"]],
        "fmt": ["csv", "json"],
        "facility_id": [
            *case_models.Facility.objects.values_list("pk", flat=True),
            987654,
        ],
        "prefecture": ["ili", "altay", "outside", "nowhere"],
        # Uploaded files: every kind with every stored row's key, public or not.
        "kind": ["photo", "source", "testimony"],
        "pk": sorted(
            {
                *case_models.Person.objects.values_list("pk", flat=True),
                *case_models.Source.objects.values_list("pk", flat=True),
                *case_models.Testimony.objects.values_list("pk", flat=True),
            }
        ),
    }
    requested, answered = 0, set()
    for route, pattern, namespace in url_patterns():
        if route.startswith(SKIPPED_PREFIXES):
            continue
        names = set(re.findall(r"<(?:[^>:]+:)?([^>]+)>", route))
        variants = FILTER_VARIANTS if names <= {"fmt"} else [""]
        for url in fill_route(route, kwarg_values):
            for variant in variants:
                response = client.get(url + variant)
                requested += 1
                assert response.status_code < 500, url + variant
                body = body_of(response).decode("utf-8", "replace")
                assert MARKER.lower() not in body.lower(), f"private data on {url}{variant}"
                if response.status_code == 200:
                    answered.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    public_pages = {
        "home",
        "cases:list",
        "cases:download",
        "cases:case",
        "cases:photo",
        "cases:organizations",
        "cases:organization",
        "cases:countries",
        "cases:country",
        "cases:figures",
        "cases:open_data",
        "cases:methodology",
        "cases:feed",
        "cases:organization_feed",
        "sitemap",
        "cases:facility",
        "cases:places",
        "cases:place",
    }
    assert public_pages <= answered, public_pages - answered
    assert requested > 100
    # The pages for errors, in the site's frame; every 404 the same page, whatever was asked.
    not_found = set()
    for url in (
        "/no-such-page/",
        f"/cases/{world['withdrawn'].entry_number}/",
        "/cases/987654321/",
        f"/facilities/{world['unpublished_facility'].pk}/",
        "/facilities/987654/",
        "/places/x/",
    ):
        response = client.get(url)
        assert response.status_code == 404
        body = response.content.decode()
        assert '<meta name="robots" content="noindex">' in body
        assert MARKER.lower() not in body.lower()
        # The CSRF token of the language form differs on every response of any page.
        not_found.add(re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body))
    assert len(not_found) == 1
    response = client.get("/cases/?detained_from=abc")
    assert response.status_code == 400
    assert MARKER.lower() not in response.content.decode().lower()
    for template in ("400.html", "403.html", "500.html"):
        assert MARKER.lower() not in render_to_string(template).lower()


def test_the_marker_test_reads_the_feeds_sitemap_meta_tags_and_places(client, published_world):
    """The pages that reach furthest (feeds, the sitemap, shared-link previews, facility and
    prefecture pages) hold the public values the marker test must not find beside them."""
    fill_private_fields_with_marker()
    world = published_world
    factories.publish(world["full"], world["name_only"], world["anonymous"])
    full = world["full"]
    checked = {
        "/feed/": "Sauytbay Aigul",
        f"/organizations/{world['organization'].slug}/feed/": "Sauytbay Aigul",
        "/sitemap.xml": f"/cases/{full.entry_number}/",
        f"/cases/{full.entry_number}/": 'property="og:title" content="Sauytbay Aigul',
        f"/facilities/{world['facility'].pk}/": "Test Camp No. 1",
        "/places/ili/": "Test Camp No. 1",
        "/places/": "Ili",
    }
    for url, shown in checked.items():
        response = client.get(url)
        assert response.status_code == 200, url
        body = body_of(response).decode()
        assert shown in body, url
        assert MARKER.lower() not in body.lower(), url
        assert "private facility note" not in body and "staff note" not in body
    facility_page = client.get(f"/facilities/{world['facility'].pk}/").content.decode()
    # Its names, each in its own language and direction; the named entries that name it.
    for value, lang, direction in (
        ("测试营", "zh-Hans", "ltr"),
        ("Ceshi Ying", "zh-Latn", "ltr"),
        ("سىناق لاگېرى", "ug", "rtl"),
        ("Сынақ лагері", "kk", "ltr"),
    ):
        assert f'<span lang="{lang}" dir="{direction}">{value}</span>' in facility_page
    assert f"#{full.entry_number}<" in facility_page
    assert f"#{world['name_only'].entry_number}<" in facility_page
    # The anonymous entry shows no timeline, so it names no facility; the draft is not public.
    assert f"#{world['anonymous'].entry_number}<" not in facility_page
    assert f"#{world['draft'].entry_number}<" not in facility_page
    assert client.get(f"/facilities/{world['unpublished_facility'].pk}/").status_code == 404
    assert "Unpublished Camp" not in client.get("/places/altay/").content.decode()


def test_it_answers_404_for_unpublished_withdrawn_and_unknown_entries(client, published_world):
    for key in ("draft", "withdrawn"):
        number = published_world[key].entry_number
        assert client.get(f"/cases/{number}/").status_code == 404
        assert client.get(f"/cases/{number}/photo").status_code == 404
    assert client.get("/cases/987654321/").status_code == 404
    listing = client.get("/cases/?per_page=100").content.decode()
    assert f"#{published_world['draft'].entry_number}<" not in listing
    assert f"#{published_world['withdrawn'].entry_number}<" not in listing
    assert f"#{published_world['full'].entry_number}<" in listing


def test_it_shows_an_anonymous_case_without_name_county_occupation_or_photo(
    client, published_world
):
    case = published_world["anonymous"]
    body = client.get(f"/cases/{case.entry_number}/").content.decode()
    assert f"Anonymous entry {case.entry_number}" in body
    for identifying in ("Sauytbay", "Сауытбай", "艾古丽", "Tekes", "teacher", "/photo"):
        assert identifying not in body
    # What an anonymous entry does show.
    for shown in ("female", "1970", "Kazakh", "Ili", "detained in a camp"):
        assert shown in body
    assert client.get(f"/cases/{case.entry_number}/photo").status_code == 404
    rows = json.loads(body_of(client.get("/cases/open-data.json")))["cases"]
    row = next(r for r in rows if r["entry_number"] == case.entry_number)
    assert row["name_latin"] == row["name_cyrillic"] == row["name_chinese"] == ""


def test_it_shows_names_in_every_script_and_the_photo_only_with_consent(client, published_world):
    full = published_world["full"]
    body = client.get(f"/cases/{full.entry_number}/").content.decode()
    for name in ("Sauytbay Aigul", "Сауытбай Айгүл", "ساۋىتباي", "艾古丽", "Tekes", "teacher"):
        assert name in body
    photo = client.get(f"/cases/{full.entry_number}/photo")
    assert photo.status_code == 200
    served = Image.open(io.BytesIO(body_of(photo)))
    assert served.size == (4, 4)

    name_only = published_world["name_only"]
    body = client.get(f"/cases/{name_only.entry_number}/").content.decode()
    assert "Sauytbay Aigul" in body
    assert "/photo" not in body
    assert client.get(f"/cases/{name_only.entry_number}/photo").status_code == 404


def test_it_names_a_relative_only_when_the_consent_giver_may_be_named(client, published_world):
    full = client.get(f"/cases/{published_world['full'].entry_number}/").content.decode()
    assert "a daughter, citizen of Kyrgyzstan" in full
    assert "Bermet Relative" not in full
    named = client.get(f"/cases/{published_world['name_only'].entry_number}/").content.decode()
    assert "Bermet Relative" in named
    assert "a daughter, citizen of Kyrgyzstan" in named


def test_it_shows_only_public_sources_testimonies_and_actions(client, published_world):
    body = client.get(f"/cases/{published_world['full'].entry_number}/").content.decode()
    assert "Source public" in body
    assert "Source restricted" not in body
    assert "Source sensitive" not in body
    assert body.count("<strong>Testimony</strong>") == 1
    assert body.count("A test petition") == 1  # the public action, not the hidden one
    assert Source.objects.filter(visibility="sensitive").exists()
    assert case_models.Testimony.objects.filter(visibility="restricted").exists()


def test_it_takes_a_case_off_the_site_at_once_when_consent_is_withdrawn(client, published_world):
    case = published_world["full"]
    assert client.get(f"/cases/{case.entry_number}/").status_code == 200
    workflow.apply(user=UserFactory(is_site_staff=True), case=case, name="withdraw_consent")
    assert client.get(f"/cases/{case.entry_number}/").status_code == 404
    listing = client.get(f"/cases/?q=%23{case.entry_number}").content.decode()
    assert "0 cases" in listing


def test_it_searches_only_public_names(client, published_world):
    PersonName.objects.filter(person=published_world["draft"].person).update(search_key="draftonly")
    response = client.get("/cases/?q=draftonly")
    assert "0 cases" in response.content.decode()
