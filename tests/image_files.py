"""Small files for the upload tests, built in memory: a phone photo with its location, a PNG,
a PDF. Places and names in them are invented."""

import io

from PIL import Image

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


PDF = b"%PDF-1.4\n%%EOF\n"


def real_pdf():
    """A one-page PDF that a PDF library can read and rewrite (PDF above is only its magic)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(72, 72)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
