"""Render a `Document` to one self-contained HTML file (CSS and SVG inline, no scripts, no
external requests), the same page a browser, a screen reader and the PDF renderer read."""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from openasc import files
from openasc.reports.document import Document
from openasc.reports.easy_read import EasyRead, icon

_env = Environment(loader=PackageLoader("openasc.reports", "templates"),
                   autoescape=select_autoescape(["html", "j2"]), trim_blocks=True,
                   lstrip_blocks=True)
_env.globals["icon"] = icon


def _long(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def _css(name: str) -> str:
    return resources.files("openasc.reports").joinpath("templates", name).read_text("utf-8")


def render_html(doc: Document, period_start: date, period_end: date) -> str:
    page = _env.get_template("report.html.j2").render(
        doc=doc, css=_css("report.css"), period_start=period_start.isoformat(),
        period_end=period_end.isoformat(), period_start_text=_long(period_start),
        period_end_text=_long(period_end))
    if doc.notes_at:  # the measures' definitions are in the annex
        page = page.replace('href="#def-', f'href="{doc.notes_at}#def-')
    return page


def write_easy_read(doc: EasyRead, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    files.write_text(path, _env.get_template("easy_read.html.j2").render(
        doc=doc, css=_css("easy_read.css")))
    return path


def write_html(doc: Document, period_start: date, period_end: date, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    files.write_text(path, render_html(doc, period_start, period_end))
    return path
