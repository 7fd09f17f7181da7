"""The audit log records logins, failed logins, lockouts, exports, publications, consent changes
and role changes; site staff read it in the admin and nobody edits it."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from orgs.audit import record, record_export
from orgs.models import AuditEvent, Membership
from tests.factories import PASSWORD, CaseFactory, ConsentFactory, UserFactory


def events(kind):
    return AuditEvent.objects.filter(kind=kind)


def test_it_records_a_login_with_the_address(client, volunteer):
    client.post(
        reverse("admin:login"),
        {"username": "aigul", "password": PASSWORD},
        REMOTE_ADDR="192.0.2.10",
    )
    event = events("login").get()
    assert event.user == volunteer
    assert event.ip_address == "192.0.2.10"


def test_it_records_a_failed_login_without_the_password(client, volunteer):
    client.post(reverse("admin:login"), {"username": "aigul", "password": "Guess-1234-secret"})
    event = events("login_failed").get()
    assert event.username == "aigul"
    assert event.user is None
    assert "Guess-1234-secret" not in json.dumps(event.details)


def test_it_records_role_changes(volunteer, organization):
    membership = Membership.objects.get(user=volunteer)
    created = events("role_change").filter(details__member="aigul").latest("pk")
    assert created.details["to"] == Membership.Role.VOLUNTEER

    membership.role = Membership.Role.REVIEWER
    membership.save()
    changed = events("role_change").latest("pk")
    assert changed.details["from"] == Membership.Role.VOLUNTEER
    assert changed.details["to"] == Membership.Role.REVIEWER

    membership.delete()
    removed = events("role_change").latest("pk")
    assert removed.details["from"] == Membership.Role.REVIEWER
    assert removed.details["to"] is None

    volunteer.is_site_staff = True
    volunteer.save()
    flags = events("role_change").latest("pk").details["flags"]
    assert flags == {"is_site_staff": {"from": False, "to": True}}


def test_saving_a_user_without_a_role_change_records_nothing(volunteer):
    before = AuditEvent.objects.count()
    volunteer.first_name = "Aigul"
    volunteer.save()
    volunteer.last_login = timezone.now()
    volunteer.save(update_fields=["last_login"])
    assert AuditEvent.objects.count() == before


def test_a_role_change_in_the_admin_names_who_made_it(client, volunteer, organization):
    root = UserFactory(username="root", is_superuser=True)
    membership = Membership.objects.get(user=volunteer)
    client.force_login(root)
    response = client.post(
        reverse("admin:orgs_membership_change", args=[membership.pk]),
        {
            "user": volunteer.pk,
            "organization": organization.pk,
            "role": Membership.Role.COORDINATOR,
        },
    )
    assert response.status_code == 302
    event = events("role_change").latest("pk")
    assert event.details["to"] == Membership.Role.COORDINATOR
    assert event.user == root


def test_it_records_consent_changes_without_private_notes(db):
    consent = ConsentFactory(notes="PRIVATE-NOTE-1", withdrawal_notes="")
    created = events("consent_change").get()
    assert created.details["created"] is True
    assert created.details["changes"]["consent_to_publish"]["to"] is True

    consent.withdrawn_at = timezone.now()
    consent.withdrawal_notes = "PRIVATE-REASON-2"
    consent.save()
    withdrawn = events("consent_change").latest("pk")
    assert withdrawn.details["changes"] == {"withdrawn_at": {"from": None, "to": True}}
    assert withdrawn.details["case"] == consent.case_id

    everything = json.dumps(list(AuditEvent.objects.values("details", "target")), default=str)
    assert "PRIVATE-NOTE-1" not in everything
    assert "PRIVATE-REASON-2" not in everything


def test_it_records_publications(db):
    case = CaseFactory(notes="PRIVATE-CASE-NOTE")
    assert not events("publication").exists()  # a new draft is not a publication
    case.publication_state = "published"
    case.save()
    event = events("publication").get()
    assert event.details == {"case": case.pk, "from": "draft", "to": "published"}
    assert event.target == f"case #{case.entry_number}"

    case.summary = "changed"
    case.save()
    assert events("publication").count() == 1

    case.publication_state = "withdrawn"
    case.save()
    assert events("publication").latest("pk").details["to"] == "withdrawn"
    assert "PRIVATE-CASE-NOTE" not in json.dumps(list(AuditEvent.objects.values("details")))


def test_a_case_loaded_without_its_state_does_not_fake_a_publication(db):
    case = CaseFactory()
    partial = type(case).objects.only("pk", "summary").get(pk=case.pk)
    partial.summary = "new"
    partial.save(update_fields=["summary"])
    assert not events("publication").exists()


def test_it_records_exports_without_search_terms(rf, volunteer):
    request = rf.get("/staff/export/", REMOTE_ADDR="192.0.2.20")
    request.user = volunteer
    record_export(
        request=request,
        export_format="xlsx",
        filters={"q": "Sauytbay", "status": ["camp"], "organization": 3, "name": ""},
        rows=42,
    )
    event = events("export").get()
    assert event.user == volunteer
    assert event.details["rows"] == 42
    assert event.details["format"] == "xlsx"
    assert event.details["filters"]["status"] == ["camp"]
    assert event.details["filters"]["q"] == "[search terms are not logged]"
    assert "name" not in event.details["filters"]
    assert "Sauytbay" not in json.dumps(event.details)


def test_it_records_a_lockout(client, volunteer):
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": "aigul", "password": "wrong"})
    assert events("lockout").filter(username="aigul").exists()


def test_an_event_is_never_changed(db):
    event = record(AuditEvent.Kind.EXPORT, details={"rows": 1})
    event.details = {"rows": 2}
    with pytest.raises(ValueError):
        event.save()


def test_site_staff_read_the_log_and_cannot_change_it(client, site_staff):
    event = record(AuditEvent.Kind.EXPORT, user=site_staff, details={"rows": 1})
    client.force_login(site_staff)
    assert client.get(reverse("admin:orgs_auditevent_changelist")).status_code == 200
    change_url = reverse("admin:orgs_auditevent_change", args=[event.pk])
    page = client.get(change_url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(change_url, {"kind": "login"}).status_code == 403
    assert client.get(reverse("admin:orgs_auditevent_add")).status_code == 403
    delete_url = reverse("admin:orgs_auditevent_delete", args=[event.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk, kind="export").exists()


def test_members_do_not_see_the_log(client, volunteer, coordinator):
    for user in (volunteer, coordinator):
        client.force_login(user)
        assert client.get(reverse("admin:orgs_auditevent_changelist")).status_code == 403


def test_it_records_one_publication_event_per_step(client, reviewer, case_in_review):
    client.force_login(reviewer)
    before = AuditEvent.objects.filter(kind=AuditEvent.Kind.PUBLICATION).count()
    client.post(f"/admin/cases/case/{case_in_review.pk}/workflow/publish/")
    events = AuditEvent.objects.filter(kind=AuditEvent.Kind.PUBLICATION)
    assert events.count() == before + 1
    assert events.order_by("-pk").first().details["to"] == Case.PublicationState.PUBLISHED
