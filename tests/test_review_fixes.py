"""Where the merged features meet: the public figures follow the admin workflow and consent,
the two photo URLs answer alike, and a publication is on record once."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Case
from cases.public.figures import public_figures
from orgs.models import AuditEvent
from tests import factories
from tests.factories import CaseFactory, ConsentFactory, SourceFactory
from tests.test_uploads import jpeg_with_gps

pytestmark = pytest.mark.django_db

State = Case.PublicationState


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def case_in_review(client, volunteer, organization):
    case = CaseFactory(organization=organization)
    ConsentFactory(case=case, consent_to_publish=True)
    client.force_login(volunteer)
    assert client.post(f"/admin/cases/case/{case.pk}/workflow/submit/").status_code == 302
    client.logout()
    return case


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


def test_it_records_one_publication_event_per_step(client, reviewer, case_in_review):
    client.force_login(reviewer)
    before = AuditEvent.objects.filter(kind=AuditEvent.Kind.PUBLICATION).count()
    client.post(f"/admin/cases/case/{case_in_review.pk}/workflow/publish/")
    events = AuditEvent.objects.filter(kind=AuditEvent.Kind.PUBLICATION)
    assert events.count() == before + 1
    assert events.order_by("-pk").first().details["to"] == State.PUBLISHED


@pytest.fixture
def public_photo_case(organization):
    case = CaseFactory(organization=organization, publication_state=State.PUBLISHED)
    case.person.photo = SimpleUploadedFile("p.jpg", jpeg_with_gps())
    case.person.save()
    ConsentFactory(case=case, consent_to_publish=True, identity_level="full", photo_consent=True)
    return case


def test_the_case_photo_url_answers_like_the_file_url(client, public_photo_case):
    case = public_photo_case
    by_case = client.get(f"/cases/{case.entry_number}/photo")
    by_file = client.get(f"/files/photo/{case.person.pk}/")
    assert by_case.status_code == by_file.status_code == 200
    for header in ("Content-Type", "Content-Security-Policy", "Cache-Control"):
        assert by_case[header] == by_file[header], header
    assert "sandbox" in by_case["Content-Security-Policy"]


def test_a_public_photo_is_not_kept_by_shared_caches_after_a_withdrawal(client, public_photo_case):
    response = client.get(f"/cases/{public_photo_case.entry_number}/photo")
    # A proxy may keep it, but must ask again: a withdrawal of consent holds at once.
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert "max-age=3600" not in response["Cache-Control"]


# --- files of public sources and testimonies (/files/) against the consent ------------------


def _public_case(identity, *, photo_consent=False):
    case = CaseFactory(publication_state=State.PUBLISHED)
    ConsentFactory(case=case, identity_level=identity, photo_consent=photo_consent)
    return case


PDF = b"%PDF-1.4\n%%EOF\n"


def test_an_anonymous_entry_gives_out_no_file_even_from_a_public_source(client):
    case = _public_case("anonymous")
    source = SourceFactory(case=case, visibility="public", file=SimpleUploadedFile("a.pdf", PDF))
    assert client.get(f"/files/source/{source.pk}/").status_code == 404


def test_an_identity_document_needs_the_photo_consent(client):
    case = _public_case("name_only")
    document = SourceFactory(
        case=case,
        kind="identity_document",
        visibility="public",
        file=SimpleUploadedFile("id.jpg", jpeg_with_gps()),
    )
    assert client.get(f"/files/source/{document.pk}/").status_code == 404
    full = _public_case("full", photo_consent=True)
    shown = SourceFactory(
        case=full,
        kind="identity_document",
        visibility="public",
        file=SimpleUploadedFile("id.jpg", jpeg_with_gps()),
    )
    assert client.get(f"/files/source/{shown.pk}/").status_code == 200


def test_a_testimony_file_stays_with_staff_even_when_the_testimony_is_public(
    client, volunteer, organization
):
    case = CaseFactory(organization=organization, publication_state=State.PUBLISHED)
    ConsentFactory(case=case, identity_level="full")
    testimony = factories.TestimonyFactory(
        case=case, visibility="public", file=SimpleUploadedFile("t.pdf", PDF)
    )
    url = f"/files/testimony/{testimony.pk}/"
    assert client.get(url).status_code == 404
    client.force_login(volunteer)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("value", ["abc", "1e10", "99999999999999999999", "-1"])
def test_the_case_add_page_ignores_an_organization_in_the_url_that_is_no_key(
    client, volunteer, value
):
    client.force_login(volunteer)
    response = client.get("/admin/cases/case/add/", {"organization": value})
    assert response.status_code == 200


def test_an_import_that_updates_a_case_makes_an_open_admin_form_stale(
    client, volunteer, organization, settings, tmp_path
):
    from cases.imports.plan import dry_run
    from cases.imports.reading import read_table
    from cases.imports.writing import import_cases
    from tests.admin_forms import form_data
    from tests.import_sheets import csv_bytes, upload

    settings.CASE_IMPORT_DIR = str(tmp_path / "imports")
    case = CaseFactory(organization=organization, status="camp", summary="First summary.")
    client.force_login(volunteer)
    page = client.get(f"/admin/cases/case/{case.pk}/change/")

    rows = [["Entry number", "Status"], [str(case.entry_number), "disappeared"]]
    plan = dry_run(read_table(upload(csv_bytes(rows))), organization=organization, user=volunteer)
    assert plan.can_import
    assert import_cases(plan, user=volunteer).updated == 1

    refused = client.post(
        f"/admin/cases/case/{case.pk}/change/", form_data(page, summary="Later summary.")
    )
    assert refused.status_code == 200
    assert "Someone else saved this case after you opened it" in refused.text
    case.refresh_from_db()
    assert case.status == "disappeared"


def test_merging_a_submission_makes_an_open_admin_form_stale(
    client, volunteer, organization, site_staff
):
    from django.test import Client

    from cases.models import Submission
    from cases.services import submissions
    from tests.admin_forms import form_data

    case = CaseFactory(organization=organization, notes="Existing notes.")
    submission = Submission.objects.create(
        submitter_name="Invented Relative",
        submitter_contact="invented contact",
        detained_names="Testova Aigerim",
        account="Invented account of the detention.",
        consent_to_document=True,
    )
    client.force_login(volunteer)
    page = client.get(f"/admin/cases/case/{case.pk}/change/")

    staff = Client()
    staff.force_login(site_staff)
    merge = f"/admin/cases/submission/{submission.pk}/merge/"
    assert staff.post(merge, {"entry_number": case.entry_number}).status_code == 302
    assert submissions.Submission.objects.get().state == Submission.State.MERGED

    refused = client.post(f"/admin/cases/case/{case.pk}/change/", form_data(page))
    assert refused.status_code == 200
    case.refresh_from_db()
    assert "Invented account of the detention." in case.notes
