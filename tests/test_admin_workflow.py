"""The review workflow through the admin: explicit steps with a confirmation, the reviewer's
four eyes, consent to publish, and withdrawal taking a case off the public site at once."""

import pytest

from cases.models import Case, Consent
from orgs.models import Membership
from tests.admin_forms import form_data
from tests.factories import CaseFactory, ConsentFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

State = Case.PublicationState


def test_each_step_asks_for_confirmation_first(client, volunteer, organization):
    case = CaseFactory(organization=organization)
    client.force_login(volunteer)
    page = client.get(f"/admin/cases/case/{case.pk}/change/")
    assert f"/admin/cases/case/{case.pk}/workflow/submit/" in page.text
    confirm = client.get(f"/admin/cases/case/{case.pk}/workflow/submit/")
    assert confirm.status_code == 200
    assert "Yes: Submit for review" in confirm.text
    case.refresh_from_db()
    assert case.publication_state == State.DRAFT


def test_a_volunteer_submits_but_never_publishes(client, volunteer, case_in_review):
    client.force_login(volunteer)
    page = client.get(f"/admin/cases/case/{case_in_review.pk}/change/")
    assert "workflow/publish/" not in page.text
    response = client.post(f"/admin/cases/case/{case_in_review.pk}/workflow/publish/", follow=True)
    assert "Only a reviewer" in response.text
    case_in_review.refresh_from_db()
    assert case_in_review.publication_state == State.IN_REVIEW
    assert not Case.objects.public().exists()


def test_a_reviewer_publishes_and_it_is_recorded(client, reviewer, case_in_review):
    client.force_login(reviewer)
    assert "workflow/publish/" in client.get(f"/admin/cases/case/{case_in_review.pk}/change/").text
    response = client.post(f"/admin/cases/case/{case_in_review.pk}/workflow/publish/", follow=True)
    assert "The case is published." in response.text
    case_in_review.refresh_from_db()
    assert case_in_review.publication_state == State.PUBLISHED
    assert case_in_review.published_at is not None
    record = case_in_review.history.first()
    assert record.history_user == reviewer
    assert record.history_change_reason == "published"
    assert list(Case.objects.public()) == [case_in_review]


def test_a_reviewer_cannot_publish_a_case_only_they_edited(client, reviewer, organization):
    case = CaseFactory(organization=organization)
    ConsentFactory(case=case)
    client.force_login(reviewer)
    # An edit makes the reviewer an editor; the workflow click alone would not.
    page = client.get(f"/admin/cases/case/{case.pk}/change/")
    client.post(f"/admin/cases/case/{case.pk}/change/", form_data(page, summary="Edited."))
    client.post(f"/admin/cases/case/{case.pk}/workflow/submit/")
    case.refresh_from_db()
    response = client.post(f"/admin/cases/case/{case.pk}/workflow/publish/", follow=True)
    assert "Four eyes" in response.text
    case.refresh_from_db()
    assert case.publication_state == State.IN_REVIEW


def test_a_reviewer_of_another_group_cannot_publish(client, other_organization, case_in_review):
    stranger = MembershipFactory(
        user=UserFactory(username="farida"),
        organization=other_organization,
        role=Membership.Role.REVIEWER,
    ).user
    client.force_login(stranger)
    response = client.post(f"/admin/cases/case/{case_in_review.pk}/workflow/publish/")
    assert response.status_code == 404
    case_in_review.refresh_from_db()
    assert case_in_review.publication_state == State.IN_REVIEW


def test_publishing_without_consent_is_refused_with_a_clear_message(
    client, volunteer, reviewer, organization
):
    case = CaseFactory(organization=organization)
    client.force_login(volunteer)
    client.post(f"/admin/cases/case/{case.pk}/workflow/submit/")
    client.force_login(reviewer)
    confirm = client.get(f"/admin/cases/case/{case.pk}/workflow/publish/")
    assert "No consent to publish is recorded" in confirm.text
    response = client.post(f"/admin/cases/case/{case.pk}/workflow/publish/", follow=True)
    assert "No consent to publish is recorded" in response.text
    case.refresh_from_db()
    assert case.publication_state == State.IN_REVIEW


def test_publishing_after_consent_was_withdrawn_is_refused(
    client, volunteer, reviewer, case_in_review
):
    Consent.objects.filter(case=case_in_review).update(withdrawn_at="2024-01-01T00:00:00Z")
    client.force_login(reviewer)
    response = client.post(f"/admin/cases/case/{case_in_review.pk}/workflow/publish/", follow=True)
    assert "withdrawn consent" in response.text
    case_in_review.refresh_from_db()
    assert case_in_review.publication_state == State.IN_REVIEW


def test_withdrawing_consent_takes_the_case_off_the_public_site_at_once(
    client, volunteer, reviewer, case_in_review
):
    client.force_login(reviewer)
    client.post(f"/admin/cases/case/{case_in_review.pk}/workflow/publish/")
    assert Case.objects.public().exists()
    client.force_login(volunteer)
    confirm = client.get(f"/admin/cases/case/{case_in_review.pk}/workflow/withdraw_consent/")
    assert "leaves the public site at once" in confirm.text
    response = client.post(
        f"/admin/cases/case/{case_in_review.pk}/workflow/withdraw_consent/",
        {"notes": "The daughter called."},
        follow=True,
    )
    assert "Consent is withdrawn" in response.text
    assert not Case.objects.public().exists()
    consent = Consent.objects.get(case=case_in_review)
    assert consent.withdrawn_at is not None
    assert consent.history.first().history_user == volunteer
    assert "The daughter called." in consent.withdrawal_notes


def test_a_volunteer_cannot_tick_publication_through_the_form(client, volunteer, organization):
    case = CaseFactory(organization=organization)
    client.force_login(volunteer)
    from tests.admin_forms import form_data

    page = client.get(f"/admin/cases/case/{case.pk}/change/")
    data = form_data(page, publication_state="published", published_at="2024-01-01")
    assert client.post(f"/admin/cases/case/{case.pk}/change/", data).status_code == 302
    case.refresh_from_db()
    assert case.publication_state == State.DRAFT


def test_withdraw_and_return_to_draft(client, reviewer, volunteer, case_in_review):
    client.force_login(volunteer)
    client.post(f"/admin/cases/case/{case_in_review.pk}/workflow/withdraw/")
    case_in_review.refresh_from_db()
    assert case_in_review.publication_state == State.WITHDRAWN
    client.force_login(reviewer)
    client.post(f"/admin/cases/case/{case_in_review.pk}/workflow/draft/")
    case_in_review.refresh_from_db()
    assert case_in_review.publication_state == State.DRAFT
    reasons = list(case_in_review.history.values_list("history_change_reason", flat=True)[:3])
    assert reasons == ["returned to draft", "withdrawn", "submitted for review"]


def test_an_unknown_step_is_a_404(client, volunteer, organization):
    case = CaseFactory(organization=organization)
    client.force_login(volunteer)
    assert client.get(f"/admin/cases/case/{case.pk}/workflow/explode/").status_code == 404
