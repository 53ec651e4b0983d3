"""Rates against their counts and populations: "a rate of 306.3 per 100,000 (1,470
concerns)" with "an adult population of 480,000" stated elsewhere must agree, and several
rates over the same population must imply the same population (the odd one out is flagged).

The population a rate is of is read from the words after "per 100,000" ("adults aged 65 and
over" → 65+; "adults" → 18+); a population statement is a sentence naming a population with
a count. Populations are usually printed rounded ("480,000"), so their trailing zeros are
taken as rounding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from openasc.check.claims import Claim, fmt
from openasc.check.model import Finding
from openasc.check.sentences import Sentence

SLACK = 0.01  # rates from different sources may use slightly different population estimates


def group(text: str) -> str:
    t = text.lower()
    if re.search(r"65\s*(?:\+|and over|and older|or over)|older (?:people|adults)", t):
        return "65+"
    if re.search(r"18\s*-\s*64|18 to 64|working.age", t):
        return "18-64"
    if re.search(r"18\s*(?:\+|and over)|\badults?\b", t):
        return "18+"
    return ""


@dataclass(frozen=True)
class RateClaim:
    sentence: Sentence
    rate: Claim
    count: Claim
    group: str


def _rate_claims(sents: list[Sentence]) -> list[RateClaim]:
    out = []
    for s in sents:
        rates = [c for c in s.claims if c.kind == "rate" and c.exact]
        counts = [c for c in s.claims if c.kind == "count" and c.exact]
        if len(rates) != 1 or len(counts) != 1:
            continue  # one rate and the one count it is of; more is a comparison
        r = rates[0]
        g = group(s.text[r.end:][:60])
        if g:
            out.append(RateClaim(s, r, counts[0], g))
    return out


def _populations(sents: list[Sentence]) -> dict[tuple[str, frozenset[str]], tuple[Claim, Sentence]]:
    found: dict[tuple[str, frozenset[str]], tuple[Claim, Sentence]] = {}
    for s in sents:
        if not re.search(r"\bpopulation\b|\bresidents\b|\bpeople live\b|\badults live\b",
                         s.text, re.I) or any(c.kind == "rate" for c in s.claims):
            continue
        for c in s.claims:
            if c.kind != "count" or c.value < 1000:
                continue
            g = group(s.text[max(0, c.start - 40):c.end + 50])
            if g:
                found.setdefault((g, s.periods), (_rounded(c), s))
    return found


def _rounded(c: Claim) -> Claim:
    """'480,000' may be rounded to the thousand: half its trailing zeros as the rounding."""
    digits = re.sub(r"\D", "", c.text.split(".")[0])
    zeros = len(digits) - len(digits.rstrip("0"))
    half = max(c.half, 0.5 * 10 ** min(zeros, len(digits) - 2)) if zeros else c.half
    return Claim(c.value, c.kind, c.text, c.start, c.end, half, c.qualifier, c.base)


def _implied(rc: RateClaim) -> tuple[float, float]:
    """The population a rate and its count imply, as an interval for their rounding."""
    r, n, base = rc.rate, rc.count, rc.rate.base or 100000
    low = (n.value - n.half) / (r.value + r.half) * base
    high = (n.value + n.half) / max(r.value - r.half, 1e-9) * base
    return low * (1 - SLACK), high * (1 + SLACK)


def check_rates(sents: list[Sentence]) -> list[Finding]:
    claims = _rate_claims(sents)
    pops = _populations(sents)
    out = []
    unstated = []
    for rc in claims:
        key = (rc.group, rc.sentence.periods)
        stated = pops.get(key) or pops.get((rc.group, frozenset()))
        if stated is None:
            unstated.append(rc)
            continue
        pop, where = stated
        low, high = _implied(rc)
        if pop.high < low or pop.low > high:
            expect = rc.count.value / pop.value * (rc.rate.base or 100000)
            out.append(Finding(
                "error", "rate", rc.sentence.where, rc.sentence.text,
                f"{rc.count.text} ÷ {pop.text} (the {rc.group} population stated at "
                f"{where.where}) × {fmt(rc.rate.base or 100000)} = {expect:.1f}; the sentence "
                f"says {rc.rate.text}."))
    by_group: dict[tuple[str, frozenset[str]], list[RateClaim]] = {}
    for rc in unstated:
        by_group.setdefault((rc.group, rc.sentence.periods), []).append(rc)
    for items in by_group.values():
        out += _odd_one_out(items)
    return out


def _odd_one_out(items: list[RateClaim]) -> list[Finding]:
    """With three or more rates over one population, the population most of them imply is
    taken as the population; a rate that implies another is flagged (a warning: it holds only
    if they truly share the population)."""
    if len(items) < 3:
        return []
    spans = [_implied(rc) for rc in items]
    best, agree = None, 0
    for lo, _ in spans:
        n = sum(a <= lo <= b for a, b in spans)
        if n > agree:
            best, agree = lo, n
    if best is None or agree < 2 or agree <= len(items) / 2:
        return []
    out = []
    for rc, (lo, hi) in zip(items, spans, strict=True):
        if not lo <= best <= hi:
            mid = rc.count.value / rc.rate.value * (rc.rate.base or 100000)
            out.append(Finding(
                "warning", "rate_population", rc.sentence.where, rc.sentence.text,
                f"{rc.count.text} at {rc.rate.text} implies a {rc.group} population of about "
                f"{fmt(round(mid))}, but {agree} other rates here imply about "
                f"{fmt(round(best))}: one of the rate or the count is likely wrong."))
    return out
