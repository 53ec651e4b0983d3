"""Word: paragraphs and tables in document order, read with python-docx (the `check` extra).

A table's first row is its header (Word marks a repeating header row, but few drafts set
it). Paragraphs are numbered as Word counts them, empty ones left out.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table as WordTable

from openasc.check.model import Draft, Location, Paragraph, Table
from openasc.check.readers.text import pages_of_words
from openasc.errors import UnreadableInput


def read_docx(path: Path) -> Draft:
    try:
        document = docx.Document(str(path))
        content = list(document.iter_inner_content())
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, OSError,
            AttributeError, TypeError, SyntaxError) as exc:  # lxml's XML errors are SyntaxErrors
        raise UnreadableInput(f"{path}: not a readable Word (.docx) file ({exc}).") from None
    blocks: list[Paragraph | Table] = []
    paras = tables = words = 0
    for item in content:
        if isinstance(item, WordTable):
            tables += 1
            rows = [[" ".join(c.text.split()) for c in row.cells] for row in item.rows]
            blocks.append(Table(rows[:1], rows[1:], Location(paragraph=paras + 1, table=tables)))
            words += sum(len(" ".join(r).split()) for r in rows)
        elif item.text.strip():
            paras += 1
            words += len(item.text.split())
            blocks.append(Paragraph(" ".join(item.text.split()),
                                    Location(paragraph=paras)))
    return Draft(str(path), blocks, pages=pages_of_words(words))
