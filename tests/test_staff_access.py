"""Who may use the staff reports: reviewers and coordinators for their own groups, site staff
for all; volunteers, other users and anonymous visitors get nothing."""

import pytest
from django.urls import reverse

from cases.models import ExportLog
from orgs.models import Membership
from tests.factories import CaseFactory, MembershipFactory, OrganizationFactory, UserFactory
from tests.staff_data import full_case

pytestmark = pytest.mark.django_db

PAGES = ["staff:case_list", "staff:summary"]
FILES = ["staff:export_csv", "staff:export_xlsx", "staff:summary_pdf"]


def case_urls(case):
    return [
        reverse("staff:dossier_pdf", args=[case.entry_number]),
        reverse("staff:un_submission_pdf", args=[case.entry_number]),
        reverse("staff:un_submission", args=[case.entry_number]),
    ]


def test_it_sends_anonymous_visitors_to_sign_in_for_pages(client):
    for name in PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_it_refuses_files_to_anonymous_visitors_with_403(client, organization):
    case = full_case(organization)
    for url in [reverse(name) for name in FILES] + case_urls(case)[:2]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "attachment" not in response.get("Content-Disposition", "")
    assert not ExportLog.objects.exists()


def test_it_refuses_a_volunteer(client, volunteer, organization):
    case = full_case(organization)
    client.force_login(volunteer)
    for url in [reverse(name) for name in PAGES + FILES] + case_urls(case):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Testova" not in response.content.decode()
    assert not ExportLog.objects.exists()


def test_it_refuses_a_user_without_membership(client, organization):
    client.force_login(UserFactory(username="nobody"))
    assert client.get(reverse("staff:export_csv")).status_code == 403
    assert client.get(reverse("staff:case_list")).status_code == 403


def test_a_reviewer_sees_only_their_groups_cases(client, reviewer, organization):
    own = full_case(organization)
    other = full_case(OrganizationFactory(), latin="Othercase Bolat", cyrillic="")
    client.force_login(reviewer)
    page = client.get(reverse("staff:case_list")).content.decode()
    assert "Testova Aigerim" in page
    assert "Othercase Bolat" not in page
    csv_text = b"".join(client.get(reverse("staff:export_csv")).streaming_content).decode()
    assert "Testova Aigerim" in csv_text
    assert "Othercase" not in csv_text
    for url in case_urls(other):
        assert client.get(url).status_code == 404, url
    for url in case_urls(own):
        assert client.get(url).status_code == 200, url


def test_a_reviewer_cannot_filter_on_another_groups_slug(client, reviewer):
    other = OrganizationFactory(slug="elsewhere")
    CaseFactory(organization=other)
    client.force_login(reviewer)
    response = client.get(reverse("staff:export_csv"), {"organization": "elsewhere"})
    assert response.status_code == 400
    assert not ExportLog.objects.exists()


def test_a_volunteer_role_elsewhere_gives_no_report_right_there(client, reviewer):
    """Reviewer in Almaty, volunteer in Bishkek: the Bishkek cases stay out of the exports."""
    bishkek = OrganizationFactory(slug="bishkek")
    MembershipFactory(user=reviewer, organization=bishkek, role=Membership.Role.VOLUNTEER)
    bishkek_case = full_case(bishkek, latin="Bishkekova Zhyldyz", cyrillic="")
    client.force_login(reviewer)
    csv_text = b"".join(client.get(reverse("staff:export_csv")).streaming_content).decode()
    assert "Bishkekova" not in csv_text
    assert client.get(case_urls(bishkek_case)[0]).status_code == 404


def test_a_coordinator_may_report(client, organization, coordinator):
    full_case(organization)
    client.force_login(coordinator)
    assert client.get(reverse("staff:summary")).status_code == 200


def test_site_staff_see_every_group(client, site_staff, organization):
    full_case(organization)
    full_case(OrganizationFactory(), latin="Othercase Bolat", cyrillic="")
    client.force_login(site_staff)
    csv_text = b"".join(client.get(reverse("staff:export_csv")).streaming_content).decode()
    assert "Testova Aigerim" in csv_text
    assert "Othercase Bolat" in csv_text


def test_an_inactive_site_staff_member_is_refused(client, site_staff):
    site_staff.is_active = False
    site_staff.save()
    client.force_login(site_staff)
    # The session no longer authenticates an inactive user: an anonymous file request.
    assert client.get(reverse("staff:export_csv")).status_code == 403
    assert client.get(reverse("staff:case_list")).status_code == 302
