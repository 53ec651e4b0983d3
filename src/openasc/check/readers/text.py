"""Plain text: paragraphs between blank lines, tables as aligned columns (readers/lines.py)."""

from __future__ import annotations

from pathlib import Path

from openasc.check.model import Draft
from openasc.check.readers.lines import blocks_from_lines
from openasc.errors import UnreadableInput


def read_text(path: Path) -> Draft:
    lines = decode(path).splitlines()
    blocks = blocks_from_lines(lines, None, 1, [0], [0])
    return Draft(str(path), blocks, pages=pages_of_words(sum(len(x.split()) for x in lines)))


def pages_of_words(words: int) -> int:
    """A page of a printed report holds about 400 words; formats without pages count so."""
    return max(1, -(-words // 400))


def decode(path: Path) -> str:
    data = path.read_bytes()
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise UnreadableInput(f"{path}: not text in UTF-8 or Windows-1252.")
