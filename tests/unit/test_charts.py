"""Charts are drawn to SVG on the server and are readable without the picture."""

import re

from openasc.reports.charts import bar_chart, bar_spec


def test_spec_keeps_table_order_and_values():
    spec = bar_spec("t", ["b", "a"], [2.0, 5.0], "Requests")
    assert [d["label"] for d in spec["data"]["values"]] == ["b", "a"]
    assert spec["encoding"]["y"]["sort"] == {"field": "order"}
    assert "url" not in spec["data"]  # data inline: no request for it


def test_svg_is_inline_accessible_and_has_no_external_reference():
    chart = bar_chart("c1", "Requests by route", ["Community", "Hospital & A&E"], [10, 25],
                      "Requests", "Bar chart of requests by route; most came from hospital.")
    svg = str(chart.svg)
    assert svg.startswith('<svg role="img" aria-labelledby="c1-t c1-d"')
    assert '<title id="c1-t">Requests by route</title>' in svg
    assert "most came from hospital" in svg
    assert "Hospital &amp; A&amp;E" in svg  # the label is drawn, escaped
    assert not re.search(r'(src|href)="(https?:)?//', svg)
    assert "<script" not in svg
    # every id is prefixed so two charts in one page never clash
    assert all(i.startswith("c1-") for i in re.findall(r'id="([^"]+)"', svg))


def test_two_charts_have_distinct_ids():
    a = str(bar_chart("a", "A", ["x", "y"], [1, 2], "n", "alt").svg)
    b = str(bar_chart("b", "B", ["x", "y"], [1, 2], "n", "alt").svg)
    assert not set(re.findall(r'id="([^"]+)"', a)) & set(re.findall(r'id="([^"]+)"', b))
