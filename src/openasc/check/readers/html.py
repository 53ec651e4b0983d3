"""HTML: every block of text (p, li, headings, captions) a paragraph, every table a table.

Scripts, styles, SVG drawings and the page title are not read. Table cells keep their
header: rows in <thead>, or made only of <th>, are the header.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from openasc.check.model import Draft, Location, Paragraph, Table
from openasc.check.readers.text import decode, pages_of_words

BLOCK = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "blockquote",
         "figcaption", "div", "section", "article", "main", "header", "footer", "aside",
         "nav", "ul", "ol", "dl", "br", "hr", "body", "figure", "summary", "details"}
SKIP = {"script", "style", "svg", "noscript", "template", "title", "math"}


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Paragraph | Table] = []
        self.text: list[str] = []
        self.skip = 0
        self.paras = 0
        self.line: int | None = None
        self.table: Table | None = None
        self.row: list[str] | None = None
        self.row_is_head = False
        self.in_head = False
        self.cell: list[str] | None = None
        self.caption: list[str] | None = None
        self.tables = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in SKIP or "hidden" in a or a.get("aria-hidden") == "true":
            if tag not in ("br", "hr", "img", "meta", "link", "input"):
                self.skip += 1
            return
        if self.skip:
            return
        if a.get("data-source-line") and self.cell is None:
            self.flush()
            self.line = int(a["data-source-line"] or 0) or None
        if tag == "table" and self.table is None:
            self.flush()
            self.tables += 1
            self.table = Table([], [], Location(paragraph=self.paras + 1, table=self.tables,
                                                line=self.line))
        elif self.table is not None and tag == "caption":
            self.caption = []
        elif self.table is not None and tag == "thead":
            self.in_head = True
        elif self.table is not None and tag == "tr":
            self.row, self.row_is_head = [], True
        elif self.table is not None and tag in ("td", "th") and self.row is not None:
            self.cell = []
            self.row_is_head &= tag == "th" or self.in_head
        elif tag in BLOCK and self.table is None:
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        t = self.table
        if t is not None and tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif t is not None and tag == "tr" and self.row is not None:
            if self.row:
                (t.header if self.row_is_head and not t.rows else t.rows).append(self.row)
            self.row = None
        elif t is not None and tag == "thead":
            self.in_head = False
        elif t is not None and tag == "caption" and self.caption is not None:
            t.caption = " ".join("".join(self.caption).split())
            self.caption = None
        elif t is not None and tag == "table":
            self.blocks.append(t)
            self.table = None
        elif tag in BLOCK and t is None:
            self.flush()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.caption is not None:
            self.caption.append(data)
        elif self.cell is not None:
            self.cell.append(data)
        elif self.table is None:
            self.text.append(data)

    def flush(self) -> None:
        text = " ".join("".join(self.text).split())
        self.text = []
        if re.search(r"\w", text):
            self.paras += 1
            self.blocks.append(Paragraph(text, Location(paragraph=self.paras, line=self.line)))


def read_html_text(source: str, path: str) -> Draft:
    reader = _Reader()
    reader.feed(source)
    reader.close()
    reader.flush()
    if reader.table is not None:
        reader.blocks.append(reader.table)
    words = sum(len(b.text.split()) for b in reader.blocks if isinstance(b, Paragraph))
    words += sum(len(" ".join(r).split()) for b in reader.blocks if isinstance(b, Table)
                 for r in b.rows)
    return Draft(path, reader.blocks, pages=pages_of_words(words))


def read_html(path: Path) -> Draft:
    return read_html_text(decode(path), str(path))
