"""Bar charts drawn on the server: SVG for web pages, the same geometry for PDF reports.

No JavaScript and no request to another host: a chart is inline SVG with a text alternative,
and its numbers are also in the table beside it. Kept apart from any page so that the public
figures and the staff reports can share one chart code.
"""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    fraction: float  # of the largest value, 0..1


def bars(rows):
    """(label, count) pairs as bars scaled to the largest count."""
    rows = [(str(label), int(value)) for label, value in rows]
    largest = max((value for _label, value in rows), default=0)
    return [Bar(label, value, value / largest if largest else 0.0) for label, value in rows]


LABEL_WIDTH = 210
BAR_AREA = 340
VALUE_WIDTH = 70
ROW_HEIGHT = 22


def bar_chart_svg(rows, *, title):
    """A horizontal bar chart as inline SVG markup (escaped, safe to put in a template)."""
    chart = bars(rows)
    width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    height = ROW_HEIGHT * len(chart) + 8
    items = format_html_join(
        "",
        '<g transform="translate(0,{})"><text x="{}" y="15" text-anchor="end">{}</text>'
        '<rect x="{}" y="3" width="{}" height="16" fill="#0b4f8a"></rect>'
        '<text x="{}" y="15">{}</text></g>',
        (
            (
                index * ROW_HEIGHT + 4,
                LABEL_WIDTH - 8,
                _shorten(bar.label),
                LABEL_WIDTH,
                f"{bar.fraction * BAR_AREA:.1f}",
                LABEL_WIDTH + bar.fraction * BAR_AREA + 6,
                f"{bar.value:,}",
            )
            for index, bar in enumerate(chart)
        ),
    )
    return format_html(
        '<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="100%" '
        'xmlns="http://www.w3.org/2000/svg" font-size="12" font-family="system-ui, sans-serif">'
        "<title>{}</title>{}</svg>",
        title,
        width,
        height,
        title,
        items or mark_safe(""),
    )


def _shorten(label, limit=32):
    return label if len(label) <= limit else label[: limit - 1] + "…"
