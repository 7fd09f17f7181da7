"""The two-factor pages and the staff pages in a browser, at desktop and phone width: no critical
or serious axe-core violation and nothing that scrolls sideways, in every state a member meets
(an error, the wait after wrong codes, open filters and column list)."""

import base64
import datetime
import re

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from orgs.accounts import issue_code
from orgs.models import AccountCode
from tests.browser.conftest import (
    assert_no_horizontal_overflow,
    assert_no_serious_axe_violations,
    current_code,
)
from tests.factories import PASSWORD, ConsentFactory
from tests.staff_data import documented_case


def check(page):
    assert_no_serious_axe_violations(page)
    assert_no_horizontal_overflow(page)


def sign_in_with_password(page, user):
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(user.get_username())
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/account/two-factor/**")


def test_the_code_prompt_its_errors_and_its_wait(page, volunteer, settings):
    # A wait longer than django-otp's first second, so that the test never races the clock.
    settings.OTP_TOTP_THROTTLE_FACTOR = 30
    settings.OTP_STATIC_THROTTLE_FACTOR = 30
    device = TOTPDevice.objects.create(user=volunteer, name="phone", confirmed=True)
    sign_in_with_password(page, volunteer)
    assert page.title() == "Two-factor sign-in · casetracker"
    code = page.get_by_label("Code from your authenticator app, or a recovery code")
    assert code.get_attribute("inputmode") != "numeric"
    check(page)

    code.fill("000000")
    page.get_by_role("button", name="Verify").click()
    page.get_by_text("This code is not valid").wait_for()
    check(page)

    page.get_by_label("Code from your authenticator app, or a recovery code").fill(
        current_code(device)
    )
    page.get_by_role("button", name="Verify").click()
    message = page.get_by_text(re.compile(r"Too many attempts; try again in \d+ seconds"))
    message.wait_for()
    check(page)

    past = timezone.now() - datetime.timedelta(seconds=31)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=past)
    page.get_by_label("Code from your authenticator app, or a recovery code").fill(
        current_code(device)
    )
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url("**/admin/")


def test_enrolment_recovery_codes_and_unlock(page, volunteer):
    enrolment_code = issue_code(member=volunteer, purpose=AccountCode.Purpose.ENROLMENT).code
    sign_in_with_password(page, volunteer)
    assert page.title() == "Set up two-factor sign-in · casetracker"
    check(page)
    page.get_by_label("Enrolment code").fill(enrolment_code)
    page.get_by_role("button", name="Continue").click()

    secret = page.locator("code.secret").inner_text()
    check(page)
    app = TOTPDevice(key=base64.b32decode(secret).hex())
    page.get_by_label("Code from your authenticator app").fill(current_code(app))
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="Recovery codes").wait_for()
    check(page)

    page.context.clear_cookies()
    page.goto("/account/two-factor/unlock/")
    check(page)


def test_a_coordinators_member_pages(page, coordinator, volunteer, sign_in):
    TOTPDevice.objects.create(user=volunteer, name="phone", confirmed=True)
    sign_in(page, coordinator)
    page.goto("/account/two-factor/members/")
    check(page)
    page.get_by_role("link", name="Reset device").click()
    check(page)
    page.get_by_role("button", name="Reset their device").click()
    page.get_by_text("Enrolment code for two-factor sign-in").wait_for()
    check(page)


def test_the_staff_pages(page, reviewer, organization, sign_in):
    case = documented_case(organization, publication_state="in_review")
    ConsentFactory(case=case, un_submission_consent=True)
    sign_in(page, reviewer)

    page.goto("/staff/cases/?status=camp&status=unknown&publication_state=in_review")
    assert page.get_by_text("Filters · 2 active").is_visible()
    page.get_by_text("Choose the columns").click()
    assert page.get_by_role("checkbox", name="Relatives live in").is_visible()
    check(page)
    # The buttons come first, whether the column list is open or not.
    assert page.get_by_role("button", name="Download CSV").is_visible()

    page.get_by_role("link", name="Summary report of these cases").click()
    page.get_by_role("heading", name="Summary report").wait_for()
    check(page)

    page.goto(f"/staff/cases/{case.entry_number}/un-submission/")
    check(page)

    page.goto("/staff/cases/?priority=9")
    check(page)
