import pytest

from tests.factories import MembershipFactory, OrganizationFactory, UserFactory


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
        user=UserFactory(username="aigul"), organization=organization, role="volunteer"
    ).user


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached figures (cases.figures) must not carry over from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# --- admin personas (issue 3) ---
@pytest.fixture
def other_organization(db):
    return OrganizationFactory(name="Test Group Bishkek", slug="test-bishkek", city="Bishkek")


@pytest.fixture
def reviewer(organization):
    """Bolat, a reviewer of the Almaty test group."""
    return MembershipFactory(
        user=UserFactory(username="bolat"), organization=organization, role="reviewer"
    ).user


@pytest.fixture
def coordinator(organization):
    """Dana, the coordinator of the Almaty test group."""
    return MembershipFactory(
        user=UserFactory(username="dana"), organization=organization, role="coordinator"
    ).user


@pytest.fixture
def outsider(other_organization):
    """Erlan, a volunteer of the Bishkek test group."""
    return MembershipFactory(
        user=UserFactory(username="erlan"), organization=other_organization, role="volunteer"
    ).user


@pytest.fixture
def site_staff(db):
    return UserFactory(username="sitestaff", is_site_staff=True)
