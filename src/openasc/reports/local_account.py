"""The Local Account: a council's yearly report to residents (reports.md §1).

Sections follow the order residents know from published accounts; a section with no data
is left out. Figures come from `metric_values` (via `figures`) and from the content
folder's declared input files; words from the content folder's Markdown.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
from rich.console import Console

from openasc.config import Settings
from openasc.councils import Council, resolve
from openasc.errors import OpenascError
from openasc.reports import labels, sections
from openasc.reports.content import Content, Text, load_content
from openasc.reports.document import Document, Human, Placeholder, Section, Table
from openasc.reports.figures import ENGLAND, Figures, load_figures, parse_year
from openasc.reports.pdf import write_pdf
from openasc.reports.phrasing import Fig, P, number, year_label
from openasc.reports.render import write_html
from openasc.warehouse import connect, table_exists


def human(text: Text | None, sid: str) -> Section:
    sec = Section(sid=sid, title=text.title if text else "")
    if text is not None:
        sec.blocks.append(Human(text.html, text.source, text.draft))
        signed = text.meta.get("signed_by")
        if isinstance(signed, list) and signed:
            sec.blocks.append(Human(sections_signed(signed), text.source, text.draft))
    return sec


def sections_signed(names: list[Any]) -> Any:
    from markupsafe import Markup, escape

    return Markup("<p class=\"signed\">") + Markup("<br>").join(escape(str(n)) for n in names) \
        + Markup("</p>")


def _input_fig(value: float, places: int, source: str, suffix: str = "") -> Fig:
    return Fig(number(value, places) + suffix, {"input": source, "raw": repr(value),
                                                "places": str(places)})


NOT_PROVIDED = "not yet provided"


def budget_section(content: Content, year: str) -> Section:
    """Spend on people's care by type, with a total that is the sum of the printed lines;
    a template's placeholder amount is printed as not yet provided, and then so is the
    total (a sum with a missing part is not the total)."""
    sec = Section(sid="budget", title="What we spent")
    rows = [r for r in content.budget if r["year"] == year]
    if not rows:
        return sec
    table_rows: list[list[Any]] = []
    for r in rows:
        amount = NOT_PROVIDED if r["placeholder"] else P(
            "£", _input_fig(r["amount_gbp"], 0, "budget.csv"))
        table_rows.append([r["category"], amount])
    total: Any = NOT_PROVIDED
    if not any(r["placeholder"] for r in rows):
        total = P("£", Fig(number(sum(r["amount_gbp"] for r in rows), 0), {
            "input": "budget.csv", "calc": "sum", "year": year, "places": "0"}))
    table_rows.append(["Total", total])
    sec.blocks.append(P("Spending on people's care by type of support, from the council's "
                        "accounts."))
    sec.blocks.append(Table(caption=f"Spend on care by type, {year}",
                            headers=["Type of support", "Spend"], rows=table_rows))
    return sec


def items_section(doc: dict[str, Any] | None, sid: str, title: str, source: str,
                  label: str, value: str, unit_key: str | None) -> Section:
    """Workforce or survey figures from a small declared YAML file; a template's
    placeholder value is printed as not yet provided."""
    sec = Section(sid=sid, title=title)
    if not doc:
        return sec
    rows: list[list[Any]] = []
    for item in doc["items"]:
        unit = item.get(unit_key, "percent") if unit_key else "percent"
        places = 0 if unit == "count" else 1
        suffix = "%" if unit == "percent" else ""
        extra = f" ({item['source']})" if item.get("source") else ""
        extra = extra or (f" ({item['survey']})" if item.get("survey") else "")
        shown = NOT_PROVIDED if item.get("placeholder") else P(
            _input_fig(float(item[value]), places, source, suffix))
        rows.append([str(item[label]) + extra, shown])
    sec.blocks.append(Table(caption=f"{title}, {doc.get('year', '')}".rstrip(", "),
                            headers=["", "Figure"], rows=rows))
    return sec


def placeholders(content: Content, year: str) -> list[Placeholder]:
    """The Local Account's parts still holding the template's text or values."""
    out = [Placeholder(t.title, f"{t.key}.md" if content.folder is None else t.source)
           for t in content.texts.values() if t.draft]
    out += [Placeholder(f"People's stories: {t.title}", t.source)
            for t in content.case_studies if t.draft]
    zeros = [r for r in content.budget if r["year"] == year and r["placeholder"]]
    if zeros:
        out.append(Placeholder(f"What we spent: {len(zeros)} "
                               f"{'amount' if len(zeros) == 1 else 'amounts'} not yet provided",
                               "budget.csv"))
    for doc, title, label, source in ((content.workforce, "Our workforce", "label",
                                       "workforce.yaml"),
                                      (content.survey, "What people told us", "question",
                                       "survey.yaml")):
        out += [Placeholder(f"{title}: {i[label]}", source)
                for i in (doc or {}).get("items", []) if i.get("placeholder")]
    return out


def case_studies(content: Content) -> Section:
    sec = Section(sid="case-studies", title="People's stories")
    for i, t in enumerate(content.case_studies, start=1):
        child = Section(sid=f"case-study-{i}", title=t.title)
        child.blocks.append(Human(t.html, t.source, t.draft))
        sec.children.append(child)
    return sec


def notes(f: Figures) -> list[dict[str, str]]:
    """One note per measure printed: definition, source and period (design principle 6),
    in public words: the published source a reference stands for, the population a rate is
    per, and measure titles where the catalogue's text names another measure by its code."""
    titles = {m.code: m.title for m in f.measures.values()
              if re.fullmatch(r"[A-Z0-9]+[_-][A-Z0-9_-]+", m.code)}
    out = []
    for family, code in sorted(f.used):
        m = f.measure(family, code)
        d = asdict(m)
        d["anchor"] = m.anchor
        d["unit"] = {"percent": "per cent", "per_100k": f"per 100,000 {labels.population(m)}",
                     "count": "number"}.get(m.unit, m.unit)
        for key in ("numerator", "denominator", "source", "method_notes"):
            d[key] = labels.public_text(d[key], titles)
        d["source"] = d["source"] or f"{family} measures computed by openasc"
        d["reference"] = labels.public_reference(m.reference)
        out.append(d)
    return out


