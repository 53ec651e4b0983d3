"""Fractions in words against the figures beside them: "one in five (17%)" cannot be, nor
"more than half (48%)" or "nearly a third (35%)".

"one in N" holds for a share that rounds to one in N (one in five: 18.2% to 22.2%); a plain
"a third" or "half" within 2.5 points (or a tenth of the share); "nearly", "almost", "just
under" need a share below the fraction, "more than", "over", "just over" one above it,
"less than", "under", "fewer than" one below, "about", "around" one within a fifth of it.
"""

from __future__ import annotations

import re

from openasc.check.model import Finding
from openasc.check.sentences import Sentence

NUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
       "eight": 8, "nine": 9, "ten": 10, "a": 1, "an": 1}
PARTS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
         "fifth": 5, "fifths": 5, "tenth": 10, "tenths": 10}
QUAL = (r"(?P<q>nearly|almost|just under|close to|more than|over|just over|well over|"
        r"at least|less than|under|fewer than|about|around|roughly|approximately)?\s*")
FRACTION = re.compile(
    r"(?<![\d,.])\b" + QUAL + r"(?:(?P<k>one|two|three|four|five|six|seven|eight|nine|\d)"
    r"\s+(?:in|out of)\s+(?P<n>two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\b"
    r"(?![\d,.%-])"
    r"|(?P<k2>a|an|one|two|three)\s+(?P<part>half|third|thirds|quarter|quarters|fifth|fifths|"
    r"tenth|tenths)\b|(?P<half>half)\b|(?P<most>the majority|most)\b)", re.I)


def _fraction(m: re.Match[str]) -> tuple[float, bool]:
    """(the fraction as a percentage, whether it is an 'one in N' ratio)."""
    if m.group("n"):
        k = NUM.get(m.group("k").lower()) or int(m.group("k"))
        n = NUM.get(m.group("n").lower()) or int(m.group("n"))
        return 100 * k / n, True
    if m.group("part"):
        return 100 * NUM[m.group("k2").lower()] / PARTS[m.group("part").lower()], False
    if m.group("half"):
        return 50.0, False
    return 50.0, False  # 'most', 'the majority': more than half


def check_words(sents: list[Sentence]) -> list[Finding]:
    out = []
    for s in sents:
        pcts = [c for c in s.claims if c.kind == "percent" and c.exact]
        fractions = [m for m in FRACTION.finditer(s.text)
                     if not (m.group("half") and not m.group("q"))]  # 'on behalf', 'half-day'
        for m in fractions:
            # the percentage in brackets a few words after the fraction, or just before it;
            # else the sentence's only percentage when the fraction is its only fraction
            near = [c for c in pcts if 0 <= c.start - m.end() <= 40 and
                    re.fullmatch(r"[^()\d;]*\(", s.text[m.end():c.start])
                    or 0 <= m.start() - c.end <= 6]
            if not near and len(fractions) == 1 and len(pcts) == 1 and \
                    pcts[0].start > m.end() and not re.search(r";|, and\b|\bbut\b",
                                                            s.text[m.end():pcts[0].start]):
                near = pcts
            if len(near) != 1:
                continue
            p = near[0]
            f, ratio = _fraction(m)
            q = (m.group("q") or "").lower()
            if m.group("most"):
                q = "more than"
            problem = _judge(f, p.low, p.high, q, ratio, m)
            if problem:
                out.append(Finding("error", "words", s.where, s.text,
                                   f"'{m.group(0).strip()}' is {problem}; the figure given is "
                                   f"{p.text}."))
    return out


def _judge(f: float, lo: float, hi: float, q: str, ratio: bool, m: re.Match[str]) -> str:
    if q in ("nearly", "almost", "just under", "close to"):
        return "" if lo < f and hi > f - max(7.5, 0.25 * f) else f"a little under {f:.1f}%"
    if q in ("more than", "over", "just over", "well over", "at least"):
        return "" if hi > f or (q == "at least" and hi >= f) else f"above {f:.1f}%"
    if q in ("less than", "under", "fewer than"):
        return "" if lo < f else f"below {f:.1f}%"
    if q in ("about", "around", "roughly", "approximately"):
        return "" if abs((lo + hi) / 2 - f) <= max(5, 0.2 * f) + (hi - lo) / 2 \
            else f"about {f:.1f}%"
    if ratio:
        n = int(NUM.get(m.group("n").lower()) or int(m.group("n")))
        k = int(NUM.get(m.group("k").lower()) or int(m.group("k")))
        if k > 1:  # 'two in three': 66.7%, within 5 points
            return "" if hi >= f - 5 and lo <= f + 5 else f"{f:.1f}% (within 5 points)"
        low, high = 100 * k / (n + 0.5), 100 * k / (n - 0.5) if n > 1 else 100
        return "" if hi >= low and lo <= high else \
            f"{f:.1f}%, and a share rounds to it only between {low:.1f}% and {high:.1f}%"
    tol = max(2.5, 0.1 * f)
    return "" if hi >= f - tol and lo <= f + tol else f"{f:.1f}% (within {tol:.1f} points)"
