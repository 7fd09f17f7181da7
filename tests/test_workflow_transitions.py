"""The workflow's one table of steps: the case page offers exactly the steps the service takes.

Roles count in the case's own organization only: a reviewer of one group who volunteers for
another is a volunteer on that group's cases. A step the rules forbid is shown without a link,
with the reason, before anyone confirms.
"""

import re

import pytest
from django.db import transaction
from django.utils import timezone

from cases.models import Case
from cases.services import workflow
from tests.factories import CaseFactory, ConsentFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

State = Case.PublicationState


@pytest.fixture
def reviewer_elsewhere(organization, other_organization):
    """Saule, a reviewer of the Bishkek test group who volunteers for the Almaty one."""
    user = UserFactory(username="saule")
    MembershipFactory(user=user, organization=other_organization, role="reviewer")
    MembershipFactory(user=user, organization=organization, role="volunteer")
    return user


def make_case(organization, state, consent="given", edited_by=None):
    """A case in `state`; `consent` is "given", "withdrawn" or None; `edited_by` the only
    user its history names (else nobody: the factory writes no history user)."""
    case = CaseFactory(organization=organization)
    if consent is not None:
        ConsentFactory(case=case, withdrawn_at=timezone.now() if consent == "withdrawn" else None)
    Case.objects.filter(pk=case.pk).update(publication_state=state)
    case = Case.objects.get(pk=case.pk)
    if edited_by is not None:
        case._history_user = edited_by
        case.save()
    return case


def steps_linked(client, case):
    page = client.get(f"/admin/cases/case/{case.pk}/change/")
    assert page.status_code == 200
    return set(re.findall(rf'href="/admin/cases/case/{case.pk}/workflow/(\w+)/"', page.text))


class _Undo(Exception):
    pass


def steps_accepted(user, case):
    """The steps that apply() takes on the case as it is now, each tried and then undone."""
    accepted = set()
    for name, transition in workflow.TRANSITIONS.items():
        extra = {"notes": "The son called."} if transition.asks_for_notes else {}
        try:
            with transaction.atomic():
                workflow.apply(user=user, case=case, name=name, **extra)
                accepted.add(name)
                raise _Undo
        except (_Undo, workflow.TransitionRefused):
            pass
    return accepted


def test_a_reviewer_of_another_group_sees_no_publish_on_the_case_she_volunteers_for(
    client, reviewer_elsewhere, organization
):
    case = make_case(organization, State.IN_REVIEW)
    client.force_login(reviewer_elsewhere)
    page = client.get(f"/admin/cases/case/{case.pk}/change/")
    assert "workflow/publish/" not in page.text
    assert "Only a reviewer of the case&#x27;s organization may publish it." in page.text
    assert "workflow/submit/" not in page.text and "workflow/withdraw/" in page.text
    response = client.post(f"/admin/cases/case/{case.pk}/workflow/publish/", follow=True)
    assert "Only a reviewer of the case&#x27;s organization may publish it." in response.text
    case.refresh_from_db()
    assert case.publication_state == State.IN_REVIEW
    assert not Case.objects.public().exists()


def test_the_same_reviewer_publishes_a_case_of_her_own_group(
    client, reviewer_elsewhere, other_organization
):
    case = make_case(other_organization, State.IN_REVIEW)
    client.force_login(reviewer_elsewhere)
    page = client.get(f"/admin/cases/case/{case.pk}/change/")
    assert f'href="/admin/cases/case/{case.pk}/workflow/publish/"' in page.text
    response = client.post(f"/admin/cases/case/{case.pk}/workflow/publish/", follow=True)
    assert "The case is published." in response.text
    assert list(Case.objects.public()) == [case]


def test_four_eyes_is_shown_before_anyone_confirms(client, reviewer, organization):
    case = make_case(organization, State.IN_REVIEW, edited_by=reviewer)
    client.force_login(reviewer)
    page = client.get(f"/admin/cases/case/{case.pk}/change/")
    assert "workflow/publish/" not in page.text
    assert "Four eyes: you are the only person who has edited this case." in page.text
    confirm = client.get(f"/admin/cases/case/{case.pk}/workflow/publish/")
    assert "Four eyes" in confirm.text
    assert "Yes: Publish" not in confirm.text


