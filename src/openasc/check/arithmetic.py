"""The arithmetic a draft's sentences state: changes, shares of counts, shares adding up to
100%, and the same figure told twice.

Each check reads a pattern a report writer uses ("rose from 1,300 to 1,470, up 13%",
"620 of the 1,470 concerns (42%)", "65% ... and the remaining 35%") and tests it with the
rounding of every figure allowed for: a finding means no unrounded figures could make the
sentence true. Figures softened by "about" or "more than" are left to words.py.
"""

from __future__ import annotations

import re

from openasc.check.claims import Claim
from openasc.check.model import Finding
from openasc.check.sentences import Sentence
from openasc.check.tables import fmt

UP = re.compile(r"\b(?:up|rose|risen|rising|rise|increase[sd]?|increasing|grew|grown|growth|"
                r"higher|more|went up|climbed|gain)\b", re.I)
DOWN = re.compile(r"\b(?:down|fell|fallen|falling|fall|decrease[sd]?|decreasing|drop|dropped|"
                  r"dropping|reduction|reduced|lower|fewer|less|declined?|went down|cut)\b",
                  re.I)
CHANGE_BEFORE = re.compile(
    r"(?:\b(?:up|down|by|rose|fell|increased?|decreased?|grew|dropped|rise of|increase of|"
    r"fall of|drop of|reduction of|decrease of|growth of|change of)\s+(?:a\s+|an\s+)?"
    r"(?:further\s+)?)$", re.I)
CHANGE_AFTER = re.compile(
    r"^\s*(?:(?:percentage points?\s+)?(?:increase|rise|fall|decrease|drop|reduction|"
    r"more|fewer|higher|lower|growth)\b|(?:percentage points?\s+)?(?:on|than|over)\s+"
    r"(?:last|the previous|a year)\b)", re.I)


def is_change(s: Sentence, c: Claim) -> bool:
    return bool(CHANGE_BEFORE.search(s.text[:c.start][-40:]) or
                CHANGE_AFTER.search(s.text[c.end:][:40]))


def check_sentences(sents: list[Sentence]) -> list[Finding]:
    out = []
    for s in sents:
        out += _changes(s) + _share_of_counts(s) + _shares_add_up(s)
    return out + _told_twice(sents)


# ----------------------------------------------------------------------------- changes
def _pairs(s: Sentence, amounts: list[Claim]) -> list[tuple[Claim, Claim, bool]]:
    """The pairs of figures changes link, earlier first, and whether their order is known:
    every 'from X to Y' (or 'to Y from X', 'Y, up from X', 'Y compared with X'), or else the
    sentence's only two figures of one kind when it names two periods."""
    values = [c for c in s.claims if c not in amounts and c.exact]
    found = []
    for a, b in zip(values, values[1:], strict=False):
        between = s.text[a.end:b.start]
        before = s.text[:a.start][-12:]
        if not _same_kind(a, b):
            continue
        if re.fullmatch(r"\s*(?:in\s+[\w\s-]{2,12}?\s*)?to\s*", between) and \
                re.search(r"\bfrom\s*$", before, re.I):
            found.append((a, b, True))
        elif re.fullmatch(r"\s*(?:in\s+[\w\s-]{2,12}?\s*)?from\s*", between) and \
                re.search(r"\bto\s*$", before, re.I):
            found.append((b, a, True))
        elif re.search(r"\b(?:up|down|rising|falling|increased?|decreased?)\s+from\s*$|"
                       r"\bcompared (?:with|to)\s*$|\bagainst\s*$", between, re.I):
            found.append((b, a, True))
    if found:
        return found
    same = [c for c in values if not is_change(s, c)]
    if len(same) == 2 and _same_kind(*same) and len(s.periods) >= 2:
        return [(same[0], same[1], False)]
    return []


def _same_kind(a: Claim, b: Claim) -> bool:
    return a.kind == b.kind and a.base == b.base


def _changes(s: Sentence) -> list[Finding]:
    amounts = [c for c in s.claims if is_change(s, c) and c.exact]
    pairs = _pairs(s, amounts)
    if not amounts:
        return [f for p in pairs for f in _direction_only(s, *p)]
    out = []
    for amount in amounts:
        if not pairs:
            break
        first, second, ordered = min(pairs, key=lambda p: _distance(amount, p))
        if amount in (first, second):
            continue
        orders = [(first, second)] if ordered else [(first, second), (second, first)]
        word = _direction(s, amount)
        results = [_test_change(old, new, amount, word) for old, new in orders]
        if any(r is None for r in results):
            continue
        severity = "error" if all(r[0] == "error" for r in results) else "warning"  # type: ignore[index]
        out.append(Finding(severity, "change", s.where, s.text, results[0][1]))  # type: ignore[index]
    return out


