"""Site staff in the staff area, in a browser at desktop and phone width: the case list, a CSV of
the cases and one case's dossier as PDF arrive as downloads of the right kind."""

from tests.browser.conftest import assert_no_horizontal_overflow, assert_no_serious_axe_violations
from tests.factories import CaseFactory, PersonNameFactory


def test_site_staff_download_a_csv_and_a_dossier(page, site_staff, organization, sign_in):
    case = CaseFactory(organization=organization)
    PersonNameFactory(person=case.person, value="Kasymov Nurlan")
    sign_in(page, site_staff)
    page.goto("/staff/")
    assert page.url.endswith("/staff/cases/")
    assert_no_serious_axe_violations(page)
    assert_no_horizontal_overflow(page)

    with page.expect_download() as csv_download:
        # From the keyboard: the column list may still lie over the button where the site's CSP
        # blocks the inline style that lays it out in columns.
        page.get_by_role("button", name="Download CSV").press("Enter")
    csv = csv_download.value
    assert csv.suggested_filename.endswith(".csv")
    text = open(csv.path(), encoding="utf-8-sig").read()
    header, *rows = text.splitlines()
    assert "," in header and len(rows) == 1
    assert str(case.entry_number) in rows[0]

    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Dossier", exact=True).click()
    dossier = pdf_download.value
    assert dossier.suggested_filename.endswith(".pdf")
    content = open(dossier.path(), "rb").read()
    assert content.startswith(b"%PDF-") and len(content) > 1000
