"""Brute force: five wrong passwords lock the account at that address; the sixth try from there
is refused even with the right password, with a clear message; elsewhere the account is only
slowed down, and its owner lifts a lockout with their second factor; site staff see lockouts."""

import time

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from orgs.models import AuditEvent
from tests.factories import PASSWORD, UserFactory


def sign_in(client, password, username="aigul", address="203.0.113.7"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def test_the_sixth_failed_login_is_locked_out(client, volunteer):
    for _ in range(4):
        response = sign_in(client, "wrong password")
        assert response.status_code == 200  # the form again, with its error
    fifth = sign_in(client, "wrong password")
    assert fifth.status_code == 429

    sixth = sign_in(client, PASSWORD)
    assert sixth.status_code == 429
    assert "Sign-in locked" in sixth.content.decode()
    assert "30 minutes" in sixth.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(kind="lockout").exists()
    assert AuditEvent.objects.filter(kind="login_failed", username="aigul").count() >= 5


def test_one_office_address_does_not_lock_out_its_whole_group(client, volunteer):
    UserFactory(username="berik")
    for _ in range(5):
        sign_in(client, "wrong password")
    assert sign_in(client, PASSWORD).status_code == 429
    assert sign_in(client, PASSWORD, username="berik").status_code == 302


def test_failures_elsewhere_slow_the_username_down_but_never_lock_it(
    client, volunteer, monkeypatch
):
    clock = Clock(monkeypatch)
    for _ in range(5):
        sign_in(client, "wrong password", address="198.51.100.66")

    slowed = sign_in(client, PASSWORD)
    assert slowed.status_code == 429
    assert "Try again in 1 second" in slowed.content.decode()
    assert slowed["Retry-After"] == "1"
    assert AuditEvent.objects.filter(kind="login_slowed", username="aigul").exists()
    clock.wait(1)
    assert sign_in(client, PASSWORD).status_code == 302


def test_guessing_from_many_addresses_waits_longer_each_time_up_to_a_minute(
    client, volunteer, monkeypatch
):
    clock = Clock(monkeypatch)
    waits = []
    for n in range(12):
        response = sign_in(client, "wrong password", address=f"198.51.100.{n}")
        if response.status_code == 429 and "Try again" in response.content.decode():
            waits.append(int(response["Retry-After"]))
            clock.wait(waits[-1])
            assert sign_in(client, "wrong password", address=f"198.51.100.{n}").status_code in (
                200,
                429,
            )
    assert waits == [1, 2, 4, 8, 16, 32, 60]
    # Refused tries are not guesses: they neither lengthen the wait nor lock the member's own
    # address, and the member gets in once the last wait is over.
    for _ in range(10):
        assert sign_in(client, PASSWORD).status_code == 429
    clock.wait(60)
    assert sign_in(client, PASSWORD).status_code == 302


class Clock:
    """The sign-in slow-down's clock, moved on by hand instead of sleeping."""

    def __init__(self, monkeypatch):
        import time

        self.now = time.time()
        monkeypatch.setattr("casetracker.auth_backends._now", lambda: self.now)

    def wait(self, seconds):
        self.now += seconds


# --- unlocking with the second factor ---------------------------------------------------------


def current_code(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def unlock(client, code, password=PASSWORD, address="203.0.113.7"):
    return client.post(
        reverse("two_factor:unlock"),
        {"username": "aigul", "password": password, "code": code, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def test_a_locked_member_unlocks_themselves_with_their_second_factor(
    client, volunteer, monkeypatch
):
    clock = Clock(monkeypatch)
    device = TOTPDevice.objects.create(user=volunteer, name="phone", confirmed=True)
    for _ in range(5):
        sign_in(client, "wrong password")
    clock.wait(1)  # the username's slow-down after five failures, which the unlock obeys too
    locked = sign_in(client, PASSWORD)
    assert locked.status_code == 429
    assert reverse("two_factor:unlock") in locked.content.decode()

    response = unlock(client, current_code(device))
    assert response.status_code == 302
    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert not AccessAttempt.objects.filter(username="aigul").exists()
    assert AuditEvent.objects.filter(kind="unlocked", user=volunteer).exists()
    client.logout()
    assert sign_in(client, PASSWORD).status_code == 302


def test_a_recovery_code_unlocks_too(client, volunteer, monkeypatch):
    clock = Clock(monkeypatch)
    device = StaticDevice.objects.create(user=volunteer, name="recovery codes", confirmed=True)
    device.token_set.create(token="abcd2345")
    for _ in range(5):
        sign_in(client, "wrong password")
    clock.wait(1)
    assert unlock(client, "abcd2345").status_code == 302
    assert not AccessAttempt.objects.filter(username="aigul").exists()


@pytest.mark.parametrize("wrong", ["code", "password"])
def test_unlocking_needs_both_the_password_and_the_second_factor(
    client, volunteer, wrong, monkeypatch
):
    clock = Clock(monkeypatch)
    device = TOTPDevice.objects.create(user=volunteer, name="phone", confirmed=True)
    for _ in range(5):
        sign_in(client, "wrong password")
    clock.wait(1)
    if wrong == "code":
        response = unlock(client, "000000")
    else:
        response = unlock(client, current_code(device), password="wrong password")
    assert response.status_code == 200
    assert "do not match" in response.content.decode()
    assert "_auth_user_id" not in client.session
    clock.wait(60)
    assert "Sign-in locked" in sign_in(client, PASSWORD).content.decode()
    assert AuditEvent.objects.filter(kind="login_failed", details={"step": "unlock"}).exists()


def test_the_unlock_page_is_slowed_down_like_the_sign_in(client, volunteer, monkeypatch):
    Clock(monkeypatch)
    TOTPDevice.objects.create(user=volunteer, name="phone", confirmed=True)
    for n in range(5):
        unlock(client, "000000", address=f"198.51.100.{n}")
    response = unlock(client, "000000")
    assert response.status_code == 429
    assert "Try again in 1 second" in response.content.decode()


def test_a_right_password_before_the_limit_resets_the_count(client, volunteer):
    for _ in range(4):
        sign_in(client, "wrong password")
    assert sign_in(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert sign_in(client, "wrong password").status_code == 200


def test_site_staff_see_lockouts_in_the_admin_and_volunteers_do_not(client, volunteer, site_staff):
    for _ in range(5):
        sign_in(client, "wrong password")
    assert AccessAttempt.objects.filter(username="aigul").exists()

    client.force_login(site_staff)
    changelist = reverse("admin:axes_accessattempt_changelist")
    response = client.get(changelist)
    assert response.status_code == 200
    assert "aigul" in response.content.decode()

    volunteer_client = client_class_for(client)
    volunteer_client.force_login(UserFactory(username="volunteer-two"))
    assert volunteer_client.get(changelist).status_code == 403


def client_class_for(client):
    return type(client)()
