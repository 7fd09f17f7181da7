"""Public files are derivatives made at publication, never the uploads themselves.

A photo is decoded and written again with nothing but its pixels (no EXIF, so no GPS); a PDF is
rewritten page by page without its document information or XMP metadata, with every embedded
image decoded and encoded again the same way. Any other kind never goes public.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from cases.uploads import PDF, detect, reencode_image


@dataclass(frozen=True)
class Derivative:
    data: bytes
    extension: str
    content_type: str


def _clean_pixels(image: Image.Image) -> Image.Image:
    mode = image.mode if image.mode in ("RGB", "RGBA", "L") else "RGB"
    clean = Image.new(mode, image.size)
    clean.paste(image.convert(mode))
    clean.info = {}
    return clean


def clean_pdf(data: bytes) -> bytes:
    """The PDF's pages in a new file: no /Info (author, creator, dates), no XMP metadata, and
    every embedded image re-encoded from its pixels (which drops an image's own EXIF and GPS)."""
    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    for page in writer.pages:
        for embedded in page.images:
            embedded.replace(_clean_pixels(embedded.image))
    writer.metadata = None
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def public_derivative(data: bytes) -> Derivative | None:
    """The file as it may go public, or None when this kind of file never does."""
    try:
        found = detect(data, images=True, documents=True)
    except ValidationError:
        return None
    if found.is_image:
        clean, extension = reencode_image(data)
        return Derivative(clean, extension, found.content_type)
    if found == PDF:
        try:
            return Derivative(clean_pdf(data), "pdf", PDF.content_type)
        except (PdfReadError, ValueError, OSError):
            # A PDF that cannot be rewritten cannot be cleaned: it stays staff-side.
            return None
    return None
