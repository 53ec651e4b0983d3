"""PDF: the text layer of each page, read with pypdf (the `check` extra).

A page with no text layer (a scan) cannot be checked: it is listed as unreadable, and a
file with no readable page at all is an unreadable input (exit 2). Tables have lost their
markup in a PDF's text, so they are found again as runs of figure rows (readers/lines.py).
"""

from __future__ import annotations

import logging
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from openasc.check.model import Draft, Table
from openasc.check.readers.lines import blocks_from_lines
from openasc.errors import UnreadableInput


def read_pdf(path: Path) -> Draft:
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableInput(f"{path}: the PDF is password-protected; nothing was read.")
        pages = [page.extract_text() or "" for page in reader.pages]
    except UnreadableInput:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, AttributeError, IndexError,
            RecursionError, ZeroDivisionError) as exc:
        raise UnreadableInput(f"{path}: not a readable PDF ({exc}).") from None
    draft = Draft(str(path), pages=max(1, len(pages)))
    tables, paras = [0], [0]
    for number, text in enumerate(pages, start=1):
        if not text.strip():
            draft.unreadable_pages.append(number)
            continue
        blocks = blocks_from_lines(text.splitlines(), number, 1, tables, paras)
        last = draft.blocks[-1] if draft.blocks else None
        if blocks and isinstance(blocks[0], Table) and isinstance(last, Table) and \
                blocks[0].caption in ("", last.caption) and \
                len(blocks[0].rows[0]) == len(last.rows[-1]):
            last.rows += blocks.pop(0).rows  # a table carried over from the page before
        draft.blocks += blocks
    return draft
