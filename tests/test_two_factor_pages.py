"""The two-factor pages as a member sees them: a plain page title, a code field that takes both
kinds of code, and a wait after wrong codes that says how long it lasts."""

import datetime
import re
import time
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from orgs.accounts import issue_code
from orgs.models import AccountCode, AuditEvent
from tests.factories import PASSWORD

TRY_AGAIN = re.compile(r"Too many attempts; try again in (\d+) seconds?\.")


def current_code(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


class _Page(HTMLParser):
    """The raw text inside <title> and the attributes of each input, as a browser reads them."""

    def __init__(self):
        super().__init__()
        self.in_title = False
        self.title = ""
        self.inputs = {}

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self.in_title = True
        elif tag == "input":
            attributes = dict(attrs)
            self.inputs[attributes.get("name")] = attributes

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False

    def handle_data(self, data):
        if self.in_title:
            self.title += data


def parsed(response):
    page = _Page()
    page.feed(response.content.decode())
    return page


@pytest.fixture
def enrolled(volunteer):
    return TOTPDevice.objects.create(user=volunteer, name="phone", confirmed=True)


@pytest.fixture
def recovery(volunteer, enrolled):
    device = StaticDevice.objects.create(user=volunteer, name="recovery codes", confirmed=True)
    device.token_set.create(token="k7m2q4zx")
    return device


def assert_plain_title(response):
    assert response.status_code == 200
    html = response.content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "<" not in title and ">" not in title
    assert "csrf" not in title.lower()
    assert title.strip().endswith("casetracker")


def test_every_two_factor_page_has_a_plain_text_title(client, volunteer, coordinator, enrolled):
    assert client.login(username="aigul", password=PASSWORD)
    assert_plain_title(client.get(reverse("two_factor:verify")))
    client.logout()

    member = coordinator
    enrolment_code = issue_code(member=member, purpose=AccountCode.Purpose.ENROLMENT).code
    assert client.login(username="dana", password=PASSWORD)
    assert_plain_title(client.get(reverse("two_factor:enrol")))
    client.post(reverse("two_factor:enrol"), {"enrolment_code": enrolment_code})
    assert_plain_title(client.get(reverse("two_factor:enrol")))
    client.logout()

    client.force_login(coordinator)
    assert_plain_title(client.get(reverse("two_factor:recovery_codes")))
    assert_plain_title(client.post(reverse("two_factor:recovery_codes")))
    assert_plain_title(client.get(reverse("two_factor:members")))
    reset_url = reverse("two_factor:reset", args=[volunteer.pk])
    assert_plain_title(client.get(reset_url))
    assert_plain_title(client.post(reset_url))
    client.logout()
    assert_plain_title(client.get(reverse("two_factor:unlock")))


def test_the_code_field_asks_phones_for_letters_and_digits(client, volunteer, enrolled):
    assert client.login(username="aigul", password=PASSWORD)
    page = client.get(reverse("two_factor:verify"))
    field = parsed(page).inputs["code"]
    assert field.get("inputmode") in (None, "text")
    assert field["autocomplete"] == "one-time-code"
    assert field["autocapitalize"] == "none"
    assert field["spellcheck"] == "false"
    label = page.context["form"]["code"].label
    assert "app" in label and "recovery code" in label
    assert "letters and digits" in page.content.decode()


def test_the_unlock_page_takes_recovery_codes_with_a_text_keyboard_too(client):
    field = parsed(client.get(reverse("two_factor:unlock"))).inputs["code"]
    assert field.get("inputmode") in (None, "text")
    assert field["autocapitalize"] == "none"


def test_a_recovery_code_is_accepted_whatever_the_phone_capitalised(client, volunteer, recovery):
    assert client.login(username="aigul", password=PASSWORD)
    response = client.post(reverse("two_factor:verify"), {"code": "K7M2 q4zx"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_is_called_wrong(client, volunteer, enrolled):
    assert client.login(username="aigul", password=PASSWORD)
    response = client.post(reverse("two_factor:verify"), {"code": "000000"})
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [
        "This code is not valid. Check the time on your phone."
    ]


def test_a_valid_code_during_the_wait_is_told_when_to_try_again(
    client, settings, volunteer, enrolled, recovery
):
    # A longer wait than django-otp's first second, so that the test never races the clock.
    settings.OTP_TOTP_THROTTLE_FACTOR = 30
    settings.OTP_STATIC_THROTTLE_FACTOR = 30
    assert client.login(username="aigul", password=PASSWORD)
    client.post(reverse("two_factor:verify"), {"code": "000000"})

    response = client.post(reverse("two_factor:verify"), {"code": current_code(enrolled)})
    assert response.status_code == 429
    (message,) = response.context["form"].errors["code"]
    seconds = int(TRY_AGAIN.fullmatch(message).group(1))
    assert 1 <= seconds <= 30
    assert "This code is not valid" not in response.content.decode()
    assert client.get("/admin/").status_code == 302
    assert AuditEvent.objects.filter(kind="otp_failed", details__waiting=True).exists()

    # The recovery code waits as well, and is not spent by the refusal.
    response = client.post(reverse("two_factor:verify"), {"code": "k7m2q4zx"})
    assert TRY_AGAIN.fullmatch(response.context["form"].errors["code"][0])
    assert recovery.token_set.filter(token="k7m2q4zx").exists()

    # Once the wait is over, the same kind of code opens the admin.
    past = timezone.now() - datetime.timedelta(seconds=31)
    TOTPDevice.objects.filter(pk=enrolled.pk).update(throttling_failure_timestamp=past)
    StaticDevice.objects.filter(pk=recovery.pk).update(throttling_failure_timestamp=past)
    response = client.post(reverse("two_factor:verify"), {"code": current_code(enrolled)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    # Proving one factor clears the wait of the other.
    recovery.refresh_from_db()
    assert recovery.throttling_failure_count == 0


def test_the_wait_grows_with_each_wrong_code_and_is_counted_in_seconds(client, volunteer, enrolled):
    TOTPDevice.objects.filter(pk=enrolled.pk).update(
        throttling_failure_count=7, throttling_failure_timestamp=timezone.now()
    )
    assert client.login(username="aigul", password=PASSWORD)
    response = client.post(reverse("two_factor:verify"), {"code": current_code(enrolled)})
    seconds = int(TRY_AGAIN.fullmatch(response.context["form"].errors["code"][0]).group(1))
    # 1, 2, 4 … seconds: the seventh wrong code asks for 64.
    assert 60 <= seconds <= 64
