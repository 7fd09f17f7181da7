"""Whole numbers typed by people (entry numbers, keys, years, page numbers): ASCII digits only.

`str.isdigit()` is not the test: it is true for "²" and "١٢", and `int("²")` raises. Parsing
here answers None for anything that is not plain digits, so that a view turns bad input into a
form error or an empty result, never a 500.
"""

# Enough for any key or entry number, short of what a 64-bit integer column holds.
MAX_DIGITS = 18


def parse_whole_number(text: str | None, *, max_digits: int = MAX_DIGITS) -> int | None:
    """The number written in `text` (surrounding spaces allowed), or None."""
    text = (text or "").strip()
    if not (0 < len(text) <= max_digits and text.isascii() and text.isdigit()):
        return None
    return int(text)


def parse_entry_number(text: str | None) -> int | None:
    """A case's entry number as people write it ("1042", "#1042"), or None."""
    number = parse_whole_number((text or "").strip().removeprefix("#"))
    return number if number else None
