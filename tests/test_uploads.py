"""Uploads (cases.uploads): checked by content, size-limited, images stored without EXIF/GPS
under a random name. Serving them is tested in test_files."""

import hashlib
import io
import struct
import wave

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

def _crc(data):
    """The Ogg page checksum, bit by bit (independent of the table the app uses)."""
    crc = 0
    for byte in data:
        crc ^= byte << 24
        for _bit in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) if crc & 0x80000000 else crc << 1
            crc &= 0xFFFFFFFF
    return crc


def ogg_page(payload, *, flags=0, granule=0, sequence=0, lacing=None):
    if lacing is None:
        lacing = [255] * (len(payload) // 255) + [len(payload) % 255]
    header = (
        b"OggS\x00"
        + bytes([flags])
        + struct.pack("<qII", granule, 0x1234, sequence)
        + bytes(4)
        + bytes([len(lacing)])
        + bytes(lacing)
    )
    page = header + payload
    return page[:22] + _crc(page).to_bytes(4, "little") + page[26:]


def ogg_pages(data):
    """(sequence, checksum is right, payload) of every page."""
    pages, position = [], 0
    while position < len(data):
        assert data[position : position + 4] == b"OggS"
        count = data[position + 26]
        size = 27 + count + sum(data[position + 27 : position + 27 + count])
        page = data[position : position + size]
        blank = page[:22] + bytes(4) + page[26:]
        checksum_ok = _crc(blank) == int.from_bytes(page[22:26], "little")
        pages.append((int.from_bytes(page[18:22], "little"), checksum_ok, page[27 + count :]))
        position += size
    return pages


def opus_voice_message(comments):
    """An Ogg Opus file as a phone app writes one: the head, the tags (`comments`), and two
    pages of (invented) sound."""
    head = b"OpusHead\x01\x01\x38\x01\x80\xbb\x00\x00\x00\x00\x00"
    tags = b"OpusTags" + struct.pack("<I", 8) + b"Recorder" + struct.pack("<I", len(comments))
    for comment in comments:
        tags += struct.pack("<I", len(comment)) + comment
    return (
        ogg_page(head, flags=0x02)
        + ogg_page(tags, sequence=1)
        + ogg_page(b"\xfc" + b"\x11" * 80, granule=960, sequence=2)
        + ogg_page(b"\xfc" + b"\x22" * 80, flags=0x04, granule=1920, sequence=3)
    )


PLACE = b"LOCATION=+43.2567+076.9286/"


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
    ogg = opus_voice_message([])
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


def save_recording(name, data):
    testimony = case_models.Testimony(
        case=CaseFactory(), medium="phone", file=SimpleUploadedFile(name, data)
    )
    testimony.full_clean()
    testimony.save()
    testimony.refresh_from_db()
    return testimony.file.read()


def test_a_voice_message_is_stored_without_its_tags(db):
    original = opus_voice_message([b"TITLE=Testova Aigerim", PLACE])
    stored = save_recording("voice.ogg", original)
    assert PLACE not in stored and b"Testova" not in stored
    pages = ogg_pages(stored)
    # The head and the sound are as they were; the tags are empty; every checksum is right.
    assert [sequence for sequence, _ok, _payload in pages] == [0, 1, 2, 3]
    assert all(ok for _sequence, ok, _payload in pages)
    assert pages[1][2] == b"OpusTags" + bytes(8)
    assert [payload for _s, _ok, payload in pages[2:]] == [
        payload for _s, _ok, payload in ogg_pages(original)[2:]
    ]


def test_a_wav_recording_keeps_its_sound_and_loses_its_info_chunks(db):
    out = io.BytesIO()
    with wave.open(out, "wb") as recording:
        recording.setnchannels(1)
        recording.setsampwidth(2)
        recording.setframerate(8000)
        recording.writeframes(b"\x01\x02" * 800)
    plain = out.getvalue()
    info = b"INFO" + b"INAM" + struct.pack("<I", 20) + b"Testova Aigerim home" + b"ICMT"
    info += struct.pack("<I", len(PLACE) + 1) + PLACE + b"\x00\x00"
    chunk = b"LIST" + struct.pack("<I", len(info)) + info
    tagged = b"RIFF" + struct.pack("<I", len(plain) - 8 + len(chunk)) + plain[8:] + chunk
    stored = save_recording("interview.wav", tagged)
    assert PLACE not in stored and b"Testova" not in stored
    with wave.open(io.BytesIO(stored)) as recording:
        assert recording.getframerate() == 8000
        assert recording.readframes(800) == b"\x01\x02" * 800


def test_an_mp3_recording_loses_its_id3_tags(db):
    frame = b"TXXX" + struct.pack(">I", len(PLACE) + 1) + b"\x00\x00\x00" + PLACE
    id3v2 = b"ID3\x03\x00\x00" + bytes([0, 0, 0, len(frame)]) + frame
    audio = (b"\xff\xfb\x90\x64" + bytes(413)) * 3
    id3v1 = b"TAG" + b"Testova Aigerim".ljust(30, b"\x00") + bytes(95)
    stored = save_recording("call.mp3", id3v2 + audio + id3v1)
    assert stored == audio


@pytest.mark.parametrize(
    "name, data",
    [
        # An iPhone photo (HEIC) and video (MOV), an MP4 with a location atom, an AVIF image,
        # a WebM video: ISO-BMFF and Matroska carry location where it cannot be removed here.
        ("IMG_0001.heic", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"Exif" + PLACE),
        ("IMG_0002.mov", b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  " + b"\xa9xyz" + PLACE),
        ("video.mp4", b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isommp41" + b"udta" + PLACE),
        ("photo.avif", b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf" + PLACE),
        ("call.webm", b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01" + b"webm" + PLACE),
    ],
)
def test_containers_that_carry_location_are_refused(db, name, data):
    testimony = case_models.Testimony(
        case=CaseFactory(), medium="video", file=SimpleUploadedFile(name, data)
    )
    with pytest.raises(ValidationError, match="can carry the place"):
        testimony.full_clean()
    with pytest.raises(ValidationError):
        testimony.save()
    form_class = modelform_factory(Person, fields=["photo"])
    form = form_class(data={}, files={"photo": SimpleUploadedFile(name, data)})
    assert not form.is_valid()


def test_a_recording_that_is_not_what_its_first_bytes_say_is_refused(db):
    testimony = case_models.Testimony(
        case=CaseFactory(), medium="phone", file=SimpleUploadedFile("x.ogg", b"OggS" + bytes(40))
    )
    with pytest.raises(ValidationError, match="cannot be read"):
        testimony.full_clean()


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
