"""Uploads (photos, source documents, testimony recordings) are hostile until checked.

- The type is read from the content (magic numbers, and Pillow for images), never from the
  name or the browser's word; anything not on the short list is refused.
- A size limit (UPLOAD_MAX_BYTES) and a pixel limit (UPLOAD_MAX_IMAGE_PIXELS, against
  decompression bombs).
- Images are decoded and encoded again, without EXIF, GPS, comments or colour profiles: a photo
  from a relative's phone carries where it was taken. Recordings lose their tags
  (`cases.recordings`). Containers whose location this app cannot remove are refused: MP4,
  MOV, M4A, 3GP, HEIC and AVIF (anything with an ISO `ftyp` box), WebM and MKV.
- Stored names are random: a file name often holds the person's name.
- Files live under MEDIA_ROOT, which no web server serves; `serve_upload` hands them out after
  checking who asks (staff of the case's group; the public only for a public case whose consent
  allows it, and for a source or testimony marked public).
"""

import hashlib
import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models.signals import pre_save
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from cases import recordings

# Pillow format → (content type, extension, format to store it in).
IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", "jpg", "JPEG"),
    "PNG": ("image/png", "png", "PNG"),
    "WEBP": ("image/webp", "webp", "WEBP"),
    "GIF": ("image/png", "png", "PNG"),
}


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    is_image: bool = False
    # Returns the bytes to store without their metadata, or raises UnreadableRecording.
    clean: Callable[[bytes], bytes] | None = None


PDF = FileType("application/pdf", "pdf")
OGG = FileType("audio/ogg", "ogg", clean=recordings.clean_ogg)
MP3 = FileType("audio/mpeg", "mp3", clean=recordings.clean_mp3)
WAV = FileType("audio/wav", "wav", clean=recordings.clean_wav)


def _media_type(head):
    """Audio a testimony may come in, by its first bytes."""
    if head.startswith(b"OggS"):
        return OGG
    if head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return MP3
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return WAV
    return None


def _refused_container(head):
    """True for containers that carry location (MP4/MOV location atoms, HEIC and AVIF EXIF,
    Matroska tags) in structures this app cannot rewrite: an `ftyp` box, or EBML."""
    return head[4:8] == b"ftyp" or head.startswith(b"\x1a\x45\xdf\xa3")


def read_all(file):
    file.seek(0)
    data = file.read()
    file.seek(0)
    return data


def _check_size(file):
    size = getattr(file, "size", None)
    if size is not None and size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("This file is too large: the limit is %(limit)s MB.")
            % {"limit": settings.UPLOAD_MAX_BYTES // (1024 * 1024)},
            code="file_too_large",
        )


