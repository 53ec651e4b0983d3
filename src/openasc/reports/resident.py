"""The parts of the Local Account written for residents: the year at a glance and the short
sections of a few sentences, one chart and one small table.

Which measures each part reads is declared once, in `data/local_account.yaml`; a measure the
warehouse does not hold is skipped, so a section fills by itself once its measures are
computed. Every figure is a published row of `metric_values` (or a declared input) printed
through `phrasing`, so disclosure control and the tracing of figures hold here as in the
rest of the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from openasc.reports import charts, labels, sections
from openasc.reports.document import Section, Table
from openasc.reports.figures import ENGLAND, Figures, Row
from openasc.reports.phrasing import (
    Link,
    P,
    Phrase,
    against,
    precision_for,
    round_half_up,
    year_label,
)


@cache
def spec() -> dict[str, Any]:
    return sections.data_file("local_account.yaml")


def headline(f: Figures, measure: str) -> Row | None:
    """A measure's headline row ('FAMILY/CODE'), or None when the warehouse has none."""
    family, code = measure.split("/", 1)
    return f.get(family, code)


def plain_link(f: Figures, row: Row, label: str) -> Link:
    """The plain label, linked to the measure's definition in the method notes."""
    return Link(label, f"#{f.measure(row.family, row.code, row.unit).anchor}")


# --------------------------------------------------------------------------- comparison
def england_value(f: Figures, row: Row) -> tuple[float, int] | None:
    """England's printed figure for the measure and its year, found as the compare section
    finds it: a `comparisons` row whose England figure compares with others, else England's
    own row."""
    b = f.benchmark(row)
    if b is not None and b.england_value is not None:
        return b.england_value, b.year
    c = f.comparator(row, ENGLAND)
    if c is not None and c.shown() is not None:
        return c.value, c.period_start.year  # type: ignore[return-value]
    return None


def england_words(f: Figures, row: Row) -> Phrase | None:
    """' England's figure was 78.0% (2023-24), so ours is better.' — 'better' and 'worse'
    only for a measure with a better direction; None when England's figure is not held or
    ours is hidden (a comparison would tell what was hidden)."""
    m = f.measure(row.family, row.code, row.unit)
    got = england_value(f, row)
    if got is None or row.shown() is None or sections.not_known(f, row, m):
        return None
    cell = sections.england_cell(f, row, m)
    verdict = against("England's", row.value, got[0], row.unit, m.precision, m.polarity)
    if verdict.startswith("the same"):
        return P(" England's figure was ", cell, ", the same as ours.")
    return P(" England's figure was ", cell, ", so ours is ", verdict.split(" than")[0], ".")


def plain_sentence(f: Figures, row: Row, label: str) -> Phrase:
    """'Safeguarding concerns raised with us: 1,470. This is up 13% on last year, from 1,300
    to 1,470. England's figure was …, so ours is higher.' A figure that cannot be known says
    why, and then nothing more."""
    m = f.measure(row.family, row.code, row.unit)
    name = plain_link(f, row, label)
    why = sections.not_known(f, row, m)
    if why is not None:
        return P(name, ": not available, because ", why, ".")
    out = P(name, ": ", sections.fig(row, m, f=f), sections.rate_words(f, m, row.unit), ".")
    moved = sections.change_on_last_year(f, row, m)
    if moved:
        out = out + P(" This is ", moved, ".")
    eng = england_words(f, row)
    return out + eng if eng else out


# --------------------------------------------------------------------------- chart
def category(label: str) -> str:
    """A breakdown category in plain words (`categories` in data/local_account.yaml), or as
    the return names it when there is no plainer word."""
    return str(spec().get("categories", {}).get(label, label))


