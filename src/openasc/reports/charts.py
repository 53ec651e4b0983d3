"""Charts: Vega-Lite specifications drawn to SVG here, on the server, and put inline.

A report is read offline, printed, and opened with JavaScript off, so no chart may depend
on a script or a CDN: vl-convert draws the SVG once, and the page carries it. A chart is
never the only way to a figure: each has a one-sentence text alternative and sits beside
the table it was drawn from (the table is what the figures are traced through).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from markupsafe import Markup, escape

BAR_COLOUR = "#1d4f91"  # 8.6:1 on white
TEXT_COLOUR = "#1a1a1a"


@dataclass(frozen=True)
class Chart:
    """A drawn chart: its id (unique in the page), title, text alternative and SVG."""

    chart_id: str
    title: str
    alt: str
    svg: Markup
    where: str = "the figures are in the table above"  # said under the chart


def bar_spec(title: str, labels: list[str], values: list[float], axis_title: str) -> dict:
    """A horizontal bar chart, bars in the order given (the order of the table beside it)."""
    data = [{"label": lab, "value": val, "order": i} for i, (lab, val) in
            enumerate(zip(labels, values, strict=True))]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": 420,
        "height": {"step": 26},
        "data": {"values": data},
        "mark": {"type": "bar", "color": BAR_COLOUR},
        "encoding": {
            "y": {"field": "label", "type": "nominal", "title": None,
                  "sort": {"field": "order"},
                  "axis": {"labelLimit": 260, "labelFontSize": 12, "labelColor": TEXT_COLOUR}},
            "x": {"field": "value", "type": "quantitative", "title": axis_title,
                  "axis": {"labelColor": TEXT_COLOUR, "titleColor": TEXT_COLOUR}},
        },
        "config": {"font": "DejaVu Sans", "view": {"stroke": None}},
    }


def _inline(svg: str, chart_id: str, title: str, alt: str) -> Markup:
    """Make the SVG safe to inline many times in one page and readable by screen readers.

    Ids inside the SVG (clip paths, gradients) are prefixed with the chart id, so that two
    charts never share one; the root gets role="img" with the title and the text
    alternative as its accessible name and description.
    """
    svg = re.sub(r"<\?xml[^>]*>\s*", "", svg)
    # Vega marks its own groups for an interactive reader; inside role="img" they are noise.
    svg = re.sub(r'\s(?:role|aria-roledescription|aria-label|aria-hidden)="[^"]*"', "", svg)
    svg = re.sub(r'id="([^"]+)"', lambda m: f'id="{chart_id}-{m.group(1)}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{chart_id}-{m.group(1)})", svg)
    svg = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{chart_id}-{m.group(1)}"', svg)
    head = f'<svg role="img" aria-labelledby="{chart_id}-t {chart_id}-d" focusable="false" '
    svg = svg.replace("<svg ", head, 1)
    svg = re.sub(r"(<svg[^>]*>)", lambda m: m.group(1)
                 + f'<title id="{chart_id}-t">{escape(title)}</title>'
                 + f'<desc id="{chart_id}-d">{escape(alt)}</desc>', svg, count=1)
    return Markup(svg)


def render(spec: dict, chart_id: str, title: str, alt: str) -> Chart:
    """Draw a Vega-Lite spec to inline SVG."""
    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(spec)
    return Chart(chart_id=chart_id, title=title, alt=alt, svg=_inline(svg, chart_id, title, alt))


def bar_chart(chart_id: str, title: str, labels: list[str], values: list[float],
              axis_title: str, alt: str, where: str = "") -> Chart:
    chart = render(bar_spec(title, labels, values, axis_title), chart_id, title, alt)
    return replace(chart, where=where) if where else chart
