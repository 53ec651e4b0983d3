"""Render a `Document` to one self-contained HTML file (CSS and SVG inline, no scripts, no
external requests), the same page a browser, a screen reader and the PDF renderer read."""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from openasc import files
from openasc.reports.document import Document

_env = Environment(loader=PackageLoader("openasc.reports", "templates"),
                   autoescape=select_autoescape(["html", "j2"]), trim_blocks=True,
                   lstrip_blocks=True)


def _long(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def render_html(doc: Document, period_start: date, period_end: date) -> str:
    css = resources.files("openasc.reports").joinpath("templates", "report.css").read_text("utf-8")
    return _env.get_template("report.html.j2").render(
        doc=doc, css=css, period_start=period_start.isoformat(),
        period_end=period_end.isoformat(), period_start_text=_long(period_start),
        period_end_text=_long(period_end))


def write_html(doc: Document, period_start: date, period_end: date, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    files.write_text(path, render_html(doc, period_start, period_end))
    return path
