"""The volunteer's journey on the case page, in a browser at desktop and phone width: one case
told by the family (a detained man, named in Cyrillic and in Latin; his wife who reports it,
added on the page as a relative; "detained in 2018"; her testimony; her consent), saved once
with no error and submitted for review; then another member publishes it and the public page
shows it."""

import re

from playwright.sync_api import expect

from cases import models
from cases.models import Case, PersonName, Relationship
from tests.browser.conftest import assert_no_horizontal_overflow, assert_no_serious_axe_violations
from tests.factories import CountryFactory

# What the volunteer does on the page, counted: every fill, click, choice and tick.
JOURNEY_INTERACTIONS = 17
THE_WIFE = "Айгерим Касымова, the relative added above"


class Hands:
    """The volunteer's hands: every fill, click, choice and tick goes through here and counts."""

    def __init__(self, page):
        self.page = page
        self.count = 0

    def fill(self, locator, value):
        self.count += 1
        locator.fill(value)

    def click(self, locator):
        self.count += 1
        locator.click()

    def choose(self, locator, label):
        self.count += 1
        locator.select_option(label=label)

    def tick(self, locator):
        self.count += 1
        locator.check()


def test_a_volunteer_adds_the_familys_case_in_one_save_and_submits_it(
    page, screen, volunteer, sign_in
):
    CountryFactory(code="KZ", name="Kazakhstan")
    CountryFactory(code="CN", name="China")
    sign_in(page, volunteer)
    page.goto("/admin/cases/case/add/")
    for group in ("names", "citizenships", "relationships"):
        # The row "Add another" copies is never shown, not even when rows stack on a phone;
        # each cell of a stacked row shows its column's heading.
        expect(page.locator(f"#{group}-empty")).to_be_hidden()
    expect(page.locator("#names-0 td.field-value")).to_have_attribute("data-label", "Name")
    hands = Hands(page)

    # Who is detained: two names, the script read from the letters.
    hands.fill(page.locator("#id_names-0-value"), "Нурлан Касымов")
    hands.fill(page.locator("#id_names-1-value"), "Nurlan Kasymov")
    hands.choose(page.locator("#id_person_gender"), "male")

    # Who reports it: his wife, added here.
    hands.fill(page.locator("#id_relationships-0-new_name"), "Айгерим Касымова")
    hands.choose(page.locator("#id_relationships-0-kind"), "wife")
    hands.choose(page.locator("#id_relationships-0-new_citizenship"), "Kazakhstan")
    hands.fill(page.locator("#id_relationships-0-new_phone"), "+7 701 000 0000")

    # What happened and when.
    hands.choose(page.locator("#id_events-0-kind"), "detained")
    hands.fill(page.locator("#id_events-0-date_start"), "2018")

    # Her testimony, and her consent: she is the relative added above.
    hands.choose(page.locator("#id_testimonies-0-from_relatives"), THE_WIFE)
    hands.choose(page.locator("#id_testimonies-0-medium"), "interview")
    hands.fill(
        page.locator("#id_testimonies-0-transcript"),
        "My husband was taken from our home in 2018 and we have not heard from him since.",
    )
    hands.choose(page.locator("#id_consent-0-from_relatives"), THE_WIFE)
    hands.tick(page.locator("#id_consent-0-consent_to_publish"))
    assert_no_serious_axe_violations(page)
    assert_no_horizontal_overflow(page)

    hands.click(page.locator("input[name=_continue]"))
    expect(page.locator(".errornote, .error-summary")).to_have_count(0)
    expect(page.locator(".messagelist .success")).to_have_count(1)
    assert re.search(r"/admin/cases/case/\d+/change/", page.url)
    assert_no_serious_axe_violations(page)
    assert_no_horizontal_overflow(page)

    case = Case.objects.get()
    assert sorted(case.person.names.values_list("value", "script")) == [
        ("Nurlan Kasymov", PersonName.Script.LATIN),
        ("Нурлан Касымов", PersonName.Script.CYRILLIC),
    ]
    wife = Relationship.objects.get(person=case.person, kind="wife").relative
    assert wife.contact_details == "+7 701 000 0000"
    assert list(wife.citizenships.values_list("country__code", flat=True)) == ["KZ"]
    event = case.events.get()
    assert (event.date_start.year, event.date_start_precision) == (2018, "year")
    assert models.Testimony.objects.get(case=case).testifier == wife
    assert models.Consent.objects.get(case=case).given_by == wife
    # The page shows the year as it was typed, not an invented 1 January.
    expect(page.locator("#id_events-0-date_start")).to_have_value("2018")

    hands.click(page.get_by_role("link", name="Submit for review"))
    assert_no_serious_axe_violations(page)
    hands.click(page.get_by_role("button", name=re.compile("Submit for review")))
    expect(page.locator(".messagelist .success")).to_have_count(1)
    case.refresh_from_db()
    assert case.publication_state == Case.PublicationState.IN_REVIEW

    print(f"\njourney at {screen} width: {hands.count} interactions, 1 save")
    assert hands.count <= JOURNEY_INTERACTIONS


def test_a_relative_added_in_the_browser_is_offered_as_testifier_before_saving(
    desktop_page, volunteer, sign_in
):
    page = desktop_page
    sign_in(page, volunteer)
    page.goto("/admin/cases/case/add/")
    page.locator("#relationships-group .add-row a").click()
    page.locator("#id_relationships-1-new_name").fill("Касымов Ержан")
    testifier = page.locator("#id_testimonies-0-from_relatives")
    options = testifier.locator("option")
    expect(options).to_have_text(
        [
            "— someone else (search below) —",
            "the new relative in row 1 above",
            "Касымов Ержан, the relative added above",
        ]
    )
    testifier.select_option(label="Касымов Ержан, the relative added above")
    expect(testifier).to_have_value("new-1")
    # A testimony row added now offers the relatives too.
    page.locator("#testimonies-group .add-row a").click()
    expect(page.locator("#id_testimonies-1-from_relatives option")).to_have_count(3)
    # The row removed, the choice that named it goes with it.
    page.locator("#relationships-1 .inline-deletelink").click()
    expect(options).to_have_count(2)
    expect(testifier).to_have_value("")


def test_a_reviewer_publishes_a_case_another_member_submitted(
    page, reviewer, case_in_review, sign_in
):
    case = case_in_review
    sign_in(page, reviewer)
    page.goto("/admin/")
    assert_no_serious_axe_violations(page)
    page.goto(f"/admin/cases/case/{case.pk}/change/")
    assert_no_serious_axe_violations(page)
    assert_no_horizontal_overflow(page)
    page.get_by_role("link", name="Publish", exact=True).click()
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name=re.compile("Publish")).click()
    expect(page.locator(".messagelist .success")).to_have_count(1)
    case.refresh_from_db()
    assert case.publication_state == Case.PublicationState.PUBLISHED

    entry = models.PublicEntry.objects.get(case=case)
    page.context.clear_cookies()
    page.goto(f"/cases/{case.entry_number}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        entry.display_name or str(case.entry_number)
    )
    assert_no_serious_axe_violations(page)
    assert_no_horizontal_overflow(page)
