"""The public pages in Kazakh and in Uyghur (right to left), at phone and desktop width: no
sideways scrolling, no critical or serious accessibility problem, and the language links lead
to the same page in the other language."""

import pytest

from cases.models import Case, CaseTranslation, Consent
from tests.browser.conftest import assert_no_horizontal_overflow, assert_no_serious_axe_violations
from tests.factories import (
    CaseEventFactory,
    CaseFactory,
    ConsentFactory,
    PersonNameFactory,
    publish,
)

# What sticks out on the left, outside any scrolling box (a table scrolls in its own): on a
# right-to-left page it widens the page as much as on the right, and an element put off-screen
# to the left (a skip link at left: -9999px) is the usual culprit.
LEFT_OVERFLOW = """() => [...document.body.querySelectorAll("*")]
    .filter((e) => {
        if (e.getBoundingClientRect().left >= -1) return false;
        for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
            if (getComputedStyle(a).overflowX !== "visible") return false;
        }
        return true;
    })
    .slice(0, 5)
    .map((e) => e.tagName.toLowerCase() + "." + e.className)"""


@pytest.fixture
def entry(db):
    case = CaseFactory(
        publication_state=Case.PublicationState.PUBLISHED,
        summary="Задержан после поездки в Казахстан в 2018 году; с тех пор семья не получала "
        "никаких известий, а письма в посольство остались без ответа.",
        content_language="ru",
    )
    ConsentFactory(case=case, identity_level=Consent.IdentityLevel.NAME_ONLY)
    PersonNameFactory(person=case.person, value="Sauytbay Gulzhan", script="latn", language="kk")
    PersonNameFactory(
        person=case.person, value="ساۋۇتباي گۈلجان", script="arab", language="ug", kind="alias"
    )
    PersonNameFactory(
        person=case.person,
        value="萨吾提拜·古丽詹",
        script="hani",
        language="zh",
        kind="official_zh",
    )
    event = CaseEventFactory(case=case, description="Увезён ночью из дома в Кульдже.")
    CaseTranslation.objects.create(
        case=case, event=event, language="kk", text="Құлжадағы үйінен түнде алып кетті."
    )
    publish(case)
    return case


@pytest.mark.parametrize("language", ["kk", "ug"])
def test_the_public_pages_read_in_kazakh_and_uyghur_without_sideways_scrolling(
    page, entry, language
):
    direction = "rtl" if language == "ug" else "ltr"
    for path in ("/", "/cases/", f"/cases/{entry.entry_number}/"):
        page.goto(f"/{language}{path}")
        html = page.locator("html")
        assert html.get_attribute("lang") == language
        assert html.get_attribute("dir") == direction
        assert_no_horizontal_overflow(page)
        assert page.evaluate(LEFT_OVERFLOW) == [], page.url
        assert_no_serious_axe_violations(page)


def test_the_language_links_keep_the_page(page, entry):
    page.goto(f"/kk/cases/{entry.entry_number}/")
    page.locator("nav.language").get_by_role("link", name="ئۇيغۇرچە").click()
    page.wait_for_url(f"**/ug/cases/{entry.entry_number}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    # The Uyghur name reads right to left inside the page, the Latin one left to right.
    assert page.locator('.person-name[lang="ug"]').first.get_attribute("dir") == "rtl"
    page.locator("nav.language").get_by_role("link", name="English").click()
    page.wait_for_url(f"**/cases/{entry.entry_number}/")
    assert page.locator("html").get_attribute("lang") == "en"
