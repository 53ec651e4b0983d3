"""Plain text: paragraphs between blank lines, tables as aligned columns (readers/lines.py)."""

from __future__ import annotations

from pathlib import Path

from openasc.check.model import Draft
from openasc.check.readers import decode
from openasc.check.readers.lines import blocks_from_lines


def read_text(path: Path) -> Draft:
    lines = decode(path).splitlines()
    blocks = blocks_from_lines(lines, None, 1, [0], [0])
    return Draft(str(path), blocks, pages=pages_of_words(sum(len(x.split()) for x in lines)))


def pages_of_words(words: int) -> int:
    """A page of a printed report holds about 400 words; formats without pages count so."""
    return max(1, -(-words // 400))
