"""Plain English: the glossary (kept as data, `data/glossary.yaml`) and abbreviations written
out in full the first time a document uses them.

National returns speak in abbreviations (ASCOF, DoLS, MSP, SALT). A resident meets each one
once spelled out — "Deprivation of Liberty Safeguards (DoLS)" — and can look every term up
in the "Words we use" section at the end.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from markupsafe import Markup, escape

from openasc.reports import sections
from openasc.reports.document import Document, Human, Section, Table
from openasc.reports.phrasing import Link, Phrase


@cache
def terms() -> tuple[dict[str, str], ...]:
    return tuple(sections.data_file("glossary.yaml")["terms"])


def glossary_section(sid: str, title: str) -> Section:
    items = Markup("").join(
        Markup("<dt>") + escape(t["term"]) + (Markup(f" ({escape(t['short'])})")
                                               if t.get("short") else Markup(""))
        + Markup("</dt><dd>") + escape(t["means"]) + Markup("</dd>") for t in terms())
    return Section(sid=sid, title=title, blocks=[
        Human(Markup('<dl class="glossary">') + items + Markup("</dl>"), "glossary")])


class _FirstUse:
    """Rewrites the first bare use of each abbreviation as 'Full term (ABBR)'; an
    abbreviation already met spelled out, or already expanded, is left alone."""

    def __init__(self) -> None:
        self.todo = {t["short"]: t["term"] for t in terms() if t.get("short")}

    def text(self, s: str) -> str:
        for short, term in list(self.todo.items()):
            if term.lower() in s.lower():
                del self.todo[short]
                continue
            pat = re.compile(rf"(?<![\w(-]){re.escape(short)}(?![\w-])")
            if pat.search(s):
                s = pat.sub(f"{term} ({short})", s, count=1)
                del self.todo[short]
        return s

    def phrase(self, p: Phrase) -> Phrase:
        out: list[Any] = []
        for part in p:
            if isinstance(part, str):
                out.append(self.text(part))
            elif isinstance(part, Link):
                out.append(Link(self.text(part.text), part.href))
            else:
                out.append(part)
        return Phrase(out)

    def block(self, b: Any) -> Any:
        if isinstance(b, Phrase):
            return self.phrase(b)
        if isinstance(b, list):
            return [self.block(x) for x in b]
        if isinstance(b, Table):
            b.caption = self.text(b.caption)
            b.rows = [[self.block(c) if isinstance(c, Phrase) else self.text(c) for c in r]
                      for r in b.rows]
        return b

    def section(self, s: Section) -> None:
        s.blocks = [self.block(b) for b in s.blocks]
        for c in s.children:
            self.section(c)


def expand_first_use(doc: Document) -> Document:
    """Spell out each abbreviation at its first use in the document, in reading order."""
    first = _FirstUse()
    for s in doc.sections:
        first.section(s)
    return doc
