"""The public submission form, its limits, and the staff queue that handles what it receives."""

import re
from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from cases.models import Case, Submission
from orgs.models import AuditEvent
from tests.factories import (
    CaseFactory,
    OrganizationFactory,
    PersonNameFactory,
)

FORM = {
    "submitter_name": "Invented Relative",
    "submitter_relationship": "daughter",
    "submitter_contact": "signal: +7 700 000 00 00 (invented)",
    "detained_names": "Testova Aigerim\nТестова Айгерим",
    "birth_year": "1965",
    "dates": "spring 2018",
    "places": "Ghulja",
    "account": "Taken from home in spring 2018; no news since.",
    "consent_to_document": "on",
    "consent_to_publish": "on",
    "website": "",
}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def send(client, address="203.0.113.5", headers=None, language="en", **changes):
    with translation.override(language):
        url = reverse("submission")
    return client.post(url, {**FORM, **changes}, REMOTE_ADDR=address, headers=headers)


def test_the_form_is_a_public_page_without_inline_script_or_style(client, db):
    response = client.get(reverse("submission"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script" not in html
    assert "<style" not in html
    assert 'style="' not in html
    assert 'name="website"' in html  # the honeypot is there, hidden by the stylesheet


def test_a_submission_lands_in_the_queue_in_the_senders_language(client, db):
    response = send(client, language="ru")
    assert response.status_code == 302
    with translation.override("ru"):
        assert response.url == reverse("submission_thanks")
    submission = Submission.objects.get()
    assert submission.state == Submission.State.NEW
    assert submission.language == "ru"
    assert submission.submitter_contact == FORM["submitter_contact"]
    assert not Case.objects.exists()


def test_the_form_speaks_the_visitors_language(client, db):
    response = client.get(reverse("submission"), HTTP_ACCEPT_LANGUAGE="ru", follow=True)
    assert response.redirect_chain == [("/ru/submit/", 302)]
    assert response["Content-Language"] == "ru"


def test_every_submission_gets_the_same_answer(client, db):
    existing = CaseFactory(publication_state="published")
    PersonNameFactory(person=existing.person, value="Testova Aigerim")
    known = send(client, detained_names="Testova Aigerim")
    unknown = send(client, detained_names="Nobody Inventedname")
    bot = send(client, website="http://spam.example.com")
    assert known.status_code == unknown.status_code == bot.status_code == 302
    assert known.url == unknown.url == bot.url

    # The pages are the same but for the CSRF token of the language form, masked anew each time.
    def page(url):
        return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", client.get(url).content)

    assert page(known.url) == page(unknown.url)


def test_the_honeypot_keeps_bots_out_of_the_queue(client, db):
    send(client, website="http://spam.example.com")
    assert not Submission.objects.exists()


def test_hostile_input_gets_errors_not_a_crash(client, db):
    response = send(client, birth_year="3000", consent_to_document="", account="x" * 30000)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"birth_year", "consent_to_document", "account"} <= set(errors)
    assert not Submission.objects.exists()
    assert send(client, birth_year="1965; DROP TABLE").status_code == 200


def test_a_flood_from_one_address_is_refused_after_the_limit(client, db, settings):
    settings.SUBMISSION_RATE_LIMIT = 5
    for _ in range(5):
        assert send(client).status_code == 302
    refused = send(client)
    assert refused.status_code == 429
    assert "try again later" in refused.content.decode().lower()
    assert Submission.objects.count() == 5
    # Another address is not held back.
    assert send(client, address="198.51.100.20").status_code == 302


def test_the_honeypot_counts_towards_the_limit(client, db, settings):
    settings.SUBMISSION_RATE_LIMIT = 3
    for _ in range(3):
        send(client, website="spam")
    assert send(client).status_code == 429
    assert not Submission.objects.exists()


def test_mistakes_in_the_form_do_not_use_up_the_limit(client, db, settings):
    settings.SUBMISSION_RATE_LIMIT = 2
    for _ in range(5):
        assert send(client, consent_to_document="").status_code == 200
    assert send(client).status_code == 302


def test_the_address_is_not_stored(client, db):
    send(client, address="203.0.113.77")
    stored = " ".join(str(v) for v in Submission.objects.values().get().values())
    assert "203.0.113.77" not in stored
    assert not any("203.0.113.77" in key for key in cache._cache)  # LocMemCache's own keys


# --- the staff queue -----------------------------------------------------------------------


@pytest.fixture
def submission(client, db):
    send(client)
    client.logout()
    return Submission.objects.get()


def test_volunteers_do_not_see_the_queue(client, volunteer, submission):
    client.force_login(volunteer)
    assert client.get(reverse("admin:cases_submission_changelist")).status_code == 403
    convert = reverse("admin:cases_submission_convert", args=[submission.pk])
    assert client.get(convert).status_code == 403


def test_the_queue_lists_submissions_without_the_contact(
    client, coordinator, submission, django_assert_max_num_queries
):
    for _ in range(5):
        Submission.objects.create(
            submitter_name="x", submitter_contact="PRIVATE-CONTACT", detained_names="y", account="z"
        )
    client.force_login(coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:cases_submission_changelist"))
    assert response.status_code == 200
    assert "PRIVATE-CONTACT" not in response.content.decode()


def test_a_coordinator_turns_a_submission_into_a_case(
    client, coordinator, organization, submission
):
    client.force_login(coordinator)
    url = reverse("admin:cases_submission_convert", args=[submission.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"organization": organization.pk})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == Submission.State.CONVERTED
    assert submission.handled_by == coordinator
    case = submission.case
    assert case.organization == organization
    assert case.publication_state == Case.PublicationState.DRAFT
    assert case.created_by == coordinator
    names = {(n.value, n.script, n.kind) for n in case.person.names.all()}
    assert names == {
        ("Testova Aigerim", "latn", "primary"),
        ("Тестова Айгерим", "cyrl", "primary"),
    }
    assert case.person.birth_date.year == 1965
    assert case.consent.consent_to_publish
    assert FORM["account"] in case.notes
    assert FORM["submitter_contact"] not in case.notes
    assert not Case.objects.public().filter(pk=case.pk).exists()
    assert AuditEvent.objects.filter(kind="submission", details__action="converted").exists()


def test_a_coordinator_cannot_put_a_case_in_another_group(client, coordinator, submission):
    client.force_login(coordinator)
    other = OrganizationFactory()
    url = reverse("admin:cases_submission_convert", args=[submission.pk])
    response = client.post(url, {"organization": other.pk})
    assert response.status_code == 200
    assert response.context["form"].errors
    submission.refresh_from_db()
    assert submission.state == Submission.State.NEW


def test_a_coordinator_merges_a_submission_into_a_case_of_their_group(
    client, coordinator, organization, submission
):
    own = CaseFactory(
        organization=organization, notes="Existing notes.", person__birth_date=date(1965, 1, 1)
    )
    PersonNameFactory(person=own.person, value="Testova Aigerim")
    foreign = CaseFactory(person__birth_date=date(1965, 1, 1))
    PersonNameFactory(person=foreign.person, value="Testova Aigerim")
    client.force_login(coordinator)
    url = reverse("admin:cases_submission_merge", args=[submission.pk])
    page = client.get(url)
    assert list(page.context["candidates"]) == [own]  # likely the same person, in their group

    refused = client.post(url, {"entry_number": foreign.entry_number})
    assert refused.status_code == 200
    assert refused.context["form"].errors

    assert client.post(url, {"entry_number": own.entry_number}).status_code == 302
    submission.refresh_from_db()
    own.refresh_from_db()
    assert submission.state == Submission.State.MERGED
    assert submission.case == own
    assert own.notes.startswith("Existing notes.")
    assert FORM["account"] in own.notes
    # Handled once only.
    again = client.post(url, {"entry_number": own.entry_number})
    assert again.status_code == 200


def test_a_coordinator_rejects_a_submission(client, coordinator, submission):
    client.force_login(coordinator)
    url = reverse("admin:cases_submission_reject", args=[submission.pk])
    assert client.post(url, {"reason": "spam"}).status_code == 302
    submission.refresh_from_db()
    assert submission.state == Submission.State.REJECTED
    assert "spam" in submission.staff_notes


def test_the_reject_action_in_the_list(client, coordinator, submission):
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:cases_submission_changelist"),
        {"action": "reject_selected", "_selected_action": [submission.pk]},
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == Submission.State.REJECTED


def test_a_handled_submission_belongs_to_the_group_of_its_case(client, coordinator, submission):
    foreign = CaseFactory()
    submission.state = Submission.State.MERGED
    submission.case = foreign
    submission.save()
    client.force_login(coordinator)
    change = reverse("admin:cases_submission_change", args=[submission.pk])
    assert client.get(change).status_code == 302  # the admin's "does not exist" redirect
