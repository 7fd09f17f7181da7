"""Reading an uploaded case list (CSV or XLSX) into plain cells, refusing what is not one.

Everything here treats the upload as hostile: the size is checked before anything is read, the
kind from the first bytes as well as the name, CSV must be UTF-8 (with or without BOM), and no row
may be wider than a case list can be. Formulas are never evaluated: an XLSX formula cell and a
CSV cell starting with "=" come back as `Formula` so that the row reads as an error.
"""

import codecs
import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# A case list is at most a few thousand rows; 10 MB holds well over 20,000 of them.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 100
MAX_CELL_CHARS = 10_000
# A workbook is a zip archive: 10 MB of it can unpack into gigabytes, and openpyxl reads the
# shared strings whole (a 242 KB workbook of repeated strings took 74 s and 0.9 GB). A case list
# of 20,000 full rows unpacks to about 25 MB; CASE_IMPORT_MAX_UNPACKED_BYTES bounds the whole.
DEFAULT_MAX_UNPACKED_BYTES = 32 * 1024 * 1024
# A workbook holds a dozen or so parts; thousands of them is not a case list.
MAX_ARCHIVE_MEMBERS = 500
UNPACK_CHUNK = 1024 * 1024


def max_upload_bytes() -> int:
    return getattr(settings, "CASE_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_unpacked_bytes():
    return getattr(settings, "CASE_IMPORT_MAX_UNPACKED_BYTES", DEFAULT_MAX_UNPACKED_BYTES)


class ImportFileError(Exception):
    """The whole file cannot be read; the message says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Formula(str):
    """A cell that holds a formula rather than a value."""


@dataclass
class Table:
    file_name: str
    headers: list[str]
    header_line: int
    # (line number in the sheet, cells) for every row after the header that holds anything.
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)


def clean_file_name(name: object) -> str:
    """The upload's own name, safe to show and to keep in history."""
    name = PurePath(str(name or "").replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable())
    return name[-100:] or "upload"


def read_table(uploaded: IO[bytes], file_name: str | None = None) -> Table:
    """A Table from an UploadedFile or a binary file with `.size`; raises ImportFileError."""
    file_name = clean_file_name(file_name or getattr(uploaded, "name", ""))
    limit = max_upload_bytes()
    size = getattr(uploaded, "size", None)
    if size is None or size > limit:
        raise ImportFileError(
            _("The file is %(size)s; the largest file this import reads is %(limit)s.")
            % {"size": filesizeformat(size or 0), "limit": filesizeformat(limit)}
        )
    if size == 0:
        raise ImportFileError(_("The file is empty."))
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    suffix = PurePath(file_name).suffix.lower()
    if suffix == ".xlsx":
        if not head.startswith(b"PK\x03\x04"):
            raise ImportFileError(
                _("The file is named .xlsx but is not an Excel workbook. Save it as .xlsx or CSV.")
            )
        return _read_xlsx(uploaded, file_name)
    if suffix in (".csv", ".txt"):
        utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        if head.startswith(b"PK\x03\x04") or (b"\x00" in head and not utf16):
            raise ImportFileError(
                _("The file is named .csv but is not text. Save the sheet as “CSV UTF-8”.")
            )
        return _read_csv(uploaded.read(limit + 1), file_name)
    raise ImportFileError(
        _("This import reads .csv (UTF-8) and .xlsx files; “%(name)s” is neither.")
        % {"name": file_name}
    )


def _read_csv(data, file_name):
    # Excel's "Unicode text" is UTF-16 with a byte-order mark; everything else must be UTF-8.
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    try:
        text = data.decode("utf-16") if utf16 else data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _(
                "The file is not UTF-8 text (it may have been saved as Windows-1251 or another "
                "old encoding). In Excel or LibreOffice, save it as “CSV UTF-8” and upload it "
                "again."
            )
        ) from None
    if "\x00" in text:
        raise ImportFileError(_("The file holds binary data, not the text of a CSV file."))
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    previous_limit = csv.field_size_limit()
    csv.field_size_limit(MAX_CELL_CHARS + 1)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows = []
        for cells in reader:
            line = reader.line_num
            cells = [Formula(cell) if cell.startswith("=") else cell for cell in cells]
            rows.append((line, cells))
            _check_shape(line, cells, rows)
    except csv.Error:
        raise ImportFileError(
            _(
                "Line %(line)s of the file cannot be read as CSV (a cell longer than %(max)s "
                "characters, or quotes that do not close)."
            )
            % {"line": reader.line_num, "max": f"{MAX_CELL_CHARS:,}"}
        ) from None
    finally:
        csv.field_size_limit(previous_limit)
    return _table(file_name, rows)


