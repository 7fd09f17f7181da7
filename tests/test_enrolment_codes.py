"""Two-factor enrolment needs a one-time enrolment code handed over out of band: a password alone
never sees the secret being enrolled, and no device exists before the member confirms it."""

import datetime
import time

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from orgs.accounts import issue_code
from orgs.models import AccountCode, AuditEvent
from orgs.two_factor import ENROLMENT_SESSION_KEY
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"
ENROL = reverse("two_factor:enrol")


def app_code(key_hex):
    """The six digits an authenticator app shows now for the secret `key_hex`."""
    device = TOTPDevice(key=key_hex)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def enrolment_code_for(member, actor=None):
    return issue_code(member=member, purpose=AccountCode.Purpose.ENROLMENT, actor=actor).code


def test_a_password_alone_does_not_see_the_secret_and_creates_no_device(client, volunteer):
    assert client.login(username="aigul", password=PASSWORD)
    page = client.get(ENROL)
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" not in html
    assert 'class="secret"' not in html
    assert "enrolment_code" in html
    assert ENROLMENT_SESSION_KEY not in client.session
    assert not TOTPDevice.objects.filter(user=volunteer).exists()
    viewed = AuditEvent.objects.get(kind=AuditEvent.Kind.ENROLMENT_PAGE)
    assert viewed.user == volunteer
    assert viewed.details == {"step": "code"}


def test_the_enrolment_code_shows_the_secret_and_the_device_is_made_on_confirmation(
    client, volunteer, coordinator
):
    code = enrolment_code_for(volunteer, actor=coordinator)
    assert client.login(username="aigul", password=PASSWORD)
    # Typed as a member would: lower case, spaces instead of dashes.
    response = client.post(ENROL, {"enrolment_code": code.lower().replace("-", " ")})
    assert response.status_code == 302
    page = client.get(ENROL)
    key = client.session[ENROLMENT_SESSION_KEY]["key"]
    assert "<svg" in page.content.decode()
    assert not TOTPDevice.objects.filter(user=volunteer).exists()
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.ENROLMENT_PAGE, details={"step": "scan"}
    ).exists()

    done = client.post(ENROL, {"code": app_code(key)})
    assert len(done.context["codes"]) == 10
    device = TOTPDevice.objects.get(user=volunteer)
    assert device.confirmed and device.key == key
    assert ENROLMENT_SESSION_KEY not in client.session
    # Spent: the code opens no second enrolment.
    assert not AccountCode.objects.filter(user=volunteer).exists()
    enrolled = AuditEvent.objects.get(kind=AuditEvent.Kind.SECOND_FACTOR_ENROLLED)
    assert enrolled.user == volunteer
    assert enrolled.details == {"with_enrolment_code": True}
    assert client.get("/admin/").status_code == 200


def test_only_a_hash_of_the_code_is_stored_and_it_names_who_issued_it(volunteer, coordinator):
    issued = issue_code(member=volunteer, purpose=AccountCode.Purpose.ENROLMENT, actor=coordinator)
    stored = AccountCode.objects.get(user=volunteer)
    assert issued.code not in stored.code_hash
    assert stored.code_hash == AccountCode.hash(issued.code)
    assert stored.issued_by == coordinator
    hours = (stored.expires_at - timezone.now()).total_seconds() / 3600
    assert 71 < hours <= 72
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.ENROLMENT_CODE)
    assert event.user == coordinator
    assert issued.code not in str(event.details)


@pytest.mark.parametrize("problem", ["wrong", "expired", "someone else's"])
def test_a_wrong_or_expired_code_is_refused(client, volunteer, problem):
    code = enrolment_code_for(volunteer)
    if problem == "wrong":
        code = "ABCD-EFGH-JKLM-NPQR"
    elif problem == "expired":
        AccountCode.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    else:
        code = enrolment_code_for(UserFactory(username="berik"))
    assert client.login(username="aigul", password=PASSWORD)
    response = client.post(ENROL, {"enrolment_code": code})
    assert response.status_code == 200
    assert response.context["code_form"].errors
    assert ENROLMENT_SESSION_KEY not in client.session
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.CODE_REFUSED, user=volunteer).exists()


def test_a_code_typed_on_a_cyrillic_layout_or_in_non_latin_script_gives_no_error_page(
    client, volunteer
):
    assert client.login(username="aigul", password=PASSWORD)
    response = client.post(ENROL, {"enrolment_code": "АВСЕ-ЁЖЗИ-ئۇيغۇر-汉字"})
    assert response.status_code == 200
    assert response.context["code_form"].errors


def test_a_new_code_voids_an_enrolment_begun_with_the_old_one(client, volunteer):
    old = enrolment_code_for(volunteer)
    assert client.login(username="aigul", password=PASSWORD)
    client.post(ENROL, {"enrolment_code": old})
    key = client.session[ENROLMENT_SESSION_KEY]["key"]
    enrolment_code_for(volunteer)  # the coordinator issued another one meanwhile

    response = client.post(ENROL, {"code": app_code(key)}, follow=True)
    assert not TOTPDevice.objects.filter(user=volunteer).exists()
    assert "enrolment_code" in response.content.decode()


def test_after_a_reset_a_half_finished_replacement_needs_a_code(client, volunteer, coordinator):
    """A session that began to replace the phone (with the old one) cannot finish once a
    coordinator reset the devices: the device that verified it is gone."""
    client.force_login(volunteer)
    client.get(ENROL)
    key = client.session[ENROLMENT_SESSION_KEY]["key"]
    from orgs.two_factor import reset_devices

    reset_devices(actor=coordinator, member=volunteer)
    response = client.post(ENROL, {"code": app_code(key)})
    assert response.status_code == 200
    assert "code_form" in response.context
    assert not TOTPDevice.objects.filter(user=volunteer).exists()


def test_a_verified_member_replaces_their_phone_without_an_enrolment_code(client, volunteer):
    client.force_login(volunteer)
    old = TOTPDevice.objects.get(user=volunteer)
    page = client.get(ENROL)
    assert "<svg" in page.content.decode()
    key = client.session[ENROLMENT_SESSION_KEY]["key"]
    client.post(ENROL, {"code": app_code(key)})
    new = TOTPDevice.objects.get(user=volunteer)
    assert new.pk != old.pk and new.key == key


def test_the_first_superuser_gets_a_code_from_the_command_line(client, capsys, db):
    root = UserFactory(username="root", is_superuser=True)
    call_command("enrolment_code", "root")
    printed = capsys.readouterr().out
    code = printed.split("Enrolment code for root: ")[1].split()[0]
    assert client.login(username="root", password=PASSWORD)
    assert client.post(ENROL, {"enrolment_code": code}).status_code == 302
    client.post(ENROL, {"code": app_code(client.session[ENROLMENT_SESSION_KEY]["key"])})
    assert TOTPDevice.objects.filter(user=root, confirmed=True).exists()
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.ENROLMENT_CODE)
    assert event.details["by"] == "command line"


def test_the_command_replaces_a_device_only_when_asked(volunteer, capsys):
    TOTPDevice.objects.create(user=volunteer, name="phone", confirmed=True)
    with pytest.raises(CommandError, match="--reset"):
        call_command("enrolment_code", "aigul")
    assert not AccountCode.objects.exists()
    call_command("enrolment_code", "aigul", "--reset")
    assert not TOTPDevice.objects.filter(user=volunteer).exists()
    assert AccountCode.objects.filter(user=volunteer).exists()
    with pytest.raises(CommandError, match="No user"):
        call_command("enrolment_code", "nobody")