def test_missing_consent_is_shown_on_the_case_page(client, reviewer, organization):
    case = make_case(organization, State.IN_REVIEW, consent=None)
    client.force_login(reviewer)
    page = client.get(f"/admin/cases/case/{case.pk}/change/")
    assert "workflow/publish/" not in page.text
    assert "No consent to publish is recorded." in page.text
    assert "workflow/withdraw_consent/" not in page.text


def test_a_step_that_does_not_start_here_is_refused_with_the_state(client, reviewer, organization):
    case = make_case(organization, State.DRAFT)
    client.force_login(reviewer)
    confirm = client.get(f"/admin/cases/case/{case.pk}/workflow/publish/")
    assert "A case that is draft cannot be moved to published." in confirm.text
    assert "Yes: Publish" not in confirm.text
    response = client.post(f"/admin/cases/case/{case.pk}/workflow/publish/", follow=True)
    assert "A case that is draft cannot be moved to published." in response.text


PERSONAS = ["volunteer", "reviewer", "coordinator", "site_staff", "reviewer_elsewhere"]
SITUATIONS = {
    "draft": (State.DRAFT, "given", False),
    "draft without consent": (State.DRAFT, None, False),
    "in review": (State.IN_REVIEW, "given", False),
    "in review without consent": (State.IN_REVIEW, None, False),
    "in review, consent withdrawn": (State.IN_REVIEW, "withdrawn", False),
    "in review, edited by this user only": (State.IN_REVIEW, "given", True),
    "published": (State.PUBLISHED, "given", False),
    "published, consent withdrawn": (State.PUBLISHED, "withdrawn", False),
    "withdrawn": (State.WITHDRAWN, "given", False),
}


@pytest.mark.parametrize("situation", SITUATIONS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_steps_shown_are_the_steps_the_service_takes(
    client, request, organization, persona, situation
):
    user = request.getfixturevalue(persona)
    state, consent, edited_by_user = SITUATIONS[situation]
    case = make_case(organization, state, consent, edited_by=user if edited_by_user else None)
    client.force_login(user)
    assert steps_linked(client, case) == steps_accepted(user, case)


def test_who_may_publish_a_case_in_review(
    client, organization, volunteer, reviewer, coordinator, site_staff, reviewer_elsewhere
):
    case = make_case(organization, State.IN_REVIEW)
    may_publish = {}
    for user in (volunteer, reviewer, coordinator, site_staff, reviewer_elsewhere):
        client.force_login(user)
        may_publish[user.username] = "publish" in steps_linked(client, case)
    assert may_publish == {
        "aigul": False,
        "bolat": True,
        "dana": True,
        "sitestaff": True,
        "saule": False,
    }


def test_apply_gives_every_reason_and_changes_nothing(reviewer, organization):
    case = make_case(organization, State.IN_REVIEW, consent=None, edited_by=reviewer)
    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.apply(user=reviewer, case=case, name="publish")
    assert len(refused.value.messages) == 2
    assert refused.value.messages[0].startswith("Four eyes")
    assert refused.value.messages[1].startswith("No consent to publish")
    case.refresh_from_db()
    assert case.publication_state == State.IN_REVIEW


def test_apply_knows_only_the_steps_of_the_table(reviewer, organization):
    case = make_case(organization, State.DRAFT)
    with pytest.raises(LookupError):
        workflow.apply(user=reviewer, case=case, name="explode")


def test_consent_cannot_be_withdrawn_twice_or_where_none_is_recorded(volunteer, organization):
    for consent, reason in [
        (None, "No consent is recorded"),
        ("withdrawn", "Consent was already withdrawn"),
    ]:
        case = make_case(organization, State.PUBLISHED, consent=consent)
        assert "withdraw_consent" not in {
            a.transition.name for a in workflow.available_transitions(volunteer, case)
        }
        with pytest.raises(workflow.TransitionRefused, match=reason):
            workflow.apply(user=volunteer, case=case, name="withdraw_consent", notes="")


def test_the_case_page_reads_the_steps_in_a_few_queries(
    client, reviewer, organization, django_assert_max_num_queries
):
    case = make_case(organization, State.IN_REVIEW)
    client.force_login(reviewer)
    # Two of them prefill "relatives live in": the case's countries, then the relatives'.
    with django_assert_max_num_queries(26):
        page = client.get(f"/admin/cases/case/{case.pk}/change/")
    assert f'href="/admin/cases/case/{case.pk}/workflow/publish/"' in page.text
    with django_assert_max_num_queries(12):
        confirm = client.get(f"/admin/cases/case/{case.pk}/workflow/publish/")
    assert "Yes: Publish" in confirm.text