def _check_archive(uploaded):
    """Refuse a workbook that unpacks past the cap, before openpyxl reads any of it.

    First the sizes the archive declares, which cost nothing to read; then the members are
    unpacked in chunks and counted, since a declared size is only the archive's word (zipfile
    stops at the declared size and fails the checksum of a member that runs on, which also
    finds a damaged file here rather than halfway through the rows)."""
    limit = max_unpacked_bytes()
    too_large = ImportFileError(
        _("The workbook unpacks to more than %(max)s; a case list is far smaller.")
        % {"max": filesizeformat(limit)}
    )
    damaged = ImportFileError(
        _("The file cannot be opened as an Excel workbook (.xlsx): it may be damaged.")
    )
    try:
        with zipfile.ZipFile(uploaded) as archive:
            members = archive.infolist()
            if len(members) > MAX_ARCHIVE_MEMBERS:
                raise ImportFileError(
                    _("The workbook holds more than %(max)s parts; a case list holds a dozen.")
                    % {"max": MAX_ARCHIVE_MEMBERS}
                )
            if sum(member.file_size for member in members) > limit:
                raise too_large
            unpacked = 0
            for member in members:
                with archive.open(member) as stream:
                    while chunk := stream.read(UNPACK_CHUNK):
                        unpacked += len(chunk)
                        if unpacked > limit:
                            raise too_large
    except ImportFileError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError) as error:
        raise damaged from error
    except (ValueError, EOFError, RuntimeError) as error:  # encrypted or truncated members
        raise damaged from error


def _read_xlsx(uploaded, file_name):
    from openpyxl import load_workbook

    _check_archive(uploaded)
    uploaded.seek(0)
    try:
        # read_only streams the sheet; data_only=False keeps formulas as text, never evaluated.
        workbook = load_workbook(uploaded, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, EOFError) as error:
        raise ImportFileError(
            _("The file cannot be opened as an Excel workbook (.xlsx): it may be damaged.")
        ) from error
    except Exception as error:  # openpyxl raises its own kinds for malformed workbooks
        raise ImportFileError(
            _("The file cannot be opened as an Excel workbook (.xlsx): it may be damaged.")
        ) from error
    try:
        if not workbook.worksheets:
            raise ImportFileError(_("The workbook has no sheet."))
        sheet = workbook.worksheets[0]
        rows = []
        try:
            for line, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS + 1), start=1):
                cells = [_xlsx_value(cell) for cell in row]
                rows.append((line, cells))
                _check_shape(line, cells, rows)
        except ImportFileError:
            raise
        except Exception as error:
            raise ImportFileError(
                _("The workbook's first sheet cannot be read: it may be damaged.")
            ) from error
    finally:
        workbook.close()
    return _table(file_name, rows)


def _xlsx_value(cell):
    value = cell.value
    if getattr(cell, "data_type", None) == "f" or (isinstance(value, str) and value[:1] == "="):
        return Formula(str(value))
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        # Excel turns a typed "03.2018" into a date and keeps the typed shape only as the cell's
        # format: a format without days means the month (or year) was all that was known.
        shape = str(getattr(cell, "number_format", "") or "").lower()
        if "d" not in shape and "y" in shape:
            return f"{value:%m.%Y}" if "m" in shape else f"{value:%Y}"
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _check_shape(line, cells, rows):
    if len(cells) > MAX_COLUMNS:
        if any(str(cell).strip() for cell in cells[MAX_COLUMNS:]):
            raise ImportFileError(
                _(
                    "Line %(line)s of the file has more than %(max)s columns; a case list has at "
                    "most %(max)s. Remove the extra columns and upload it again."
                )
                % {"line": line, "max": MAX_COLUMNS}
            )
        del cells[MAX_COLUMNS:]
    if len(rows) > MAX_ROWS + 1:
        raise ImportFileError(
            _("The file has more than %(max)s rows; split it into smaller files.")
            % {"max": f"{MAX_ROWS:,}"}
        )
    for cell in cells:
        if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
            raise ImportFileError(
                _("Line %(line)s holds a cell longer than %(max)s characters.")
                % {"line": line, "max": f"{MAX_CELL_CHARS:,}"}
            )


def _is_blank(cells):
    return all(not str(cell).strip() for cell in cells)


def _table(file_name, rows):
    rows = [(line, cells) for line, cells in rows if not _is_blank(cells)]
    if not rows:
        raise ImportFileError(_("The file holds no rows."))
    header_line, header_cells = rows[0]
    headers = [str(cell).strip() for cell in header_cells]
    while headers and not headers[-1]:
        headers.pop()
    return Table(file_name=file_name, headers=headers, header_line=header_line, rows=rows[1:])