def chart_blocks(f: Figures, chart: dict[str, Any], sid: str) -> list[Any]:
    """The section's one chart and the small table it is drawn from: one breakdown of a
    measure (the rows whose breakdown keys are exactly `by`, or one of several such sets
    that together partition the total), in the categories' natural order. A suppressed
    category is printed [c] in the table and left out of the bars."""
    family, code = chart["measure"].split("/", 1)
    by = chart["by"]
    sets = [set(b) for b in by] if isinstance(by[0], list) else [set(by)]
    rows = [r for r in f.breakdowns(family, code) if set(r.parts) in sets]
    if not rows:
        return []
    m = f.measure(family, code, rows[0].unit)
    rows.sort(key=lambda r: [labels.category_order(k, r.parts[k]) for k in sorted(r.parts)])
    header = sections.unit_header(m, rows[0].unit)
    caption = f"{chart['title']}, {year_label(f.year)}"
    column = chart.get("column") or " and ".join(labels.dimension(k)
                                                 for k in sorted(sets[0])).capitalize()
    names = [category(sections.label_of(r)) for r in rows]
    table = Table(caption=caption, headers=[column, header],
                  rows=[[n, P(sections.fig(r, m, f=f))] for n, r in zip(names, rows,
                                                                        strict=True)],
                  note=chart.get("note", ""))
    drawable = [(n, r) for n, r in zip(names, rows, strict=True) if r.shown() is not None]
    if len(drawable) < 2:
        return [table]
    places = precision_for(rows[0].unit, m.precision)
    largest = max(drawable, key=lambda d: d[1].value or 0)[0]
    alt = (f"Bar chart: {chart['title'][0].lower()}{chart['title'][1:]}. The largest is "
           f"{largest}. The figures are in the table above.")
    return [table, charts.bar_chart(f"{sid}-chart", caption, [n for n, _ in drawable],
                                    [round_half_up(r.value or 0, places) for _, r in drawable],
                                    chart.get("axis", header), alt)]


def most_sentence(f: Figures, most: dict[str, Any]) -> list[Phrase]:
    """'Most concerns were about a risk in the person's own home.': the category of a
    breakdown with the largest published count, in plain words; nothing when the largest
    is not clear (a tie, or fewer than two categories printed)."""
    family, code = most["measure"].split("/", 1)
    rows = [r for r in f.breakdowns(family, code) if set(r.parts) == set(most["by"])
            and r.shown() is not None]
    top = sorted(rows, key=lambda r: r.value or 0, reverse=True)[:2]
    if len(top) < 2 or top[0].value == top[1].value:
        return []
    return [P(most["sentence"].format(category(sections.label_of(top[0]))))]


def measures_section(f: Figures, item: dict[str, Any]) -> Section:
    """A short section: the intro, one sentence per measure held, one chart and its table.
    Empty when none of its measures is held (then the caller tries the fallback)."""
    sec = Section(sid=item["id"], title=item["title"])
    held = [(m["label"], row) for m in item.get("measures", [])
            if (row := headline(f, m["measure"])) is not None]
    if not held:
        return sec
    if item.get("intro"):
        sec.blocks.append(P(" ".join(item["intro"].split())))
    sec.blocks.extend(plain_sentence(f, row, label) for label, row in held)
    if item.get("most"):
        sec.blocks.extend(most_sentence(f, item["most"]))
    if item.get("chart"):
        sec.blocks.extend(chart_blocks(f, item["chart"], item["id"]))
    return sec


# --------------------------------------------------------------------------- glance
@dataclass(frozen=True)
class GlanceItem:
    """One big number of the year at a glance: the figure, what it counts, last year's
    figure and England's (each a traced phrase, or words saying it is not held)."""

    value: Phrase
    label: str
    last_year: Phrase | str
    england: Phrase | str
    icon: str
    row: Row
    easy: str  # the Easy Read sentence, the figure where {} stands


@dataclass(frozen=True)
class Glance:
    items: list[GlanceItem]


def glance_items(f: Figures, limit: int = 10) -> list[GlanceItem]:
    """The first `limit` headline figures the warehouse holds and may print (a figure that
    cannot be known is no headline)."""
    out: list[GlanceItem] = []
    for g in spec()["glance"]:
        row = headline(f, g["measure"])
        if row is None:
            continue
        m = f.measure(row.family, row.code, row.unit)
        if sections.not_known(f, row, m) is not None:
            continue
        before = f.before(row)
        last: Phrase | str = "no figure held"
        if before is not None and sections.not_known(f, before, m) is None:
            last = P(sections.fig(before, m))
        eng: Phrase | str = "no figure held"
        if england_value(f, row) is not None:
            eng = P(sections.england_cell(f, row, m))
        out.append(GlanceItem(P(sections.fig(row, m, f=f)), g["label"], last, eng,
                              g.get("icon", "dot"), row, g.get("easy", "{} " + g["label"] + ".")))
        if len(out) == limit:
            break
    return out


def glance_section(f: Figures, item: dict[str, Any]) -> Section:
    sec = Section(sid=item["id"], title=item["title"])
    items = glance_items(f)
    if items:
        sec.blocks.append(P(f"Our main figures for {year_label(f.year)}, with last year's "
                            "and England's beside them. Each is explained later on."))
        sec.blocks.append(Glance(items))
    return sec
