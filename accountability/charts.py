"""Bar charts beside the tables they picture.

A chart repeats one column of a Table; the table is the accessible source, so the chart is
hidden from assistive technology (accountability/includes/bar_chart.html). Its words are
HTML text in GOV.UK's sizes, so that they stay readable on a phone (text drawn in a scaled
picture shrank with it); each bar is a small SVG stretched across its track, so that no
style attribute or script is needed (the CSP allows none). Geometry only here.
"""

from dataclasses import dataclass

from django.template.defaultfilters import floatformat

from accountability.tables import Table

TRACK = 1000  # a bar's length is drawn in thousandths of its track


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    length: int  # out of TRACK


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]
    track: int = TRACK


def bar_chart(table: Table, column_key: str, title: str) -> BarChart | None:
    """One bar per row of ``table`` for the column ``column_key``; percentages (a key
    ending ``_pct``) on a 0-100 scale, counts against the largest. None for no rows."""
    index = next(i for i, column in enumerate(table.columns) if column.key == column_key)
    values = [(row[0].value, row[index].value) for row in table.rows]
    if not values:
        return None
    numbers = [v for _, v in values if v is not None]
    scale = 100 if column_key.endswith("_pct") else max(numbers, default=0) or 1
    bars = []
    for label, value in values:
        text = "no figure" if value is None else floatformat(value, -1)
        if value is not None and column_key.endswith("_pct"):
            text += "%"
        bars.append(Bar(label=str(label), text=text, length=round(TRACK * (value or 0) / scale)))
    return BarChart(title=title, bars=bars)
