"""Bar charts drawn on the server as SVG, beside the tables they picture.

A chart repeats one column of a Table; the table is the accessible source, so the SVG is
hidden from assistive technology (accountability/includes/bar_chart.html). Geometry only:
the template draws it, and no style attribute or script is needed (the CSP allows none).
"""

from dataclasses import dataclass

from django.template.defaultfilters import floatformat

from accountability.tables import Table

WIDTH = 960  # the page's width: drawn one to one on a desktop, scaled down on a phone
LABEL_WIDTH = 340
VALUE_SPACE = 96  # room for the figure after the longest bar
ROW_HEIGHT = 28
BAR_HEIGHT = 18
TOP = 32  # the title
LABEL_CHARACTERS = 40


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    y: int
    width: int

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 4

    @property
    def value_x(self) -> int:
        return LABEL_WIDTH + self.width + 6


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]
    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return TOP + ROW_HEIGHT * len(self.bars) + 8

    @property
    def label_x(self) -> int:
        return LABEL_WIDTH - 8


def _short(label: str) -> str:
    label = str(label)
    return label if len(label) <= LABEL_CHARACTERS else label[:LABEL_CHARACTERS - 1] + "…"


def bar_chart(table: Table, column_key: str, title: str) -> BarChart | None:
    """One bar per row of ``table`` for the column ``column_key``; percentages (a key
    ending ``_pct``) on a 0-100 scale, counts against the largest. None for no rows."""
    index = next(i for i, column in enumerate(table.columns) if column.key == column_key)
    values = [(row[0].value, row[index].value) for row in table.rows]
    if not values:
        return None
    numbers = [v for _, v in values if v is not None]
    scale = 100 if column_key.endswith("_pct") else max(numbers, default=0) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_SPACE
    bars = []
    for position, (label, value) in enumerate(values):
        text = "no figure" if value is None else floatformat(value, -1)
        if value is not None and column_key.endswith("_pct"):
            text += "%"
        bars.append(Bar(label=_short(label), text=text, y=TOP + position * ROW_HEIGHT,
                        width=round(span * (value or 0) / scale)))
    return BarChart(title=title, bars=bars)
