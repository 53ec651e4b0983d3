"""What a table cell holds: a figure (with its rounding), a suppression mark, or words.

Suppression marks ([c], *, x, -) stand for a figure the publisher withheld: a column with
one cannot be added up exactly, only bounded (the figures shown must not exceed the total).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from openasc.check.claims import claims_in

SUPPRESSED = re.compile(r"^(?:\[[a-z]\]|\*|x|c|-|–|—|\.\.|n/a|:|z|low|\[low\])$", re.I)
TOTAL_ROW = re.compile(r"^(?:(?:grand |overall |sub-?)?total\b|all\b|overall\b|sum\b)|\btotal$",
                       re.I)


@dataclass(frozen=True)
class Cell:
    text: str
    value: float | None = None
    kind: str = ""
    half: float = 0.0
    suppressed: bool = False


def read_cell(text: str, round_to: int) -> Cell:
    text = text.strip()
    if SUPPRESSED.match(text):
        return Cell(text, suppressed=True)
    found = claims_in(text, round_to)
    # A figure cell holds one figure and little else ("82.0%", "£1,250,000", "1,470 (42%)"
    # is read as its first figure); "80.0% (2023-24)" keeps its figure, its year is a label.
    if not found or not re.match(r"^[£(\-\d]", text) or found[0].start > 2:
        return Cell(text)
    c = found[0]
    kind = "count" if c.kind == "money" else c.kind
    return Cell(text, c.value, kind, c.half)


def is_total(label: str) -> bool:
    return bool(TOTAL_ROW.search(label.strip()))
