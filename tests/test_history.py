"""Change history on the models that carry a case, with the user who made each change."""

import pytest

from cases.models import Case, Family
from tests.factories import CaseEventFactory, CaseFactory, ConsentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_change_in_the_admin_records_the_user(client):
    editor = UserFactory(username="editor", is_superuser=True)
    client.force_login(editor)
    response = client.post("/admin/cases/family/add/", {"label": "Invented family", "notes": ""})
    assert response.status_code == 302
    record = Family.history.get()
    assert record.history_user == editor
    assert record.history_type == "+"


def test_each_change_to_a_case_is_kept_with_what_changed():
    case = CaseFactory(status=Case.Status.CAMP)
    case.status = Case.Status.IMPRISONED
    case.save()
    new, old = case.history.all()[:2]
    delta = new.diff_against(old)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("status", "camp", "imprisoned")]


def test_the_user_set_by_a_service_is_recorded():
    editor = UserFactory(username="reviewer")
    case = CaseFactory()
    case._history_user = editor
    case.priority = Case.Priority.URGENT
    case.save()
    assert case.history.first().history_user == editor


def test_events_and_consent_have_history_too():
    case = CaseFactory()
    event = CaseEventFactory(case=case)
    consent = ConsentFactory(case=case)
    consent.consent_to_publish = False
    consent.save()
    assert event.history.count() == 1
    assert consent.history.count() == 2


def test_a_removed_case_stays_in_its_history():
    case = CaseFactory()
    number = case.entry_number
    case.delete()
    assert Case.history.filter(entry_number=number, history_type="-").exists()
