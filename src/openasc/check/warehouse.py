"""A draft's figures against the measures openasc holds for the council and year.

A figure is compared when its sentence names a measure (measures.yaml lists the words) and
no other period. It matches when it equals the computed value or the published one (counts
to the nearest 5, shares from the rounded counts, docs/disclosure.md); a figure that instead
matches a measure of another definition gets a warning saying which and why; any other
figure is an error naming the warehouse's value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from importlib import resources

import duckdb
import yaml

from openasc.check.changes import is_change
from openasc.check.claims import Claim, fmt
from openasc.check.model import Finding
from openasc.check.sentences import Sentence

# What may stand between a measure's name and its figure: "safeguarding concerns: 1,470",
# "the conversion rate was 42%".
LINK = re.compile(r"\s*(?::|was|were|is|are|of|totalled|reached|stood at|rose to|fell to)?\s*",
                  re.I)
# Words a measure's name may follow and still be the whole measure: "the", "total number of".
WHOLE = re.compile(r"(?:^|[.;:,(]\s*|\b(?:the|our|total|number of|we received|there were|"
                   r"we had)\s*)$")
# Words after a measure's name that narrow it to a part: "concerns about neglect".
NARROWED = re.compile(r"\s*(?:about|of|for|involving|where|which|that|from|by|with|"
                      r"concerning|relating|per)\b")
KIND_KEY = {"count": "count", "money": "count", "rate": "rate", "percent": "percent"}


@dataclass(frozen=True)
class Held:
    """One measure's value for the council and year, and the values a draft may print."""

    family: str
    code: str
    value: float
    shown: tuple[float, ...]


def load_named() -> list[dict]:
    text = resources.files("openasc.check").joinpath("measures.yaml").read_text("utf-8")
    entries = yaml.safe_load(text)
    for e in entries:
        e["phrases"] = sorted((" ".join(p.lower().split()) for p in e["phrases"]),
                              key=len, reverse=True)
    return entries


def _round5(x: float) -> float:
    return float(int(x / 5 + 0.5) * 5)


def held_values(con: duckdb.DuckDBPyConnection, la: str, start: date, end: date
                ) -> dict[str, Held]:
    rows = con.execute(
        "SELECT family, code, numerator, denominator, value, unit FROM metric_values "
        "WHERE la_code = ? AND period_start = ? AND period_end = ? AND breakdown = ''",
        [la, start, end]).fetchall()
    out = {}
    for family, code, num, den, value, unit in rows:
        if value is None:
            continue
        shown = [value]
        if unit == "count":
            shown.append(_round5(value))
        elif num is not None and den:
            scale = 100.0 if unit == "percent" else 100000.0
            pub_den = _round5(den) if unit == "percent" else den
            if pub_den:
                shown.append(_round5(num) / pub_den * scale)
        out[f"{family}/{code}"] = Held(family, code, value, tuple(shown))
    for age in (18, 65):
        got = con.execute("SELECT sum(population) FROM population WHERE la_code = ? AND "
                          "year = ? AND age >= ?", [la, start.year, age]).fetchone()
        if got and got[0]:
            out[f"POP/{age}"] = Held("POP", f"{age}+", float(got[0]), (float(got[0]),))
    return out


def _matches(claim: Claim, held: Held) -> bool:
    half = claim.half
    if claim.kind == "count" and claim.value >= 10000:  # a population printed rounded
        digits = re.sub(r"\D", "", claim.text.split(".")[0])
        zeros = len(digits) - len(digits.rstrip("0"))
        half = max(half, 0.5 * 10 ** min(zeros, 3))
    return any(abs(claim.value - v) <= half + 1e-9 for v in held.shown)


def _measure_near(s: Sentence, c: Claim, named: list[dict]) -> dict | None:
    """The measure a figure is of, when the sentence names it whole right beside the figure:
    '1,470 safeguarding concerns' or 'safeguarding concerns: 1,470'. A qualified name
    ('concluded Section 42 enquiries', 'people involved in safeguarding concerns',
    'concerns about neglect') is another quantity, so it is not compared."""
    after = " ".join(s.text[c.end:c.end + 90].lower().split())
    before = " ".join(s.text[max(0, c.start - 120):c.start].lower().split())
    best = None
    for e in named:
        for p in e["phrases"]:
            if after.startswith(p) and not NARROWED.match(after[len(p):]):
                hit = True
            else:
                i = before.rfind(p)
                hit = i >= 0 and bool(LINK.fullmatch(before[i + len(p):])) and \
                    bool(WHOLE.search(before[:i]))
            if hit and (best is None or len(p) > best[1]):
                best = (e, len(p))
    return best[0] if best else None


def check_warehouse(sents: list[Sentence], held: dict[str, Held], year: str
                    ) -> list[Finding]:
    named = load_named()
    out = []
    for s in sents:
        other = {p for p in s.periods if p != year and p != "this year"
                 and not year.startswith(p[:4])}
        if other:
            continue  # a figure for another period is not this year's measure
        for c in s.claims:
            if not c.exact or c.kind not in KIND_KEY or is_change(s, c):
                continue  # a change ('an increase of 170 concerns') is not the measure
            entry = _measure_near(s, c, named)
            if entry is None:
                continue
            if "population" in entry:
                key = f"POP/{entry['population']}" if c.kind == "count" else None
            else:
                key = entry.get(KIND_KEY[c.kind])
            if not key or key not in held:
                continue
            out.append(_compare(s, c, entry, held[key], held))
    return out


def _compare(s: Sentence, c: Claim, entry: dict, h: Held, held: dict[str, Held]) -> Finding:
    label = f"{h.family} {h.code}" if h.family != "POP" else f"population {h.code}"
    pub = [v for v in h.shown[1:] if abs(v - h.value) > 1e-9]
    values = fmt(round(h.value, 2)) + (f" (published {fmt(round(pub[0], 2))})" if pub else "")
    if _matches(c, h):
        return Finding("note", "warehouse", s.where, s.text,
                       f"{c.text} matches {label} ({entry['name']}) for the year: {values}.")
    for miss in entry.get("near_misses", []):
        other = held.get(miss["measure"])
        if other and _matches(c, other):
            return Finding("warning", "warehouse", s.where, s.text,
                           f"{c.text} is not {label} ({entry['name']}, {values}) but matches "
                           f"{other.family} {other.code} ({fmt(round(other.value, 2))}): "
                           f"{miss['why']}.")
    return Finding("error", "warehouse", s.where, s.text,
                   f"The sentence gives {c.text} for {entry['name']}; the warehouse holds "
                   f"{values} ({label}) for the council and year.")
