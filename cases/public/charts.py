"""Bar charts drawn on the server: no script, no library, nothing fetched from elsewhere.

One geometry for every chart: `bar_chart()` lays the bars out for the template
`cases/includes/bar_chart.html` (public figures and staff summary alike: presentation attributes
and CSS classes only, since the Content Security Policy forbids inline styles, with the same
numbers as a table for screen readers), and `bars()` gives the PDF reports the same scaling.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string

# Each label has a line of its own above its bar, so that no label is ever cut short.
LABEL_HEIGHT = 18
BAR_AREA = 480
VALUE_WIDTH = 80
ROW_HEIGHT = 46
BAR_HEIGHT = 18
TOP = 4


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    fraction: float  # of the largest value, 0..1


def bars(rows):
    """(label, count) pairs as bars scaled to the largest count (for the PDF reports)."""
    rows = [(str(label), int(value)) for label, value in rows]
    largest = max((value for _label, value in rows), default=0)
    return [Bar(label, value, value / largest if largest else 0.0) for label, value in rows]


def bar_chart(rows, *, chart_id, title):
    """`rows`: (label, count, link or "") tuples, in the order to draw them."""
    rows = list(rows)
    total = sum(count for _label, count, _link in rows)
    laid_out = []
    for index, ((label, count, link), bar) in enumerate(
        zip(rows, bars((label, count) for label, count, _link in rows), strict=True)
    ):
        label_y = TOP + index * ROW_HEIGHT + LABEL_HEIGHT - 4
        y = TOP + index * ROW_HEIGHT + LABEL_HEIGHT
        width = round(BAR_AREA * bar.fraction, 1)
        laid_out.append(
            {
                "label": label,
                "count": count,
                "link": link,
                "share": round(100 * count / total, 1) if total else 0,
                "y": y,
                "label_y": label_y,
                "text_y": y + BAR_HEIGHT - 4,
                "width": max(width, 1 if count else 0),
                "value_x": max(width, 1) + 6,
            }
        )
    return {
        "id": chart_id,
        "title": title,
        "bars": laid_out,
        "total": total,
        "width": BAR_AREA + VALUE_WIDTH,
        "height": TOP * 2 + len(rows) * ROW_HEIGHT,
        "label_x": 0,
        "bar_x": 0,
        "bar_height": BAR_HEIGHT,
    }


def bar_chart_svg(rows, *, title, chart_id="chart"):
    """The SVG alone, for a standalone file (the samples under docs/)."""
    chart = bar_chart(((label, count, "") for label, count in rows), chart_id=chart_id, title=title)
    return render_to_string("cases/includes/bar_chart_svg.html", {"chart": chart})
