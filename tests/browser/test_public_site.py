"""The public site in a browser, as a reader on a desktop (1366 px) and on a small phone (360 px):
the list with its counted filters and removable chips, a facility's page, a prefecture's page,
the map of the prefectures, the methodology and an error page. Each page has no accessibility
problem of any impact that axe-core finds, and none scrolls sideways."""

import re

import pytest
from playwright.sync_api import expect

from cases.models import Case, Consent, Visibility
from tests.browser.conftest import assert_no_horizontal_overflow, axe_violations
from tests.factories import (
    CaseEventFactory,
    CaseFactory,
    ConsentFactory,
    FacilityFactory,
    PersonFactory,
    PersonNameFactory,
    SourceFactory,
    publish,
)

WIDTHS = {"desktop": (1366, 900), "phone": (360, 740)}
EVERY_IMPACT = ("minor", "moderate", "serious", "critical")


@pytest.fixture(params=list(WIDTHS))
def reader(request, new_context, live_server):
    """A page at desktop or small-phone width, as an anonymous reader."""
    width, height = WIDTHS[request.param]
    context = new_context(
        base_url=live_server.url,
        locale="en-GB",
        viewport={"width": width, "height": height},
        is_mobile=request.param == "phone",
        has_touch=request.param == "phone",
    )
    context.set_default_timeout(10_000)
    return context.new_page()


def assert_clean(page):
    """No axe-core violation at all, and nothing wider than the window."""
    violations = axe_violations(page, impacts=EVERY_IMPACT)
    lines = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(map(str, node["target"])) for node in v["nodes"][:3])
        for v in violations
    ]
    assert not lines, f"axe on {page.url}:\n" + "\n".join(lines)
    assert_no_horizontal_overflow(page)


@pytest.fixture
def public_site():
    camp = FacilityFactory(
        name="Tekes County Camp No. 2",
        name_zh="特克斯县第二营",
        name_pinyin="Tekesi Xian Di Er Ying",
        name_ug="تېكەس ناھىيەسى 2-لاگېر",
        name_kk="Текес ауданы №2 лагері",
        kind="camp",
        prefecture="ili",
        county="Tekes",
    )
    cases = []
    for n, (ethnicity, status, identity) in enumerate(
        [
            ("kazakh", "camp", Consent.IdentityLevel.NAME_ONLY),
            ("kazakh", "camp", Consent.IdentityLevel.FULL),
            ("kazakh", "imprisoned", Consent.IdentityLevel.NAME_ONLY),
            ("uyghur", "camp", Consent.IdentityLevel.ANONYMOUS),
            ("kyrgyz", "disappeared", Consent.IdentityLevel.NAME_ONLY),
        ]
    ):
        case = CaseFactory(
            person=PersonFactory(ethnicity=ethnicity, hometown_prefecture="ili"),
            status=status,
            publication_state=Case.PublicationState.PUBLISHED,
        )
        ConsentFactory(case=case, identity_level=identity)
        PersonNameFactory(person=case.person, value=f"Testkyzy Aigerim{n}", script="latn")
        CaseEventFactory(case=case, facility=camp)
        cases.append(case)
    publish(*cases)
    return {"camp": camp, "cases": cases}


def test_the_list_puts_results_first_and_filters_behind_one_line_with_chips(reader, public_site):
    reader.goto("/cases/?status=camp&ethnicity=kazakh")
    expect(reader.get_by_role("heading", name="2 cases")).to_be_visible()
    summary = reader.locator("details.filters > summary")
    expect(summary).to_have_text("Filters · 2 active")
    # Collapsed: the checkboxes wait behind the summary, the results are in view.
    expect(reader.get_by_role("checkbox", name=re.compile("^Uyghur"))).to_be_hidden()
    chips = reader.locator(".chips a.chip")
    expect(chips).to_have_count(2)
    assert_clean(reader)

    summary.click()
    # Within "status: camp", Kazakh and Uyghur camps; within "ethnicity: Kazakh", two in camps
    # and one in prison.
    expect(reader.get_by_role("checkbox", name="Uyghur (1)")).to_be_visible()
    expect(reader.get_by_role("checkbox", name="Kazakh (2)")).to_be_checked()
    expect(reader.get_by_role("checkbox", name=re.compile(r"^imprisoned.*\(1\)$"))).to_be_visible()
    # No case is Hui: the option is left out.
    expect(reader.get_by_role("checkbox", name=re.compile("^Hui"))).to_have_count(0)
    assert_clean(reader)

    # The form sends only what is set: no empty parameter reaches the URL.
    reader.get_by_role("checkbox", name="Uyghur (1)").check()
    reader.get_by_role("button", name="Apply filters").click()
    reader.wait_for_url(re.compile(r"uyghur"))
    query = reader.url.split("?", 1)[1]
    assert sorted(query.split("&")) == ["ethnicity=kazakh", "ethnicity=uyghur", "status=camp"]
    expect(reader.get_by_role("heading", name="3 cases")).to_be_visible()

    # A chip takes its one filter away.
    reader.get_by_role("link", name=re.compile("Remove filter Status")).click()
    reader.wait_for_url(lambda url: "status=" not in url)
    expect(reader.locator("details.filters > summary")).to_have_text("Filters · 2 active")
    expect(reader.get_by_role("heading", name="4 cases")).to_be_visible()
    assert_clean(reader)


