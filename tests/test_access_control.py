"""Every admin and staff URL, found by walking the URL configuration, refuses the wrong person.

- anonymous visitors: a redirect to the sign-in page, or 403/404, never a page;
- a password without the second factor: the same (no admin page with a password alone);
- a volunteer of another group: 403/404 or a redirect for every object of the victim group, and
  no page (list, index, search) shows anything private of the victim group.

A page added later (a new ModelAdmin, a new view under /staff/) is walked automatically; objects
of a new model are looked up from the victim group's data below, or the first row of its table.
"""

import re

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import Family, Residence, Submission
from orgs.audit import record
from orgs.models import AuditEvent
from tests import factories
from tests.factories import (
    PASSWORD,
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

MARKER = "Zqxprivatemarker"
PROTECTED_PREFIXES = ("admin/", "staff/")
# Pages anyone may open: the sign-in form itself.
OPEN_PAGES = {"admin:login"}


def walk(patterns, prefix="", namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            space = entry.namespace
            joined = f"{namespace}:{space}" if namespace and space else (space or namespace)
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), joined)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry, namespace


def protected_patterns():
    found = []
    for route, pattern, namespace in walk(get_resolver().url_patterns):
        clean = route.lstrip("^")
        if clean.startswith(PROTECTED_PREFIXES):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            found.append((clean, pattern, name))
    return found


def model_for(url_name):
    """The admin model a URL name such as `admin:cases_case_change` belongs to."""
    if not url_name or not url_name.startswith("admin:"):
        return None
    short = url_name.removeprefix("admin:")
    matches = [
        model
        for model in admin.site._registry
        if short.startswith(f"{model._meta.app_label}_{model._meta.model_name}_")
    ]
    return max(matches, key=lambda m: len(m._meta.model_name), default=None)


@pytest.fixture
def victim(db):
    """Group A's data, every private field carrying MARKER; its case is not published."""
    organization = OrganizationFactory(name="Victim Group", contact_notes=MARKER, risk_notes=MARKER)
    member = MembershipFactory(
        user=UserFactory(username="victim-volunteer", first_name=MARKER),
        organization=organization,
    )
    family = Family.objects.create(label=MARKER, notes=MARKER)
    person = PersonFactory(family=family, contact_details=MARKER, notes=MARKER)
    name = PersonNameFactory(person=person, value=f"{MARKER} Aigerim")
    case = CaseFactory(person=person, organization=organization, notes=MARKER, summary=MARKER)
    relative = PersonFactory(contact_details=MARKER)
    objects = {
        "orgs.organization": organization,
        "orgs.membership": member,
        "orgs.user": member.user,
        "orgs.advocacyaction": AdvocacyActionFactory(
            organization=organization, title=MARKER, outcome_notes=MARKER
        ),
        "orgs.auditevent": record(AuditEvent.Kind.EXPORT, user=member.user, target=MARKER),
        "cases.person": person,
        "cases.personname": name,
        "cases.family": family,
        "cases.case": case,
        "cases.caseevent": CaseEventFactory(case=case),
        "cases.consent": ConsentFactory(case=case, consent_to_publish=False, notes=MARKER),
        "cases.testimony": factories.TestimonyFactory(case=case, transcript=MARKER),
        "cases.source": SourceFactory(case=case, title=MARKER, description=MARKER),
        "cases.citizenship": CitizenshipFactory(person=person, country=CountryFactory()),
        "cases.residence": Residence.objects.create(
            person=person, country=CountryFactory(), place=MARKER
        ),
        "cases.relationship": RelationshipFactory(person=person, relative=relative),
        "cases.submission": Submission.objects.create(
            submitter_name=MARKER,
            submitter_contact=MARKER,
            detained_names=MARKER,
            account=MARKER,
            state=Submission.State.MERGED,
            case=case,
        ),
        "otp_totp.totpdevice": TOTPDevice.objects.create(user=member.user, name=MARKER),
        "otp_static.staticdevice": StaticDevice.objects.create(user=member.user, name=MARKER),
    }
    FacilityFactory()
    return {"organization": organization, "case": case, "user": member.user, "objects": objects}


def object_for(model, victim):
    if model is None:
        return victim["case"]
    obj = victim["objects"].get(model._meta.label_lower)
    if obj is None:
        obj = model._default_manager.order_by("pk").first()
    return obj


def history_id(obj):
    history = getattr(obj, "history", None)
    if history is None:
        return 1
    latest = history.order_by("-history_id").first()
    return latest.history_id if latest else 1


