"""Facilities and places as the public sees them, and the tile map of Xinjiang's prefectures.

A facility is shared reference data, read through the allowlist (`cases.public.allowlist`): its
names, kind, prefecture and county, never a group's private note on it. The public site shows a
facility only while at least one public entry's timeline names it (`PublicEntryFacility`,
written at publication): a facility that only unpublished cases name stays off the site, since
even its existence could tell that some group documents a case there.

The map is a tile-grid cartogram: one square per prefecture-level division, placed roughly as the
divisions lie (north up, west left), drawn on the server as SVG with no tiles, no script and
nothing fetched from another host, so that it needs no boundary data at all.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext, pgettext_lazy

from cases.choices import choice_labels
from cases.models import Facility, Prefecture, PublicEntry, PublicEntryFacility
from cases.public.allowlist import public_columns, public_display, public_value

# Each name of a facility with its language and direction, for the lang and dir attributes.
FACILITY_NAMES = (
    ("name", pgettext_lazy("language", "English"), "en", "ltr"),
    ("name_zh", pgettext_lazy("language", "Chinese"), "zh-Hans", "ltr"),
    ("name_pinyin", pgettext_lazy("romanization of Chinese", "Pinyin"), "zh-Latn", "ltr"),
    ("name_ug", pgettext_lazy("language", "Uyghur"), "ug", "rtl"),
    ("name_kk", pgettext_lazy("language", "Kazakh"), "kk", "ltr"),
)


def public_facilities() -> QuerySet[Facility]:
    """Facilities that a public entry names, with their allowlisted columns only."""
    return Facility.objects.filter(
        Exists(PublicEntryFacility.objects.filter(facility=OuterRef("pk")))
    ).only("pk", *public_columns("cases.facility"))


def facility_url(pk: int) -> str:
    return reverse("cases:facility", kwargs={"facility_id": pk})


def place_url(code: str) -> str:
    return reverse("cases:place", kwargs={"prefecture": code})


def prefecture_label(code: str) -> str:
    return str(choice_labels(Prefecture).get(code, code))


def public_facility(facility: Facility) -> dict[str, Any]:
    prefecture = public_value(facility, "prefecture")
    return {
        "id": facility.pk,
        "url": facility_url(facility.pk),
        "name": public_value(facility, "name"),
        "names": [
            {"label": label, "value": public_value(facility, field), "lang": lang, "dir": dir_}
            for field, label, lang, dir_ in FACILITY_NAMES
            if public_value(facility, field)
        ],
        "kind": public_display(facility, "kind"),
        "prefecture": prefecture,
        "prefecture_display": public_display(facility, "prefecture") if prefecture else "",
        "prefecture_url": place_url(prefecture) if prefecture else "",
        "county": public_value(facility, "county"),
    }


def with_facilities(rows: list[dict[str, Any]], entries) -> list[dict[str, Any]]:
    """List rows with the facilities their entries' timelines name, as links: one query for
    the page, none when it is empty."""
    entries = list(entries)
    if not entries:
        return rows
    links = (
        PublicEntryFacility.objects.filter(entry_id__in=[entry.pk for entry in entries])
        .select_related("facility")
        .only("entry_id", "facility__id", "facility__name")
        .order_by("facility__name", "facility_id")
    )
    by_entry: dict[int, list[dict[str, Any]]] = {}
    for link in links:
        by_entry.setdefault(link.entry_id, []).append(
            {"name": public_value(link.facility, "name"), "url": facility_url(link.facility_id)}
        )
    for row, entry in zip(rows, entries, strict=True):
        row["facilities"] = by_entry.get(entry.pk, [])
    return rows


def facility_entries(facility: Facility) -> QuerySet[PublicEntry]:
    from cases.public.records import public_entries

    return public_entries().filter(
        Exists(PublicEntryFacility.objects.filter(entry=OuterRef("pk"), facility=facility))
    )


def facilities_in(code: str) -> list[dict[str, Any]]:
    """The public facilities of a prefecture, each with how many public entries name it."""
    facilities = (
        public_facilities()
        .filter(prefecture=code)
        .annotate(public_cases=Count("public_links"))
        .order_by("name", "pk")
    )
    return [
        {**public_facility(facility), "public_cases": facility.public_cases}
        for facility in facilities
    ]


def facility_counts_by_prefecture() -> dict[str, int]:
    """How many public facilities each prefecture has."""
    return dict(
        public_facilities()
        .values_list("prefecture")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("prefecture", "n")
    )


# Column and row of each division on the tile grid: north up, west left.
TILES = {
    Prefecture.TACHENG: (1, 0),
    Prefecture.ALTAY: (2, 0),
    Prefecture.BORTALA: (0, 1),
    Prefecture.KARAMAY: (1, 1),
    Prefecture.CHANGJI: (2, 1),
    Prefecture.ILI: (0, 2),
    Prefecture.URUMQI: (2, 2),
    Prefecture.TURPAN: (3, 2),
    Prefecture.HAMI: (4, 2),
    Prefecture.KIZILSU: (0, 3),
    Prefecture.AKSU: (1, 3),
    Prefecture.BAYINGOLIN: (2, 3),
    Prefecture.KASHGAR: (0, 4),
    Prefecture.HOTAN: (1, 4),
    # Not a territory of its own: the cities of the Production and Construction Corps lie
    # across the region, so their tile stands apart, in a corner.
    Prefecture.XPCC: (4, 4),
}
TILE = 112
GAP = 6
SHADES = 5  # 0: no case; 1 to 4: the quarters of the largest count


def _shade(count: int, largest: int) -> int:
    """0 for no case; else the quarter of the largest count that `count` falls in, 1 to 4."""
    if not count or not largest:
        return 0
    return max(1, -(-(SHADES - 1) * count // largest))


LABEL_SIZE = 19  # px, as site.css draws .tile-label
LABEL_ROOM = TILE - 12


def _fit(text: str) -> int | None:
    """The width a label is squeezed into when it would run past its tile (a long name, in
    some languages), else None: an average letter is about 0.58 of the font size wide."""
    return LABEL_ROOM if len(text) * 0.58 * LABEL_SIZE > LABEL_ROOM else None


def _label_lines(label: str) -> list[str]:
    """A label on up to two lines: a name in brackets goes below the name."""
    name, bracket, rest = label.partition(" (")
    return [name, f"({rest}"] if bracket else [label]


def _legend(largest: int) -> list[dict[str, Any]]:
    """The range of counts of each shade, as `_shade` gives them."""
    legend = [{"shade": 0, "text": gettext("no published case")}]
    if not largest:
        return legend
    quarters = SHADES - 1
    for shade in range(1, SHADES):
        low, high = (shade - 1) * largest // quarters + 1, shade * largest // quarters
        if high < low:
            continue
        if low == high:
            text = number_format(low, force_grouping=True)
        else:
            text = gettext("%(low)s to %(high)s") % {
                "low": number_format(low, force_grouping=True),
                "high": number_format(high, force_grouping=True),
            }
        legend.append({"shade": shade, "text": text})
    return legend


def tile_map(counts: dict[str, int]) -> dict[str, Any]:
    """The tiles of the map, shaded by each division's public case count (hometown
    prefecture), each linking to its place page."""
    largest = max((counts.get(code, 0) for code in TILES), default=0)
    tiles = []
    for code, (column, row) in TILES.items():
        count = counts.get(code, 0)
        label = prefecture_label(code)
        x, y = column * (TILE + GAP), row * (TILE + GAP)
        lines = _label_lines(label)
        tiles.append(
            {
                "code": code,
                "label": label,
                "lines": [
                    {"text": text, "y": y + 30 + index * 22, "fit": _fit(text)}
                    for index, text in enumerate(lines)
                ],
                "count": count,
                "count_y": y + TILE - 14,
                "x": x,
                "y": y,
                "text_x": x + TILE // 2,
                "shade": _shade(count, largest),
                "url": place_url(code),
                "title": ngettext(
                    "%(place)s: %(count)s published case",
                    "%(place)s: %(count)s published cases",
                    count,
                )
                % {"place": label, "count": number_format(count, force_grouping=True)},
                "apart": code == Prefecture.XPCC,
            }
        )
    columns = 1 + max(column for column, _row in TILES.values())
    rows = 1 + max(row for _column, row in TILES.values())
    return {
        "tiles": tiles,
        "size": TILE,
        "width": columns * (TILE + GAP) - GAP,
        "height": rows * (TILE + GAP) - GAP,
        "legend": _legend(largest),
        "total": sum(counts.get(code, 0) for code in TILES),
    }
