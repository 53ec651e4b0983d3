"""The CQC self-assessment pack: 4 themes, 9 quality statements (reports.md §2).

Per theme: the summary, numbered key strengths and areas for development (from the content
folder); per quality statement: the narrative and the measures that are its evidence, placed
by `data/self_assessment.yaml`, with last year and England beside them (England as the
Local Account finds it: the `comparisons` table first). It ends with the improvement plan.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from openasc.reports import sections
from openasc.reports.content import Content, template_plan_row
from openasc.reports.document import Document, Human, Placeholder, Section, Table
from openasc.reports.figures import Figures, Row
from openasc.reports.local_account import notes
from openasc.reports.phrasing import P, Phrase


def _rows_for(f: Figures, measure: str) -> list[Row]:
    """The evidence rows of 'FAMILY/CODE' (its headline, or its parts when it is published
    in parts), or of 'FAMILY' (every headline measure of the family)."""
    family, _, code = measure.partition("/")
    if not code:
        return f.family(family)
    row = f.get(family, code)
    if row is not None:
        return [row]
    return [r for r in f.rows if r.family == family and r.code == code
            and set(r.parts) == {"part"}]


def _readable(f: Figures, r: Row) -> bool:
    """Whether a row says something as evidence: its figure is printed or hidden ([c]),
    not 'not available' (a figure that cannot be known is no evidence)."""
    return sections.not_known(f, r, f.measure(r.family, r.code, r.unit)) is None


def evidence_table(f: Figures, rows: list[Row], title: str) -> Table:
    out: list[list[Any]] = []
    for r in rows:
        m = f.measure(r.family, r.code, r.unit)
        trend: Any = sections.change_on_last_year(f, r, m) or (
            "no figure for last year" if f.before(r) is None else "not available")
        eng_cell = sections.england_cell(f, r, m)
        if eng_cell == "not available":
            eng_cell = "no England figure held"
        out.append([sections.measure_name(f, r), P(sections.fig(r, m, f=f)), trend, eng_cell])
    return Table(caption=f"Evidence for {title.lower()}: measures",
                 headers=["Measure", "This year", "Change on last year", "England"], rows=out)


def _named(f: Figures, measure: str) -> Phrase:
    """A measure not held, as the gaps line names it: its title, linked to its definition
    (what it would count), or the family when a whole family is evidence."""
    family, _, code = measure.partition("/")
    if not code:
        return P(f"any {family} measure")
    return P(sections.title_link(f.measure(family, code)))


def evidence_blocks(f: Figures, measures: list[str], title: str) -> list[Any]:
    """The evidence table of the measures held, and the gaps said plainly: 'No data held'
    when none is, 'Not held' naming the missing ones otherwise. A figure that cannot be
    known is no evidence, so it is not a row."""
    held = {m: [r for r in _rows_for(f, m) if _readable(f, r)] for m in measures}
    rows = [r for m in measures for r in held[m]]
    missing = [_named(f, m) for m in measures if not held[m]]
    listed = P(*[P("; " if i else "", m) for i, m in enumerate(missing)])
    if not rows:
        return [P("No data held: openasc holds none of the measures that are evidence for "
                  "this statement (", listed, ").")]
    blocks: list[Any] = [evidence_table(f, rows, title)]
    if missing:
        blocks.append(P("Not held, so not yet evidence here: ", listed, "."))
    return blocks


def _numbered(items: Any, source: str) -> Human | None:
    if not isinstance(items, list) or not items:
        return None
    body = Markup("<ol>") + Markup("").join(Markup("<li>") + escape(str(i)) + Markup("</li>")
                                            for i in items) + Markup("</ol>")
    return Human(body, source)


def theme_section(f: Figures, content: Content, theme: dict[str, Any],
                  todo: list[Placeholder]) -> Section:
    """A theme: its summary, strengths and areas for development, and per quality statement
    the narrative and the evidence. Parts still to be written are added to `todo`."""
    n = int(theme["number"])
    sec = Section(sid=f"theme-{n}", title=theme["title"])
    text = content.themes.get(n)
    summary = Section(sid=f"theme-{n}-summary", title="Summary")
    if text is not None:
        summary.blocks.append(Human(text.html, text.source, text.draft))
    else:
        summary.blocks.append(Human(Markup(
            "<p><em>Draft: the council's summary of this theme, its key strengths and areas "
            "for development are still to be written.</em></p>"), "built-in placeholder",
            draft=True))
    if text is None or text.draft:
        todo.append(Placeholder(f"{theme['title']}: summary",
                                text.source if text else f"self-assessment/theme-{n}.md"))
    sec.children.append(summary)
    for key, title in (("strengths", "Key strengths"),
                       ("areas_for_development", "Areas for development")):
        block = _numbered(text.meta.get(key) if text else None, text.source if text else "")
        if block is not None:
            sec.children.append(Section(sid=f"theme-{n}-{key.replace('_', '-')}", title=title,
                                        blocks=[block]))
    for st in theme["statements"]:
        child = Section(sid=st["slug"], title=st["title"])
        narrative = content.statements.get(st["slug"])
        if narrative is not None:
            child.blocks.append(Human(narrative.html, narrative.source, narrative.draft))
        else:
            child.blocks.append(Human(Markup(
                "<p><em>Draft: the council's narrative for this quality statement is still "
                "to be written.</em></p>"), "built-in placeholder", draft=True))
        if narrative is None or narrative.draft:
            todo.append(Placeholder(f"{st['title']}: narrative", narrative.source if narrative
                                    else f"self-assessment/{st['slug']}.md"))
        child.blocks.extend(evidence_blocks(f, st["measures"], st["title"]))
        sec.children.append(child)
    return sec


def plan_section(content: Content, todo: list[Placeholder]) -> Section:
    sec = Section(sid="improvement-plan", title="Improvement plan")
    if content.plan:
        cols = list(content.plan[0].keys())
        sec.blocks.append(Table(caption="Improvement plan: priorities, leads and updates",
                                headers=[c.replace("_", " ").capitalize() for c in cols],
                                rows=[[str(r.get(c) or "") for c in cols] for r in content.plan],
                                source="self-assessment/improvement-plan.csv"))
        if any(template_plan_row(r) for r in content.plan):
            todo.append(Placeholder("Improvement plan: the template's example row",
                                    "self-assessment/improvement-plan.csv"))
    return sec


def build_self_assessment(f: Figures, content: Content, year: str) -> Document:
    spec = sections.data_file("self_assessment.yaml")
    todo: list[Placeholder] = []
    parts = [theme_section(f, content, t, todo) for t in spec["themes"]]
    parts.append(plan_section(content, todo))
    kept = [s.prune() for s in parts if not s.is_empty()]
    return Document(title="Adult social care self-assessment",
                    subtitle="Evidence for the Care Quality Commission's assessment of the "
                    "council", council=f.council.name, year_label=year, sections=kept,
                    notes=notes(f), placeholders=todo)
