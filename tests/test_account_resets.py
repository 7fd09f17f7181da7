"""A coordinator cannot take over a member: they never set or choose a member's password, they
issue one-time codes that the member uses; every password change, reset and role change is in
the audit log."""

import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from orgs.models import AccountCode, AuditEvent, User
from orgs.two_factor import ENROLMENT_SESSION_KEY
from tests.factories import MembershipFactory, UserFactory

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a fresh invented passphrase"


def app_code(key_hex):
    device = TOTPDevice(key=key_hex)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def handed_over(response, purpose):
    """The clear code on the handover page (shown once) for `purpose`."""
    assert response.status_code == 200
    [issued] = [c for c in response.context["codes"] if c.purpose == purpose]
    assert issued.code in response.content.decode()
    return issued.code


def choose_password(client, username, code, password=NEW_PASSWORD):
    return client.post(
        reverse("accounts:new_password"),
        {
            "username": username,
            "code": code,
            "new_password1": password,
            "new_password2": password,
        },
    )


def test_a_coordinator_cannot_set_a_members_password(client, coordinator, volunteer):
    client.force_login(coordinator)
    url = reverse("admin:auth_user_password_change", args=[volunteer.pk])
    assert client.get(url).status_code == 403
    response = client.post(
        url,
        {
            "usable_password": "true",
            "password1": "taken over 12345",
            "password2": "taken over 12345",
        },
    )
    assert response.status_code == 403
    volunteer.refresh_from_db()
    assert volunteer.check_password(PASSWORD)
    page = client.get(reverse("admin:orgs_user_change", args=[volunteer.pk])).content.decode()
    assert 'name="password"' not in page
    assert url not in page


def test_a_coordinator_creates_a_member_without_choosing_their_password(
    client, coordinator, organization
):
    client.force_login(coordinator)
    form = client.get(reverse("admin:orgs_user_add")).content.decode()
    assert 'name="password1"' not in form
    response = client.post(
        reverse("admin:orgs_user_add"),
        {
            "username": "newvolunteer",
            # Ignored: the form has no such field for a coordinator.
            "password1": "coordinator chose this",
            "password2": "coordinator chose this",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "1",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-organization": str(organization.pk),
            "memberships-0-role": "volunteer",
        },
    )
    newcomer = User.objects.get(username="newvolunteer")
    assert not newcomer.has_usable_password()
    password_code = handed_over(response, AccountCode.Purpose.PASSWORD)
    enrolment_code = handed_over(response, AccountCode.Purpose.ENROLMENT)
    assert "no-store" in response["Cache-Control"]

    member = Client()
    assert choose_password(member, "newvolunteer", password_code).status_code == 302
    assert member.login(username="newvolunteer", password=NEW_PASSWORD)
    member.post(reverse("two_factor:enrol"), {"enrolment_code": enrolment_code})
    member.post(
        reverse("two_factor:enrol"),
        {"code": app_code(member.session[ENROLMENT_SESSION_KEY]["key"])},
    )
    assert member.get("/admin/cases/case/").status_code == 200


def test_a_password_reset_gives_the_member_a_code_to_choose_their_password(
    client, coordinator, volunteer
):
    client.force_login(coordinator)
    url = reverse("accounts:password_reset", args=[volunteer.pk])
    assert client.get(url).status_code == 200
    code = handed_over(client.post(url), AccountCode.Purpose.PASSWORD)
    issued = AuditEvent.objects.get(kind=AuditEvent.Kind.PASSWORD_RESET)
    assert issued.user == coordinator
    assert issued.target == f"user:{volunteer.pk}"
    volunteer.refresh_from_db()
    assert volunteer.check_password(PASSWORD)  # until the member uses the code

    member = Client()
    mismatch = choose_password(member, "aigul", code, password="too short")
    assert mismatch.status_code == 200
    assert mismatch.context["form"].errors
    assert choose_password(member, "aigul", code).status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.check_password(NEW_PASSWORD)
    changed = AuditEvent.objects.get(kind=AuditEvent.Kind.PASSWORD_CHANGED)
    assert changed.user == volunteer
    assert changed.target == f"user:{volunteer.pk}"
    # Spent.
    assert (
        choose_password(Client(), "aigul", code, password="yet another passphrase").status_code
        == 200
    )
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.CODE_REFUSED).exists()


