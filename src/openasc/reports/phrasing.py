"""Numbers into sentences, the one place a report turns a figure into words.

Hand-written Local Accounts go wrong in the same few ways (reports.md §1): "a 1% increase"
that is one percentage point, "improved" for a measure that got worse, a comparator from
another year printed as if it were this year's, a rate that does not say per what. Every
sentence with a number in it is built here, so those rules hold everywhere at once.

A phrase is a sequence of plain words and `Fig`s. A `Fig` is a formatted number that still
knows where it came from (`trace`), so the HTML can carry that origin on the element and a
test can follow every printed number back to `metric_values` or a declared input.
`str(phrase)` gives the plain sentence; `phrase.html()` the marked-up one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from openasc.metrics.disclosure import round_half_up

SUPPRESSED = "[c]"

UNIT_DEFAULT_PRECISION = {"percent": 1, "per_100k": 1, "count": 0, "days": 0, "rate": 1,
                          "score": 1, "percent_change": 1, "per_100": 1, "per_1000": 1,
                          "gbp_per_head": 0, "gbp_per_week": 0, "gbp_per_hour": 2}

# Money and the other units a figure is printed in: (before the number, after it).
UNIT_AFFIXES = {"percent": ("", "%"), "percent_change": ("", "%"),
                "per_100k": ("", " per 100,000"), "per_100": ("", " per 100"),
                "gbp_per_head": ("£", " a head"),
                "gbp_per_week": ("£", " a week"), "gbp_per_hour": ("£", " an hour")}


@dataclass(frozen=True)
class Fig:
    """One printed number and its origin.

    `trace` is a dict of HTML data attributes (without the `data-` prefix) that lets a
    reader or a test recompute the number: e.g. {"mv": "<row key>", "field": "value"}.
    """

    text: str
    trace: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.text

    def html(self) -> Markup:
        attrs = "".join(f' data-{k}="{escape(v)}"' for k, v in sorted(self.trace.items()))
        return Markup(f'<span class="fig"{attrs}>{escape(self.text)}</span>')


@dataclass(frozen=True)
class Link:
    """Words that link to a note in the same document (a measure's definition)."""

    text: str
    href: str

    def __str__(self) -> str:
        return self.text

    def html(self) -> Markup:
        return Markup(f'<a href="{escape(self.href)}">{escape(self.text)}</a>')


class Phrase(tuple):
    """A sentence made of plain strings and `Fig`s."""

    def __new__(cls, parts: Iterable[str | Fig | Link | Phrase] = ()) -> Phrase:
        flat: list[str | Fig | Link] = []
        for p in parts:
            if isinstance(p, Phrase):
                flat.extend(p)
            elif p != "":
                flat.append(p)
        return super().__new__(cls, flat)

    def __str__(self) -> str:
        return "".join(str(p) for p in self)

    def __add__(self, other: object) -> Phrase:  # type: ignore[override]
        if isinstance(other, (str, Fig, Link)):
            return Phrase([*self, other])
        return Phrase([*self, *other])  # type: ignore[misc]

    def html(self) -> Markup:
        return Markup("").join(escape(p) if isinstance(p, str) else p.html() for p in self)


def P(*parts: str | Fig | Link | Phrase) -> Phrase:  # noqa: N802 - reads like a sentence builder
    """Build a phrase: P("up ", fig, " on last year")."""
    return Phrase(parts)


# --------------------------------------------------------------------------- numbers
def number(value: float | None, places: int = 0) -> str:
    """Thousands separators and a fixed number of decimals; '[c]' for a suppressed value."""
    if value is None:
        return SUPPRESSED
    rounded = round_half_up(value, places)
    if rounded == 0:
        rounded = 0.0  # no "-0.0"
    return f"{rounded:,.{places}f}"


def precision_for(unit: str, precision: int | None) -> int:
    return UNIT_DEFAULT_PRECISION.get(unit, 1) if precision is None else int(precision)


def value_text(value: float | None, unit: str, precision: int | None = None) -> str:
    """A measure's value in its unit: '82.7%', '513.9 per 100,000', '1,234', '42 days'."""
    places = precision_for(unit, precision)
    if value is None:
        return SUPPRESSED
    n = number(value, places)
    if unit in UNIT_AFFIXES:
        before, after = UNIT_AFFIXES[unit]
        return f"{before}{n}{after}"
    if unit == "days":
        return f"{n} {'day' if n == '1' else 'days'}"
    return n


def plural(count: float, singular: str, plural_form: str | None = None) -> str:
    """'1 request', '2 requests', '0 requests': only exactly one is singular."""
    return singular if count == 1 else (plural_form or singular + "s")


def counted(count: float | None, singular: str, plural_form: str | None = None,
            trace: dict[str, str] | None = None) -> Phrase:
    """'no requests', '1 request', '1,234 requests', or '[c] requests' when suppressed."""
    if count is None:
        return P(Fig(SUPPRESSED, trace or {}), " ", plural_form or singular + "s")
    if count == 0:
        return P("no ", plural_form or singular + "s")
    return P(Fig(number(count, 0), trace or {}), " ", plural(count, singular, plural_form))


# --------------------------------------------------------------------------- change
def direction(delta: float, polarity: str) -> str:
    """The judgement word for a change, following the measure's polarity.

    A fall in care-home admissions (polarity 'lower') 'improved'; a fall in 2A (polarity
    'higher') 'worsened'; a neutral measure just 'rose' or 'fell'.
    """
    if delta == 0:
        return "did not change"
    up = delta > 0
    if polarity == "higher":
        return "improved" if up else "worsened"
    if polarity == "lower":
        return "worsened" if up else "improved"
    return "rose" if up else "fell"


def change(now: float | None, before: float | None, unit: str, precision: int | None,
           polarity: str, trace_now: dict[str, str] | None = None,
           trace_before: dict[str, str] | None = None, pair: str = "") -> Phrase:
    """How a figure moved on last year, in the right kind of change for its unit.

    Percentages move in percentage points ("up 1.0 percentage point, from 5.0% to 6.0%");
    counts and rates in percent change ("up 13% on last year, from 100 to 113"). The
    change is worked out from the two *rounded* printed values, so that the sentence is
    arithmetically consistent with what the reader sees (reports.md §1: a stated change
    must be the difference of the two printed years). `pair` is the trace of both rows.
    """
    places = precision_for(unit, precision)
    if now is None or before is None:
        return P("no comparison with last year is possible because a figure is suppressed")
    shown_now, shown_before = round_half_up(now, places), round_half_up(before, places)
    f_now = Fig(value_text(now, unit, precision), trace_now or {})
    f_before = Fig(value_text(before, unit, precision), trace_before or {})
    delta = shown_now - shown_before
    if delta == 0:
        return P("the same as last year (", f_before, ")")
    word = "up" if delta > 0 else "down"
    judged = direction(delta, polarity)
    verdict = f" ({judged})" if polarity in ("higher", "lower") else ""
    if unit == "percent":
        pp = abs(round_half_up(delta, places))
        pp_text = number(pp, places)
        unit_word = "percentage point" if pp_text in ("1", "1.0", "1.00") else "percentage points"
        f_pp = Fig(pp_text, {"calc": "pp", "pair": pair, "places": str(places)})
        return P(word, " ", f_pp, f" {unit_word}{verdict}, from ", f_before, " to ", f_now)
    if shown_before == 0:
        return P(word, verdict, " from ", f_before, " to ", f_now)
    pct = abs(delta) / abs(shown_before) * 100
    f_pct = Fig(f"{number(pct, 0)}%", {"calc": "pct", "pair": pair, "places": str(places)})
    return P(word, " ", f_pct, f" on last year{verdict}, from ", f_before, " to ", f_now)


# --------------------------------------------------------------------------- comparators
def year_label(period_start_year: int) -> str:
    """2024 → '2024-25', the financial-year label readers know."""
    return f"{period_start_year}-{(period_start_year + 1) % 100:02d}"


def comparator(name: str, value: float | None, unit: str, precision: int | None,
               own_year: int, their_year: int, trace: dict[str, str] | None = None) -> Phrase:
    """'England 80.1%', with the year added when it is not the council's own year."""
    fig = Fig(value_text(value, unit, precision), trace or {})
    if their_year != own_year:
        return P(name, " ", fig, f" ({year_label(their_year)})")
    return P(name, " ", fig)


def against(name: str, own: float, their: float, unit: str, precision: int | None,
            polarity: str) -> str:
    """'better than England', 'worse than the region', 'the same as England' (at print
    precision), 'higher than England' for a neutral measure."""
    places = precision_for(unit, precision)
    a, b = round_half_up(own, places), round_half_up(their, places)
    if a == b:
        return f"the same as {name}"
    higher = a > b
    if polarity == "higher":
        return f"{'better' if higher else 'worse'} than {name}"
    if polarity == "lower":
        return f"{'worse' if higher else 'better'} than {name}"
    return f"{'higher' if higher else 'lower'} than {name}"


def rate_population(unit: str, population_year: int | None,
                    population: str = "adults aged 18 and over") -> str:
    """Which population a per-100,000 rate is per, and which year's estimate (reports.md §1:
    say which population and which year): ' adults aged 65 and over (mid-2024 population
    estimate)'. The population comes from the measure's definition (`labels.population`)."""
    if unit != "per_100k":
        return ""
    year = f" (mid-{population_year} population estimate)" if population_year else ""
    return f" {population}{year}"


def share(part: float | None, whole: float | None, places: int = 1,
          trace: dict[str, str] | None = None) -> Fig:
    """A part of a total as a percentage of it ('[c]' when either is suppressed)."""
    if part is None or not whole:
        return Fig(SUPPRESSED, trace or {})
    return Fig(f"{number(part / whole * 100, places)}%", trace or {})


# --------------------------------------------------------------------------- comparisons
QUARTILE_WORDS = {1: "top quartile", 2: "second quartile", 3: "third quartile",
                  4: "bottom quartile"}


def ordinal(n: int) -> str:
    """1 → '1st', 2 → '2nd', 11 → '11th', 23 → '23rd'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def ranked(rank: int, n: int, place: str, trace_rank: dict[str, str] | None = None,
           trace_n: dict[str, str] | None = None) -> Phrase:
    """'5th of 14 in the West Midlands': a rank always says out of how many, and where."""
    return P(Fig(ordinal(rank), trace_rank or {}), " of ", Fig(number(n, 0), trace_n or {}),
             f" in {place}")


def in_units(amount: float, unit: str, places: int, trace: dict[str, str] | None = None
             ) -> Phrase:
    """A difference in a measure's own unit: '4.7 percentage points' (never '4.7%' for a
    percentage), '45.2 per 100,000', '0.6 points', '12 days', '30'."""
    text = number(abs(amount), places)
    one = text in ("1", "1.0", "1.00")
    if unit.startswith("gbp_"):
        return P("£", Fig(text, trace or {}), UNIT_AFFIXES[unit][1])
    words = {"percent": " percentage point" if one else " percentage points",
             "percent_change": " percentage point" if one else " percentage points",
             "per_100k": " per 100,000", "per_1000": " per 1,000", "per_100": " per 100",
             "score": " point" if one else " points", "rate": "",
             "days": " day" if one else " days"}.get(unit, "")
    return P(Fig(text, trace or {}), words)


def gap(amount: float, unit: str, places: int, name: str, polarity: str,
        trace: dict[str, str] | None = None, their: Phrase | None = None) -> Phrase:
    """'4.7 percentage points above England (78.0%), better', 'the same as England (78.0%)'
    — the gap in the measure's unit between the two printed figures, judged by polarity;
    `their` is the comparator's printed figure."""
    shown = P(" (", their, ")") if their else P()
    if round_half_up(amount, places) == 0:
        return P(f"the same as {name}", shown)
    above = amount > 0
    judged = ""
    if polarity in ("higher", "lower"):
        judged = ", better" if above == (polarity == "higher") else ", worse"
    return P(in_units(amount, unit, places, trace), f" {'above' if above else 'below'} {name}",
             shown, judged)


