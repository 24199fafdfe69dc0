"""The bar charts drawn beside the tables: the table's numbers, to scale, and safe."""

from django.template.loader import render_to_string

from accountability.charts import TRACK, bar_chart
from accountability.tables import Cell, Column, Table


def table(rows, key="on_time_pct"):
    return Table(key="t", title="T", columns=[Column("label", "Label"),
                                              Column(key, "Figure", numeric=True)],
                 rows=[[Cell(label), Cell(value)] for label, value in rows])


def test_percentages_are_drawn_on_a_scale_of_100():
    chart = bar_chart(table([("March", 50.0), ("April", 100.0), ("May", None)]),
                      "on_time_pct", "On time")
    assert [bar.length for bar in chart.bars] == [TRACK // 2, TRACK, 0]
    assert [bar.text for bar in chart.bars] == ["50%", "100%", "no figure"]


def test_counts_are_drawn_against_the_largest():
    chart = bar_chart(table([("Cora", 4), ("Bob", 2), ("Una", 0)], key="open"), "open", "Open")
    assert [bar.length for bar in chart.bars] == [TRACK, TRACK // 2, 0]
    assert [bar.text for bar in chart.bars] == ["4", "2", "0"]


def test_no_rows_no_chart():
    assert bar_chart(table([]), "on_time_pct", "On time") is None


def test_the_chart_is_hidden_from_assistive_technology_and_escapes_its_labels():
    label = "<script>alert(1)</script> Primary School and Nursery, a long name in full"
    chart = bar_chart(table([(label, 75.5)]), "on_time_pct", "On time")
    html = render_to_string("accountability/includes/bar_chart.html", {"chart": chart})
    assert html.count('aria-hidden="true"') == 1 and 'focusable="false"' in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "a long name in full" in html, "the label wraps on the page: it is not cut short"
    assert "75.5%" in html and "style=" not in html
    assert f'viewBox="0 0 {TRACK} 1"' in html and 'width="755"' in html