def test_a_url_with_empty_parameters_redirects_to_the_clean_one(reader, public_site):
    reader.goto("/cases/?q=&status=camp&gender=&detained_from=")
    assert reader.url.endswith("/cases/?status=camp")


def test_a_facility_page_names_it_in_every_language_and_lists_its_public_cases(reader, public_site):
    named = public_site["cases"][0]
    reader.goto(f"/cases/{named.entry_number}/")
    reader.get_by_role("link", name="Tekes County Camp No. 2").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Tekes County Camp No. 2")
    expect(reader.locator('main [lang="ug"][dir="rtl"]')).to_have_text("تېكەس ناھىيەسى 2-لاگېر")
    expect(reader.locator('main [lang="kk"]').first).to_have_text("Текес ауданы №2 лагері")
    # The four named entries; the anonymous one shows no timeline, so names no facility.
    expect(
        reader.get_by_role("heading", name="4 published cases name this facility")
    ).to_be_visible()
    assert_clean(reader)
    reader.get_by_role("link", name="Ili").first.click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Ili")
    expect(reader.get_by_role("link", name="Tekes County Camp No. 2")).to_be_visible()
    assert_clean(reader)


def test_the_map_links_each_prefecture_to_its_page(reader, public_site):
    reader.goto("/places/")
    tile = reader.get_by_role("link", name="Ili: 5 published cases")
    expect(tile).to_be_visible()
    expect(reader.get_by_role("link", name="Altay: 0 published cases")).to_be_visible()
    assert_clean(reader)
    tile.click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Ili")
    reader.goto("/figures/")
    expect(reader.get_by_role("link", name="Ili: 5 published cases")).to_be_visible()
    assert_clean(reader)


def test_the_methodology_and_an_error_page(reader, public_site):
    reader.goto("/methodology/")
    expect(reader.get_by_role("heading", level=1)).to_be_visible()
    assert_clean(reader)
    response = reader.goto(f"/cases/{public_site['cases'][0].entry_number + 1000}/")
    assert response.status == 404
    expect(reader.get_by_role("heading", name="This page is not here")).to_be_visible()
    assert_clean(reader)


def test_a_case_page_shows_its_evidence_cites_itself_and_prints_without_the_menu(
    reader, public_site
):
    case = public_site["cases"][0]
    SourceFactory(
        case=case,
        kind="identity_document",
        visibility=Visibility.SENSITIVE,
        title="Passport scan HELD-TITLE",
    )
    publish(case)
    reader.goto(f"/cases/{case.entry_number}/")
    expect(reader.get_by_role("heading", level=1)).to_contain_text("Testkyzy Aigerim0")
    # The evidence level is a labelled badge that leads to its paragraph of the methodology.
    badge = reader.locator("main a.evidence")
    expect(badge).to_have_attribute("href", re.compile(r"/methodology/#evidence-"))
    expect(badge).to_contain_text("of 4")
    expect(reader.locator(".held-evidence")).to_contain_text("identity document, held by the group")
    expect(reader.locator("main")).not_to_contain_text("HELD-TITLE")
    expect(reader.locator("#cite")).to_contain_text(str(case.entry_number))
    expect(reader.get_by_role("link", name="Report a detained relative").first).to_be_visible()
    assert reader.locator('link[rel="canonical"]').count() == 1
    assert reader.locator('meta[property="og:title"]').count() == 1
    assert_clean(reader)
    # Printed: no menu and no form, but the address and the date.
    reader.emulate_media(media="print")
    expect(reader.locator(".site-header nav")).to_be_hidden()
    expect(reader.locator("main form")).to_have_count(0)
    expect(reader.locator(".print-only")).to_be_visible()
    expect(reader.locator(".print-only")).to_contain_text(f"/cases/{case.entry_number}/")


def test_the_home_and_figures_link_their_counts_to_the_list(reader, public_site):
    reader.goto("/")
    expect(reader.get_by_role("heading", level=1)).to_be_visible()
    assert_clean(reader)
    reader.goto("/figures/")
    bar = reader.locator('main a[href*="/cases/?"]').first
    expect(bar).to_be_visible()
    assert_clean(reader)
    bar.click()
    expect(reader).to_have_url(re.compile(r"/cases/\?"))
    expect(reader.locator("table.cases tbody tr").first).to_be_visible()
