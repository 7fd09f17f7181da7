"""The sign-in pages and the admin's own pages in a browser, at both widths: the login page, the
second factor, its enrolment and recovery codes, and the admin index, with no critical or
serious accessibility problem and nothing wider than the screen."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_no_horizontal_overflow, assert_no_serious_axe_violations
from tests.factories import PASSWORD


def check(page):
    assert_no_serious_axe_violations(page)
    assert_no_horizontal_overflow(page)


def test_a_volunteer_signs_in_with_the_second_factor_and_makes_recovery_codes(
    page, volunteer, sign_in_through_forms
):
    sign_in_through_forms(page, volunteer, check=check)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check(page)

    page.goto("/account/two-factor/recovery-codes/")
    check(page)
    page.get_by_role("button", name="Make new recovery codes").click()
    expect(page.locator("ul.codes li")).to_have_count(10)
    check(page)


def test_a_member_without_a_second_factor_is_asked_to_set_one_up(page, volunteer):
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(volunteer.get_username())
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/account/two-factor/enrol/**")
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    check(page)
