"""Tables in text that has lost its table markup: a PDF's text layer or a plain-text file.

A table shows as a run of lines that each end in the same number of figures, a label before
them ("Home care  £1,250,000"). Three or more such lines in a row are read as a table; the
line before the run, if it has no figures, is its header. Prose rarely ends three lines
running in the same number of figures, and the table checks need a total row besides.
"""

from __future__ import annotations

import re

from openasc.check.model import Location, Paragraph, Table

CELL = (r"(?:£\s?)?-?\d{1,3}(?:,\d{3})*(?:\.\d+)?\s?(?:%|m\b|k\b)?|\[c\]|\[x\]|\[z\]|\*|"
        r"n/a|-|–|x|c")
ROW = re.compile(r"^(?P<label>.*?[A-Za-z)].*?)\s+(?P<cells>(?:(?:" + CELL + r")\s*)+)$")
YEARS = re.compile(r"\b(?:19|20)\d{2}(?:[-/]\d{2})?\b")
FOOTER = re.compile(r"(?:page\s+)?\d+\s*(?:of|/)\s*\d+|page \d+", re.I)
SPLIT = re.compile(r"\t|\s*\|\s*|\s{2,}")


def split_row(line: str) -> list[str] | None:
    """'Home care  £1,250,000  62%' → ['Home care', '£1,250,000', '62%']; None for prose."""
    text = line.strip().strip("|").strip()
    parts = [p for p in SPLIT.split(text) if p]
    if len(parts) >= 2 and all(re.fullmatch(CELL, p.strip()) for p in parts[1:]):
        return [p.strip() for p in parts]
    m = ROW.match(text)
    if not m or re.search(r"[.,;:]$", m.group("label")):
        return None
    cells = re.findall(CELL, m.group("cells"))
    cells = [c.strip() for c in cells if c.strip()]
    return [m.group("label").strip(), *cells] if cells else None


def blocks_from_lines(lines: list[str], page: int | None, first_line: int,
                      table_count: list[int], para_count: list[int]
                      ) -> list[Paragraph | Table]:
    """Prose runs become paragraphs, runs of figure rows tables. Counters run on across
    pages (one-element lists, so each call adds to them)."""
    lines = [x for x in lines if not FOOTER.fullmatch(x.strip())]
    rows = [split_row(x) if x.strip() else None for x in lines]
    out: list[Paragraph | Table] = []
    i, prose, prose_at = 0, [], first_line
    while i < len(lines):
        j = i
        while j < len(lines) and rows[j] and len(rows[j]) == len(rows[i] or []):
            j += 1
        # one or two rows are a table only under a header at the foot or the top of a page:
        # a table going on over the page (the PDF reader joins the parts)
        foot = j - i in (1, 2) and (j == len(lines) or i == 1) and bool(prose) and \
            not re.search(r"[.!?:;,]$", prose[-1].strip()) and _is_header(prose[-1], 0)
        if j - i >= 3 or foot:
            head = prose[-1] if prose and _is_header(prose[-1], len(rows[i] or [])) else ""
            if prose:
                out.append(_para(prose[:-1] if head else prose, page, prose_at, para_count))
            table_count[0] += 1
            cells = [c for c in SPLIT.split(head.strip()) if c]
            width = len(rows[i] or [])
            if len(cells) != width and re.search(r"\btotal$", head.strip(), re.I):
                cells = [head.strip()[:-5].strip()] + [""] * (width - 2) + ["Total"]
            header = [cells] if len(cells) == width else []
            out.append(Table(header, [r for r in rows[i:j] if r], Location(
                page=page, line=first_line + i, table=table_count[0]), caption=head))
            prose, prose_at, i = [], first_line + j, j
            continue
        if not lines[i].strip():
            if prose:
                out.append(_para(prose, page, prose_at, para_count))
            prose, prose_at = [], first_line + i + 1
        elif re.search(r"[.!?:;\d%]$", lines[i].rstrip()) and not (
                i + 1 < len(lines) and re.match(r"\s*[a-z(]", lines[i + 1])):
            # a sentence or a heading with its figure ends here: a paragraph of its own, so
            # that a finding names its line (PDF text has no blank lines between paragraphs)
            out.append(_para([*prose, lines[i]], page, prose_at, para_count))
            prose, prose_at = [], first_line + i + 1
        else:
            prose.append(lines[i])
        i += 1
    if prose:
        out.append(_para(prose, page, prose_at, para_count))
    return [b for b in out if not isinstance(b, Paragraph) or b.text]


def _is_header(line: str, width: int) -> bool:
    """The line before a run of figure rows heads it when it splits into as many columns as
    the rows have, or has no figures but years ('Measure 2024-25 2023-24')."""
    cells = [c for c in SPLIT.split(line.strip()) if c]
    if len(cells) == width and not any(re.fullmatch(CELL, c) for c in cells[1:]) or \
            re.search(r"\btotal$", line.strip(), re.I):
        return True
    return not re.search(r"\d", YEARS.sub("", line))


def _para(lines: list[str], page: int | None, line: int, para_count: list[int]) -> Paragraph:
    para_count[0] += 1
    text = re.sub(r"-\n(?=[a-z])", "", "\n".join(lines))
    # A line ending in a figure is a table row or a heading with its value: the next line
    # starts a new sentence unless it starts in lower case; other line ends are wrapped prose.
    text = re.sub(r"(?<![.!?:;\d%])\n|\n(?=[a-z(])", " ", text)
    return Paragraph(text.strip(), Location(page=page, line=line))
