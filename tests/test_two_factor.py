"""Two-factor sign-in: no admin page with a password alone; enrolment, codes, recovery codes,
and the reset of a lost device."""

import time
from urllib.parse import urlencode

import pytest
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.urls import reverse
from django.utils.html import escape
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from orgs.accounts import issue_code
from orgs.models import AccountCode, AuditEvent, Membership
from orgs.two_factor import ENROLMENT_SESSION_KEY, reset_devices
from tests.factories import PASSWORD, MembershipFactory, OrganizationFactory, UserFactory


def current_code(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def pending_device(client):
    """The authenticator being enrolled, as the member's app holds it: its secret is in the
    session until the member confirms it (never a row of the database before that)."""
    return TOTPDevice(key=client.session[ENROLMENT_SESSION_KEY]["key"])


@pytest.fixture
def enrolled(volunteer):
    return TOTPDevice.objects.create(user=volunteer, name="phone", confirmed=True)


def test_it_sends_a_password_only_session_from_the_admin_to_the_second_factor(client, volunteer):
    assert client.login(username="aigul", password=PASSWORD)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("two_factor:enrol"))
    assert response.templates[0].name == "two_factor/enrol.html"


def test_the_admin_login_form_leads_to_the_code_prompt(client, volunteer, enrolled):
    response = client.post(
        reverse("admin:login") + "?next=/admin/",
        {"username": "aigul", "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor:verify"))
    assert client.get("/admin/").status_code == 302


def test_it_enrols_an_authenticator_with_a_qr_code_and_gives_recovery_codes(client, volunteer):
    enrolment_code = issue_code(member=volunteer, purpose=AccountCode.Purpose.ENROLMENT).code
    assert client.login(username="aigul", password=PASSWORD)
    client.post(reverse("two_factor:enrol"), {"enrolment_code": enrolment_code})
    page = client.get(reverse("two_factor:enrol"))
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    device = pending_device(client)

    wrong = client.post(reverse("two_factor:enrol"), {"code": "000000"})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors
    assert not TOTPDevice.objects.filter(user=volunteer).exists()

    response = client.post(reverse("two_factor:enrol"), {"code": current_code(device)})
    assert response.status_code == 200
    assert len(response.context["codes"]) == 10
    device = TOTPDevice.objects.get(user=volunteer)
    assert device.confirmed
    assert StaticDevice.objects.get(user=volunteer).token_set.count() == 10
    assert client.get("/admin/").status_code == 200
    assert AuditEvent.objects.filter(kind="otp_enrolled", user=volunteer).exists()


