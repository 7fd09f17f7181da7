"""The person search on the case page, from the keyboard: Enter picks the highlighted row of the
rows that answer what is typed, never a row of an older search still on screen."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_no_serious_axe_violations
from tests.factories import PersonFactory, PersonNameFactory


def someone(organization, name, year):
    person = PersonFactory(organization=organization, birth_date=f"{year}-01-01")
    PersonNameFactory(person=person, value=name)
    return person


def open_relative_search(page):
    page.goto("/admin/cases/case/add/")
    page.get_by_role("combobox", name="someone already in the records (1)").click()
    return page.locator(".select2-container--open .select2-search__field")


def highlighted(page):
    return page.locator(".select2-results__option--highlighted")


def test_enter_picks_the_highlighted_person(desktop_page, volunteer, organization, sign_in):
    page = desktop_page
    for year in (1961, 1962, 1963):
        someone(organization, "Kasymova Aigerim", year)
    sign_in(page, volunteer)
    search = open_relative_search(page)
    search.press_sequentially("Kasymova")
    expect(page.locator(".select2-results__option")).to_have_count(3)
    search.press("ArrowDown")
    search.press("ArrowDown")
    row = highlighted(page).inner_text()
    assert "born 1963" in row or "born 1962" in row
    search.press("Enter")
    chosen = page.locator("#id_relationships-0-relative option:checked")
    expect(chosen).to_have_text(row)
    assert_no_serious_axe_violations(page)


def test_enter_never_picks_a_row_of_an_older_search(desktop_page, volunteer, organization, sign_in):
    page = desktop_page
    someone(organization, "Kasymova Aigerim", 1961)
    bakhyt = someone(organization, "Kasymov Bakhyt", 1958)
    sign_in(page, volunteer)
    search = open_relative_search(page)
    search.press_sequentially("Kasym")
    expect(page.locator(".select2-results__option")).to_have_count(2)
    # Typed on and Enter at once: the rows on screen still answer "Kasym".
    search.press_sequentially("ov B")
    search.press("Enter")
    expect(page.locator("#id_relationships-0-relative option:checked")).to_have_count(0)
    expect(page.locator(".select2-results__option")).to_have_count(1)
    expect(highlighted(page)).to_contain_text("Kasymov Bakhyt")
    search.press("Enter")
    expect(page.locator("#id_relationships-0-relative")).to_have_value(str(bakhyt.pk))