def _distance(amount: Claim, pair: tuple[Claim, Claim, bool]) -> int:
    start, end = min(pair[0].start, pair[1].start), max(pair[0].end, pair[1].end)
    return max(0, start - amount.end, amount.start - end)


def _direction_only(s: Sentence, old: Claim, new: Claim, ordered: bool) -> list[Finding]:
    """'rose from 2,873 to 2,313': the verb before 'from' against the two figures."""
    m = re.search(r"\b(rose|risen|increased|grew|went up|climbed|fell|fallen|decreased|"
                  r"dropped|declined|went down)\s+(?:\w+\s+){0,2}?from\s*$",
                  s.text[:min(old.start, new.start)], re.I)
    if not ordered or m is None:
        return []
    up = m.group(1).lower() in ("rose", "risen", "increased", "grew", "went up", "climbed")
    if up and new.high < old.low or not up and new.low > old.high:
        return [Finding("error", "change", s.where, s.text,
                        f"The sentence says the figure {m.group(1)}, but from {old.text} to "
                        f"{new.text} is a {'fall' if up else 'rise'}.")]
    return []


def _direction(s: Sentence, amount: Claim) -> int:
    """+1 for a rise, -1 for a fall, 0 when the words near the amount do not say."""
    near = s.text[max(0, amount.start - 40):amount.end + 30]
    up, down = UP.findall(near), DOWN.findall(near)
    if up and not down:
        return 1
    if down and not up:
        return -1
    return 0


def _test_change(old: Claim, new: Claim, amount: Claim, word: int) -> tuple[str, str] | None:
    """None when the change holds; else (severity, working)."""
    lo = new.low - old.high
    hi = new.high - old.low
    said = f"from {old.text} to {new.text}"
    if word and (word > 0 and hi < 0 or word < 0 and lo > 0):
        return "error", (f"The sentence says the figure {'rose' if word > 0 else 'fell'}, "
                         f"but {said} is a {'fall' if word > 0 else 'rise'}.")
    sign = word or (1 if new.value >= old.value else -1)
    if amount.kind == "percent" and old.kind != "percent" or \
            amount.kind == "percent" and old.kind == "percent":
        rlo = _relative(old, new, low=True) * sign
        rhi = _relative(old, new, low=False) * sign
        rlo, rhi = min(rlo, rhi), max(rlo, rhi)
        if rlo - 1e-9 <= amount.high and amount.low <= rhi + 1e-9:
            return None
        exact = (new.value - old.value) / old.value * 100 if old.value else float("nan")
        if old.kind == "percent" and abs(abs(new.value - old.value) - amount.value) <= \
                amount.half + old.half + new.half:
            return "warning", (f"{said} is a change of {fmt(abs(new.value - old.value))} "
                               f"percentage points, which the sentence gives as "
                               f"{amount.text}; as a relative change it is {exact:.1f}%.")
        return "error", (f"{said} is a change of ({fmt(new.value)} − {fmt(old.value)}) ÷ "
                         f"{fmt(old.value)} = {exact:.1f}%, between {rlo:.2f}% and {rhi:.2f}% "
                         f"allowing for rounding; the sentence says {amount.text}.")
    if amount.kind in ("count", "money", "rate", "points") and (
            amount.kind == old.kind or amount.kind == "points" and old.kind == "percent"
            or amount.kind == "count" and old.kind in ("money", "rate")):
        dlo, dhi = sorted((abs(lo), abs(hi))) if lo * hi > 0 else (0.0, max(abs(lo), abs(hi)))
        if dlo - 1e-9 <= amount.high and amount.low <= dhi + 1e-9:
            return None
        return "error", (f"{said} is a change of {fmt(new.value)} − {fmt(old.value)} = "
                         f"{fmt(new.value - old.value)}; the sentence says {amount.text}.")
    return None


def _relative(old: Claim, new: Claim, low: bool) -> float:
    if low:
        return (new.low - old.high) / old.high * 100 if old.high else 0.0
    return (new.high - old.low) / old.low * 100 if old.low > 0 else float("inf")


# ------------------------------------------------------------------- shares of counts
OF_TOTAL = re.compile(r"\b(?:of|out of)(?: the| all| our| a total of)?\s*$", re.I)


def _share_of_counts(s: Sentence) -> list[Finding]:
    """'620 of the 1,470 concerns (42%)', 'Of the 1,470 concerns, 620 (42%) ...'."""
    totals = [t for t in s.claims if t.kind == "count" and t.exact
              and OF_TOTAL.search(s.text[:t.start][-14:])]
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


# ------------------------------------------------------------------- told twice
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


def _told_twice(sents: list[Sentence]) -> list[Finding]:
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
