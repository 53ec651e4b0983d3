"""The shape of a generated document: sections of sentences, tables and charts.

Both documents are built as this plain structure first and rendered by one template, so
that heading order, table captions and chart alternatives are right in one place, and a
section with nothing in it is dropped before it reaches the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from openasc.reports.charts import Chart
from openasc.reports.phrasing import Phrase

Cell = Phrase | str


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list[Cell]]
    note: str = ""
    row_headers: bool = True  # the first column names the row
    source: str = ""  # the declared input file the whole table is copied from, if any


@dataclass
class Human:
    """Text a person wrote, kept with the file it came from (a declared input)."""

    html: Markup
    source: str
    draft: bool = False


@dataclass
class Section:
    sid: str
    title: str
    blocks: list[Phrase | Table | Chart | Human | list[Phrase]] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not self.blocks and all(c.is_empty() for c in self.children)

    def prune(self) -> Section:
        self.children = [c.prune() for c in self.children if not c.is_empty()]
        return self


@dataclass(frozen=True)
class Placeholder:
    """A part of a document still holding the template's text or values: `item` names it
    as the reader sees it (printed in the Draft banner), `source` is where to fix it (said
    on the console only, never in the document)."""

    item: str
    source: str


@dataclass(frozen=True)
class Omitted:
    """A section left out of a document, and why (said in the technical annex)."""

    title: str
    reason: str


@dataclass
class Document:
    title: str
    subtitle: str
    council: str
    year_label: str
    sections: list[Section]
    notes: list[dict[str, str]]
    draft: bool = False
    placeholders: list[Placeholder] = field(default_factory=list)
    omitted: list[Omitted] = field(default_factory=list)
    # Where the measures' definitions are when they are not in this document (the annex):
    # links to '#def-…' then point there.
    notes_at: str = ""
    # Other documents of the set, (file name, what it is), linked from the cover.
    companions: list[tuple[str, str]] = field(default_factory=list)
