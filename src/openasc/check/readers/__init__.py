"""Read a draft of any supported format into paragraphs and tables (check/model.py).

Each format has its own reader; the file's suffix chooses it. Word and PDF need the `check`
extra (python-docx, pypdf); HTML, Markdown and text need nothing beyond the core.
"""

from __future__ import annotations

from pathlib import Path

from openasc.check.model import Draft
from openasc.errors import OpenascError, UnreadableInput

FORMATS = {".docx": "docx", ".pdf": "pdf", ".html": "html", ".htm": "html", ".md": "markdown",
           ".markdown": "markdown", ".txt": "text", ".text": "text"}
INSTALL = "pip install 'openasc[check]'"


def read_draft(path: Path) -> Draft:
    """The draft's blocks; UnreadableInput (exit 2) when the file cannot be read at all."""
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise UnreadableInput(f"{path}: cannot check a {path.suffix or 'suffix-less'} file; "
                              "expected .docx, .pdf, .html, .md or .txt.")
    if not path.is_file():
        raise UnreadableInput(f"{path}: no such file.")
    try:
        if kind == "docx":
            from openasc.check.readers.docx import read_docx as read
        elif kind == "pdf":
            from openasc.check.readers.pdf import read_pdf as read
        elif kind == "html":
            from openasc.check.readers.html import read_html as read
        elif kind == "markdown":
            from openasc.check.readers.markdown import read_markdown as read
        else:
            from openasc.check.readers.text import read_text as read
    except ImportError as exc:
        raise OpenascError(f"{path}: checking a {kind.upper()} draft needs the check extra: "
                           f"{INSTALL} (missing: {exc.name}).") from None
    draft = read(path)
    if not draft.blocks and draft.unreadable_pages:
        raise UnreadableInput(f"{path}: no page has a text layer (a scanned document?); "
                                  "nothing could be read. Check the original file instead.")
    return draft