def value_for(key, converter, obj, victim):
    if key in ("object_id", "pk", "id") and obj is not None:
        return str(obj.pk)
    if key == "content_type_id":
        return str(ContentType.objects.get_for_model(victim["case"]).pk)
    if key in ("version_id", "history_id"):
        return str(history_id(obj))
    if key == "app_label":
        return "cases"
    if key == "url":
        return "no-such-page/"
    if key in ("entry_number", "number"):
        return str(victim["case"].entry_number)
    if key in ("slug", "organization", "org"):
        return victim["organization"].slug
    kind = type(converter).__name__ if converter is not None else ""
    if kind == "IntConverter":
        return str(victim["case"].pk)
    if kind == "UUIDConverter":
        return "00000000-0000-0000-0000-000000000000"
    return str(victim["case"].pk)


def build_urls(victim):
    """(url, url name, the object it shows or None) for every protected pattern."""
    urls = []
    for route, pattern, name in protected_patterns():
        model = model_for(name)
        obj = object_for(model, victim) if model is not None else None
        regex = pattern.pattern.regex
        converters = getattr(pattern.pattern, "converters", {})
        keys = list(regex.groupindex) or list(converters)
        kwargs = {k: value_for(k, converters.get(k), obj, victim) for k in keys}
        unnamed = regex.groups - len(regex.groupindex)
        args = [str(obj.pk) if obj else "1", str(history_id(obj))][:unnamed] if unnamed else []
        if name:
            url = reverse(name, args=args) if args else reverse(name, kwargs=kwargs)
        else:
            # An unnamed pattern (the admin's catch-all): fill its groups by hand.
            url = "/" + re.sub(
                r"\(\?P<(\w+)>[^)]*\)", lambda m, values=kwargs: values[m.group(1)], route
            )
            url = url.replace("^", "").replace("$", "").replace(".*", "")
        has_object = bool(unnamed) or any(k in ("object_id", "pk", "id") for k in keys)
        urls.append((url, name, obj if has_object else None))
    return urls


def test_the_walk_finds_the_admin_pages(victim):
    names = {name for _url, name, _obj in build_urls(victim)}
    assert {"admin:index", "admin:cases_case_change", "admin:cases_submission_convert"} <= names
    assert "admin:orgs_auditevent_changelist" in names


def redirects_to_sign_in(response):
    location = response.get("Location", "")
    # The admin's logout sends a signed-out visitor to the index, which asks them to sign in.
    return location == reverse("admin:index") or location.startswith(
        (reverse("admin:login"), reverse("two_factor:verify"))
    )


def assert_refused(client, victim, who):
    for url, name, _obj in build_urls(victim):
        if name in OPEN_PAGES:
            continue
        response = client.get(url)
        assert response.status_code in (302, 403, 404, 405), f"{who}: {url} ({name})"
        if response.status_code == 302:
            assert redirects_to_sign_in(response), f"{who}: {url} -> {response['Location']}"


def test_anonymous_visitors_get_no_admin_or_staff_page(client, victim):
    assert_refused(client, victim, "anonymous")
    login = client.get(reverse("admin:login"))
    assert login.status_code == 200
    assert MARKER not in login.content.decode()


def test_a_password_alone_opens_no_admin_or_staff_page(client, victim):
    TOTPDevice.objects.create(user=victim["user"], name="phone", confirmed=True)
    assert client.login(username="victim-volunteer", password=PASSWORD)
    assert_refused(client, victim, "password only")


def test_a_site_staff_password_alone_opens_nothing_either(client, victim):
    UserFactory(username="root", is_superuser=True, is_site_staff=True)
    assert client.login(username="root", password=PASSWORD)
    assert_refused(client, victim, "superuser, password only")


def test_a_volunteer_of_another_group_gets_nothing_of_the_victim_group(client, victim):
    other_group = OrganizationFactory(name="Other Group")
    outsider = MembershipFactory(
        user=UserFactory(username="outsider"), organization=other_group
    ).user
    client.force_login(outsider)
    for url, name, obj in build_urls(victim):
        if name in ("admin:logout",):
            continue
        response = client.get(url)
        assert response.status_code != 500, url
        if obj is not None and obj._meta.label_lower in victim["objects"]:
            # A page about one of the victim group's objects.
            assert response.status_code in (302, 403, 404), f"{url} ({name})"
        body = response.content.decode(errors="replace") if response.status_code == 200 else ""
        assert MARKER not in body, f"{url} ({name}) shows private data of another group"


def test_every_admin_and_staff_page_opens_for_a_verified_superuser_without_error(client, victim):
    """The walk reaches real pages: the same URLs work for someone allowed to see them."""
    root = UserFactory(username="root", is_superuser=True, is_site_staff=True)
    client.force_login(root)
    opened = 0
    for url, name, _obj in build_urls(victim):
        if name == "admin:logout":
            continue
        response = client.get(url)
        assert response.status_code < 500, f"{url} ({name})"
        opened += response.status_code == 200
    assert opened > 50
