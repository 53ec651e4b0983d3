"""The Local Account's technical annex: the breakdown tables, the measures' definitions and
methods, and the sections left out of the resident document with the reason for each.

Residents read the main document; analysts, councillors and inspectors who want every
category and every definition read this one. It is its own HTML and PDF, linked from the
main document, so the resident document stays short.
"""

from __future__ import annotations

from openasc.reports import glossary, sections
from openasc.reports.document import Document, Section, Table
from openasc.reports.figures import Figures
from openasc.reports.local_account import ANNEX, EASY_READ, notes
from openasc.reports.phrasing import Link, P

MAIN = "local-account.html"


def omitted_section(main: Document) -> Section:
    sec = Section(sid="left-out", title="Sections left out of the Local Account")
    if not main.omitted:
        sec.blocks.append(P("Every section of the Local Account had figures or words this year."))
        return sec
    sec.blocks.append(P("A section with no figures and no words is left out rather than "
                        "printed empty. These were left out this year:"))
    sec.blocks.append(Table(caption="Sections left out, and why",
                            headers=["Section", "Why it was left out"],
                            rows=[[o.title, o.reason] for o in main.omitted]))
    return sec


def build_annex(f: Figures, main: Document) -> Document:
    """The annex of `main` (built first from the same figures, so that the method notes
    cover every measure either document prints)."""
    parts = [Section(sid="about-annex", title="About this annex", blocks=[
        P("This annex goes with our ", Link(f"{main.title} {main.year_label}", MAIN),
          " and its ", Link("Easy Read summary", EASY_READ), ". It holds the detailed "
          "tables behind the Local Account's charts, what each measure counts and where it "
          "comes from, and which sections were left out and why.")])]
    parts.append(omitted_section(main))
    parts.append(sections.compare_section(f, detail=True))
    parts.append(sections.after_short_term_section(f))
    parts += [sections.family_section(f, spec, sentences=False)
              for spec in sections.data_file("sections.yaml")]
    kept = [s.prune() for s in parts if not s.is_empty()]
    doc = Document(title="Local Account: technical annex",
                   subtitle="Detailed tables and how the figures are worked out",
                   council=main.council, year_label=main.year_label, sections=kept,
                   notes=notes(f), placeholders=[],
                   companions=[(MAIN, "Local Account"), (EASY_READ, "Easy Read summary")])
    return glossary.expand_first_use(doc)


__all__ = ["ANNEX", "build_annex"]
