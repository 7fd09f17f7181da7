"""What lets a reader trust, cite and share the public site, and a family find the form:
the methodology and the evidence badge, the evidence a group holds but does not show, the report
link, citation and sharing tags, feeds and sitemap, and the error pages."""

import re

import pytest
from django.contrib.staticfiles import finders

from cases.models import Case, Consent, PublicEntry, Visibility
from cases.services import workflow
from tests import factories
from tests.factories import CaseFactory, ConsentFactory, PersonNameFactory, publish

pytestmark = pytest.mark.django_db

State = Case.PublicationState


def published(*, identity=Consent.IdentityLevel.NAME_ONLY, name="Aigerim Testova", **fields):
    case = CaseFactory(publication_state=State.PUBLISHED, **fields)
    ConsentFactory(case=case, identity_level=identity)
    PersonNameFactory(person=case.person, value=name, script="latn")
    return case


# --- methodology and the evidence badge ---


def test_the_methodology_page_explains_every_evidence_level_under_its_own_anchor(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(0):
        page = client.get("/methodology/")
    assert page.status_code == 200
    text = page.content.decode()
    for level in range(5):
        assert f'id="evidence-{level}"' in text
    assert "2 of 4 · documents" in text
    assert "not yet assessed" in text
    assert 'href="/submit/"' in text
    assert 'id="corrections"' in text and 'id="consent"' in text


def test_lists_and_case_pages_show_the_evidence_as_a_labelled_badge_linking_to_its_paragraph(
    client,
):
    case = publish(published(evidence_level=2))
    listing = client.get("/cases/").content.decode()
    badge = re.search(r'<a class="evidence evidence-2" href="([^"]+)">([^<]+)</a>', listing)
    assert badge is not None
    assert badge.groups() == ("/methodology/#evidence-2", "2 of 4 · documents")
    page = client.get(f"/cases/{case.entry_number}/").content.decode()
    assert 'href="/methodology/#evidence-2">2 of 4 · documents</a>' in page


def test_a_case_whose_evidence_is_not_assessed_cannot_be_published(
    organization, reviewer, volunteer
):
    case = CaseFactory(organization=organization, evidence_level=0)
    ConsentFactory(case=case)
    Case.objects.filter(pk=case.pk).update(publication_state=State.IN_REVIEW)
    case = Case.objects.get(pk=case.pk)
    case._history_user = volunteer
    case.save()
    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.apply(user=reviewer, case=case, name="publish")
    assert refused.value.messages == [
        "The evidence level is 0 (not yet assessed). Assess the evidence and set a level from 1 "
        "to 4 before publishing."
    ]
    case.refresh_from_db()
    assert case.publication_state == State.IN_REVIEW
    assert not Case.objects.public().filter(pk=case.pk).exists()

    case.evidence_level = 1
    case._history_user = volunteer
    case.save()
    workflow.apply(user=reviewer, case=case, name="publish")
    case.refresh_from_db()
    assert case.publication_state == State.PUBLISHED

    # A revision that sets the level back to 0 waits: the old entry stays as it was.
    case.evidence_level = 0
    case._history_user = volunteer
    case.save()
    with pytest.raises(workflow.TransitionRefused, match="not yet assessed"):
        workflow.apply(user=reviewer, case=case, name="publish_revision")
    assert case.public_entry.evidence_level == 1


# --- evidence without exposure ---


def held_evidence(case):
    factories.SourceFactory(
        case=case,
        kind="identity_document",
        visibility=Visibility.SENSITIVE,
        title="Passport scan HELD-TITLE",
    )
    factories.TestimonyFactory(
        case=case,
        medium="video",
        relationship="daughter",
        visibility=Visibility.RESTRICTED,
        transcript="HELD-TRANSCRIPT",
        link="https://example.org/HELD-LINK",
    )


def test_a_named_entry_says_what_evidence_the_group_holds_without_any_detail(client):
    case = published()
    held_evidence(case)
    publish(case)
    content = PublicEntry.objects.get(case=case).content
    assert content["held_evidence"] == [
        {"type": "source", "kind": "identity_document"},
        {"type": "testimony", "medium": "video", "relationship": "daughter"},
    ]
    page = client.get(f"/cases/{case.entry_number}/").content.decode()
    assert "identity document, held by the group" in page
    assert "video testimony of a daughter, not public" in page
    assert "HELD-" not in page
    assert 'href="/methodology/#evidence-held"' in page


def test_an_anonymous_entry_holds_no_kind_of_evidence(client):
    case = published(identity=Consent.IdentityLevel.ANONYMOUS)
    held_evidence(case)
    publish(case)
    assert PublicEntry.objects.get(case=case).content == {}
    page = client.get(f"/cases/{case.entry_number}/").content.decode()
    assert "held by the group" not in page
    assert "not public" not in page


# --- the report form is easy to find ---


def test_every_public_page_links_to_the_report_form_in_header_and_footer(client):
    case = publish(published())
    for url in ("/", "/cases/", f"/cases/{case.entry_number}/", "/methodology/", "/figures/"):
        text = client.get(url).content.decode()
        header = text.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
        footer = text.split('<footer class="site-footer">', 1)[1].split("</footer>", 1)[0]
        assert '<a class="report-link" href="/submit/">Report a detained relative</a>' in header
        assert '<a href="/submit/">Report a detained relative</a>' in footer, url


def test_a_search_that_finds_nobody_invites_the_reader_to_report(client):
    publish(published())
    empty = client.get("/cases/?q=Nobodyhere").content.decode()
    assert "Not found? Tell us about them." in empty
    found = client.get("/cases/?q=Aigerim").content.decode()
    assert "Not found? Tell us about them." not in found


# --- cite and share ---


def meta(text, attribute, name):
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', text)
    return match.group(1) if match else None


def test_a_named_entry_can_be_cited_and_shared(client):
    case = publish(published(status="camp"))
    text = client.get(f"/cases/{case.entry_number}/").content.decode()
    url = f"http://testserver/cases/{case.entry_number}/"
    assert f'<link rel="canonical" href="{url}">' in text
    assert meta(text, "property", "og:url") == url
    assert meta(text, "property", "og:type") == "article"
    assert meta(text, "property", "og:title") == f"Aigerim Testova (entry {case.entry_number})"
    assert "Aigerim Testova" not in meta(text, "name", "description")
    assert "documented by" in meta(text, "name", "description")
    cite = re.search(r'<p class="cite" id="cite">(.*?)</p>', text, re.S).group(1)
    assert f"entry {case.entry_number}" in cite
    assert case.organization.name in cite
    assert "revision of" in cite
    assert f'<a href="{url}">{url}</a>' in cite
    assert 'rel="icon" href="/static/casetracker/favicon.svg"' in text


def test_an_anonymous_entry_is_shared_without_a_name(client):
    case = publish(published(identity=Consent.IdentityLevel.ANONYMOUS, name="Hidden Personova"))
    text = client.get(f"/cases/{case.entry_number}/").content.decode()
    assert "Hidden" not in text
    assert meta(text, "property", "og:title") == f"Anonymous entry {case.entry_number}"
    feed = client.get("/feed/").content.decode()
    assert f"Anonymous entry {case.entry_number}" in feed
    assert "Hidden" not in feed


def test_the_feeds_list_new_entries_and_revisions_of_public_entries_only(
    client, organization, django_assert_max_num_queries
):
    first = publish(published(organization=organization, name="Aigerim First"))
    hidden = published(organization=organization, name="Draft Personova")
    Case.objects.filter(pk=hidden.pk).update(publication_state=State.DRAFT)
    other = publish(published(name="Other Groupova"))
    with django_assert_max_num_queries(1):
        feed = client.get("/feed/")
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("application/atom+xml")
    text = feed.content.decode()
    assert "Aigerim First" in text and "Other Groupova" in text
    assert "Draft Personova" not in text
    assert f"http://testserver/cases/{first.entry_number}/" in text

    # A revision is a new item.
    first.summary = "Seen in 2021."
    first.save()
    publish(first)
    assert "Revised: Aigerim First" in client.get("/feed/").content.decode()

    with django_assert_max_num_queries(2):
        group = client.get(f"/organizations/{organization.slug}/feed/").content.decode()
    assert "Aigerim First" in group
    assert "Other Groupova" not in group
    assert client.get("/organizations/no-such-group/feed/").status_code == 404
    assert other.entry_number


def test_the_sitemap_lists_public_entries_only(client, django_assert_max_num_queries):
    public_case = publish(published())
    draft = published(name="Draft Personova")
    Case.objects.filter(pk=draft.pk).update(publication_state=State.DRAFT)
    with django_assert_max_num_queries(5):
        sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200
    text = sitemap.content.decode()
    assert f"<loc>http://testserver/cases/{public_case.entry_number}/</loc>" in text
    assert f"/cases/{draft.entry_number}/" not in text
    assert "<loc>http://testserver/methodology/</loc>" in text


# --- error pages ---


def test_a_withdrawn_entry_and_one_that_never_existed_answer_the_same_404(client):
    withdrawn = publish(published())
    workflow_user = factories.UserFactory(username="withdrawer")
    factories.MembershipFactory(
        user=workflow_user, organization=withdrawn.organization, role="coordinator"
    )
    workflow.apply(user=workflow_user, case=withdrawn, name="withdraw")
    assert not PublicEntry.objects.filter(entry_number=withdrawn.entry_number).exists()
    gone = client.get(f"/cases/{withdrawn.entry_number}/")
    never = client.get("/cases/987654321/")
    assert gone.status_code == never.status_code == 404

    def content(response):
        # The CSRF token of the language form differs on every response of any page.
        return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", response.content)

    assert content(gone) == content(never)
    text = gone.content.decode()
    assert '<header class="site-header">' in text
    assert 'role="search"' in text
    assert '<a href="/">Back to the home page</a>' in text
    assert f"/cases/{withdrawn.entry_number}/" not in text


def test_a_bad_request_answers_in_the_site_frame(client):
    response = client.get("/", HTTP_HOST="bad host name")
    assert response.status_code == 400
    text = response.content.decode()
    assert "This request could not be understood" in text
    assert 'role="search"' in text


@pytest.mark.parametrize(
    ("template", "heading"),
    [("403.html", "You may not open this page"), ("500.html", "Something went wrong on our side")],
)
def test_the_403_and_500_pages_have_the_header_a_search_box_and_a_way_back(template, heading):
    from django.template.loader import render_to_string

    # The 500 page is rendered without a request, as Django's handler does.
    text = render_to_string(template)
    assert heading in text
    assert '<header class="site-header">' in text
    assert 'role="search"' in text
    assert '<a href="/">Back to the home page</a>' in text


# --- print, figures and countries ---


def test_a_printed_case_page_shows_its_address_and_date_but_no_menu_or_form(client):
    case = publish(published())
    text = client.get(f"/cases/{case.entry_number}/").content.decode()
    assert re.search(
        rf'<p class="print-only">Printed from http://testserver/cases/{case.entry_number}/ on '
        r"\w+\.? \d+, \d{4}\.</p>",
        text,
    )
    with open(finders.find("casetracker/site.css"), encoding="utf-8") as stylesheet:
        css = stylesheet.read()
    print_rules = css.split("@media print", 1)[1]
    for selector in (".site-header nav", ".site-footer", "form", ".report-link"):
        assert selector in print_rules.split("display: none", 1)[0]
    assert ".print-only { display: block; }" in print_rules


def test_figures_draw_full_labels_and_bars_that_link_to_the_list_they_count(client):
    publish(published(status="released_china"), published(status="camp"))
    text = client.get("/figures/").content.decode()
    assert '<a href="/cases/?status=released_china" tabindex="-1">' in text
    assert '<text class="bar-label" x="0" y="' in text
    assert ">released, in China</text>" in text


def test_countries_without_a_public_case_are_greyed(client):
    kz = factories.CountryFactory(code="KZ", name="Kazakhstan")
    factories.CountryFactory(code="MN", name="Mongolia")
    case = published()
    factories.CitizenshipFactory(person=case.person, country=kz)
    publish(case)
    text = client.get("/countries/").content.decode()
    found = re.findall(
        r'<tr( class="no-cases")?>\s*<th scope="row"><a href="/countries/(\w+)/"', text
    )
    rows = {code: cls for cls, code in found}
    assert rows == {"KZ": "", "MN": ' class="no-cases"'}
