"""The admin's own pages in a browser: sign-in with the second factor, the index, at both widths,
with no critical or serious accessibility problem."""

from tests.browser.conftest import assert_no_horizontal_overflow, assert_no_serious_axe_violations


def test_a_volunteer_signs_in_with_the_second_factor_and_sees_the_index(
    page, volunteer, sign_in_through_forms
):
    sign_in_through_forms(page, volunteer, check=assert_no_serious_axe_violations)
    assert page.get_by_role("heading", level=1).count() >= 1
    assert_no_serious_axe_violations(page)
    assert_no_horizontal_overflow(page)
