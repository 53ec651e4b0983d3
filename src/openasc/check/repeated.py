"""The same quantity stated twice with different values: "1,470 safeguarding concerns" in
one place and "1,475 safeguarding concerns" in another, for the same period. What a count
counts is read from the words after it; parts ("of these"), comparisons and other years are
left out, so only a plain restatement is compared.
"""

from __future__ import annotations

import re

from openasc.check.changes import is_change
from openasc.check.claims import Claim
from openasc.check.model import Finding
from openasc.check.sentences import Sentence

STOP = {"was", "were", "is", "are", "in", "during", "this", "last", "that", "which", "who",
        "and", "or", "than", "compared", "from", "to", "up", "down", "on", "at", "by", "over",
        "under", "per", "since", "between", "while", "when", "where", "had", "has", "have",
        "been", "a", "an", "the", "we", "our", "it", "they", "these", "those", "of", "no",
        "not", "previous", "available", "improved", "better", "worse", "change"}
SUBSET = re.compile(r"\b(?:of (?:these|them|whom|which|those)|including|among|such as|"
                    r"include|included|within|each|every|average|typical|per)\b", re.I)
COMPARES = re.compile(r"\bfrom\b.*\bto\b|\bcompared\b|\bagainst\b|\bversus\b|\bvs\b|"
                      r"\bup\b|\bdown\b|\brose\b|\bfell\b", re.I)
MIN_WORDS = 2


def _what(s: Sentence, c: Claim) -> str:
    """The words after a count that say what it counts: '1,470 safeguarding concerns'."""
    words = []
    for w in re.findall(r"[A-Za-z][\w'-]*|[^\w\s]", s.text[c.end:][:80]):
        if not w[0].isalpha() or w.lower() in STOP:
            break
        if w != w.lower():
            return ""  # capitalised words after a figure are a heading or a table, not prose
        words.append(w)
        if len(words) == 4:
            break
    return " ".join(words)


def check_repeated(sents: list[Sentence]) -> list[Finding]:
    """The same count of the same thing for the same period, stated with two values."""
    seen: dict[tuple[str, frozenset[str]], tuple[Sentence, Claim]] = {}
    out = []
    for s in sents:
        if SUBSET.search(s.text) or COMPARES.search(s.text) or \
                any(is_change(s, c) for c in s.claims):
            continue  # a part of a whole, or a comparison: its figures are other quantities
        for c in s.claims:
            if c.kind != "count" or not c.exact or c.value < 10 or is_change(s, c):
                continue
            what = _what(s, c)
            if len(what.split()) < MIN_WORDS:
                continue
            key = (what, s.periods)
            if key not in seen:
                seen[key] = (s, c)
                continue
            s0, c0 = seen[key]
            if abs(c.value - c0.value) > c.half + c0.half + 1e-9:
                out.append(Finding(
                    "error", "repeated", s.where, s.text,
                    f"'{c.text} {what}' here, but '{c0.text} {what}' at {s0.where} "
                    f"(\"{s0.text[:120]}\"), for the same period."))
    return out
