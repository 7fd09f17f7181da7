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


# --- Staff reports (issue 5) ---------------------------------------------------------------------


@pytest.fixture
def staff_reviewer(organization):
    """Dana, a reviewer of the Almaty test group: reports on that group's cases only."""
    return MembershipFactory(
        user=UserFactory(username="dana", first_name="Dana", last_name="Reviewer"),
        organization=organization,
        role="reviewer",
    ).user


@pytest.fixture
def site_staff_user(db):
    """Sara, site staff: reports over every organization."""
    return UserFactory(username="sara", is_site_staff=True)
