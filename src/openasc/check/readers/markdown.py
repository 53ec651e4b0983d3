"""Markdown: rendered with markdown-it (tables on), each block tagged with its source line so
that a finding names the line of the .md file, then read as HTML."""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt

from openasc.check.model import Draft
from openasc.check.readers.html import read_html_text
from openasc.check.readers.text import decode


def read_markdown(path: Path) -> Draft:
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = md.parse(decode(path))
    for tok in tokens:
        if tok.map and tok.nesting == 1:
            tok.attrSet("data-source-line", str(tok.map[0] + 1))
    draft = read_html_text(md.renderer.render(tokens, md.options, {}), str(path))
    for block in draft.blocks:  # Markdown has lines, not paragraphs: name the line only
        w = block.where
        block.where = type(w)(page=None, paragraph=None, line=w.line, table=w.table)
    return draft
