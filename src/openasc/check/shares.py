"""Shares stated in a sentence: a percentage against the counts it is a share of ("620 of
the 1,470 concerns (42%)") and shares that make a whole ("62% ... and the remaining 38%").
"""

from __future__ import annotations

import re

from openasc.check.changes import is_change
from openasc.check.claims import Claim, fmt
from openasc.check.model import Finding
from openasc.check.sentences import Sentence


def check_shares(sents: list[Sentence]) -> list[Finding]:
    return [f for s in sents for f in _share_of_counts(s) + _shares_add_up(s)]


OF_THEM = re.compile(r"\s+of (?:them|these|those|whom)\b", re.I)
OF_TOTAL = re.compile(r"\b(?:of|out of)(?: the| all| our| a total of)?\s*$", re.I)


def _share_of_counts(s: Sentence) -> list[Finding]:
    """'620 of the 1,470 concerns (42%)', 'Of the 1,470 concerns, 620 (42%) ...'."""
    totals = [t for t in s.claims if t.kind == "count" and t.exact
              and OF_TOTAL.search(s.text[:t.start][-14:])]
    if not totals:  # '1,460 carers were assessed, and 920 of them (63%)': the count before
        back = [n for n in s.claims if n.kind == "count" and n.exact and OF_THEM.match(
            s.text[n.end:])]
        totals = [t for t in s.claims[:1] if back and t.kind == "count" and t.exact
                  and t.start < back[0].start]
    pcts = [p for p in s.claims if p.kind == "percent" and p.exact and not is_change(s, p)]
    if len(totals) != 1 or len(pcts) != 1:
        return []
    t, p = totals[0], pcts[0]
    parts = [n for n in s.claims if n.kind == "count" and n.exact and n is not t
             and n.value < t.value]
    if not parts:
        return []
    n = min(parts, key=lambda c: min(abs(c.start - p.end), abs(p.start - c.end)))
    beside = [c for c in (n, t) if _adjacent(s, c, p)]
    if not beside:
        return []
    low = (n.value - n.half) / (t.value + t.half) * 100
    high = (n.value + n.half) / (t.value - t.half) * 100 if t.value > t.half else 1e9
    if p.low <= high + 1e-9 and p.high >= low - 1e-9:
        return []
    return [Finding("error", "percent_of_counts", s.where, s.text,
                    f"{n.text} ÷ {t.text} × 100 = {n.value / t.value * 100:.1f}% "
                    f"(between {low:.2f}% and {high:.2f}% allowing for rounding); "
                    f"the sentence says {p.text}.")]


def _adjacent(s: Sentence, n: Claim, p: Claim) -> bool:
    """A percentage printed beside a count: '620 (42%)', '42% (620)', '620, or 42%',
    '620 of the 1,470 concerns (42%)'."""
    if n.end <= p.start:
        return bool(re.fullmatch(r"\s*(?:[a-z ]{0,30}\s)?\(|\s*,?\s*or\s*|"
                                 r"\s*[a-z ]{0,30}\s*,\s*or\s*", s.text[n.end:p.start], re.I))
    return bool(re.fullmatch(r"\s*\(", s.text[p.end:n.start]))


# ------------------------------------------------------------------- shares add up
def _shares_add_up(s: Sentence) -> list[Finding]:
    """'... 65% were women and the remaining 35% men': the shares make the whole."""
    m = re.search(r"\b(?:the )?(?:remaining|rest|other)\b", s.text, re.I)
    pcts = [c for c in s.claims if c.kind == "percent" and not is_change(s, c)]
    if not m or len(pcts) < 2 or not any(c.start > m.start() for c in pcts) \
            or not all(c.exact for c in pcts):
        return []
    if not re.search(r"\b(?:remaining|the rest)\b\W+(?:\w+\W+){0,2}?[\d.]+\s?(?:%|per ?cent)|"
                     r"[\d.]+\s?(?:%|per ?cent)\W+(?:\w+\W+){0,2}?(?:were|was|are|is)?\s*"
                     r"(?:the )?(?:remaining|rest)\b", s.text, re.I):
        return []
    got = sum(c.value for c in pcts)
    slack = sum(c.half for c in pcts) + 1e-9
    if abs(got - 100) <= slack:
        return []
    return [Finding("error", "percent_sum", s.where, s.text,
                    " + ".join(c.text for c in pcts) + f" = {fmt(got)}%; shares of a whole "
                    f"with 'the remaining' make 100% (allowing {fmt(slack)} for rounding).")]
