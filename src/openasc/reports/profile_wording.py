"""The sentences of an improvement profile: one function per kind of bullet.

reports.md §3 lists the forms real profiles use; these functions write them from rows of
`comparisons`, so that the same measure set, the measure's polarity and the stated meaning
of "about the same" hold in every profile. Numbers go through `openasc.reports.phrasing`
(publication rounding, units); the words that are particular to comparisons live here, to
be merged into phrasing when the lead wishes.
"""

from __future__ import annotations

from collections.abc import Sequence

from openasc.compare.comparisons import Comparison
from openasc.compare.measure_set import ChangeRule
from openasc.reports.phrasing import number, value_text


def ordinal(n: int) -> str:
    """1 → '1st', 2 → '2nd', 11 → '11th', 23 → '23rd'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def listing(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _measures(n: int) -> str:
    return "measure" if n == 1 else "measures"


def shown(c: Comparison, value: float) -> str:
    return value_text(value, c.unit, c.precision)


def improved_count(improved: int, size: int, set_label: str) -> str:
    """'5 of the 14 ASCOF measures improved on the previous year.'"""
    return f"{improved} of the {size} {set_label} improved on the previous year."


def three_way(improved: int, same: int, declined: int, not_compared: int) -> str:
    """'5 measures improved, 6 were about the same and 3 declined.' (+ those not compared)"""
    text = (f"{improved} {_measures(improved)} improved, {same} "
            f"{'was' if same == 1 else 'were'} about the same and {declined} declined")
    if not_compared:
        text += (f"; {not_compared} could not be compared with the previous year (no figure "
                 "for one of the two years, or a break in the series)")
    return text + "."


def value_rank(c: Comparison, title: str) -> str:
    """'<measure>: 82.7%, 1st of 23 in the region and 9th of 153 nationally (region 78.0%,
    England 77.9%).'"""
    return (f"{title}: {shown(c, c.value)}, {ordinal(c.region_rank or 0)} of {c.region_n} in "
            f"the region and {ordinal(c.england_rank or 0)} of {c.england_n} nationally "
            f"(region {shown(c, c.region_value)}, England {shown(c, c.england_value)}).")


def against_comparators(c: Comparison, title: str) -> str:
    """'<measure> is 512.3 per 100,000, against 498.1 for the region and 560.2 for England.'"""
    return (f"{title} is {shown(c, c.value)}, against {shown(c, c.region_value)} for the "
            f"region and {shown(c, c.england_value)} for England.")


def quartile(position: str, titles: Sequence[str]) -> str:
    """'Top quartile in the region for A and B.' (position 'top' or 'bottom')."""
    return f"{position.capitalize()} quartile in the region for {listing(titles)}."


def gap_amount(c: Comparison, gap: float) -> str:
    """A gap in the measure's own unit: '3.4 percentage points', '45.2 per 100,000',
    '0.6 points', '12 days'."""
    amount = number(abs(gap), c.precision)
    one = amount in ("1", "1.0", "1.00")
    if c.unit == "percent":
        return f"{amount} percentage {'point' if one else 'points'}"
    if c.unit == "per_100k":
        return f"{amount} per 100,000"
    if c.unit == "score":
        return f"{amount} {'point' if one else 'points'}"
    if c.unit == "days":
        return f"{amount} {'day' if one else 'days'}"
    return amount


def gap_to_england(c: Comparison, title: str) -> str:
    """'<measure>: 3.4 percentage points above the England figure (81.2% against 77.8%),
    better than England.'"""
    side = "above" if c.gap_england > 0 else "below"
    better = (c.gap_england > 0) == (c.polarity == "higher")
    return (f"{title}: {gap_amount(c, c.gap_england)} {side} the England figure "
            f"({shown(c, c.value)} against {shown(c, c.england_value)}), "
            f"{'better' if better else 'worse'} than England.")


def trend(c: Comparison, title: str) -> str:
    """'<measure> has improved for 3 years in a row.'"""
    return f"{title} has {c.change_class} for {c.trend_years} years in a row."


def about_the_same(rules: Sequence[ChangeRule]) -> str:
    """What "about the same" means, from the declared rules of the units in the set."""
    names = {"percent": "percentages", "per_100k": "rates per 100,000", "score": "scores",
             "rate": "rates", "days": "times in days", "count": "counts",
             "per_1000": "rates per 1,000"}
    parts = [f"{r.describe()} for {names.get(r.unit, r.unit)}" for r in rules]
    return (f"\"About the same\" means {listing(parts)}; where both years carry a margin of "
            "error (survey measures), overlapping intervals are about the same.")
