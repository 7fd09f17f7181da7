"""A volunteer imports the group's Kazakh-language sheet: the dry run asks what two status words
mean, she answers once for the whole file, confirms, and every row is a case. At desktop and
phone width, with axe-core on each import page. Every name in the sheet is invented."""

from pathlib import Path

from cases.models import Case
from tests.browser.conftest import assert_no_horizontal_overflow, assert_no_serious_axe_violations

SHEET = Path(__file__).resolve().parent.parent / "data" / "volunteer-sheet-kk.csv"


def check(page):
    assert_no_serious_axe_violations(page)
    assert_no_horizontal_overflow(page)


def test_a_volunteer_maps_the_unknown_words_and_every_row_imports(
    page, volunteer, organization, sign_in, case_import_dir
):
    sign_in(page, volunteer)
    page.goto("/admin/cases/case/import/")
    check(page)
    page.get_by_label("Case list").set_input_files(str(SHEET))
    page.get_by_role("button", name="Check the file (dry run)").click()

    page.get_by_role("heading", name="Words to explain").wait_for()
    assert page.locator("#count-create").inner_text() == "25"
    assert page.locator("#count-fail").inner_text() == "5"
    assert page.locator("#case-import-confirm").count() == 0
    check(page)
    page.get_by_label("Meaning of “оқуда” in the column “Жағдайы”").select_option(
        label="detained in a camp"
    )
    page.get_by_label("Meaning of “хабар жоқ” in the column “Жағдайы”").select_option(
        label="disappeared"
    )
    page.get_by_role("button", name="Read the file again with these meanings").click()

    page.locator("#case-import-confirm").wait_for()
    assert page.locator("#count-create").inner_text() == "30"
    assert page.locator("#count-fail").inner_text() == "0"
    check(page)
    page.get_by_role("button", name="Import", exact=True).click()

    page.get_by_text("The import is done: 30 rows written.").wait_for()
    check(page)
    assert Case.objects.filter(organization=organization).count() == 30
    assert Case.objects.filter(organization=organization, status="camp").count() >= 3


def test_the_sample_sheet_names_row_42_and_offers_no_import(page, volunteer, sign_in):
    sign_in(page, volunteer)
    page.goto("/admin/cases/case/import/")
    page.get_by_label("Case list").set_input_files(
        str(SHEET.with_name("sample-volunteer-sheet-ru.csv"))
    )
    page.get_by_role("button", name="Check the file (dry run)").click()
    page.get_by_role("heading", name="Rows with errors").wait_for()
    assert "row 42 (line 43)" in page.locator("tr.import-error").inner_text()
    assert page.locator("#case-import-confirm").count() == 0
    check(page)
    assert not Case.objects.exists()
