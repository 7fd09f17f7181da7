"""Brute force: five wrong passwords lock the account and the address; the sixth try is refused
even with the right password, with a clear message; site staff see the lockout."""

from axes.models import AccessAttempt
from django.urls import reverse

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


def test_the_address_is_locked_for_other_accounts_too(client, volunteer):
    UserFactory(username="berik")
    for _ in range(5):
        sign_in(client, "wrong password")
    assert sign_in(client, PASSWORD, username="berik").status_code == 429


def test_the_account_is_locked_from_other_addresses_too(client, volunteer):
    for _ in range(5):
        sign_in(client, "wrong password")
    assert sign_in(client, PASSWORD, address="198.51.100.9").status_code == 429


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
