"""Stored files as /files/ serves them (cases.public.files), and the case photo URL: to staff of
the case's group, to the public only as far as the family's consent allows, never by their
place under MEDIA_ROOT."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Case, Person
from tests.factories import CaseFactory, ConsentFactory, SourceFactory, publish
from tests.factories import TestimonyFactory as MakeTestimony
from tests.image_files import PDF, jpeg_with_gps, png_bytes, real_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

State = Case.PublicationState


@pytest.fixture
def photo_case(volunteer, organization):
    case = CaseFactory(organization=organization, publication_state="published")
    case.person.photo = SimpleUploadedFile("p.jpg", jpeg_with_gps())
    case.person.save()
    return case


def test_staff_of_the_group_get_the_photo_and_others_do_not(
    client, volunteer, outsider, photo_case
):
    url = f"/files/photo/{photo_case.person.pk}/"
    assert client.get(url).status_code == 404  # anonymous, case not public (no consent)

    client.force_login(outsider)
    assert client.get(url).status_code == 404

    client.force_login(volunteer)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "private" in response["Cache-Control"]


def test_a_password_only_session_does_not_get_the_file(
    client, volunteer, photo_case, password_only_force_login
):
    client.force_login(volunteer)
    assert client.get(f"/files/photo/{photo_case.person.pk}/").status_code == 404


def test_the_public_sees_a_photo_only_when_the_consent_allows_it(client, photo_case):
    url = f"/files/photo/{photo_case.person.pk}/"
    consent = ConsentFactory(case=photo_case, identity_level="name_only")
    publish(photo_case)
    assert client.get(url).status_code == 404
    consent.identity_level = "full"
    consent.photo_consent = True
    consent.save()
    # A wider consent shows the photo once a reviewer publishes the case again.
    assert client.get(url).status_code == 404
    publish(photo_case)
    assert client.get(url).status_code == 200
    consent.consent_to_publish = False
    consent.save()
    assert client.get(url).status_code == 404


def test_the_public_gets_only_public_sources_of_public_cases(client, db):
    case = CaseFactory(publication_state="published")
    ConsentFactory(case=case)
    public = SourceFactory(
        case=case, visibility="public", file=SimpleUploadedFile("a.pdf", real_pdf())
    )
    restricted = SourceFactory(case=case, file=SimpleUploadedFile("b.pdf", real_pdf()))
    publish(case)
    response = client.get(f"/files/source/{public.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert client.get(f"/files/source/{restricted.pk}/").status_code == 404
    assert client.get("/files/other/1/").status_code == 404


def test_a_relatives_photo_is_for_site_staff_only(client, volunteer, site_staff):
    relative = Person.objects.create(photo=SimpleUploadedFile("r.png", png_bytes()))
    url = f"/files/photo/{relative.pk}/"
    client.force_login(volunteer)
    assert client.get(url).status_code == 404
    client.force_login(site_staff)
    assert client.get(url).status_code == 200


def test_the_admin_links_a_stored_file_through_the_checked_url(client, volunteer, photo_case):
    """MEDIA_ROOT is never served by name: the admin's "currently" link goes through /files/."""
    source = SourceFactory(case=photo_case, file=SimpleUploadedFile("letter.pdf", PDF))
    client.force_login(volunteer)
    person_page = client.get(f"/admin/cases/person/{photo_case.person.pk}/change/").text
    assert f'href="/files/photo/{photo_case.person.pk}/"' in person_page
    case_page = client.get(f"/admin/cases/case/{photo_case.pk}/change/").text
    assert f'href="/files/source/{source.pk}/"' in case_page
    assert "/media/" not in person_page + case_page
    assert client.get(f"/files/source/{source.pk}/").status_code == 200


# --- the case page's photo URL -----------------------------------------------------------------


@pytest.fixture
def public_photo_case(organization):
    case = CaseFactory(organization=organization, publication_state=State.PUBLISHED)
    case.person.photo = SimpleUploadedFile("p.jpg", jpeg_with_gps())
    case.person.save()
    ConsentFactory(case=case, consent_to_publish=True, identity_level="full", photo_consent=True)
    return publish(case)


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


# --- files of public sources and testimonies against the consent ------------------------------


def _public_case(identity, *, photo_consent=False):
    case = CaseFactory(publication_state=State.PUBLISHED)
    ConsentFactory(case=case, identity_level=identity, photo_consent=photo_consent)
    return case


def test_an_anonymous_entry_gives_out_no_file_even_from_a_public_source(client):
    case = _public_case("anonymous")
    source = SourceFactory(
        case=case, visibility="public", file=SimpleUploadedFile("a.pdf", real_pdf())
    )
    publish(case)
    assert client.get(f"/files/source/{source.pk}/").status_code == 404


def test_an_identity_document_needs_the_photo_consent(client):
    case = _public_case("name_only")
    document = SourceFactory(
        case=case,
        kind="identity_document",
        visibility="public",
        file=SimpleUploadedFile("id.jpg", jpeg_with_gps()),
    )
    publish(case)
    assert client.get(f"/files/source/{document.pk}/").status_code == 404
    full = _public_case("full", photo_consent=True)
    shown = SourceFactory(
        case=full,
        kind="identity_document",
        visibility="public",
        file=SimpleUploadedFile("id.jpg", jpeg_with_gps()),
    )
    publish(full)
    assert client.get(f"/files/source/{shown.pk}/").status_code == 200


def test_a_testimony_file_stays_with_staff_even_when_the_testimony_is_public(
    client, volunteer, organization
):
    case = CaseFactory(organization=organization, publication_state=State.PUBLISHED)
    ConsentFactory(case=case, identity_level="full")
    testimony = MakeTestimony(case=case, visibility="public", file=SimpleUploadedFile("t.pdf", PDF))
    url = f"/files/testimony/{testimony.pk}/"
    assert client.get(url).status_code == 404
    client.force_login(volunteer)
    assert client.get(url).status_code == 200


def test_a_relatives_photo_is_for_the_groups_that_see_the_relative(
    client, volunteer, outsider, organization
):
    relative = Person.objects.create(
        organization=organization, photo=SimpleUploadedFile("r.png", png_bytes())
    )
    url = f"/files/photo/{relative.pk}/"
    client.force_login(volunteer)
    assert client.get(url).status_code == 200
    client.force_login(outsider)
    assert client.get(url).status_code == 404
