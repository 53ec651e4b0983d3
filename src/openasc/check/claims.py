"""Every number in a sentence, with what kind of figure it is and how precisely it is shown.

A claim keeps the text it was read from, its value, its kind (count, percent, percentage
points, rate per N, money), the words that soften it ("about", "more than"), and the
half-width of the rounding it was printed with: "82.0%" can be anything from 81.95 to
82.05, "1,470" rounded to the nearest 5 anything from 1,467.5 to 1,472.5. Years, dates,
ages, section numbers and measure codes are not figures and are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_UNIT = (r"(?:\s?(?P<pct>%|per\s?cent\b|percentage points?\b|pp\b|points?\b)"
         r"|\s(?P<per>per\s(?P<base>100,000|100000|10,000|1,000|1000|100)\b))?")
NUMBER = re.compile(
    r"(?P<cur>£\s?)?(?<![\w.,/-])(?P<num>" + _NUM + r")(?!\d|,\d|\.\d)"
    r"(?:\s?(?P<scale>bn|billion|m|million|k|thousand)\b|(?![A-Za-z_/]|-\d))" + _UNIT,
)
WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20,
}
SCALES = {"bn": 1e9, "billion": 1e9, "m": 1e6, "million": 1e6, "k": 1e3, "thousand": 1e3}
QUALIFIER = re.compile(
    r"(?:just over|just under|more than|less than|fewer than|over|under|nearly|almost|about|"
    r"around|approximately|roughly|some|at least|up to|close to|an estimated)\s*$", re.I)
# A number right after these words, or right before these, is a label, not a figure.
_NOT_FIGURE_BEFORE = re.compile(
    r"\b(?:section|act|ascof|table|figure|fig\.|page|chapter|part|aged|age|ages|step|"
    r"priority|stage|level|tier|phase|band|version|appendix|paragraph|per|top|under|over)"
    r"\s*$", re.I)
_MONTHS = (r"january|february|march|april|may|june|july|august|september|october|"
           r"november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_NOT_FIGURE_AFTER = re.compile(
    r"^(?:\s*(?:" + _MONTHS + r")\b|\s*(?:and over|and older|or over|\+|years? old|"
    r"-year-old|st\b|nd\b|rd\b|th\b|am\b|pm\b|:\d)|-\d{2}\b|/\d{2}\b)", re.I)


# Three or more bare numbers in a row ("0 5 10 15 20") are a chart's axis or a table's row
# read as text, not figures in a sentence: blanked out before reading (positions kept).
AXIS = re.compile(r"(?<![\w.,£])(?:\d[\d,.]*\s+){2,}\d[\d,.]*(?![\w%£]|\s?per\b)")


@dataclass(frozen=True)
class Claim:
    """A figure in a sentence. `half` is half the last printed digit (the rounding)."""

    value: float
    kind: str  # count | percent | points | rate | money
    text: str
    start: int
    end: int
    half: float
    qualifier: str = ""
    base: int | None = None

    @property
    def low(self) -> float:
        return self.value - self.half

    @property
    def high(self) -> float:
        return self.value + self.half

    @property
    def exact(self) -> bool:
        return not self.qualifier


def parse_number(text: str) -> float | None:
    """'1,470' → 1470; '£1.2m' → 1,200,000; '82.0%' → 82.0; anything else None."""
    m = NUMBER.search(text.strip())
    if not m:
        return None
    value = float(m.group("num").replace(",", ""))
    return value * SCALES.get((m.group("scale") or "").lower(), 1)


def decimals(num: str) -> int:
    return len(num.partition(".")[2])


def is_year(num: str, value: float) -> bool:
    return "," not in num and "." not in num and 1900 <= value <= 2100


def claims_in(sentence: str, counts_round_to: int = 1) -> list[Claim]:
    """The figures in one sentence, years and labels left out.

    `counts_round_to` is the stated rounding of counts (5 when the draft says counts are
    rounded to the nearest 5): a count that is a multiple of it may be off by half of it."""
    out = []
    sentence = AXIS.sub(lambda m: " " * len(m.group(0)), sentence)
    for m in NUMBER.finditer(sentence):
        num = m.group("num")
        value = float(num.replace(",", ""))
        before, after = sentence[:m.start()], sentence[m.end():]
        if m.group("pct") is None and m.group("per") is None and m.group("cur") is None:
            if (is_year(num, value) or _NOT_FIGURE_BEFORE.search(before[-16:])
                    and not QUALIFIER.search(before[-20:]) or _NOT_FIGURE_AFTER.search(after)):
                continue
        scale = SCALES.get((m.group("scale") or "").lower(), 1)
        half = 0.5 * 10 ** -decimals(num) * scale
        pct = (m.group("pct") or "").lower()
        if m.group("per"):
            kind, base = "rate", int(m.group("base").replace(",", ""))
        elif pct.startswith(("percentage point", "pp", "point")):
            kind, base = "points", None
        elif pct:
            kind, base = "percent", None
        elif m.group("cur"):
            kind, base = "money", None
        else:
            kind, base = "count", None
        if kind in ("count", "money") and scale == 1 and "." not in num:
            # a whole count is exact unless the draft says counts are rounded
            half = counts_round_to / 2 if counts_round_to > 1 and value % counts_round_to == 0 \
                and value >= counts_round_to else 0.0
        q = QUALIFIER.search(before[-20:])
        out.append(Claim(value * scale, kind, m.group(0).strip(), m.start(), m.end(), half,
                         q.group(0).strip().lower() if q else "", base))
    return out


SENTENCE = re.compile(r"(?<=[.!?;])\s+(?=[A-Z(\"'£\d])|\n+")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE.split(text) if s.strip()]


def stated_rounding(text: str) -> int:
    """The rounding a draft says its counts have: 'rounded to the nearest 5' → 5."""
    m = re.search(r"nearest (5|five|10|ten)\b", text, re.I)
    if not m:
        return 1
    return {"5": 5, "five": 5, "10": 10, "ten": 10}[m.group(1).lower()]


def fmt(x: float) -> str:
    """1470 → '1,470'; 82.04 → '82.04'; the working quotes figures the way drafts print them."""
    if abs(x - round(x)) < 1e-9:
        return f"{round(x):,}"
    return f"{x:,.2f}".rstrip("0").rstrip(".")
