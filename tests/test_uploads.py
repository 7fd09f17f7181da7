"""Uploads (cases.uploads): checked by content, size-limited, images stored without EXIF/GPS
under a random name. Serving them is tested in test_files."""

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import modelform_factory
from PIL import Image

from cases import models as case_models
from cases.models import Person, Source
from tests.factories import CaseFactory, SourceFactory
from tests.image_files import GPS_IFD, MAKE, jpeg_with_gps, png_bytes

pytestmark = pytest.mark.usefixtures("media_root")


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


def test_saving_a_record_does_not_reread_its_stored_file(db, media_root):
    source = SourceFactory(file=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"))
    (media_root / source.file.name).unlink()  # the disk copy is gone (restored elsewhere)
    source.title = "renamed"
    source.full_clean()
    source.save()
