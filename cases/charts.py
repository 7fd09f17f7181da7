"""Bar charts drawn on the server as SVG: no script, no library, nothing fetched from elsewhere.

`bar_chart()` computes the geometry; the template `cases/includes/bar_chart.html` draws it with
presentation attributes and CSS classes only (a Content Security Policy forbids inline styles),
and prints the same numbers as a table for screen readers.
"""

LABEL_WIDTH = 210
BAR_AREA = 330
VALUE_WIDTH = 70
ROW_HEIGHT = 26
BAR_HEIGHT = 18
TOP = 4


def bar_chart(rows, *, chart_id, title):
    """`rows`: (label, count, link or "") tuples, in the order to draw them."""
    rows = list(rows)
    largest = max((count for _label, count, _link in rows), default=0) or 1
    total = sum(count for _label, count, _link in rows)
    bars = []
    for index, (label, count, link) in enumerate(rows):
        y = TOP + index * ROW_HEIGHT
        width = round(BAR_AREA * count / largest, 1)
        bars.append(
            {
                "label": label,
                "count": count,
                "link": link,
                "share": round(100 * count / total, 1) if total else 0,
                "y": y,
                "text_y": y + BAR_HEIGHT - 4,
                "width": max(width, 1 if count else 0),
                "value_x": LABEL_WIDTH + max(width, 1) + 6,
            }
        )
    return {
        "id": chart_id,
        "title": title,
        "bars": bars,
        "total": total,
        "width": LABEL_WIDTH + BAR_AREA + VALUE_WIDTH,
        "height": TOP * 2 + len(rows) * ROW_HEIGHT,
        "label_x": LABEL_WIDTH - 8,
        "bar_x": LABEL_WIDTH,
        "bar_height": BAR_HEIGHT,
    }
