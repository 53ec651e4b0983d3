"""Sections built from `metric_values`: the funnel, a family's measures, how we compare.

Each builder returns a `Section` (possibly empty, then dropped). Every number goes through
`phrasing`, carrying the key of its row, so the page can be traced back to the warehouse.
"""

from __future__ import annotations

from collections import defaultdict
from importlib import resources
from typing import Any

import yaml

from openasc.reports import charts
from openasc.reports.document import Section, Table
from openasc.reports.figures import ENGLAND, KEY_SEP, Figures, Measure, Row
from openasc.reports.phrasing import (
    Fig,
    Link,
    P,
    Phrase,
    against,
    change,
    comparator,
    direction,
    number,
    precision_for,
    rate_population,
    round_half_up,
    share,
    value_text,
    year_label,
)

MULTI_LABEL_NOTE = ("One case can fall into several categories, so the categories can add up "
                    "to more than the total.")


def data_file(name: str) -> Any:
    return yaml.safe_load(resources.files("openasc.reports").joinpath("data", name)
                          .read_text("utf-8"))


def title_link(m: Measure) -> Link:
    return Link(m.title, f"#{m.anchor}")


def fig(row: Row, m: Measure, what: str = "value") -> Fig:
    """A row's value (or numerator/denominator) as printed, traced to its row."""
    shown = row.shown(what)
    if what == "value":
        text = value_text(shown, row.unit, m.precision)
        places = precision_for(row.unit, m.precision)
    else:
        text, places = number(shown, 0), 0
    return Fig(text, {**row.trace(what), "places": str(places)})


def label_of(row: Row) -> str:
    parts = row.parts
    return "; ".join(parts.values()) if parts else "All"


def headline_sentence(f: Figures, row: Row) -> Phrase:
    """'<Title>: 82.7% (per ...), up 1.2 percentage points (improved), from 81.5% to 82.7%.'"""
    m = f.measure(row.family, row.code, row.unit)
    pop = rate_population(row.unit, f.population_year)
    sentence = P(title_link(m), ": ", fig(row, m), pop)
    before = f.before(row)
    if before is not None:
        moved = change(row.shown(), before.shown(), row.unit, m.precision, m.polarity,
                       {**row.trace(), "places": str(precision_for(row.unit, m.precision))},
                       {**before.trace(), "places": str(precision_for(row.unit, m.precision))},
                       pair=f"{row.key}{KEY_SEP}{before.key}")
        sentence = sentence + P("; ", moved)
    return sentence + "."


def breakdown_tables(f: Figures, family: str, code: str, sid: str) -> list[Any]:
    """One table (and, for counts, a bar chart) per breakdown dimension of a measure."""
    m = f.measure(family, code)
    groups: dict[tuple[str, ...], list[Row]] = defaultdict(list)
    for r in f.breakdowns(family, code):
        groups[tuple(sorted(r.parts))].append(r)
    blocks: list[Any] = []
    for keys, rows in sorted(groups.items()):
        rows = sorted(rows, key=lambda r: r.breakdown)
        dim = " and ".join(k.replace("_", " ") for k in keys)
        caption = f"{m.title} by {dim}, {year_label(f.year)}"
        head = f.get(family, code)
        note = ""
        if head is not None and rows[0].unit == "count" and len(keys) == 1:
            total = sum(r.value or 0 for r in rows)
            if head.value is not None and total > head.value:
                note = MULTI_LABEL_NOTE
        blocks.append(Table(caption=caption, headers=[dim.capitalize(), _unit_header(rows[0])],
                            rows=[[label_of(r), P(fig(r, m))] for r in rows], note=note))
        drawable = [r for r in rows if r.shown() is not None]
        if rows[0].unit == "count" and len(drawable) >= 2:
            cid = f"{sid}-{code}-{'-'.join(keys)}".replace("_", "-").lower()
            largest = max(drawable, key=lambda r: r.value or 0)
            alt = (f"Bar chart of {m.title.lower()} by {dim}; the largest is "
                   f"{label_of(largest)}. The figures are in the table above.")
            blocks.append(charts.bar_chart(cid, caption, [label_of(r) for r in drawable],
                                           [round_half_up(r.value or 0, 0) for r in drawable],
                                           _unit_header(rows[0]), alt))
    return blocks


