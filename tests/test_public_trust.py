"""What lets a reader trust, cite and share the public site, and a family find the form:
the methodology and the evidence badge, the evidence a group holds but does not show, the report
link, citation and sharing tags, feeds and sitemap, and the error pages."""

import re

import pytest

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


def test_the_methodology_page_explains_every_evidence_level_under_its_own_anchor(client):
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
