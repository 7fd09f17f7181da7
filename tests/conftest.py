"""Shared fixtures.

Two-factor sign-in: every admin page and the staff area need a verified OTP device, so
`client.force_login(user)` is patched (autouse fixture `_force_login_passes_second_factor`) to
also verify the session with a real, confirmed TOTP device made for that user, the way
django-otp does after a correct code. Tests that log in as a user simply keep working.

A test that must prove a password alone is not enough logs in with `client.login(...)` (the
password) instead, or asks for the `password_only_force_login` fixture, which leaves
`force_login` as Django ships it.
"""

import pytest

from cases.models import Case
from orgs.models import Membership
from tests.factories import (
    CaseFactory,
    ConsentFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)


def pytest_configure(config):
    """Password hashing is slow on purpose; the tests create a few hundred users, and what they
    check about passwords does not depend on the hasher's cost."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Tests do not run collectstatic, so the hashed-name manifest of production is absent."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def organization(db):
    return OrganizationFactory(name="Test Group Almaty", slug="test-almaty")


@pytest.fixture
def volunteer(organization):
    """Aigul, a volunteer of the Almaty test group."""
    return MembershipFactory(
        user=UserFactory(username="aigul"),
        organization=organization,
        role=Membership.Role.VOLUNTEER,
    ).user


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached figures (cases.public.figures) must not carry over from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request to /kk/… leaves Kazakh active in the
    thread (as Django's LocaleMiddleware does), which would prefix the next test's reverse()."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


# --- admin personas ---
@pytest.fixture
def other_organization(db):
    return OrganizationFactory(name="Test Group Bishkek", slug="test-bishkek", city="Bishkek")


@pytest.fixture
def reviewer(organization):
    """Bolat, a reviewer of the Almaty test group."""
    return MembershipFactory(
        user=UserFactory(username="bolat"), organization=organization, role=Membership.Role.REVIEWER
    ).user


@pytest.fixture
def coordinator(organization):
    """Dana, the coordinator of the Almaty test group."""
    return MembershipFactory(
        user=UserFactory(username="dana"),
        organization=organization,
        role=Membership.Role.COORDINATOR,
    ).user


@pytest.fixture
def outsider(other_organization):
    """Erlan, a volunteer of the Bishkek test group."""
    return MembershipFactory(
        user=UserFactory(username="erlan"),
        organization=other_organization,
        role=Membership.Role.VOLUNTEER,
    ).user


@pytest.fixture
def site_staff(db):
    return UserFactory(username="sitestaff", is_site_staff=True)


# --- cases and files ---
@pytest.fixture
def case_in_review(client, volunteer, organization):
    """A case the volunteer Aigul entered and submitted, with the family's consent."""
    case = CaseFactory(organization=organization)
    ConsentFactory(case=case, consent_to_publish=True)
    client.force_login(volunteer)
    assert client.post(f"/admin/cases/case/{case.pk}/workflow/submit/").status_code == 302
    client.logout()
    case.refresh_from_db()
    assert case.publication_state == Case.PublicationState.IN_REVIEW
    return case


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploads go to a folder of the test's own, removed after it."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def case_import_dir(settings, tmp_path):
    """Previewed import uploads wait in a folder of the test's own, removed after it."""
    settings.CASE_IMPORT_DIR = str(tmp_path / "imports")
    return settings.CASE_IMPORT_DIR


@pytest.fixture(autouse=True)
def _force_login_passes_second_factor(request, monkeypatch):
    if "password_only_force_login" in request.fixturenames:
        return
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="test device", confirmed=True)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def password_only_force_login():
    """Leaves `client.force_login` unpatched: the session has a password sign-in only."""
