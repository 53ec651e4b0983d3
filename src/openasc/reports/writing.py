"""Writing a document: pick the council, read its figures, build the document, and write
its HTML and PDF. One module for every document, so that the Local Account and the
self-assessment are built the same way and neither imports the other."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from openasc.config import Settings
from openasc.councils import Council, resolve
from openasc.errors import OpenascError
from openasc.files import write_text
from openasc.reports import readability
from openasc.reports.annex import build_annex
from openasc.reports.content import Content, load_content
from openasc.reports.document import Document, Omitted, Placeholder
from openasc.reports.easy_read import EasyRead, build_easy_read
from openasc.reports.figures import ENGLAND, Figures, load_figures, parse_year
from openasc.reports.local_account import ANNEX, EASY_READ, build_local_account
from openasc.reports.pdf import write_pdf
from openasc.reports.phrasing import year_label
from openasc.reports.readability import Score
from openasc.reports.render import write_easy_read, write_html
from openasc.reports.self_assessment import build_self_assessment
from openasc.warehouse import connect, table_exists

logger = logging.getLogger("openasc.reports")

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
    readability: list[Score] = field(default_factory=list)
    omitted: list[Omitted] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"Wrote {p}" for p in self.files]
        out += build_log_lines(self.readability, self.omitted)
        if self.placeholders:
            where = "the content folder" if self.content_given else (
                "a content folder (`openasc report init-content DIR`, then --content DIR)")
            out.append(f"Draft: {len(self.placeholders)} part(s) still hold the template's "
                       f"text or placeholder values (listed on the cover); write them in "
                       f"{where}:")
            out += [f"  {ph.item} ({ph.source})" for ph in self.placeholders]
        out.append(f"{self.label} for {self.council}, {self.year}, in {self.seconds:.1f} s.")
        return out


def build_log_lines(scores: list[Score], omitted: list[Omitted]) -> list[str]:
    """The readability of each section and the sections left out, for the build log."""
    out: list[str] = []
    if scores:
        out += ["Readability (Flesch reading ease, higher is easier; UK reading age):",
                readability.HEADER, *[s.line() for s in scores]]
    out += [f"Left out: {o.title}: {o.reason}" for o in omitted]
    return out


@dataclass
class LocalAccountSet:
    """The Local Account, its technical annex and its Easy Read summary, as written."""

    files: list[Path]
    main: Document
    scores: list[Score]


def write_local_account(f: Figures, content: Content, year: str, out: Path,
                        pdf: bool = True) -> LocalAccountSet:
    """The three documents of the Local Account and its build log (readability per
    section, sections left out): the main document first, so that the annex's method
    notes cover every measure it printed."""
    main = build_local_account(f, content, year)
    files = write_document(main, f, out, "local-account", pdf)
    annex = build_annex(f, main)
    files += write_document(annex, f, out, "local-account-annex", pdf)
    easy = build_easy_read(f, year, "local-account.html", ANNEX)
    html = write_easy_read(easy, out / EASY_READ)
    files += [html, write_pdf(html, html.with_suffix(".pdf"))] if pdf else [html]
    scores = readability.scores(main, "local-account")
    scores += [s for s in [readability.score("easy-read", "Easy Read summary",
                                             easy_read_text(easy))] if s is not None]
    log = out / "local-account-build.log"
    write_text(log, "\n".join([f"{main.title} {year} for {main.council}",
                               *[f"Wrote {p.name}" for p in files],
                               *build_log_lines(scores, main.omitted)]) + "\n")
    logger.info("%s", "\n".join(build_log_lines(scores, main.omitted)))
    return LocalAccountSet(files + [log], main, scores)


def easy_read_text(doc: EasyRead) -> str:
    return " ".join(str(line) for _, points in doc.groups for p in points for line in p.lines)


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
    written = write_local_account(f, loaded, year, out_dir, pdf).files
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
    if kind == "local-account":
        got = write_local_account(f, load_content(content), year, out)
        return Written(label, f.council.name, year, got.files, list(got.main.placeholders),
                       content is not None, time.perf_counter() - started, got.scores,
                       got.main.omitted)
    doc = build(f, load_content(content), year)
    written = write_document(doc, f, out, kind)
    return Written(label, f.council.name, year, written, list(doc.placeholders),
                   content is not None, time.perf_counter() - started)
