"""Uploads: checked by content, size-limited, images stored without EXIF/GPS under a random name,
and served only to those who may see them."""

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import modelform_factory
from PIL import Image

from cases import models as case_models
from cases.models import Person, Source
from tests.factories import (
    CaseFactory,
    ConsentFactory,
    MembershipFactory,
    OrganizationFactory,
    SourceFactory,
    UserFactory,
)

GPS_IFD = 0x8825
MAKE = 0x010F


def jpeg_with_gps():
    """A photo as a phone writes it: camera make and where it was taken (invented place)."""
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[MAKE] = "InventedPhoneMaker"
    exif[GPS_IFD] = {1: "N", 2: (43.0, 15.0, 30.0), 3: "E", 4: (76.0, 53.0, 10.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=b"taken at home")
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the test file has GPS
    return data


def png_bytes(size=(10, 10)):
    out = io.BytesIO()
    Image.new("RGB", size, "blue").save(out, "PNG")
    return out.getvalue()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_an_uploaded_jpeg_with_gps_tags_is_stored_without_them(db):
    person = Person.objects.create()
    person.photo = SimpleUploadedFile("aigerim-testova-home.jpg", jpeg_with_gps())
    person.save()

    person.refresh_from_db()
    stored = person.photo.read()
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG"
    assert image.size == (64, 48)
    exif = image.getexif()
    assert not exif.get_ifd(GPS_IFD)
    assert MAKE not in exif
    assert b"InventedPhoneMaker" not in stored
    assert b"taken at home" not in stored
    assert b"Exif" not in stored
    assert "aigerim" not in person.photo.name
    assert person.photo.name.startswith("photos/")
    assert person.photo.name.endswith(".jpg")


def test_the_form_refuses_a_file_whose_content_is_not_an_image(db):
    form_class = modelform_factory(Person, fields=["photo"])
    form = form_class(
        data={}, files={"photo": SimpleUploadedFile("photo.jpg", b"<html><script>x</script>")}
    )
    assert not form.is_valid()
    assert "photo" in form.errors


def test_the_type_comes_from_the_content_not_the_name(db):
    case = CaseFactory()
    form_class = modelform_factory(Source, fields=["case", "kind", "title", "file", "visibility"])
    data = {"case": case.pk, "kind": "photo", "title": "t", "visibility": "restricted"}
    form = form_class(data=data, files={"file": SimpleUploadedFile("scan.pdf", png_bytes())})
    assert form.is_valid(), form.errors
    source = form.save()
    assert source.file.name.endswith(".png")

    not_pdf = form_class(
        data=data, files={"file": SimpleUploadedFile("verdict.pdf", b"MZ\x90\x00 an executable")}
    )
    assert not not_pdf.is_valid()
    assert "file" in not_pdf.errors


def test_a_pdf_is_kept_as_it_is_with_its_checksum(db):
    data = b"%PDF-1.4\n% invented test document\n%%EOF\n"
    source = SourceFactory(file=SimpleUploadedFile("v.pdf", data))
    source.refresh_from_db()
    assert source.file.read() == data
    assert source.sha256 == hashlib.sha256(data).hexdigest()


def test_a_reencoded_image_gets_the_checksum_of_what_is_stored(db):
    source = SourceFactory(file=SimpleUploadedFile("p.jpg", jpeg_with_gps()))
    source.refresh_from_db()
    assert source.sha256 == hashlib.sha256(source.file.read()).hexdigest()


def test_testimony_recordings_are_accepted_by_their_signature(db):
    case = CaseFactory()
    ogg = b"OggS\x00\x02" + b"\x00" * 40
    testimony = case_models.Testimony(
        case=case, medium="phone", file=SimpleUploadedFile("call.ogg", ogg)
    )
    testimony.full_clean()
    testimony.save()
    assert testimony.file.name.endswith(".ogg")
    bad = case_models.Testimony(
        case=case, medium="phone", file=SimpleUploadedFile("call.ogg", b"#!/bin/sh")
    )
    with pytest.raises(ValidationError):
        bad.full_clean()


def test_a_file_over_the_size_limit_is_refused(db, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    form_class = modelform_factory(Person, fields=["photo"])
    big = png_bytes((400, 400))
    assert len(big) > 1000
    form = form_class(data={}, files={"photo": SimpleUploadedFile("p.png", big)})
    assert not form.is_valid()
    assert "too large" in str(form.errors["photo"])


def test_an_image_with_too_many_pixels_is_refused(db, settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 100
    form_class = modelform_factory(Person, fields=["photo"])
    form = form_class(data={}, files={"photo": SimpleUploadedFile("p.png", png_bytes((20, 20)))})
    assert not form.is_valid()


def test_a_save_that_bypasses_forms_still_refuses_a_bad_file(db):
    person = Person(photo=SimpleUploadedFile("p.jpg", b"<svg onload=alert(1)>"))
    with pytest.raises(ValidationError):
        person.save()


# --- serving -----------------------------------------------------------------------------------


@pytest.fixture
def photo_case(volunteer, organization):
    case = CaseFactory(organization=organization, publication_state="published")
    case.person.photo = SimpleUploadedFile("p.jpg", jpeg_with_gps())
    case.person.save()
    return case


def test_staff_of_the_group_get_the_photo_and_others_do_not(client, volunteer, photo_case):
    url = f"/files/photo/{photo_case.person.pk}/"
    assert client.get(url).status_code == 404  # anonymous, case not public (no consent)

    outsider = MembershipFactory(
        user=UserFactory(username="outsider"), organization=OrganizationFactory()
    ).user
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
    assert client.get(url).status_code == 404
    consent.identity_level = "full"
    consent.photo_consent = True
    consent.save()
    assert client.get(url).status_code == 200
    consent.consent_to_publish = False
    consent.save()
    assert client.get(url).status_code == 404


def test_the_public_gets_only_public_sources_of_public_cases(client, db):
    case = CaseFactory(publication_state="published")
    ConsentFactory(case=case)
    pdf = b"%PDF-1.4\n%%EOF\n"
    public = SourceFactory(case=case, visibility="public", file=SimpleUploadedFile("a.pdf", pdf))
    restricted = SourceFactory(case=case, file=SimpleUploadedFile("b.pdf", pdf))
    response = client.get(f"/files/source/{public.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert client.get(f"/files/source/{restricted.pk}/").status_code == 404
    assert client.get("/files/other/1/").status_code == 404


def test_a_relatives_photo_is_for_site_staff_only(client, volunteer):
    relative = Person.objects.create(photo=SimpleUploadedFile("r.png", png_bytes()))
    url = f"/files/photo/{relative.pk}/"
    client.force_login(volunteer)
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(username="site-staff", is_site_staff=True))
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


def test_saving_a_record_does_not_reread_its_stored_file(db, media_root):
    source = SourceFactory(file=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"))
    (media_root / source.file.name).unlink()  # the disk copy is gone (restored elsewhere)
    source.title = "renamed"
    source.full_clean()
    source.save()


def test_the_admin_links_a_stored_file_through_the_checked_url(client, volunteer, photo_case):
    """MEDIA_ROOT is never served by name: the admin's "currently" link goes through /files/."""
    source = SourceFactory(
        case=photo_case, file=SimpleUploadedFile("letter.pdf", b"%PDF-1.4\n%%EOF\n")
    )
    client.force_login(volunteer)
    person_page = client.get(f"/admin/cases/person/{photo_case.person.pk}/change/").text
    assert f'href="/files/photo/{photo_case.person.pk}/"' in person_page
    case_page = client.get(f"/admin/cases/case/{photo_case.pk}/change/").text
    assert f'href="/files/source/{source.pk}/"' in case_page
    assert "/media/" not in person_page + case_page
    assert client.get(f"/files/source/{source.pk}/").status_code == 200
