"""The one CSV writer of downloads (cases.csv_lines), as a spreadsheet program reads it."""

import csv
import io

from cases.csv_lines import csv_lines


def test_it_writes_a_header_and_rows_that_read_back():
    lines = list(csv_lines(["name", "note"], [["Сауытбай, Гүлжан", None], ['say "hi"', 3]]))
    assert len(lines) == 3
    rows = list(csv.reader(io.StringIO("".join(lines))))
    assert rows == [["name", "note"], ["Сауытбай, Гүлжан", ""], ['say "hi"', "3"]]


def test_a_byte_order_mark_comes_only_when_asked_for():
    assert next(csv_lines(["a"], [], byte_order_mark=True)) == "\ufeffa\r\n"
    assert next(csv_lines(["a"], [])) == "a\r\n"


def test_rows_are_written_as_they_are_read():
    def rows():
        yield ["first"]
        raise AssertionError("read before the first line was taken")

    lines = csv_lines(["header"], rows())
    assert next(lines) == "header\r\n"
    assert next(lines) == "first\r\n"