def test_a_password_alone_cannot_enrol_a_second_device(client, volunteer, enrolled):
    assert client.login(username="aigul", password=PASSWORD)
    response = client.get(reverse("two_factor:enrol"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor:verify"))
    assert TOTPDevice.objects.filter(user=volunteer).count() == 1


def test_a_code_from_the_app_opens_the_admin(client, volunteer, enrolled):
    assert client.login(username="aigul", password=PASSWORD)
    wrong = client.post(reverse("two_factor:verify") + "?next=/admin/", {"code": "123456"})
    assert wrong.status_code == 200
    assert client.get("/admin/").status_code == 302
    assert AuditEvent.objects.filter(kind="otp_failed", user=volunteer).exists()
    enrolled.refresh_from_db()
    enrolled.throttle_reset()

    response = client.post(
        reverse("two_factor:verify"), {"code": current_code(enrolled), "next": "/admin/"}
    )
    assert response.status_code == 302
    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_it_does_not_redirect_to_another_host_after_the_code(client, volunteer, enrolled):
    assert client.login(username="aigul", password=PASSWORD)
    response = client.post(
        reverse("two_factor:verify"),
        {"code": current_code(enrolled), "next": "https://evil.example.com/"},
    )
    assert response.url == reverse("admin:index")


def test_a_recovery_code_works_once(client, volunteer, enrolled):
    device = StaticDevice.objects.create(user=volunteer, name="recovery", confirmed=True)
    device.token_set.create(token="abcd2345")
    assert client.login(username="aigul", password=PASSWORD)
    response = client.post(reverse("two_factor:verify"), {"code": "abcd2345"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert not device.token_set.exists()


def test_recovery_codes_can_be_renewed_only_after_the_second_factor(client, volunteer, enrolled):
    assert client.login(username="aigul", password=PASSWORD)
    assert client.post(reverse("two_factor:recovery_codes")).status_code == 302
    assert not StaticDevice.objects.filter(user=volunteer).exists()
    client.force_login(volunteer)
    response = client.post(reverse("two_factor:recovery_codes"))
    assert len(response.context["codes"]) == 10


def test_the_staff_area_needs_the_second_factor_too(client, volunteer, enrolled):
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert client.login(username="aigul", password=PASSWORD)
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor:verify"))


# A filtered changelist: everything after the first "&" used to be lost on the way.
FILTERED = "/admin/cases/case/?status=camp&person__ethnicity=kazakh"


def leads_to(url, page):
    """Whether `url` is `page` with a `next` parameter that holds `FILTERED` whole."""
    path, _, query = url.partition("?")
    return path == page and QueryDict(query).getlist("next") == [FILTERED]


def test_a_filtered_admin_url_survives_the_password_and_the_code(client, volunteer, enrolled):
    response = client.get(FILTERED)
    assert response.status_code == 302
    assert leads_to(response.url, reverse("admin:login"))

    response = client.post(
        response.url, {"username": "aigul", "password": PASSWORD, "next": FILTERED}
    )
    assert leads_to(response.url, reverse("two_factor:verify"))
    page = client.get(response.url)
    assert page.context["next"] == FILTERED

    response = client.post(response.url, {"code": current_code(enrolled), "next": FILTERED})
    assert response.status_code == 302
    assert response.url == FILTERED
    changelist = client.get(response.url)
    assert changelist.status_code == 200
    assert changelist.context["cl"].params == {"status": "camp", "person__ethnicity": "kazakh"}


def test_a_filtered_admin_url_survives_the_enrolment(client, volunteer):
    enrolment_code = issue_code(member=volunteer, purpose=AccountCode.Purpose.ENROLMENT).code
    assert client.login(username="aigul", password=PASSWORD)
    page = client.get(FILTERED, follow=True)
    assert page.templates[0].name == "two_factor/enrol.html"
    assert page.context["next"] == FILTERED
    scan = client.post(
        page.request["PATH_INFO"],
        {"enrolment_code": enrolment_code, "next": FILTERED},
        follow=True,
    )
    assert scan.context["next"] == FILTERED
    done = client.post(
        scan.request["PATH_INFO"],
        {"code": current_code(pending_device(client)), "next": FILTERED},
    )
    assert done.context["next"] == FILTERED
    assert escape(FILTERED) in done.content.decode()


def test_a_signed_out_visitor_comes_back_to_the_full_two_factor_url(client):
    url = reverse("two_factor:verify") + "?" + urlencode({"next": FILTERED})
    response = client.get(url)
    path, _, query = response.url.partition("?")
    assert path == reverse("admin:login")
    assert leads_to(QueryDict(query)["next"], reverse("two_factor:verify"))


def test_the_test_clients_force_login_is_verified(client, volunteer):
    client.force_login(volunteer)
    assert client.get("/admin/").status_code == 200


def test_force_login_without_the_patch_is_a_password_only_session(
    client, volunteer, password_only_force_login
):
    client.force_login(volunteer)
    assert client.get("/admin/").status_code == 302


# --- resetting a lost device -----------------------------------------------------------------


def test_a_coordinator_resets_the_device_of_a_member_of_their_group(
    client, coordinator, volunteer, enrolled
):
    StaticDevice.objects.create(user=volunteer, name="recovery", confirmed=True)
    client.force_login(coordinator)
    url = reverse("two_factor:reset", args=[volunteer.pk])
    assert client.get(url).status_code == 200
    response = client.post(url)
    # The answer is the enrolment code to hand over, shown once (not a redirect).
    assert response.status_code == 200
    assert response.context["codes"][0].purpose == AccountCode.Purpose.ENROLMENT
    assert not TOTPDevice.objects.filter(user=volunteer).exists()
    assert not StaticDevice.objects.filter(user=volunteer).exists()
    event = AuditEvent.objects.get(kind="otp_reset")
    assert event.user == coordinator
    assert event.details["member"] == "aigul"


def test_a_coordinator_of_another_group_or_a_volunteer_cannot_reset(client, volunteer, enrolled):
    other = MembershipFactory(
        user=UserFactory(username="other-coordinator"),
        organization=OrganizationFactory(),
        role=Membership.Role.COORDINATOR,
    ).user
    colleague = MembershipFactory(
        user=UserFactory(username="colleague"),
        organization=volunteer.memberships.get().organization,
    ).user
    url = reverse("two_factor:reset", args=[volunteer.pk])
    for user in (other, colleague):
        client.force_login(user)
        assert client.post(url).status_code == 404
    assert TOTPDevice.objects.filter(user=volunteer, name="phone").exists()


def test_the_reset_service_refuses_a_member_who_may_not_reset(volunteer, coordinator):
    TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    with pytest.raises(PermissionDenied):
        reset_devices(actor=volunteer, member=coordinator)
    assert TOTPDevice.objects.filter(user=coordinator).exists()


def test_site_staff_reset_anyone_but_a_superuser(client, site_staff, volunteer, enrolled):
    root = UserFactory(username="root", is_superuser=True)
    TOTPDevice.objects.create(user=root, name="phone", confirmed=True)
    client.force_login(site_staff)
    assert client.post(reverse("two_factor:reset", args=[volunteer.pk])).status_code == 200
    assert client.post(reverse("two_factor:reset", args=[root.pk])).status_code == 404
    assert TOTPDevice.objects.filter(user=root, name="phone").exists()


def test_the_user_admin_links_to_the_reset(client, volunteer):
    root = UserFactory(username="root", is_superuser=True)
    client.force_login(root)
    page = client.get(reverse("admin:orgs_user_change", args=[volunteer.pk]))
    assert reverse("two_factor:reset", args=[volunteer.pk]) in page.content.decode()


def test_device_secrets_are_not_in_the_admin():
    from django.contrib import admin

    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)


def test_a_coordinator_lists_the_members_of_their_groups(
    client, coordinator, volunteer, enrolled, django_assert_max_num_queries
):
    MembershipFactory(user=UserFactory(username="elsewhere"), organization=OrganizationFactory())
    for n in range(5):
        MembershipFactory(
            user=UserFactory(username=f"member{n}"),
            organization=volunteer.memberships.get().organization,
        )
    client.force_login(coordinator)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("two_factor:members"))
    html = response.content.decode()
    assert "aigul" in html
    assert "member4" in html
    assert "elsewhere" not in html
    assert reverse("two_factor:reset", args=[volunteer.pk]) in html
    assert [
        enrolled_flag for m, enrolled_flag in response.context["rows"] if m.user == volunteer
    ] == [True]


def test_a_user_at_the_code_prompt_can_sign_out(client, volunteer, enrolled):
    assert client.login(username="aigul", password=PASSWORD)
    page = client.get(reverse("two_factor:verify"))
    assert reverse("two_factor:sign_out") in page.content.decode()
    assert page.content.decode().count(reverse("two_factor:sign_out")) == 1
    assert "<title>Two-factor sign-in · casetracker</title>" in page.content.decode()
    assert client.post(reverse("two_factor:sign_out")).status_code == 302
    assert "_auth_user_id" not in client.session
