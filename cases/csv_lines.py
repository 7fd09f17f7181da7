"""CSV line by line, for downloads that stream: the public open data, staff exports and the
import template all write it here."""

import csv
from collections.abc import Iterable, Iterator, Sequence

# Spreadsheet programs read a file as UTF-8 (Cyrillic and Arabic names intact) only with it.
BYTE_ORDER_MARK = "\ufeff"


class _Echo:
    """A file-like object whose write() hands the line back, so csv.writer returns each line."""

    def write(self, value: str) -> str:
        return value


def csv_lines(
    header: Sequence, rows: Iterable[Sequence], *, byte_order_mark: bool = False
) -> Iterator[str]:
    """The header line, then one line per row; None is written as an empty cell."""
    writer = csv.writer(_Echo())
    yield (BYTE_ORDER_MARK if byte_order_mark else "") + writer.writerow(header)
    for row in rows:
        yield writer.writerow(["" if value is None else value for value in row])
