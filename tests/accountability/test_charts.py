"""The bar charts drawn beside the tables: the table's numbers, to scale, and safe."""

from django.template.loader import render_to_string

from accountability.charts import LABEL_WIDTH, VALUE_SPACE, WIDTH, bar_chart
from accountability.tables import Cell, Column, Table

SPAN = WIDTH - LABEL_WIDTH - VALUE_SPACE


def table(rows, key="on_time_pct"):
    return Table(key="t", title="T", columns=[Column("label", "Label"),
                                              Column(key, "Figure", numeric=True)],
                 rows=[[Cell(label), Cell(value)] for label, value in rows])


def test_percentages_are_drawn_on_a_scale_of_100():
    chart = bar_chart(table([("March", 50.0), ("April", 100.0), ("May", None)]),
                      "on_time_pct", "On time")
    assert [bar.width for bar in chart.bars] == [SPAN // 2, SPAN, 0]
    assert [bar.text for bar in chart.bars] == ["50%", "100%", "no figure"]


def test_counts_are_drawn_against_the_largest():
    chart = bar_chart(table([("Cora", 4), ("Bob", 2), ("Una", 0)], key="open"), "open", "Open")
    assert [bar.width for bar in chart.bars] == [SPAN, SPAN // 2, 0]
    assert [bar.text for bar in chart.bars] == ["4", "2", "0"]


def test_no_rows_no_chart():
    assert bar_chart(table([]), "on_time_pct", "On time") is None


def test_the_svg_is_hidden_from_assistive_technology_and_escapes_its_labels():
    chart = bar_chart(table([("<script>alert(1)</script> Primary School and Nursery", 75.5)]),
                      "on_time_pct", "On time")
    svg = render_to_string("accountability/includes/bar_chart.html", {"chart": chart})
    assert 'aria-hidden="true"' in svg and 'focusable="false"' in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "75.5%" in svg and "style=" not in svg
    assert f'viewBox="0 0 {WIDTH} {chart.height}"' in svg
