"""Who we are and our population: adults 18+, 65+ and 85+ from the ONS mid-year estimates
loaded into the warehouse, their growth, and a chart of the adults by broad age band.

The estimates are public reference data, printed as published (no rounding, no
suppression); each figure carries a trace to the population rows it sums.
"""

from __future__ import annotations

from typing import Any

from openasc.reports import charts
from openasc.reports.document import Section, Table
from openasc.reports.figures import AgeGroup, Figures
from openasc.reports.phrasing import Fig, P, Phrase, number, round_half_up

GROUP_WORDS = {18: "Adults aged 18 and over", 65: "People aged 65 and over",
               85: "People aged 85 and over"}


def _people(g: AgeGroup) -> Fig:
    return Fig(number(g.people, 0), g.trace())


def _growth(now: AgeGroup, then: AgeGroup) -> Phrase:
    """'up 0.8% since mid-2022': the relative change of two printed counts."""
    pct = (now.people - then.people) / then.people * 100
    word = "up" if pct > 0 else "down"
    fig = Fig(f"{number(abs(pct), 1)}%", {"calc": "popgrowth", "pair":
                                          f"{now.trace()['key']}~~{then.trace()['key']}",
                                          "places": "1"})
    if round_half_up(pct, 1) == 0:
        return P(f"about the same as in mid-{then.year}")
    return P(word, " ", fig, f" since mid-{then.year}")


def population_section(f: Figures, item: dict[str, Any]) -> Section:
    """Adults 18+, 65+ and 85+ in the latest estimate, their growth since the earliest one
    held, a chart of the adults by broad age band and a small table by year."""
    sec = Section(sid=item["id"], title=item["title"])
    if not f.population:
        return sec
    years = sorted({g.year for g in f.population})
    latest, first = years[-1], years[0]
    at = {(g.year, g.from_age): g for g in f.population}
    sec.blocks.append(P(f"These figures are the Office for National Statistics' estimates of "
                        f"the people living in {f.council.name} in the middle of {latest}."))
    for age in (18, 65, 85):
        g = at.get((latest, age))
        if g is None:
            continue
        s = P(GROUP_WORDS[age], ": ", _people(g), ".")
        old = at.get((first, age))
        if old is not None and first != latest and old.people:
            s = s + P(" This is ", _growth(g, old), ".")
        sec.blocks.append(s)
    sec.blocks.append(Table(
        caption=f"People living in {f.council.name}, by age, mid-year estimates",
        headers=["Age group", *[f"Mid-{y}" for y in years]],
        rows=[[GROUP_WORDS[a], *[P(_people(at[(y, a)])) if (y, a) in at else "not held"
                                 for y in years]] for a in (18, 65, 85)]))
    bands = _bands(at, latest)
    if bands:
        sec.blocks.append(charts.bar_chart(
            "population-chart", f"Adults by age band, mid-{latest}", [b[0] for b in bands],
            [b[1] for b in bands], "People",
            "Bar chart of the adults living here by age band. The figures behind it are in "
            "the table above: each band is the difference of two of its rows."))
    return sec


def _bands(at: dict[tuple[int, int], AgeGroup], year: int) -> list[tuple[str, int]]:
    """18-64, 65-84 and 85+ from the three 'and over' groups."""
    got = [at.get((year, a)) for a in (18, 65, 85)]
    if None in got:
        return []
    a18, a65, a85 = (g.people for g in got)  # type: ignore[union-attr]
    return [("18 to 64", a18 - a65), ("65 to 84", a65 - a85), ("85 and over", a85)]
