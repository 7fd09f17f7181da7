"""Roles are given in the admin by a coordinator: a membership is all it takes."""

import pytest
from django.test import Client

from cases.models import Case
from orgs.models import Membership, User
from tests.factories import (
    AdvocacyActionFactory,
    CaseFactory,
    MembershipFactory,
)

pytestmark = pytest.mark.django_db


def test_a_coordinator_creates_a_volunteer_who_can_then_work(client, coordinator, organization):
    CaseFactory(organization=organization)
    client.force_login(coordinator)
    page = client.get("/admin/orgs/user/add/")
    assert page.status_code == 200
    response = client.post(
        "/admin/orgs/user/add/",
        {
            "username": "newvolunteer",
            "usable_password": "true",
            "password1": "an invented long passphrase",
            "password2": "an invented long passphrase",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "1",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-organization": str(organization.pk),
            "memberships-0-role": Membership.Role.VOLUNTEER,
        },
    )
    # The answer is the page with the one-time codes to hand over (see test_account_resets).
    assert response.status_code == 200
    assert response.templates[0].name == "two_factor/handover.html"
    newcomer = User.objects.get(username="newvolunteer")
    assert newcomer.is_staff
    assert not newcomer.is_superuser and not newcomer.is_site_staff
    membership = Membership.objects.get(user=newcomer)
    assert membership.history.first().history_user == coordinator

    volunteer_client = Client()
    volunteer_client.force_login(newcomer)
    assert volunteer_client.get("/admin/cases/case/").status_code == 200
    assert volunteer_client.get("/admin/cases/case/add/").status_code == 200


def test_a_coordinator_gives_a_role_to_a_member(client, coordinator, volunteer, organization):
    membership = Membership.objects.get(user=volunteer)
    client.force_login(coordinator)
    response = client.post(
        f"/admin/orgs/membership/{membership.pk}/change/",
        {
            "user": str(volunteer.pk),
            "organization": str(organization.pk),
            "role": Membership.Role.REVIEWER,
        },
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Membership.Role.REVIEWER


def test_a_coordinator_cannot_touch_another_groups_members(
    client, coordinator, outsider, other_organization, organization
):
    theirs = Membership.objects.get(user=outsider)
    client.force_login(coordinator)
    assert client.get(f"/admin/orgs/membership/{theirs.pk}/change/").status_code == 404
    assert client.get(f"/admin/orgs/user/{outsider.pk}/change/").status_code == 404
    assert client.get(f"/admin/orgs/user/{outsider.pk}/password/").status_code == 404
    response = client.post(
        "/admin/orgs/membership/add/",
        {
            "user": str(outsider.pk),
            "organization": str(other_organization.pk),
            "role": Membership.Role.COORDINATOR,
        },
    )
    assert response.status_code == 200
    assert not Membership.objects.filter(user=outsider, role=Membership.Role.COORDINATOR).exists()
    assert "erlan" not in client.get("/admin/orgs/user/").text


def test_a_coordinator_cannot_make_anyone_site_staff(client, coordinator, volunteer):
    client.force_login(coordinator)
    page = client.get(f"/admin/orgs/user/{volunteer.pk}/change/")
    assert page.status_code == 200
    assert "is_site_staff" not in page.text
    assert "is_superuser" not in page.text


def test_volunteers_and_reviewers_do_not_manage_members(client, volunteer, reviewer):
    for user in (volunteer, reviewer):
        client.force_login(user)
        assert client.get("/admin/orgs/user/").status_code == 403
        assert client.get("/admin/orgs/membership/add/").status_code == 403
        assert client.get("/admin/auth/group/").status_code == 404


def test_the_admin_index_shows_each_role_its_pages(client, volunteer, coordinator, site_staff):
    client.force_login(volunteer)
    models = {
        model["object_name"]
        for app in client.get("/admin/").context["app_list"]
        for model in app["models"]
    }
    assert {"Case", "Person", "Facility"} <= models
    assert not {"User", "Submission"} & models
    client.force_login(coordinator)
    models = {
        model["object_name"]
        for app in client.get("/admin/").context["app_list"]
        for model in app["models"]
    }
    assert {"Case", "User", "Membership", "AdvocacyAction"} <= models


def test_advocacy_actions_stay_within_the_group(
    client, coordinator, organization, other_organization
):
    own = AdvocacyActionFactory(organization=organization, title="Own letter")
    theirs = AdvocacyActionFactory(organization=other_organization, title="Their letter")
    their_case = CaseFactory(organization=other_organization)
    client.force_login(coordinator)
    listing = client.get("/admin/orgs/advocacyaction/")
    assert "Own letter" in listing.text and "Their letter" not in listing.text
    assert client.get(f"/admin/orgs/advocacyaction/{theirs.pk}/change/").status_code == 404
    response = client.post(
        f"/admin/orgs/advocacyaction/{own.pk}/change/",
        {
            "organization": str(organization.pk),
            "cases": [str(their_case.pk)],
            "kind": "petition",
            "title": "Own letter",
            "date": "2020-05-01",
            "date_precision": "day",
            "outcome": "pending",
        },
    )
    assert response.status_code == 200
    assert not own.cases.exists()


def test_a_member_of_two_groups_sees_both(client, volunteer, other_organization):
    MembershipFactory(
        user=volunteer, organization=other_organization, role=Membership.Role.REVIEWER
    )
    CaseFactory(organization=other_organization)
    client.force_login(volunteer)
    response = client.get("/admin/cases/case/")
    assert len(response.context["cl"].result_list) == Case.objects.count() == 1


def test_a_deactivated_member_is_out(client, volunteer, organization):
    case = CaseFactory(organization=organization)
    volunteer.is_active = False
    volunteer.save()
    client.force_login(volunteer)
    response = client.get(f"/admin/cases/case/{case.pk}/change/")
    assert response.status_code == 302  # to the login page


def test_a_coordinator_edits_their_own_organization_only(
    client, coordinator, organization, other_organization
):
    client.force_login(coordinator)
    theirs = f"/admin/orgs/organization/{other_organization.pk}/change/"
    assert client.get(theirs).status_code == 404
    assert client.get("/admin/orgs/organization/add/").status_code == 403
    page = client.get(f"/admin/orgs/organization/{organization.pk}/change/")
    assert page.status_code == 200
    response = client.post(
        f"/admin/orgs/organization/{organization.pk}/change/",
        {"name": organization.name, "kind": "ngo", "description": "New description."},
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.description == "New description."


def test_a_volunteer_sees_but_does_not_edit_the_organization(client, volunteer, organization):
    client.force_login(volunteer)
    url = f"/admin/orgs/organization/{organization.pk}/change/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "Renamed", "kind": "ngo"}).status_code == 403
    organization.refresh_from_db()
    assert organization.name == "Test Group Almaty"
