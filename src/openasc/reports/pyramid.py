"""A population pyramid: males to the left, females to the right, five-year bands from the
youngest at the bottom, the base year as bars and the horizon year as an outline over them.

Drawn to SVG on the server like every chart (charts.py: no script, no external request), with
a text alternative; the table beside it holds the figures.
"""

from __future__ import annotations

from openasc.reports.charts import BAR_COLOUR, TEXT_COLOUR, Chart, render

HORIZON_COLOUR = "#b35806"  # 4.9:1 on white, told apart from the bars by shape as well


def pyramid_spec(bands: list[str], male: dict[tuple[str, int], float],
                 female: dict[tuple[str, int], float], base: int, horizon: int) -> dict:
    """Vega-Lite: bars for `base`, outlined bars (no fill) for `horizon`."""
    data = []
    for band in bands:
        for sex, values, sign in (("Males", male, -1), ("Females", female, 1)):
            for year in (base, horizon):
                data.append({"band": band, "sex": sex, "year": str(year),
                             "value": sign * values.get((band, year), 0.0)})
    bars = {"mark": {"type": "bar", "color": BAR_COLOUR, "opacity": 0.85},
            "transform": [{"filter": f"datum.year == '{base}'"}]}
    outline = {"mark": {"type": "bar", "fill": None, "stroke": HORIZON_COLOUR,
                        "strokeWidth": 1.5},
               "transform": [{"filter": f"datum.year == '{horizon}'"}]}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": 460, "height": {"step": 14},
        "data": {"values": data},
        "encoding": {
            "y": {"field": "band", "type": "ordinal", "title": "Age band",
                  # the oldest band on top: the domain in that order, never alphabetical
                  "sort": list(reversed(bands)),
                  "axis": {"labelColor": TEXT_COLOUR, "titleColor": TEXT_COLOUR}},
            "x": {"field": "value", "type": "quantitative",
                  "title": f"Males (left) and females (right); bars {base}, outlines {horizon}",
                  "axis": {"labelExpr": "format(abs(datum.value), ',')",
                           "labelColor": TEXT_COLOUR, "titleColor": TEXT_COLOUR}},
        },
        "layer": [bars, outline],
        "config": {"font": "DejaVu Sans", "view": {"stroke": None}},
    }


def pyramid_chart(chart_id: str, title: str, bands: list[str],
                  male: dict[tuple[str, int], float], female: dict[tuple[str, int], float],
                  base: int, horizon: int, alt: str) -> Chart:
    return render(pyramid_spec(bands, male, female, base, horizon), chart_id, title, alt)