def test_a_code_works_only_for_the_member_it_was_issued_to(client, coordinator, volunteer):
    colleague = MembershipFactory(
        user=UserFactory(username="berik"), organization=volunteer.memberships.get().organization
    ).user
    client.force_login(coordinator)
    code = handed_over(
        client.post(reverse("accounts:password_reset", args=[volunteer.pk])),
        AccountCode.Purpose.PASSWORD,
    )
    response = choose_password(Client(), "berik", code)
    assert response.status_code == 200
    colleague.refresh_from_db()
    assert colleague.check_password(PASSWORD)


def test_a_coordinator_cannot_reset_a_member_another_group_relies_on(
    client, coordinator, volunteer, other_organization
):
    MembershipFactory(user=volunteer, organization=other_organization, role="volunteer")
    TOTPDevice.objects.create(user=volunteer, name="phone", confirmed=True)
    client.force_login(coordinator)
    assert client.post(reverse("two_factor:reset", args=[volunteer.pk])).status_code == 404
    assert client.post(reverse("accounts:password_reset", args=[volunteer.pk])).status_code == 404
    assert TOTPDevice.objects.filter(user=volunteer, name="phone").exists()
    assert not AccountCode.objects.exists()


def test_volunteers_and_other_groups_cannot_issue_resets(client, volunteer, reviewer, outsider):
    url = reverse("accounts:password_reset", args=[volunteer.pk])
    for user in (reviewer, outsider):
        client.force_login(user)
        assert client.post(url).status_code == 404
    assert not AccountCode.objects.exists()


def test_site_staff_keep_the_password_form_and_it_is_on_record(client, site_staff, volunteer):
    client.force_login(site_staff)
    url = reverse("admin:auth_user_password_change", args=[volunteer.pk])
    response = client.post(
        url, {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.PASSWORD_CHANGED)
    assert event.user == site_staff
    assert event.details == {"member": "aigul"}


def test_site_staff_who_give_a_password_hand_over_only_an_enrolment_code(client, site_staff):
    client.force_login(site_staff)
    response = client.post(
        reverse("admin:orgs_user_add"),
        {
            "username": "newcoordinator",
            "usable_password": "true",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        },
    )
    assert [c.purpose for c in response.context["codes"]] == [AccountCode.Purpose.ENROLMENT]
    assert User.objects.get(username="newcoordinator").check_password(NEW_PASSWORD)


def test_only_a_superuser_sets_a_superusers_password(client, site_staff):
    root = UserFactory(username="root", is_superuser=True)
    client.force_login(site_staff)
    url = reverse("admin:auth_user_password_change", args=[root.pk])
    response = client.post(
        url, {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.check_password(PASSWORD)


def test_a_member_changing_their_own_password_is_on_record(client, volunteer):
    client.force_login(volunteer)
    response = client.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.PASSWORD_CHANGED)
    assert event.user == volunteer


def test_signing_in_records_no_password_change(client, volunteer, settings):
    # A stronger hasher setting makes Django rehash at sign-in: that is not a change.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.ScryptPasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]
    assert client.login(username="aigul", password=PASSWORD)
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.PASSWORD_CHANGED).exists()


def test_the_members_page_offers_both_resets_and_shows_a_pending_code(
    client, coordinator, volunteer, django_assert_max_num_queries
):
    for n in range(5):
        MembershipFactory(
            user=UserFactory(username=f"member{n}"),
            organization=volunteer.memberships.get().organization,
        )
    client.force_login(coordinator)
    client.post(reverse("two_factor:reset", args=[volunteer.pk]))
    with django_assert_max_num_queries(9):
        page = client.get(reverse("two_factor:members"))
    html = page.content.decode()
    assert reverse("accounts:password_reset", args=[volunteer.pk]) in html
    assert "enrolment code valid until" in html


@pytest.mark.parametrize("name", ["accounts:new_password", "two_factor:unlock"])
def test_the_anonymous_account_pages_answer(client, db, name):
    page = client.get(reverse(name))
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
