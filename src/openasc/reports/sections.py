"""Sections built from `metric_values`: the funnel, a family's measures, how we compare.

Each builder returns a `Section` (possibly empty, then dropped). Every number goes through
`phrasing`, carrying the key of its row, so the page can be traced back to the warehouse.
"""

from __future__ import annotations

from collections import defaultdict
from importlib import resources
from typing import Any

import yaml

from openasc.compare.comparisons import Comparison
from openasc.reports import charts, labels
from openasc.reports.document import Section, Table
from openasc.reports.figures import (
    ENGLAND,
    KEY_SEP,
    Figures,
    Measure,
    Row,
    comparison_trace,
    national,
)
from openasc.reports.phrasing import (
    QUARTILE_WORDS,
    Fig,
    Link,
    P,
    Phrase,
    against,
    change,
    classified,
    comparator,
    direction,
    gap,
    moved,
    number,
    ordinal,
    precision_for,
    ranked,
    rate_population,
    round_half_up,
    rule_limit,
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


def measure_name(f: Figures, row: Row) -> Phrase:
    """The measure's title, linked to its definition; for one part of a measure published
    in parts (ASCOF 3D 1a, 1b, 2a, 2b), that part's own national name."""
    m = f.measure(row.family, row.code, row.unit)
    part = row.parts.get("part")
    if not part:
        said = labels.said(m)
        return P(title_link(m), f" ({said})" if said else "")
    return P(Link(labels.part_title(m, part), f"#{m.anchor}"),
             f" ({m.family} {m.code} part {part})")


def not_known(f: Figures, row: Row, m: Measure) -> str | None:
    """Why a row's figure cannot be known, or None when it can be printed.

    A value the engine could not work out, a lower bound of 0 (the data cannot say), and a
    change on last year whose two years are not both in the document are printed as "not
    available" with this reason, never as a number."""
    if row.value is None:
        if "value" in row.hidden:  # a figure there is, hidden by disclosure control: [c]
            return None
        if row.denominator == 0:
            return "there was nothing to measure it against this year (its base is zero)"
        return "it could not be worked out from the data loaded"
    if row.value == 0 and labels.lower_bound_reason(m):
        return labels.lower_bound_reason(m)
    of = labels.change_of(m)
    if of is not None:
        now = f.get(*of, row.breakdown)
        before = f.before(now) if now is not None else None
        if now is None or before is None or now.value is None or before.value is None:
            return (f"there is no {year_label(f.year - 1)} figure of \u201c"
                    f"{f.measure(*of).title}\u201d in this document to compare with")
    return None


def fig(row: Row, m: Measure, what: str = "value", f: Figures | None = None) -> Fig | str:
    """A row's value (or numerator/denominator) as printed, traced to its row: '[c]' when
    suppressed, 'not available' when it cannot be known, 'at least N' for a lower bound."""
    raw = getattr(row, what)
    if raw is None and what in row.hidden:
        return Fig("[c]", {**row.trace(what), "places": "0"})
    if raw is None or (what == "value" and f is not None and not_known(f, row, m)):
        return "not available"
    shown = row.shown(what)
    if what == "value":
        text = value_text(shown, row.unit, m.precision)
        places = precision_for(row.unit, m.precision)
        if shown is not None and labels.lower_bound_reason(m):
            text = f"at least {text}"
    else:
        text, places = number(shown, 0), 0
    return Fig(text, {**row.trace(what), "places": str(places)})


def label_of(row: Row) -> str:
    parts = row.parts
    return "; ".join(parts.values()) if parts else "All"


def rate_words(f: Figures, m: Measure, unit: str) -> str:
    """' adults aged 65 and over (mid-2024 population estimate)' after a per-100,000 rate."""
    return rate_population(unit, f.population_year, labels.population(m))


def headline_sentence(f: Figures, row: Row) -> Phrase:
    """'<Title>: 82.7%; up 1.2 percentage points (improved), from 81.5% to 82.7%.', or
    '<Title>: not available: <reason>.'; a change only between two available figures."""
    m = f.measure(row.family, row.code, row.unit)
    why = not_known(f, row, m)
    if why is not None:
        return P(measure_name(f, row), ": not available: ", why, ".")
    sentence = P(measure_name(f, row), ": ", fig(row, m, f=f), rate_words(f, m, row.unit))
    moved = change_on_last_year(f, row, m)
    return (sentence + P("; ", moved) if moved else sentence) + "."


def change_on_last_year(f: Figures, row: Row, m: Measure) -> Phrase | None:
    """How the figure moved on last year, or None when no change can honestly be stated:
    no figure last year, either year not available, a measure that is itself a change, or
    a lower bound (two lower bounds say nothing about the change)."""
    before = f.before(row)
    if (before is None or row.value is None or before.value is None
            or not_known(f, row, m) or not_known(f, before, m)
            or labels.change_of(m) or labels.lower_bound_reason(m)):
        return None
    places = str(precision_for(row.unit, m.precision))
    return change(row.shown(), before.shown(), row.unit, m.precision, m.polarity,
                  {**row.trace(), "places": places}, {**before.trace(), "places": places},
                  pair=f"{row.key}{KEY_SEP}{before.key}")


def breakdown_tables(f: Figures, family: str, code: str, sid: str) -> list[Any]:
    """One table (and, for counts, a bar chart) per breakdown dimension of a measure, its
    categories in their natural order (age bands and waiting times by age and time)."""
    m = f.measure(family, code)
    groups: dict[tuple[str, ...], list[Row]] = defaultdict(list)
    for r in f.breakdowns(family, code):
        groups[tuple(sorted(r.parts))].append(r)
    blocks: list[Any] = []
    for keys, rows in sorted(groups.items()):
        rows = sorted(rows, key=lambda r, keys=keys: [labels.category_order(k, r.parts[k])
                                                      for k in keys])
        dim = " and ".join(labels.dimension(k) for k in keys)
        caption = f"{labels.caption(m, keys)}, {year_label(f.year)}"
        head = f.get(family, code)
        note = ""
        if head is not None and rows[0].unit == "count" and len(keys) == 1:
            total = sum(r.value or 0 for r in rows)
            if head.value is not None and total > head.value:
                note = MULTI_LABEL_NOTE
        header = unit_header(m, rows[0].unit)
        blocks.append(Table(caption=caption, headers=[dim.capitalize(), header],
                            rows=[[label_of(r), P(fig(r, m, f=f))] for r in rows], note=note))
        drawable = [r for r in rows if r.value is not None and r.shown() is not None]
        if rows[0].unit == "count" and len(drawable) >= 2:
            cid = f"{sid}-{code}-{'-'.join(keys)}".replace("_", "-").lower()
            largest = max(drawable, key=lambda r: r.value or 0)
            alt = (f"Bar chart of {caption[0].lower()}{caption[1:]}; the largest is "
                   f"{label_of(largest)}. The figures are in the table above.")
            blocks.append(charts.bar_chart(cid, caption, [label_of(r) for r in drawable],
                                           [round_half_up(r.value or 0, 0) for r in drawable],
                                           header, alt))
    return blocks


def unit_header(m: Measure, unit: str) -> str:
    """A table column's heading in the measure's unit and population."""
    if unit == "per_100k":
        return f"Per 100,000 {labels.population(m)}"
    return {"percent": "Per cent", "percent_change": "Per cent", "days": "Days",
            "count": "Number", "gbp_per_head": "£ a head", "gbp_per_week": "£ a week",
            "gbp_per_hour": "£ an hour", "per_100": "Per 100",
            "per_1000": "Per 1,000"}.get(unit, "Value")


def family_section(f: Figures, spec: dict[str, Any], sentences: bool = True) -> Section:
    """A section from one or more metric families: sentences (unless `sentences` is off, as
    in the technical annex, where the table says it all), a summary table, breakdowns."""
    sec = Section(sid=spec["id"], title=spec["title"])
    heads = [r for fam in spec["families"] for r in f.family(fam)]
    codes_with_breakdowns = sorted({(r.family, r.code) for fam in spec["families"]
                                    for r in f.family(fam, headline=False)})
    if not heads and not codes_with_breakdowns:
        return sec
    if spec.get("intro"):
        sec.blocks.append(P(spec["intro"]))
    if heads and sentences:
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
        rows.append([measure_name(f, r), P(fig(r, m, f=f)),
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


def _suppressed(group: list[Row], n: float) -> bool:
    """A sum of published rows is printed [c] when any of them is suppressed (the sum of
    the shown ones would be taken for the whole) or when it is itself a small count."""
    return any(r.shown() is None for r in group) or 0 < n < 5


def journey_section(f: Figures) -> Section:
    """The customer journey as a funnel: requests, and where they led (STS001)."""
    spec = data_file("journey.yaml")
    req = spec["requests"]
    sec = Section(sid="journey", title="How people come to us and where they go")
    # Only the one-way breakdown by what followed: the two-way ones (by route, by age band)
    # hold the same requests again, and adding them all counted each request three times.
    rows = [r for r in f.breakdowns(req["family"], req["code"]) if set(r.parts) == {"what_next"}]
    if rows:
        m = f.measure(req["family"], req["code"])
        by_stage: dict[str, list[Row]] = defaultdict(list)
        for r in rows:
            by_stage[_stage(r.parts["what_next"], spec["stages"])].append(r)
        order = [s["label"] for s in spec["stages"] if s["label"] in by_stage]
        total_rows = [r for lab in order for r in by_stage[lab]]
        head = f.get(req["family"], req["code"])
        if head is not None:  # the measure's own total: published even when a cell is not
            total, total_key = head.value or 0, head.key
            total_hidden = head.value is None
            total_fig = Fig(number(head.value, 0), {**head.trace(), "places": "0"})
        else:
            total = sum(r.value or 0 for r in total_rows)
            total_key = KEY_SEP.join(r.key for r in total_rows)
            total_hidden = _suppressed(total_rows, total)
            total_fig = Fig(number(None if total_hidden else total, 0),
                            {"calc": "sum", "of": total_key, "places": "0"})
        sec.blocks.append(P("In ", year_label(f.year), " we received ", total_fig, " ",
                            Link(f"{'request' if total == 1 else 'requests'} for support",
                                 f"#{m.anchor}"),
                            " from people new to us. We count a request once we have "
                            "decided what happens next. The table and the chart show where "
                            "the requests led."))
        table_rows = []
        values = []
        for lab in order:
            group = by_stage[lab]
            n = sum(r.value or 0 for r in group)
            keys = KEY_SEP.join(r.key for r in group)
            small = total_hidden or _suppressed(group, n)
            n_fig = Fig("[c]" if small else number(n, 0),
                        {"calc": "sum", "of": keys, "places": "0"})
            s_fig = share(None if small else n, total,
                          1, {"calc": "share", "of": keys, "over": total_key, "places": "1"})
            table_rows.append([lab, P(n_fig), P(s_fig)])
            values.append(0 if small else n)
        table_rows.append(["All requests", P(total_fig),
                           P(Fig("[c]" if total_hidden else "100.0%",
                                 {"calc": "share", "of": total_key,
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
    return sec


def after_short_term_section(f: Figures) -> Section:
    """What followed short-term support (STS002a), every one-way breakdown in full: the
    technical annex's part of the customer journey."""
    after = data_file("journey.yaml")["after_short_term"]
    sec = Section(sid="journey-after", title="What followed short-term support")
    follow = [r for r in f.breakdowns(after["family"], after["code"]) if len(r.parts) == 1]
    if follow:
        m2 = f.measure(after["family"], after["code"])
        sec.blocks.append(P("Short-term support (reablement) helps people regain skills "
                            "and confidence. This is what followed it (", title_link(m2),
                            ")."))
        sec.blocks.extend(breakdown_tables(f, after["family"], after["code"], "journey"))
    return sec


# --------------------------------------------------------------------------- compare
def england_cell(f: Figures, row: Row, m: Measure) -> Phrase | str:
    """England's figure for a measure: from `comparisons` when it holds one that compares the
    council with others (published, or the mean of the councils, saying how many), else
    England's row in `metric_values` or `comparator_values`; labelled with its year when it
    is not the council's."""
    b = f.benchmark(row)
    if b is not None:
        return _comparator_cell(f, b, "england")
    c = f.comparator(row, ENGLAND)
    return _row_cell(f, c, m) if c is not None else "not available"


def region_cell(f: Figures, row: Row, m: Measure) -> Phrase | str:
    """The region's figure, found the same way as England's."""
    b = f.benchmark(row)
    if b is not None and (b.region_basis == "published" or b.region_n >= 2):
        return _comparator_cell(f, b, "region")
    c = f.comparator(row, f.council.region_code)
    return _row_cell(f, c, m) if c is not None else "not available"


def _row_cell(f: Figures, c: Row, m: Measure) -> Phrase:
    trace = {**c.trace(), "places": str(precision_for(c.unit, m.precision))}
    return Phrase(comparator("", c.shown(), c.unit, m.precision, f.year, c.period_start.year,
                             trace)[1:])


def _comparator_cell(f: Figures, b: Comparison, where: str, inline: bool = False) -> Phrase:
    """'78.0%', '78.0% (2023-24)', '78.0% (average of 152 councils)'; inline (inside a
    bracket already): '78.0%, the average of 152 councils'."""
    value = getattr(b, f"{where}_value")
    cell = Phrase(comparator("", value, b.unit, b.precision, f.year, b.year,
                             comparison_trace(b, f"{where}_value", b.precision))[1:])
    if getattr(b, f"{where}_basis") == "mean of councils":
        n = Fig(number(getattr(b, f"{where}_n"), 0), comparison_trace(b, f"{where}_n", 0))
        cell = cell + (P(", the average of ", n, " councils") if inline
                       else P(" (average of ", n, " councils)"))
    return cell


def in_region(region: str) -> str:
    """'the West Midlands', 'the North East', but 'London'."""
    return region if region == "London" else f"the {region}"


def _ranks(c: Comparison) -> Phrase:
    """', 5th of 14 in the West Midlands (top quartile) and 40th of 152 in England'."""
    bits = []
    for where, place in (("region", in_region(c.region)), ("england", "England")):
        rank, n = getattr(c, f"{where}_rank"), getattr(c, f"{where}_n")
        if rank is None or n < 2:
            continue
        bit = ranked(rank, n, place, comparison_trace(c, f"{where}_rank", 0),
                     comparison_trace(c, f"{where}_n", 0))
        if getattr(c, f"{where}_scope", "national") == "loaded":  # [compare] issue 11 item 3
            reach = "national" if where == "england" else "full regional"
            bit = bit + P(f" (councils loaded only, not a {reach} rank)")
        q = getattr(c, f"{where}_quartile")
        if q in QUARTILE_WORDS:
            bit = bit + P(" (", Fig(QUARTILE_WORDS[q], comparison_trace(
                c, f"{where}_quartile", 0, text="1")), ")")
        bits.append(bit)
    if not bits:
        return P()
    return P(", ", *[P(" and ", b) if i else b for i, b in enumerate(bits)])


def rank_cell(c: Comparison | None) -> Phrase | str:
    """The rank in the region, for the table: '5th of 14 (top quartile)'."""
    if c is None or c.region_rank is None or c.region_n < 2:
        return "not available"
    cell = P(Fig(ordinal(c.region_rank), comparison_trace(c, "region_rank", 0)), " of ",
             Fig(number(c.region_n, 0), comparison_trace(c, "region_n", 0)))
    if c.region_quartile in QUARTILE_WORDS:
        cell = cell + P(" (", Fig(QUARTILE_WORDS[c.region_quartile], comparison_trace(
            c, "region_quartile", 0, text="1")), ")")
    return cell


def change_words(c: Comparison) -> Phrase:
    """The comparisons table's change class as it states it, with the movement and the
    declared rule beside it ('about the same: up 0.5 percentage points, less than 1
    percentage point')."""
    how_far = moved(c.change, c.change_relative, c.rule_kind, c.unit, c.precision,
                    comparison_trace(c, "change", c.precision, abs="1"),
                    comparison_trace(c, "change_relative", 1, abs="1", scale="100"))
    limit = rule_limit(c.rule_kind, c.rule_threshold, c.unit,
                       {k: v for k, v in comparison_trace(c, "rule_threshold", 0).items()
                        if k != "places"})
    return classified(c.change_class, how_far, limit, c.margin_of_error is not None,
                      comparison_trace(c, "change_class", 0))


def comparison_sentence(f: Figures, row: Row, c: Comparison) -> Phrase:
    """'<Title>: 82.7%, 5th of 14 in the West Midlands (top quartile) and 40th of 152 in
    England; 4.7 percentage points above England (78.0%), better; on last year, about the
    same: up 0.5 percentage points, less than 1 percentage point.'

    Ranks and the gap are left out while this year's England figure is only the council's
    own (the national figures are not out yet), and for a suppressed figure, whose rank
    would tell what was hidden; the change class never needs others."""
    m = f.measure(row.family, row.code, row.unit)
    why = not_known(f, row, m)
    if why is not None:
        return P(measure_name(f, row), ": not available: ", why, ".")
    sentence = P(measure_name(f, row), ": ", fig(row, m, f=f), rate_words(f, m, row.unit))
    if national(c) and row.shown() is not None:  # a suppressed figure's rank would tell it
        sentence = sentence + _ranks(c)
        sentence = sentence + P("; ", gap(c.gap_england, c.unit, c.precision, "England",
                                          c.polarity,
                                          comparison_trace(c, "gap_england", c.precision,
                                                           abs="1"),
                                          _comparator_cell(f, c, "england", inline=True)))
    return sentence + P("; on last year, ", change_words(c), ".")


def _fallback_verdict(f: Figures, r: Row, m: Measure) -> str:
    """Without a comparisons row: the printed figure changed or not, by polarity."""
    before = f.before(r)
    places = precision_for(r.unit, m.precision)
    if before is None or r.shown() is None or before.shown() is None:
        return "no previous year"
    if m.polarity not in ("higher", "lower"):
        return "not judged (no better direction)"
    delta = round_half_up(r.value, places) - round_half_up(before.value, places)
    word = direction(delta, m.polarity)
    return {"improved": "improved", "worsened": "declined"}.get(word, "about the same")


def _rules_sentence(used: list[Comparison], fallback: bool) -> Phrase:
    """What "about the same" means, from the declared rules of the comparisons rows used."""
    names = {"percent": "percentages", "per_100k": "rates per 100,000", "score": "scores",
             "days": "times in days", "count": "counts"}
    seen: dict[tuple[str, str, float], Comparison] = {}
    for c in used:
        seen.setdefault((c.unit, c.rule_kind, c.rule_threshold), c)
    parts: list[Phrase] = []
    for (unit, kind, threshold), c in sorted(seen.items()):
        trace = {k: v for k, v in comparison_trace(c, "rule_threshold", 0).items()
                 if k != "places"}
        parts.append(P("less than ", rule_limit(kind, threshold, unit, trace),
                       f" for {names.get(unit, unit)}"))
    joined = P(*[P(", " if 0 < i < len(parts) - 1 else " and " if i else "", p)
                 for i, p in enumerate(parts)])
    text = P("\"About the same\" means a change of ", joined,
             " (the rule declared for comparisons between councils)")
    if fallback:
        text = text + P("; for a measure not yet in the comparisons table, that the printed "
                        "figure did not change")
    return text + P(". \"Improved\" follows each measure's better direction (for care-home "
                    "admissions, lower is better).")


def compare_section(f: Figures, detail: bool = True) -> Section:
    """ASCOF against England and the region, and how many measures improved (reports.md §3:
    one declared measure set, polarity respected, 'about the same' defined).

    Ranks, quartiles, gaps and the change class come from the `comparisons` table as it
    states them (`openasc compare`), never re-derived here; a measure without a comparisons
    row falls back to England's and the region's own rows and a plain change of the
    printed figure.

    With `detail` (the technical annex) every measure also gets its sentence of ranks,
    quartiles and gaps; without it (the resident document) a chart of how many measures
    are better than England, about the same or worse stands in for them."""
    sec = Section(sid="compare", title="How we compare" if not detail
                  else "How we compare, in detail")
    rows = [r for r in f.rows if r.family == "ASCOF"
            and (r.breakdown == "" or set(r.parts) == {"part"})]
    rows.sort(key=lambda r: (r.code, r.breakdown))
    if not rows:
        return sec
    region = f.council.region or "the region"
    counts = {"improved": 0, "about the same": 0, "declined": 0}
    used: list[Comparison] = []
    fallback = False
    table_rows = []
    sentences = []
    for r in rows:
        m = f.measure(r.family, r.code, r.unit)
        before = f.before(r)
        c = f.comparison(r)
        cells: list[Any] = [measure_name(f, r), P(fig(r, m, f=f)),
                            P(fig(before, m)) if before is not None else "not available",
                            england_cell(f, r, m), region_cell(f, r, m)]
        if c is not None:
            verdict: Any = change_words(c)
            if c.change_class in counts:
                counts[c.change_class] += 1
                used.append(c)
            ranked_here = c if national(c) and r.shown() is not None else None
            cells.append(rank_cell(ranked_here))
            sentences.append(comparison_sentence(f, r, c))
        else:
            verdict = _fallback_verdict(f, r, m)
            if verdict in counts:
                counts[verdict] += 1
                fallback = True
            eng = f.comparator(r, ENGLAND)
            if eng is not None and eng.shown() is not None and r.shown() is not None:
                verdict += "; " + against("England", r.value, eng.value, r.unit, m.precision,
                                          m.polarity)
            cells.append("not available")
            sentences.append(headline_sentence(f, r))
        cells.append(verdict)
        table_rows.append(cells)
    judged = sum(counts.values())
    if not judged:
        sec.blocks.append(P(
            "No ASCOF measure can be judged against last year: there is no figure for last "
            "year, or the way the measure is counted changed this year."))
    else:
        lead = P(
            f"Of the {_words(judged)} ASCOF {'measure' if judged == 1 else 'measures'} that "
            "can be compared with last year, "
            f"{_words(counts['improved'])} improved, {_words(counts['about the same'])} "
            f"stayed about the same and {_words(counts['declined'])} declined. ")
        if used:
            sec.blocks.append(lead + _rules_sentence(used, fallback))
        else:
            sec.blocks.append(lead + P(
                "\"About the same\" means the printed figure did not change; \"improved\" "
                "follows each measure's better direction (for care-home admissions, lower is "
                "better)."))
    if detail:
        sec.blocks.append(sentences)
    else:
        sec.blocks.extend(england_summary(f, rows))
    sec.blocks.append(Table(
        caption=f"ASCOF measures, {year_label(f.year)}, against England and {region}",
        headers=["Measure", year_label(f.year), year_label(f.year - 1), "England", region,
                 f"Rank in {region}", "Change on last year"],
        rows=table_rows,
        note=("A comparator figure from an earlier year than ours is labelled with its year. "
              "Rates are per 100,000 adults in the age group the measure names. The best "
              "council by each measure's better direction ranks first; tied councils "
              "share a rank.")))
    return sec


def england_side(f: Figures, row: Row) -> str | None:
    """'better', 'the same' or 'worse' than England for a printed figure with a better
    direction, from the gap the comparisons table states (at the measure's precision);
    None when there is no national comparison, no better direction or the figure is
    hidden."""
    c = f.comparison(row)
    m = f.measure(row.family, row.code, row.unit)
    if (c is None or not national(c) or c.gap_england is None or row.shown() is None
            or m.polarity not in ("higher", "lower") or not_known(f, row, m)):
        return None
    gap_now = round_half_up(c.gap_england, c.precision)
    if gap_now == 0:
        return "the same"
    return "better" if (gap_now > 0) == (m.polarity == "higher") else "worse"


def england_summary(f: Figures, rows: list[Row]) -> list[Any]:
    """A sentence and a chart: of the measures compared with England this year, how many
    are better, the same, worse (by each measure's better direction)."""
    sides = [england_side(f, r) for r in rows]
    counts = {k: sides.count(k) for k in ("better", "the same", "worse")}
    n = sum(counts.values())
    if not n:
        return []
    lead = P(f"Compared with England this year, {_words(counts['better'])} of our "
             f"{_words(n)} {'measure' if n == 1 else 'measures'} "
             f"{'was' if counts['better'] == 1 else 'were'} better, "
             f"{_words(counts['the same'])} the same and {_words(counts['worse'])} worse. "
             "The table shows each one.")
    chart = charts.bar_chart(
        "compare-england", "Our measures compared with England", ["Better than England",
                                                                  "The same as England",
                                                                  "Worse than England"],
        [counts["better"], counts["the same"], counts["worse"]], "Measures",
        "Bar chart of how many of our measures are better than, the same as and worse than "
        "England's. The numbers are in the sentence above.",
        where="the numbers are in the sentence above")
    return [lead, chart]


_WORDS = ["none", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen", "twenty"]


def _words(n: int) -> str:
    """Counts of measures in words: they describe the report itself, not the council's data."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else f"{n:,}"
