"""The real import: one transaction, all rows or none, with history and progress."""

import pytest

from cases import models as case_models
from cases.imports import writing
from cases.imports.plan import dry_run
from cases.imports.reading import read_table
from cases.models import Case, CaseEvent, EntryNumberCounter, Person, PersonName
from tests.factories import CaseFactory
from tests.import_sheets import sample_fixed_bytes, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("case_import_dir")]


@pytest.fixture
def plan(volunteer, organization):
    table = read_table(upload(sample_fixed_bytes(), "sheet-ru.csv"))
    plan = dry_run(table, organization=organization, user=volunteer)
    assert plan.can_import
    return plan


class Interrupted(Exception):
    pass


def test_a_failure_after_the_first_batch_leaves_nothing_written(plan, volunteer, monkeypatch):
    monkeypatch.setattr(writing, "BATCH_ROWS", 10)
    counter_before = EntryNumberCounter.objects.first()
    seen = []

    def progress(done, total):
        seen.append(done)
        # The first ten rows are written by now; the next step fails like a lost connection.
        assert Case.objects.count() == done
        if done == 20:
            raise Interrupted

    with pytest.raises(Interrupted):
        writing.import_cases(plan, user=volunteer, progress=progress)
    assert seen == [10, 20]
    assert not Case.objects.exists()
    assert not Person.objects.exists()
    assert not PersonName.objects.exists()
    assert not CaseEvent.objects.exists()
    assert not Case.history.exists()
    assert EntryNumberCounter.objects.first() == counter_before


def test_progress_is_reported_batch_by_batch(plan, volunteer, monkeypatch):
    monkeypatch.setattr(writing, "BATCH_ROWS", 25)
    seen = []
    result = writing.import_cases(plan, user=volunteer, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(25, 60), (50, 60), (60, 60)]
    assert (result.created, result.updated) == (60, 0)


def test_entry_numbers_continue_after_the_existing_ones(plan, volunteer, organization):
    existing = CaseFactory(organization=organization)
    writing.import_cases(plan, user=volunteer)
    numbers = sorted(Case.objects.exclude(pk=existing.pk).values_list("entry_number", flat=True))
    assert numbers == list(range(existing.entry_number + 1, existing.entry_number + 61))
    assert CaseFactory(organization=organization).entry_number == existing.entry_number + 61


def test_every_written_object_has_its_history_row(plan, volunteer):
    writing.import_cases(plan, user=volunteer)
    for model in (
        Case,
        Person,
        PersonName,
        CaseEvent,
        case_models.Relationship,
        case_models.Testimony,
    ):
        history = model.history.model.objects
        assert history.count() == model.objects.count(), model
        assert set(history.values_list("history_user", flat=True)) == {volunteer.pk}
        assert all(
            reason.startswith("Imported from “sheet-ru.csv”, row ")
            for reason in history.values_list("history_change_reason", flat=True)
        )


def test_names_get_their_search_keys(plan, volunteer):
    from cases.duplicates import likely_duplicates

    writing.import_cases(plan, user=volunteer)
    found = likely_duplicates(names=["Nurgali Gulnar"], birth_year=1981)
    assert "Нұрғали Гүлнар" in {person.display_name for person in found}


def test_a_plan_with_errors_is_never_written(volunteer, organization):
    from tests.import_sheets import sample_bytes

    plan = dry_run(read_table(upload(sample_bytes())), organization=organization, user=volunteer)
    assert plan.fail_count == 1
    with pytest.raises(ValueError):
        writing.import_cases(plan, user=volunteer)
    assert not Case.objects.exists()


def test_the_benchmark_sheet_has_the_documented_shape(volunteer, organization):
    from cases.management.benchmarks import import_sheet

    table = read_table(upload(import_sheet(200, seed=3), "benchmark.csv"))
    plan = dry_run(table, organization=organization, user=volunteer)
    assert (plan.create_count, plan.fail_count, plan.ignored_headers) == (200, 0, [])


def test_only_an_importable_upload_waits_on_the_server(
    client, volunteer, organization, settings, tmp_path
):
    from tests.import_sheets import sample_bytes

    settings.CASE_IMPORT_DIR = str(tmp_path)
    client.force_login(volunteer)
    url = "/admin/cases/case/import/"
    client.post(url, {"organization": organization.pk, "file": upload(sample_bytes())})
    assert list(tmp_path.iterdir()) == []
    preview = client.post(
        url, {"organization": organization.pk, "file": upload(sample_fixed_bytes())}
    )
    [stored] = tmp_path.iterdir()
    assert stored.stat().st_mode & 0o777 == 0o600
    assert stored.read_bytes() == sample_fixed_bytes()
    confirm = (
        preview.text.split('id="case-import-confirm"')[0].rsplit('action="', 1)[1].split('"')[0]
    )
    client.post(confirm)
    assert list(tmp_path.iterdir()) == []
    assert Case.objects.count() == 60


def test_a_stored_upload_that_changed_is_not_imported(
    client, volunteer, organization, settings, tmp_path
):
    settings.CASE_IMPORT_DIR = str(tmp_path)
    client.force_login(volunteer)
    url = "/admin/cases/case/import/"
    preview = client.post(
        url, {"organization": organization.pk, "file": upload(sample_fixed_bytes())}
    )
    [stored] = tmp_path.iterdir()
    stored.write_bytes(sample_fixed_bytes().replace("Нұрғали".encode(), b"Changed"))
    confirm = (
        preview.text.split('id="case-import-confirm"')[0].rsplit('action="', 1)[1].split('"')[0]
    )
    response = client.post(confirm, follow=True)
    assert "The uploaded file is gone or changed" in response.text
    assert not Case.objects.exists()
    assert list(tmp_path.iterdir()) == []


def test_what_the_bulk_path_writes_passes_the_models_validation(plan, volunteer):
    from cases.management.benchmarks import import_sheet

    writing.import_cases(plan, user=volunteer)
    table = read_table(upload(import_sheet(60, seed=5), "benchmark.csv"))
    writing.import_cases(
        dry_run(table, organization=plan.organization, user=volunteer), user=volunteer
    )
    for model in (
        Person,
        PersonName,
        Case,
        CaseEvent,
        case_models.Relationship,
        case_models.Testimony,
        case_models.Source,
    ):
        objects = list(model.objects.all())
        assert objects, model
        for obj in objects:
            obj.full_clean()
