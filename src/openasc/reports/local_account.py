"""The Local Account: a council's yearly report to residents (reports.md §1).

Sections follow the order residents know from published accounts, as declared in
`data/local_account.yaml`; a section with no data and no words is left out, and the
technical annex says why. Figures come from `metric_values` (via `figures`) and from the
content folder's declared input files; words from the content folder's Markdown.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Any

from openasc.reports import charts, glossary, labels, population, resident, sections
from openasc.reports.content import Content, Text
from openasc.reports.document import Document, Human, Omitted, Placeholder, Section, Table
from openasc.reports.figures import Figures
from openasc.reports.phrasing import Fig, Link, P, number


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
    drawn = [r for r in rows if not r["placeholder"]]
    if len(drawn) >= 2:
        top = max(drawn, key=lambda r: r["amount_gbp"])
        sec.blocks.append(charts.bar_chart(
            "budget-chart", f"Spend on care by type, {year}", [r["category"] for r in drawn],
            [round(r["amount_gbp"]) for r in drawn], "Pounds",
            f"Bar chart of spending on care by type of support; the largest is "
            f"{top['category'].lower()}. The figures are in the table above."))
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


ANNEX = "local-account-annex.html"
EASY_READ = "local-account-easy-read.html"


def _fallback(content: Content, item: dict[str, Any], year: str) -> Section:
    """The content folder's own figures for a section whose measures are not held."""
    kind = item.get("fallback")
    if kind == "budget":
        sec = budget_section(content, year)
    elif kind == "workforce":
        sec = items_section(content.workforce, item["id"], item["title"], "workforce.yaml",
                            "label", "value", "unit")
    elif kind == "survey":
        sec = items_section(content.survey, item["id"], item["title"], "survey.yaml",
                            "question", "percent", None)
    else:
        return Section(sid=item["id"], title=item["title"])
    sec.sid, sec.title = item["id"], item["title"]
    return sec


def contacts_section(content: Content, item: dict[str, Any]) -> Section:
    """How to reach adult social care (the council's contacts.md), and the other formats."""
    sec = Section(sid=item["id"], title=item["title"])
    text = content.texts.get("contacts")
    if text is not None:
        sec.blocks.append(Human(text.html, text.source, text.draft))
    sec.blocks.append(P("You can also read an ", Link("Easy Read summary", EASY_READ),
                        " of this report. It has short sentences, large print and pictures. "
                        "The ", Link("technical annex", ANNEX), " has the detailed tables. "
                        "It also says how we work out each figure."))
    return sec


def build_section(f: Figures, content: Content, item: dict[str, Any], year: str) -> Section:
    """One section of the Local Account from its entry in `data/local_account.yaml`."""
    kind = item["builder"]
    if kind == "text":
        return human(content.texts.get(item["text"]), item["id"])
    if kind == "glance":
        return resident.glance_section(f, item)
    if kind == "population":
        return population.population_section(f, item)
    if kind == "journey":
        sec = sections.journey_section(f)
        sec.sid, sec.title = item["id"], item["title"]
        return sec
    if kind == "compare":
        return sections.compare_section(f, detail=False)
    if kind == "case-studies":
        return case_studies(content)
    if kind == "glossary":
        return glossary.glossary_section(item["id"], item["title"])
    if kind == "contacts":
        return contacts_section(content, item)
    sec = resident.measures_section(f, item)
    if sec.is_empty():
        sec = _fallback(content, item, year)
    text = content.texts.get(item.get("text", ""))
    if text is not None:
        sec.blocks.append(Human(text.html, text.source, text.draft))
    return sec


def build_local_account(f: Figures, content: Content, year: str) -> Document:
    """The resident document: the sections of `data/local_account.yaml` that have figures
    or words; each one left out is listed, with its reason, for the annex."""
    parts: list[Section] = []
    omitted: list[Omitted] = []
    for item in resident.spec()["sections"]:
        sec = build_section(f, content, item, year)
        if sec.is_empty():
            omitted.append(Omitted(item.get("title") or sec.title or item["id"],
                                   item.get("omitted", "nothing to say this year")))
        else:
            parts.append(sec.prune())
    doc = Document(title="Local Account", subtitle="Adult social care: our report to residents",
                   council=f.council.name, year_label=year, sections=parts, notes=[],
                   placeholders=placeholders(content, year), omitted=omitted, notes_at=ANNEX,
                   companions=[(EASY_READ, "Easy Read summary"), (ANNEX, "Technical annex")])
    return glossary.expand_first_use(doc)