def build_local_account(f: Figures, content: Content, year: str) -> Document:
    text = content.texts.get
    parts: list[Section] = [
        human(text("foreword"), "foreword"),
        human(text("vision"), "vision"),
        sections.journey_section(f),
        budget_section(content, year),
    ]
    parts += [sections.family_section(f, spec) for spec in sections.data_file("sections.yaml")]
    parts += [
        items_section(content.workforce, "workforce", "Our workforce", "workforce.yaml",
                      "label", "value", "unit"),
        items_section(content.survey, "survey", "What people told us", "survey.yaml",
                      "question", "percent", None),
        sections.compare_section(f),
        case_studies(content),
        human(text("achievements"), "achievements"),
        human(text("complaints"), "complaints"),
        human(text("next-steps"), "next-steps"),
    ]
    kept = [s.prune() for s in parts if not s.is_empty()]
    return Document(title="Local Account", subtitle="Adult social care: our report to residents",
                    council=f.council.name, year_label=year, sections=kept, notes=notes(f),
                    placeholders=placeholders(content, year))


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


def document_command(build: Callable[[Figures, Content, str], Document], stem: str,
                     label: str, year: str, out: Path, content: Path | None, la: str | None,
                     settings: Settings, console: Console) -> list[Path]:
    """Build one document from the warehouse, write its HTML and PDF, and say where."""
    started = time.perf_counter()
    f = open_figures(settings, la, year)
    doc = build(f, load_content(content), year)
    written = write_document(doc, f, out, stem)
    for p in written:
        console.print(f"Wrote {p}")
    if doc.placeholders:
        where = "the content folder" if content else (
            "a content folder (`openasc report init-content DIR`, then --content DIR)")
        console.print(f"Draft: {len(doc.placeholders)} part(s) still hold the template's text "
                      f"or placeholder values (listed on the cover); write them in {where}:")
        for ph in doc.placeholders:
            console.print(f"  {ph.item} ({ph.source})")
    console.print(f"{label} for {f.council.name}, {year}, in "
                  f"{time.perf_counter() - started:.1f} s.")
    return written


def local_account_command(year: str, out: Path, content: Path | None, la: str | None,
                          settings: Settings, console: Console) -> list[Path]:
    return document_command(build_local_account, "local-account", "Local Account", year, out,
                            content, la, settings, console)


def write_reports(con_or_settings: duckdb.DuckDBPyConnection | Settings, year: str,
                  out_dir: Path, la: str | None, content: Path | None = None,
                  pdf: bool = True) -> list[Path]:
    """Both documents for `openasc demo`: the Local Account and the self-assessment pack."""
    from openasc.reports.self_assessment import build_self_assessment

    f = open_figures(con_or_settings, la, year)
    loaded = load_content(content)
    written = write_document(build_local_account(f, loaded, year), f, out_dir, "local-account",
                             pdf)
    f.used.clear()
    written += write_document(build_self_assessment(f, loaded, year), f, out_dir,
                              "self-assessment", pdf)
    return written

