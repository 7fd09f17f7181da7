"""The public pages other than the list: home, case page, groups, countries, figures, open data.
Also what every public page must be: no inline script or style (the Content Security Policy
forbids them), nothing fetched from another host, a language and headings."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from cases.models import Case, Consent
from cases.public.figures import public_figures
from tests.factories import (
    AdvocacyActionFactory,
    CaseEventFactory,
    CaseFactory,
    CitizenshipFactory,
    ConsentFactory,
    CountryFactory,
    FacilityFactory,
    OrganizationFactory,
    PersonFactory,
    PersonNameFactory,
    RelationshipFactory,
    SourceFactory,
    publish,
)

pytestmark = pytest.mark.django_db


def published(organization=None, *, identity=Consent.IdentityLevel.NAME_ONLY, **fields):
    case = CaseFactory(
        publication_state=Case.PublicationState.PUBLISHED,
        **({"organization": organization} if organization else {}),
        **fields,
    )
    ConsentFactory(case=case, identity_level=identity)
    PersonNameFactory(person=case.person, value=f"Aigerim Test{case.pk}", script="latn")
    return publish(case)


@pytest.fixture
def world():
    kz = CountryFactory(code="KZ", name="Kazakhstan", notes="Returnee programme (kandas).")
    kg = CountryFactory(code="KG", name="Kyrgyzstan")
    cn = CountryFactory(code="CN", name="China")
    almaty = OrganizationFactory(
        name="Almaty Test Group", slug="almaty-test", country=kz, description="Records cases."
    )
    bishkek = OrganizationFactory(name="Bishkek Test Group", slug="bishkek-test", country=kg)
    cases = []
    for n in range(12):
        case = published(
            almaty if n % 2 else bishkek,
            status=["camp", "imprisoned", "disappeared"][n % 3],
            person=PersonFactory(
                ethnicity=["kazakh", "uyghur", "kyrgyz"][n % 3], hometown_prefecture="ili"
            ),
        )
        CaseEventFactory(case=case, date_start=datetime.date(2017 + n % 3, 1, 1))
        CitizenshipFactory(person=case.person, country=cn)
        if n % 2:
            CitizenshipFactory(person=case.person, country=kz)
        relative = PersonFactory()
        RelationshipFactory(person=case.person, relative=relative)
        CitizenshipFactory(person=relative, country=kg if n % 3 == 2 else kz)
        relative.residences.create(country=kg if n % 3 == 2 else kz, place="Bishkek")
        cases.append(case)
    draft = CaseFactory(organization=almaty, publication_state=Case.PublicationState.DRAFT)
    CitizenshipFactory(person=draft.person, country=kz)
    action = AdvocacyActionFactory(
        organization=almaty, title="Letter to the ministry", is_public=True
    )
    action.cases.add(cases[1])
    AdvocacyActionFactory(organization=almaty, title="Unpublished action", is_public=False)
    publish(*cases)
    return {"kz": kz, "kg": kg, "almaty": almaty, "bishkek": bishkek, "cases": cases}


class PageChecker(HTMLParser):
    """Collects what the CSP and accessibility checks look at."""

    def __init__(self):
        super().__init__()
        self.problems, self.headings, self.html_lang = [], [], None
        self.labels_for, self.inputs = set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if "style" in attrs:
            self.problems.append(f"style attribute on <{tag}>")
        if any(name.startswith("on") for name in attrs):
            self.problems.append(f"event handler on <{tag}>")
        if tag == "style":
            self.problems.append("inline <style>")
        if tag == "script" and "src" not in attrs:
            self.problems.append("inline <script>")
        for name in ("src", "href", "action"):
            value = attrs.get(name) or ""
            if tag in ("a", "form") and name in ("href", "action"):
                continue  # links to other sites are fine; loading from them is not
            own_address = attrs.get("rel") == "canonical" or "hreflang" in attrs
            if tag == "link" and own_address and name == "href":
                # A canonical link or a language version loads nothing, and names this site's
                # own address.
                if not value.startswith("http://testserver/"):
                    self.problems.append(f"canonical link to another host: {value}")
                continue
            if re.match(r"^(https?:)?//", value):
                self.problems.append(f"<{tag} {name}={value}> loads from another host")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(tag)
        if tag == "label" and attrs.get("for"):
            self.labels_for.add(attrs["for"])
        if tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit"):
            self.inputs.append(attrs.get("id"))


def check_page(html):
    checker = PageChecker()
    checker.feed(html)
    assert not checker.problems, checker.problems
    assert checker.html_lang == "en"
    assert checker.headings.count("h1") == 1, checker.headings
    unlabelled = [i for i in checker.inputs if i not in checker.labels_for]
    assert not unlabelled, unlabelled


def test_every_public_page_is_free_of_inline_code_and_other_hosts(client, world):
    case = world["cases"][1]
    urls = [
        "/",
        "/cases/",
        "/cases/?status=camp&q=Aigerim",
        "/cases/?status=bad",
        f"/cases/{case.entry_number}/",
        "/organizations/",
        "/organizations/almaty-test/",
        "/countries/",
        "/countries/KZ/",
        "/figures/",
        "/open-data/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 400), url
        check_page(response.content.decode())


def test_the_home_page_shows_headline_figures_search_and_latest_cases(client, world):
    body = client.get("/").content.decode()
    assert "12 published cases" in body
    assert "citizens of Kazakhstan among the detained" in body
    assert "citizens of Kyrgyzstan among the detained" in body
    assert 'role="search"' in body and 'name="q"' in body
    assert "detained in a camp" in body and "Uyghur" in body
    latest = world["cases"][-1]
    assert f"/cases/{latest.entry_number}/" in body


def test_the_home_page_counts_kazakhstan_citizens_among_the_detained(client, world):
    response = client.get("/")
    citizens = {code: n for code, _name, n in response.context["citizens"]}
    # Six of the published cases hold Kazakhstan citizenship; the draft one does not count.
    assert citizens == {"KZ": 6, "KG": 0}


def test_the_case_page_shows_the_public_record(client, world):
    case = world["cases"][1]
    facility = FacilityFactory(name="Tekes Camp No. 2", name_zh="特克斯")
    CaseEventFactory(
        case=case,
        kind="sentenced",
        date_start=datetime.date(2019, 6, 1),
        facility=facility,
        sentence_months=120,
        official_reason="extremism",
        suspected_reasons=["religion"],
    )
    SourceFactory(case=case, visibility="public", title="Verdict copy", url="https://example.org/v")
    Case.objects.filter(pk=case.pk).update(status_confirmed_on=datetime.date(2024, 2, 3))
    publish(case)
    response = client.get(f"/cases/{case.entry_number}/")
    body = response.content.decode()
    assert f"Aigerim Test{case.pk}" in body
    assert "status last confirmed on Feb. 3, 2024" in body
    assert "1 · reported by one identified testifier" in body
    assert "Reported by one identified person who testified" in body
    assert "Tekes Camp No. 2" in body and "特克斯" in body
    assert "Sentence: 120 months" in body and "religious practice" in body
    assert "Verdict copy" in body
    assert "a daughter, citizen of Kazakhstan" in body
    assert "Almaty Test Group" in body
    assert "Letter to the ministry" in body and "Unpublished action" not in body
    assert "Entry last changed" in body
    assert "Private notes" not in body


def test_an_unknown_entry_number_answers_404(client, world):
    assert client.get("/cases/99999999/").status_code == 404


def test_the_case_page_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    case = world["cases"][1]
    for _n in range(5):
        CaseEventFactory(case=case, facility=FacilityFactory())
        SourceFactory(case=case, visibility="public")
        relative = PersonFactory()
        RelationshipFactory(person=case.person, relative=relative, kind="son")
        PersonNameFactory(person=relative, value="Relative Name", script="latn")
        CitizenshipFactory(person=relative, country=world["kz"])
    # Case with person, organization and consent; names; citizenships; events with facilities;
    # sources; testimonies; relationships with relatives; their names; their citizenships;
    # actions.
    with django_assert_max_num_queries(10):
        response = client.get(f"/cases/{case.entry_number}/")
    assert response.status_code == 200
    assert "Relative Name" not in response.content.decode()


def test_the_organization_pages(client, world, django_assert_max_num_queries):
    public_figures()
    with django_assert_max_num_queries(2):
        listing = client.get("/organizations/").content.decode()
    assert "Almaty Test Group" in listing and "6 published cases" in listing
    assert "private contact notes" not in listing
    with django_assert_max_num_queries(5):
        page = client.get("/organizations/almaty-test/").content.decode()
    assert "Records cases." in page
    assert "6 published cases" in page
    assert "Letter to the ministry" in page and "Unpublished action" not in page
    assert "?organization=almaty-test" in page
    assert client.get("/organizations/no-such-group/").status_code == 404


def test_the_country_pages(client, world, django_assert_max_num_queries):
    public_figures()
    with django_assert_max_num_queries(2):
        listing = client.get("/countries/").content.decode()
    assert "Kazakhstan" in listing
    with django_assert_max_num_queries(5):
        response = client.get("/countries/KZ/")
    page = response.content.decode()
    assert "Returnee programme (kandas)." in page
    assert response.context["citizens"] == 6
    # Relatives live in Kazakhstan for the cases n % 3 != 2: 8 of 12.
    assert response.context["families"] == 8
    assert "?citizenship=KZ" in page and "?relatives_country=KZ" in page
    assert "Almaty Test Group" in page
    assert client.get("/countries/kz/").status_code == 200
    assert client.get("/countries/XX/").status_code == 404


def test_the_figures_page_draws_each_chart_with_its_table(client, world):
    response = client.get("/figures/")
    body = response.content.decode()
    for title in (
        "by year of detention",
        "by current status",
        "by ethnicity",
        "by hometown prefecture",
    ):
        assert title in body
    assert body.count("<svg") == 4
    assert body.count("<table") == 4
    assert 'aria-hidden="true"' in body
    # 2017, 2018 and 2019: four published cases each.
    years = next(chart for chart in response.context["charts"] if chart["id"] == "by-year")
    assert [(bar["label"], bar["count"]) for bar in years["bars"]] == [
        ("2017", 4),
        ("2018", 4),
        ("2019", 4),
    ]


def test_the_open_data_page_documents_columns_and_licence(client):
    body = client.get(reverse("cases:open_data")).content.decode()
    assert "CC BY 4.0" in body
    for column in ("entry_number", "name_latin", "status", "evidence_level", "updated_at"):
        assert f"<code>{column}</code>" in body


def test_the_figures_are_cached_briefly(client, world, django_assert_max_num_queries):
    client.get("/figures/")
    with django_assert_max_num_queries(0):
        client.get("/figures/")


def test_it_counts_a_case_in_the_public_figures_as_soon_as_a_reviewer_publishes_it(
    client, reviewer, case_in_review
):
    assert client.get("/figures/").status_code == 200  # the figures are now cached
    assert public_figures()["total"] == 0
    client.force_login(reviewer)
    client.post(f"/admin/cases/case/{case_in_review.pk}/workflow/publish/")
    assert Case.objects.public().count() == 1
    assert public_figures()["total"] == 1


def test_it_drops_a_case_from_the_public_figures_when_consent_is_withdrawn(
    client, reviewer, volunteer, case_in_review
):
    client.force_login(reviewer)
    client.post(f"/admin/cases/case/{case_in_review.pk}/workflow/publish/")
    client.logout()
    assert client.get("/figures/").status_code == 200
    assert public_figures()["total"] == 1
    consent = case_in_review.consent
    consent.refresh_from_db()
    consent.consent_to_publish = False
    consent.save()
    assert public_figures()["total"] == 0


def test_an_anonymous_case_in_the_list_shows_no_name(client, world):
    anonymous = published(identity=Consent.IdentityLevel.ANONYMOUS)
    body = client.get("/cases/?per_page=100").content.decode()
    assert f"Aigerim Test{anonymous.pk}" not in body
    assert f"#{anonymous.entry_number}" in body