def _image_type(data):
    """The image's type if Pillow recognises it as an allowed format, else None."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format = image.format
            width, height = image.size
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        return None
    if image_format not in IMAGE_FORMATS:
        return None
    if width * height > settings.UPLOAD_MAX_IMAGE_PIXELS:
        raise ValidationError(_("This image has too many pixels."), code="image_too_large")
    content_type, extension, _stored = IMAGE_FORMATS[image_format]
    return FileType(content_type, extension, is_image=True)


def detect(data, *, images=True, documents=False, media=False):
    """The type of `data`, among the kinds allowed, or a ValidationError. A recording is read
    through to its end here, so that one the cleaner cannot walk is refused with the form."""
    if images:
        found = _image_type(data)
        if found:
            return found
    if documents and data.startswith(b"%PDF-"):
        return PDF
    if _refused_container(data[:16]):
        raise ValidationError(
            _(
                "Videos (MP4, MOV, WebM) and HEIC photos can carry the place where they were "
                "recorded, which this site cannot remove. Send a photo as JPEG and a recording "
                "as MP3, WAV or Ogg (a WhatsApp voice message is Ogg); keep videos outside this "
                "site and link them."
            ),
            code="file_type_location",
        )
    if media:
        found = _media_type(data[:16])
        if found:
            try:
                found.clean(data)
            except recordings.UnreadableRecording:
                raise ValidationError(
                    _("This recording cannot be read; it may be damaged."), code="file_damaged"
                ) from None
            return found
    if images and not (documents or media):
        message = _("Upload a photo in JPEG, PNG, WebP or GIF format.")
    else:
        message = _("This kind of file is not accepted. Upload an image, a PDF or a recording.")
    raise ValidationError(message, code="file_type")


def _is_stored(file):
    # A file already in storage was checked when it came in; re-reading it on every save of its
    # record would cost a disk read (and fail if the disk copy is gone).
    return getattr(file, "_committed", False)


def validate_photo(file):
    if not _is_stored(file):
        _check_size(file)
        detect(read_all(file), images=True)


def validate_document(file):
    if not _is_stored(file):
        _check_size(file)
        detect(read_all(file), images=True, documents=True)


def validate_testimony_file(file):
    if not _is_stored(file):
        _check_size(file)
        detect(read_all(file), images=True, documents=True, media=True)


def reencode_image(data):
    """The image decoded and written again with nothing but its pixels: no EXIF (and so no GPS),
    no comment, no colour profile, no text chunks. The EXIF orientation is applied first so the
    photo still stands the right way up."""
    with Image.open(io.BytesIO(data)) as original:
        _content_type, extension, stored_format = IMAGE_FORMATS[original.format]
        original.load()
        image = ImageOps.exif_transpose(original)
    if stored_format == "JPEG":
        image = image.convert("L" if image.mode in ("L", "1") else "RGB")
    elif image.mode not in ("RGB", "RGBA", "L"):
        image = image.convert("RGBA")
    # Pillow writes some of `info` (comment, exif, icc_profile) back on save: start empty.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    clean.info = {}
    out = io.BytesIO()
    options = {"quality": 90} if stored_format in ("JPEG", "WEBP") else {}
    clean.save(out, stored_format, **options)
    return out.getvalue(), extension


def sanitize(data, *, validator):
    """Check `data` with the field's rule; return (bytes to store, extension)."""
    kinds = {
        validate_photo: {"images": True},
        validate_document: {"images": True, "documents": True},
        validate_testimony_file: {"images": True, "documents": True, "media": True},
    }[validator]
    if len(data) > settings.UPLOAD_MAX_BYTES:
        _check_size(ContentFile(data))
    found = detect(data, **kinds)
    if found.is_image:
        return reencode_image(data)
    if found.clean is not None:
        return found.clean(data), found.extension
    return data, found.extension


def random_upload_name(folder, filename):
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    if not extension.isalnum() or len(extension) > 5:
        extension = "bin"
    return f"{folder}/{uuid.uuid4().hex}.{extension}"


def photo_upload_to(instance, filename):
    return random_upload_name("photos", filename)


def source_upload_to(instance, filename):
    return random_upload_name("sources", filename)


def testimony_upload_to(instance, filename):
    return random_upload_name("testimonies", filename)


# (model label, field name, validator): every upload field of the app.
UPLOAD_FIELDS = [
    ("cases.Person", "photo", validate_photo),
    ("cases.Source", "file", validate_document),
    ("cases.Testimony", "file", validate_testimony_file),
]


def clean_uploads_before_save(sender, instance, **kwargs):
    """Whatever path a file takes in (admin, import, shell), it is checked and stripped before it
    reaches the disk."""
    for label, field_name, validator in UPLOAD_FIELDS:
        if sender._meta.label != label:
            continue
        field_file = getattr(instance, field_name)
        if not field_file or field_file._committed:
            continue
        data, extension = sanitize(read_all(field_file), validator=validator)
        setattr(instance, field_name, ContentFile(data, name=f"upload.{extension}"))
        if hasattr(instance, "sha256"):
            instance.sha256 = hashlib.sha256(data).hexdigest()


def connect():
    from django.apps import apps

    for label, _field, _validator in UPLOAD_FIELDS:
        pre_save.connect(
            clean_uploads_before_save,
            sender=apps.get_model(label),
            dispatch_uid=f"clean_uploads_{label}",
        )
