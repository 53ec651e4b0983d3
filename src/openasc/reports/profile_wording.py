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
from openasc.compare.labels import england_rank_text, region_rank_text
from openasc.compare.labels import ordinal as ordinal  # re-exported for older callers
from openasc.compare.measure_set import ChangeRule
from openasc.reports.phrasing import number, value_text


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


def region_name(c: Comparison) -> str:
    """'the region' for a published regional figure, else what it is: 'the average of the 2
    councils loaded in the North West'."""
    return "the region" if c.region_basis == "published" else f"the {c.region_label}"


def england_name(c: Comparison) -> str:
    """'England' for a published England figure, else 'the average of the 5 councils
    loaded': a mean of whichever councils are loaded is never called England."""
    return "England" if c.england_basis == "published" else f"the {c.england_label}"


def value_rank(c: Comparison, title: str) -> str:
    """'<measure>: 82.7%, 1st of 23 in the region and 9th of 153 nationally (region 78.0%,
    England 77.9%).' A rank that does not cover every council says so."""
    region = "region" if c.region_basis == "published" else c.region_label
    england = "England" if c.england_basis == "published" else c.england_label
    return (f"{title}: {shown(c, c.value)}, {region_rank_text(c)} and {england_rank_text(c)} "
            f"({region} {shown(c, c.region_value)}, {england} {shown(c, c.england_value)}).")


def against_comparators(c: Comparison, title: str) -> str:
    """'<measure> is 512.3 per 100,000, against 498.1 for the region and 560.2 for England.'"""
    return (f"{title} is {shown(c, c.value)}, against {shown(c, c.region_value)} for "
            f"{region_name(c)} and {shown(c, c.england_value)} for {england_name(c)}.")


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
    better than England.' Without a published England figure: '... above the average of the
    5 councils loaded (...), better than that average.'"""
    side = "above" if c.gap_england > 0 else "below"
    better = "better" if (c.gap_england > 0) == (c.polarity == "higher") else "worse"
    published = c.england_basis == "published"
    figure = "the England figure" if published else england_name(c)
    return (f"{title}: {gap_amount(c, c.gap_england)} {side} {figure} "
            f"({shown(c, c.value)} against {shown(c, c.england_value)}), "
            f"{better} than {'England' if published else 'that average'}.")


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
