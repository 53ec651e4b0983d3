"""Stated changes against the two figures they link: "rose from 1,300 to 1,470, an increase
of 13%", "fell by 150", "up 2.0 percentage points", "1,470 in 2024-25 compared with 1,300 in
2023-24, a rise of 13%". Absolute and relative changes, figures in either order, and the
direction word ("rose", "fell") against the figures; every figure's rounding allowed for.
"""

from __future__ import annotations

import re
from dataclasses import replace

from openasc.check.claims import Claim, fmt
from openasc.check.model import Finding
from openasc.check.sentences import RELATIVE, Sentence

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


def check_changes(sents: list[Sentence]) -> list[Finding]:
    return [f for s in sents for f in _changes(s)]


def _pairs(s: Sentence, amounts: list[Claim]) -> list[tuple[Claim, Claim, bool]]:
    """The pairs of figures changes link, earlier first, and whether their order is known:
    every 'from X to Y' (or 'to Y from X', 'Y, up from X', 'Y compared with X'), or else the
    sentence's only two figures of one kind when it names two periods."""
    values = [c for c in s.claims if c not in amounts and c.exact]
    found = []
    for a, b in zip(values, values[1:], strict=False):
        between = s.text[a.end:b.start]
        before = s.text[:a.start][-12:]
        a, b = _like(a, b)
        if not _same_kind(a, b):
            continue
        if re.fullmatch(r"\s*(?:in\s+[\w\s-]{2,12}?\s*)?to\s*", between) and \
                re.search(r"\bfrom\s*$", before, re.I):
            found.append((a, b, True))
        elif re.fullmatch(r"\s*(?:in\s+[\w\s-]{2,12}?\s*)?from\s*", between) and \
                re.search(r"\bto\s*$", before, re.I):
            found.append((b, a, True))
        elif re.search(r"\b(?:up|down|rising|falling|increased?|decreased?|rose|fell)\s+"
                       r"(?:by\s+)?(?:[\d.,]+\s?(?:%|per ?cent|percentage points?)?\s+)?"
                       r"from\s*$|\bcompared (?:with|to)\s*$|\bagainst\s*$", between, re.I):
            found.append((b, a, True))
    if found:
        return found
    same = [c for c in values if not is_change(s, c)]
    # two periods named, or one named as 'last year' beside this year's figure
    if len(same) == 2 and _same_kind(*same) and (
            len(s.periods) >= 2 or RELATIVE.search(s.text)):
        first, second = same
        if RELATIVE.match(s.text[first.end:].lstrip()):  # '2,050 last year, 2,310 this year'
            return [(first, second, True)]
        if RELATIVE.match(s.text[second.end:].lstrip()):  # '2,310 assessments, 2,050 last year'
            return [(second, first, True)]
        return [(first, second, False)]
    return []


def _like(a: Claim, b: Claim) -> tuple[Claim, Claim]:
    """'560.2 per 100,000, down from 601.4': a bare figure paired with a rate or percentage
    is read as the same kind (the unit is not repeated)."""
    if a.kind in ("rate", "percent") and b.kind == "count" and "." in b.text:
        return a, replace(b, kind=a.kind, base=a.base)
    return a, b


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
        # with the order unknown, say the working of the order the direction word fits
        working = [r[1] for r in results if not r[1].startswith("The sentence says")]  # type: ignore[index]
        out.append(Finding(severity, "change", s.where, s.text,
                           (working or [results[0][1]])[0]))  # type: ignore[index]
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
