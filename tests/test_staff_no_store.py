"""Every response of the staff area, whoever asks and whatever the answer, tells browsers and
proxies to keep no copy (`Cache-Control: private, no-store`), as the admin's pages do: the UN
submission page shows ID and passport numbers."""

import pytest
from django.urls import URLPattern, reverse

from cases.staff import urls as staff_urls
from tests.staff_data import full_case

pytestmark = pytest.mark.django_db

NO_SUCH_JOB = "00000000-0000-4000-8000-000000000000"


def every_staff_url(case):
    """Each URL pattern of the staff area, its arguments filled from `case`: a pattern added
    later is covered without a change here."""
    urls = []
    for pattern in staff_urls.urlpatterns:
        assert isinstance(pattern, URLPattern), "the staff area has no nested includes"
        # An entry number for a case's pages; a job's page takes its uuid (one nobody has).
        values = {"entry_number": case.entry_number, "job_id": NO_SUCH_JOB}
        kwargs = {name: values[name] for name in pattern.pattern.converters}
        urls.append(reverse(f"staff:{pattern.name}", kwargs=kwargs))
    return urls


def assert_not_stored(response, url):
    cache_control = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    assert {"private", "no-store"} <= cache_control, (url, response.status_code, cache_control)


def test_every_staff_url_is_not_stored_for_site_staff(client, site_staff, organization):
    case = full_case(organization)
    client.force_login(site_staff)
    urls = every_staff_url(case)
    assert reverse("staff:un_submission", args=[case.entry_number]) in urls
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 302, 404), url
        assert_not_stored(response, url)


def test_refusals_redirects_and_errors_are_not_stored_either(
    client, volunteer, organization, password_only_force_login
):
    case = full_case(organization)
    urls = [*every_staff_url(case), "/staff/no-such-page/"]
    for url in urls:
        assert_not_stored(client.get(url), url)  # anonymous
    client.force_login(volunteer)  # a password alone: sent to the second factor
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert_not_stored(response, url)


def test_a_volunteers_refusal_is_not_stored(client, volunteer, organization):
    case = full_case(organization)
    client.force_login(volunteer)
    for url in every_staff_url(case):
        response = client.get(url)
        assert response.status_code == 403, url
        assert_not_stored(response, url)


def test_public_pages_stay_cacheable(client, db):
    assert "no-store" not in client.get("/").get("Cache-Control", "")