def _threshold_places(value: float) -> int:
    text = f"{value:g}"
    return len(text.split(".", 1)[1]) if "." in text else 0


def rule_limit(kind: str, threshold: float, unit: str,
               trace: dict[str, str] | None = None) -> Phrase:
    """The threshold of the declared rule for "about the same": '1 percentage point', '2% of
    last year's value'. `trace` points at the rule's threshold; the printed places are added
    here (and `scale` for a relative rule, whose fraction is printed as a percent)."""
    if kind == "relative":
        pct = threshold * 100
        places = _threshold_places(round(pct, 9))
        fig = Fig(f"{number(pct, places)}%", {**(trace or {}), "places": str(places),
                                              "scale": "100"})
        return P(fig, " of last year's value")
    places = _threshold_places(threshold)
    return in_units(threshold, unit, places, {**(trace or {}), "places": str(places)})


def moved(change_amount: float | None, change_relative: float | None, kind: str, unit: str,
          places: int, trace_change: dict[str, str] | None = None,
          trace_relative: dict[str, str] | None = None) -> Phrase:
    """How far the printed figure moved, measured as the rule measures it: 'up 0.5
    percentage points' (a points rule), 'down 3.1% on last year' (a relative rule)."""
    if change_amount is None:
        return P()
    if round_half_up(change_amount, places) == 0:
        return P("no change")
    word = "up " if change_amount > 0 else "down "
    if kind == "relative" and change_relative is not None:
        fig = Fig(f"{number(abs(change_relative) * 100, 1)}%", trace_relative or {})
        return P(word, fig, " on last year")
    return P(word, in_units(change_amount, unit, places, trace_change))


def classified(change_class: str | None, how_far: Phrase, limit: Phrase, surveyed: bool,
               trace: dict[str, str] | None = None) -> Phrase:
    """The comparisons table's verdict on the change, in its own words, with the rule that
    gave it: 'about the same: up 0.5 percentage points, less than 1 percentage point'.

    The verdict is never re-derived here: `change_class` is printed as stated (traced to the
    table), and the movement and the rule are put beside it so a reader can check it.
    """
    if change_class is None:
        return P("no previous year")
    verdict = Fig(change_class, {**(trace or {}), "text": "1"})
    if change_class == "not comparable":
        return P(verdict, ": the way the measure is counted changed this year")
    if change_class == "not judged":
        return P(verdict, ": the measure has no better direction")
    lead = P(how_far, ", ") if how_far else P()
    if change_class == "about the same":
        margins = " or within the survey's margins of error" if surveyed else ""
        return P(verdict, ": ", lead, "less than ", limit, margins)
    margins = " or beyond the survey's margins of error" if surveyed else ""
    return P(verdict, ": ", lead, "at least ", limit, margins)
