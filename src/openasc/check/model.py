"""What a draft is once read, and what the checker says about it.

A draft is a list of blocks in reading order: paragraphs (a sentence or more of prose) and
tables (rows of cells, the header first). Each block keeps where it came from in the words a
reader uses to find it again: page, paragraph or line, table and cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SEVERITIES = ("error", "warning", "note")


@dataclass(frozen=True)
class Location:
    """Where a block is: `page` for PDFs, `paragraph` for Word and HTML, `line` for text."""

    page: int | None = None
    paragraph: int | None = None
    line: int | None = None
    table: int | None = None
    cell: str = ""

    def __str__(self) -> str:
        parts = []
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.table is not None:
            parts.append(f"table {self.table}")
            if self.cell:
                parts.append(self.cell)
        elif self.paragraph is not None:
            parts.append(f"paragraph {self.paragraph}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        return ", ".join(parts) or "whole document"

    def with_cell(self, cell: str) -> Location:
        return Location(self.page, self.paragraph, self.line, self.table, cell)


@dataclass
class Paragraph:
    text: str
    where: Location


@dataclass
class Table:
    """Rows of cell texts; `header` rows name the columns. Cells are plain text."""

    header: list[list[str]]
    rows: list[list[str]]
    where: Location
    caption: str = ""


@dataclass
class Draft:
    path: str
    blocks: list[Paragraph | Table] = field(default_factory=list)
    pages: int = 1
    unreadable_pages: list[int] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)


@dataclass(frozen=True)
class Finding:
    """One thing the checker says: `working` is the arithmetic in plain words."""

    severity: str
    check: str
    where: Location
    quote: str
    working: str