def _unit_header(row: Row) -> str:
    return {"percent": "Per cent", "per_100k": "Per 100,000 adults", "days": "Days",
            "count": "Number"}.get(row.unit, "Value")


def family_section(f: Figures, spec: dict[str, Any]) -> Section:
    """A section from one or more metric families: sentences, a summary table, breakdowns."""
    sec = Section(sid=spec["id"], title=spec["title"])
    heads = [r for fam in spec["families"] for r in f.family(fam)]
    codes_with_breakdowns = sorted({(r.family, r.code) for fam in spec["families"]
                                    for r in f.family(fam, headline=False)})
    if not heads and not codes_with_breakdowns:
        return sec
    if spec.get("intro"):
        sec.blocks.append(P(spec["intro"]))
    if heads:
        sec.blocks.append([headline_sentence(f, r) for r in heads])
        sec.blocks.append(summary_table(f, heads, f"{spec['title']}: the figures, "
                                        f"{year_label(f.year)}"))
    for family, code in codes_with_breakdowns:
        m = f.measure(family, code)
        child = Section(sid=f"{spec['id']}-{code}".lower(), title=m.title)
        child.blocks.extend(breakdown_tables(f, family, code, spec["id"]))
        sec.children.append(child)
    return sec


def summary_table(f: Figures, heads: list[Row], caption: str) -> Table:
    rows = []
    for r in heads:
        m = f.measure(r.family, r.code, r.unit)
        before = f.before(r)
        rows.append([P(title_link(m)), P(fig(r, m)),
                     P(fig(before, m)) if before is not None else "not available"])
    return Table(caption=caption, headers=["Measure", year_label(f.year),
                                           year_label(f.year - 1)], rows=rows)


# --------------------------------------------------------------------------- journey
def _stage(value: str, stages: list[dict[str, Any]]) -> str:
    low = value.lower()
    for s in stages:
        if any(w in low for w in s["contains"]):
            return s["label"]
    return stages[-1]["label"]


def journey_section(f: Figures) -> Section:
    """The customer journey as a funnel: requests, then where they led (STS001), then what
    followed short-term support (STS002a)."""
    spec = data_file("journey.yaml")
    req, after = spec["requests"], spec["after_short_term"]
    sec = Section(sid="journey", title="How people come to us and where they go")
    rows = [r for r in f.breakdowns(req["family"], req["code"]) if "what_next" in r.parts]
    if rows:
        m = f.measure(req["family"], req["code"])
        by_stage: dict[str, list[Row]] = defaultdict(list)
        for r in rows:
            by_stage[_stage(r.parts["what_next"], spec["stages"])].append(r)
        order = [s["label"] for s in spec["stages"] if s["label"] in by_stage]
        total_rows = [r for lab in order for r in by_stage[lab]]
        total = sum(r.value or 0 for r in total_rows)
        total_key = KEY_SEP.join(r.key for r in total_rows)
        total_fig = Fig(number(total, 0), {"calc": "sum", "of": total_key, "places": "0"})
        sec.blocks.append(P("In ", year_label(f.year), " we received ",
                            total_fig, f" {'request' if total == 1 else 'requests'} for "
                            "support from people new to adult social care whose outcome was "
                            "decided in the year (", title_link(m), ")."))
        table_rows = []
        values = []
        for lab in order:
            group = by_stage[lab]
            n = sum(r.value or 0 for r in group)
            keys = KEY_SEP.join(r.key for r in group)
            small = 0 < n < 5
            n_fig = Fig("[c]" if small else number(n, 0),
                        {"calc": "sum", "of": keys, "places": "0"})
            s_fig = share(None if small else n, total,
                          1, {"calc": "share", "of": keys, "over": total_key, "places": "1"})
            table_rows.append([lab, P(n_fig), P(s_fig)])
            values.append(0 if small else n)
        table_rows.append(["All requests", P(total_fig),
                           P(Fig("100.0%", {"calc": "share", "of": total_key,
                                            "over": total_key, "places": "1"}))])
        sec.blocks.append(Table(caption=f"What followed a request for support, "
                                f"{year_label(f.year)}", headers=["What followed", "Requests",
                                                                  "Share of requests"],
                                rows=table_rows))
        biggest = order[values.index(max(values))]
        sec.blocks.append(charts.bar_chart(
            "journey-funnel", "Where requests for support led", order, values, "Requests",
            f"Bar chart of the requests for support by what followed; the most common was "
            f"{biggest.lower()}. The figures are in the table above."))
    follow = [r for r in f.breakdowns(after["family"], after["code"]) if len(r.parts) == 1]
    if follow:
        m2 = f.measure(after["family"], after["code"])
        child = Section(sid="journey-after", title="What followed short-term support")
        child.blocks.append(P("Short-term support (reablement) helps people regain skills "
                              "and confidence. This is what followed it (", title_link(m2),
                              ")."))
        child.blocks.extend(breakdown_tables(f, after["family"], after["code"], "journey"))
        sec.children.append(child)
    return sec


