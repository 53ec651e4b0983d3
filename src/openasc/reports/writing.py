"""Writing a document: pick the council, read its figures, build the document, and write
its HTML and PDF. One module for every document, so that the Local Account and the
self-assessment are built the same way and neither imports the other."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from openasc.config import Settings
from openasc.councils import Council, resolve
from openasc.errors import OpenascError
from openasc.reports.content import Content, load_content
from openasc.reports.document import Document, Placeholder
from openasc.reports.figures import ENGLAND, Figures, load_figures, parse_year
from openasc.reports.local_account import build_local_account
from openasc.reports.pdf import write_pdf
from openasc.reports.phrasing import year_label
from openasc.reports.render import write_html
from openasc.reports.self_assessment import build_self_assessment
from openasc.warehouse import connect, table_exists

Build = Callable[[Figures, Content, str], Document]
DOCUMENTS: dict[str, tuple[Build, str]] = {
    "local-account": (build_local_account, "Local Account"),
    "self-assessment": (build_self_assessment, "Self-assessment"),
}


@dataclass
class Written:
    """What a document command wrote, for the command line (or the web) to say."""

    label: str
    council: str
    year: str
    files: list[Path]
    placeholders: list[Placeholder] = field(default_factory=list)
    content_given: bool = False
    seconds: float = 0.0

    def lines(self) -> list[str]:
        out = [f"Wrote {p}" for p in self.files]
        if self.placeholders:
            where = "the content folder" if self.content_given else (
                "a content folder (`openasc report init-content DIR`, then --content DIR)")
            out.append(f"Draft: {len(self.placeholders)} part(s) still hold the template's "
                       f"text or placeholder values (listed on the cover); write them in "
                       f"{where}:")
            out += [f"  {ph.item} ({ph.source})" for ph in self.placeholders]
        out.append(f"{self.label} for {self.council}, {self.year}, in {self.seconds:.1f} s.")
        return out


def open_figures(con_or_settings: duckdb.DuckDBPyConnection | Settings, la: str | None,
                 year: str) -> Figures:
    start, end = parse_year(year)
    own = not isinstance(con_or_settings, duckdb.DuckDBPyConnection)
    con = connect(con_or_settings.warehouse, read_only=True) if own else con_or_settings
    try:
        council = pick_council(con, la, start, end, getattr(con_or_settings, "council", None))
        return load_figures(con, council, start, end)
    finally:
        if own:
            con.close()


def pick_council(con: duckdb.DuckDBPyConnection, la: str | None, start: date, end: date,
                 configured: str | None) -> Council:
    """The council asked for, else the configured one, else the only one with measures."""
    code = la or configured
    if code:
        return resolve(code, "--la", on=end)
    if not table_exists(con, "metric_values"):
        raise OpenascError("The warehouse has no measures yet; run `openasc compute` first.")
    got = [r[0] for r in con.execute(
        "SELECT DISTINCT la_code FROM metric_values WHERE period_start = ? AND period_end = ? "
        "AND la_code <> ? AND la_code NOT LIKE 'E12%' ORDER BY 1",
        [start, end, ENGLAND]).fetchall()]
    if len(got) != 1:
        which = "no council has" if not got else f"{len(got)} councils have"
        raise OpenascError(
            f"{which} measures for {year_label(start.year)} in the warehouse; name the council "
            "with --la (ONS code such as E10000034 or NHS council code such as 416)"
            + ("" if got else ", after running `openasc compute` for the year") + ".")
    return resolve(got[0], "--la", on=end)


def write_document(doc: Document, f: Figures, out: Path, stem: str,
                   pdf: bool = True) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    html = write_html(doc, f.period_start, f.period_end, out / f"{stem}.html")
    return [html, write_pdf(html, out / f"{stem}.pdf")] if pdf else [html]


def write_reports(con_or_settings: duckdb.DuckDBPyConnection | Settings, year: str,
                  out_dir: Path, la: str | None, content: Path | None = None,
                  pdf: bool = True) -> list[Path]:
    """Both documents for `openasc demo`: the Local Account and the self-assessment pack."""
    f = open_figures(con_or_settings, la, year)
    loaded = load_content(content)
    written = write_document(build_local_account(f, loaded, year), f, out_dir, "local-account",
                             pdf)
    f.used.clear()
    written += write_document(build_self_assessment(f, loaded, year), f, out_dir,
                              "self-assessment", pdf)
    return written



def document_command(kind: str, year: str, out: Path, content: Path | None, la: str | None,
                     settings: Settings) -> Written:
    """`openasc report local-account|self-assessment`: build one document from the
    warehouse and write its HTML and PDF."""
    build, label = DOCUMENTS[kind]
    started = time.perf_counter()
    f = open_figures(settings, la, year)
    doc = build(f, load_content(content), year)
    written = write_document(doc, f, out, kind)
    return Written(label, f.council.name, year, written, list(doc.placeholders),
                   content is not None, time.perf_counter() - started)