# --------------------------------------------------------------------------- compare
def compare_section(f: Figures) -> Section:
    """ASCOF against England and the region, and how many measures improved (reports.md §3:
    one declared measure set, polarity respected, 'about the same' defined)."""
    sec = Section(sid="compare", title="How we compare")
    rows = [r for r in f.rows if r.family == "ASCOF"
            and (r.breakdown == "" or set(r.parts) == {"part"})]
    rows.sort(key=lambda r: (r.code, r.breakdown))
    if not rows:
        return sec
    region = f.council.region or "the region"
    improved = same = declined = 0
    table_rows = []
    for r in rows:
        m = f.measure(r.family, r.code, r.unit)
        before = f.before(r)
        places = precision_for(r.unit, m.precision)
        verdict = "no previous year"
        if before is not None and r.shown() is not None and before.shown() is not None:
            delta = round_half_up(r.value, places) - round_half_up(before.value, places)
            if m.polarity in ("higher", "lower"):
                word = direction(delta, m.polarity)
                verdict = {"improved": "improved",
                           "worsened": "declined"}.get(word, "about the same")
                improved += verdict == "improved"
                declined += verdict == "declined"
                same += verdict == "about the same"
            else:
                verdict = "not judged (no better direction)"
        cells: list[Any] = [P(title_link(m), f" ({r.parts['part']})" if r.breakdown else ""),
                            P(fig(r, m)),
                            P(fig(before, m)) if before is not None else "not available"]
        for code in (ENGLAND, f.council.region_code):
            c = f.comparator(r, code)
            if c is None:
                cells.append("not available")
                continue
            trace = {**c.trace(), "places": str(places)}
            cells.append(Phrase(comparator("", c.shown(), c.unit, m.precision, f.year,
                                           c.period_start.year, trace)[1:]))
            if c.shown() is not None and r.shown() is not None and code == ENGLAND:
                verdict += "; " + against("England", r.value, c.value, r.unit, m.precision,
                                          m.polarity)
        cells.append(verdict)
        table_rows.append(cells)
    judged = improved + same + declined
    if judged:
        sec.blocks.append(P(
            f"Of the {_words(judged)} ASCOF measures that can be compared with last year, "
            f"{_words(improved)} improved, {_words(same)} stayed about the same and "
            f"{_words(declined)} declined. \"About the same\" means the printed figure did not "
            "change; \"improved\" follows each measure's better direction (for care-home "
            "admissions, lower is better)."))
    sec.blocks.append([headline_sentence(f, r) for r in rows])
    sec.blocks.append(Table(
        caption=f"ASCOF measures, {year_label(f.year)}, against England and {region}",
        headers=["Measure", year_label(f.year), year_label(f.year - 1), "England", region,
                 "Change on last year"],
        rows=table_rows,
        note=("A comparator figure from an earlier year than ours is labelled with its year. "
              "Rates are per 100,000 adults in the age group the measure names.")))
    return sec


_WORDS = ["none", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen", "twenty"]


def _words(n: int) -> str:
    """Counts of measures in words: they describe the report itself, not the council's data."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else f"{n:,}"
