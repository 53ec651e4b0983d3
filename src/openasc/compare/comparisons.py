"""How each council compares: the `comparisons` table (docs/comparisons.md).

For every measure of the declared set, council and year: the value against England, the
region and the council's comparator group (mean and median, and the published England and
region figures where a comparator file carries them); the rank within each (1 = best by
the measure's polarity; ties share a rank); the quartile; the gap in the measure's own unit;
the change on the previous year, classified improved / about the same / declined by the
declared rule; and how many years running the same direction has held.

It is built in one pass of set-based SQL (window functions for England and regional ranks;
a self-join for comparator groups, which may overlap and so cannot be window partitions)
from `metric_values` as published (the council's own figures, which win) and
`comparator_values` (imported). Reports, the dashboard and the profiles read only this table.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from openasc.compare import groups
from openasc.compare.comparators import ENGLAND, ensure_tables
from openasc.compare.measure_set import MeasureSet, load_measure_set, register
from openasc.metrics.disclosure import published_sql
from openasc.warehouse import new_run_id, record_run, table_exists, transaction

MEASURE = "family, code, breakdown, period_start, period_end"

BUILD_SQL = f"""
CREATE OR REPLACE TEMP TABLE bench_values AS
WITH own AS (
    SELECT family, code, la_code, period_start, period_end, breakdown, value,
           NULL::DOUBLE AS margin_of_error, 'computed' AS source
    FROM published_values
    WHERE date_diff('day', period_start, period_end) BETWEEN 360 AND 370),
imported AS (
    SELECT c.family, c.code, c.la_code, c.period_start, c.period_end, c.breakdown, c.value,
           c.margin_of_error, 'imported' AS source
    FROM comparator_values c
    WHERE NOT EXISTS (SELECT 1 FROM own o WHERE o.family = c.family AND o.code = c.code
                      AND o.la_code = c.la_code AND o.period_start = c.period_start
                      AND o.period_end = c.period_end AND o.breakdown = c.breakdown))
SELECT v.*, m.unit, m.polarity, m.precision, m.rule_kind, m.rule_threshold, m.series_break,
       round(v.value, m.precision) AS shown,
       CASE m.polarity WHEN 'higher' THEN -round(v.value, m.precision)
                       WHEN 'lower' THEN round(v.value, m.precision) END AS badness
FROM (SELECT * FROM own UNION ALL SELECT * FROM imported) v
JOIN bench_measures m USING (family, code, breakdown)
WHERE v.value IS NOT NULL;

CREATE OR REPLACE TEMP TABLE bench_base AS
SELECT b.*, c.region, c.region_code
FROM bench_values b
JOIN (SELECT ons_code, any_value(region) AS region, any_value(region_code) AS region_code
      FROM councils GROUP BY ons_code) c ON c.ons_code = b.la_code;

CREATE OR REPLACE TEMP TABLE bench_ranked AS
SELECT b.*,
       count(*) OVER e AS england_n, avg(value) OVER e AS england_mean,
       median(value) OVER e AS england_median,
       CASE WHEN badness IS NOT NULL THEN rank() OVER (PARTITION BY {MEASURE}
            ORDER BY badness) END AS england_rank,
       count(*) OVER r AS region_n, avg(value) OVER r AS region_mean,
       median(value) OVER r AS region_median,
       CASE WHEN badness IS NOT NULL THEN rank() OVER (PARTITION BY {MEASURE}, region_code
            ORDER BY badness) END AS region_rank
FROM bench_base b
WINDOW e AS (PARTITION BY {MEASURE}), r AS (PARTITION BY {MEASURE}, region_code);

CREATE OR REPLACE TEMP TABLE bench_group AS
SELECT b.family, b.code, b.breakdown, b.period_start, b.period_end, b.la_code,
       any_value(g.group_name) AS group_name, count(*) AS group_n,
       avg(o.value) AS group_mean, median(o.value) AS group_median,
       CASE WHEN b.badness IS NOT NULL
            THEN 1 + count(*) FILTER (WHERE o.badness < b.badness) END AS group_rank
FROM bench_base b
JOIN bench_groups g ON g.la_code = b.la_code
JOIN bench_base o ON o.la_code = g.member_code AND o.family = b.family AND o.code = b.code
     AND o.breakdown = b.breakdown AND o.period_start = b.period_start
     AND o.period_end = b.period_end
GROUP BY b.family, b.code, b.breakdown, b.period_start, b.period_end, b.la_code, b.badness;

CREATE OR REPLACE TEMP TABLE bench_published AS
SELECT family, code, breakdown, period_start, period_end, la_code, value
FROM bench_values WHERE la_code NOT IN (SELECT ons_code FROM councils);

CREATE OR REPLACE TEMP TABLE bench_changes AS
SELECT r.*, g.group_name, g.group_n, g.group_mean, g.group_median, g.group_rank,
       pe.value AS england_published, pr.value AS region_published,
       coalesce(pe.value, r.england_mean) AS england_value,
       CASE WHEN pe.value IS NULL THEN 'mean of councils' ELSE 'published' END AS england_basis,
       coalesce(pr.value, r.region_mean) AS region_value,
       CASE WHEN pr.value IS NULL THEN 'mean of councils' ELSE 'published' END AS region_basis,
       p.value AS previous_value, p.shown AS previous_shown,
       p.margin_of_error AS previous_margin_of_error,
       round(r.shown - p.shown, r.precision) AS change,
       CASE WHEN p.shown <> 0 THEN round(r.shown - p.shown, r.precision) / abs(p.shown) END
           AS change_relative
FROM bench_ranked r
LEFT JOIN bench_group g USING (family, code, breakdown, period_start, period_end, la_code)
LEFT JOIN bench_published pe ON pe.la_code = '{ENGLAND}' AND pe.family = r.family
     AND pe.code = r.code AND pe.breakdown = r.breakdown AND pe.period_start = r.period_start
     AND pe.period_end = r.period_end
LEFT JOIN bench_published pr ON pr.la_code = r.region_code AND pr.family = r.family
     AND pr.code = r.code AND pr.breakdown = r.breakdown AND pr.period_start = r.period_start
     AND pr.period_end = r.period_end
LEFT JOIN bench_base p ON p.la_code = r.la_code AND p.family = r.family AND p.code = r.code
     AND p.breakdown = r.breakdown
     AND p.period_start = r.period_start - INTERVAL 1 YEAR
     AND p.period_end = r.period_end - INTERVAL 1 YEAR;

CREATE OR REPLACE TEMP TABLE bench_classified AS
SELECT *,
    CASE
        WHEN previous_value IS NULL THEN NULL
        WHEN series_break = year(period_start) THEN 'not comparable'
        WHEN polarity = 'neutral' THEN 'not judged'
        WHEN margin_of_error IS NOT NULL AND previous_margin_of_error IS NOT NULL
             AND abs(value - previous_value) <= margin_of_error + previous_margin_of_error
             THEN 'about the same'
        WHEN (margin_of_error IS NULL OR previous_margin_of_error IS NULL) AND (
                (rule_kind = 'points' AND abs(change) < rule_threshold)
             OR (rule_kind = 'relative' AND previous_shown = 0 AND change = 0)
             OR (rule_kind = 'relative' AND previous_shown <> 0
                 AND round(abs(change_relative), 9) < rule_threshold))
             THEN 'about the same'
        WHEN (change > 0) = (polarity = 'higher') THEN 'improved'
        ELSE 'declined'
    END AS change_class
FROM bench_changes;

CREATE OR REPLACE TEMP TABLE bench_trend AS
SELECT *,
       CASE WHEN change_class IN ('improved', 'declined')
            THEN row_number() OVER (PARTITION BY family, code, breakdown, la_code, island
                                    ORDER BY period_start) END AS trend_years
FROM (
    SELECT *, sum(CASE WHEN change_class IS DISTINCT FROM before_class THEN 1 ELSE 0 END)
              OVER (PARTITION BY family, code, breakdown, la_code ORDER BY period_start)
              AS island
    FROM (SELECT *, lag(change_class) OVER (PARTITION BY family, code, breakdown, la_code
                                            ORDER BY period_start) AS before_class
          FROM bench_classified));
"""


def _quartile(rank: str, n: str) -> str:
    """Quartile 1 (best) to 4 from a rank among n: a council whose rank r has (r - 1) / n
    below one quarter is in the top quartile, and so on. Tied councils share a rank and so
    a quartile."""
    return (f"CASE WHEN {rank} IS NOT NULL "
            f"THEN 1 + CAST(floor(4.0 * ({rank} - 1) / {n}) AS INTEGER) END")


def _average(n: str, where: str) -> str:
    """SQL for 'average of the 23 councils loaded' (+ where): the label of a mean."""
    return (f"'average of the ' || {n} || CASE WHEN {n} = 1 THEN ' council' "
            f"ELSE ' councils' END || ' loaded' || {where}")


def _in_region(region: str) -> str:
    """SQL for 'the North West', but 'London'."""
    return f"CASE WHEN {region} = 'London' THEN {region} ELSE 'the ' || {region} END"


def _scope(n: str, full_n: str, reference_n: str) -> str:
    """'national' when every council of the reference is ranked, 'published' when every
    council with a figure in the imported national data is, else 'loaded'."""
    return (f"CASE WHEN {n} >= {reference_n} THEN 'national' "
            f"WHEN {full_n} > 0 AND {n} >= {full_n} THEN 'published' ELSE 'loaded' END")


COLUMNS = f"""
    family, code, breakdown, la_code, region_code, region, group_name,
    period_start, period_end, CAST(year(period_start) AS INTEGER) AS year,
    unit, polarity, precision, value, shown, margin_of_error, source,
    england_value, england_basis, england_mean, england_median,
    CAST(england_n AS INTEGER) AS england_n, CAST(england_rank AS INTEGER) AS england_rank,
    {_quartile('england_rank', 'england_n')} AS england_quartile,
    region_value, region_basis, region_mean, region_median,
    CAST(region_n AS INTEGER) AS region_n, CAST(region_rank AS INTEGER) AS region_rank,
    {_quartile('region_rank', 'region_n')} AS region_quartile,
    group_mean, group_median, CAST(group_n AS INTEGER) AS group_n,
    CAST(group_rank AS INTEGER) AS group_rank,
    {_quartile('group_rank', 'group_n')} AS group_quartile,
    round(shown - round(england_value, precision), precision) AS gap_england,
    round(shown - round(region_value, precision), precision) AS gap_region,
    round(shown - round(group_mean, precision), precision) AS gap_group,
    previous_value, change, change_relative, rule_kind, rule_threshold, change_class,
    CAST(trend_years AS INTEGER) AS trend_years,
    england_label, region_label, england_scope, region_scope,
    CAST(full_n AS INTEGER) AS england_full_n, CAST(reference_n AS INTEGER) AS reference_n,
    CAST(region_full_n AS INTEGER) AS region_full_n,
    CAST(region_reference_n AS INTEGER) AS region_reference_n
"""

# What the England and region figures are called and how far a rank reaches (issue 11 item 3).
# A figure is labelled England (or the region's name) only when a published aggregate row was
# loaded; otherwise it is "the average of the N councils loaded", never "England". A rank is
# national only when every council of the reference for that year is ranked; it covers the
# published set when every council with a figure for the measure in the imported national
# data (a file that carries England's row for the measure) is ranked; otherwise it covers
# only the councils loaded, and the outputs say so (docs/comparisons.md).
SCOPE_SQL = f"""
CREATE OR REPLACE TEMP TABLE bench_scoped AS
WITH place AS (SELECT ons_code, any_value(region_code) AS region_code FROM councils GROUP BY 1),
reference AS (
    SELECT p.period_end, c.region_code, count(DISTINCT c.ons_code) AS n
    FROM (SELECT DISTINCT period_end FROM bench_trend) p
    JOIN councils c ON (c.valid_from IS NULL OR c.valid_from <= p.period_end)
                   AND (c.valid_to IS NULL OR c.valid_to >= p.period_end)
    GROUP BY ALL),
national_file AS (  -- measures and years whose national data (with England's row) is loaded
    SELECT DISTINCT {MEASURE} FROM comparator_values WHERE la_code = '{ENGLAND}'),
published AS (
    SELECT v.family, v.code, v.breakdown, v.period_start, v.period_end, p.region_code,
           count(DISTINCT v.la_code) AS n
    FROM comparator_values v JOIN place p ON p.ons_code = v.la_code
    SEMI JOIN national_file f ON f.family = v.family AND f.code = v.code
         AND f.breakdown = v.breakdown AND f.period_start = v.period_start
         AND f.period_end = v.period_end
    WHERE v.value IS NOT NULL
    GROUP BY ALL),
published_england AS (SELECT {MEASURE}, sum(n) AS n FROM published GROUP BY ALL),
reference_england AS (SELECT period_end, sum(n) AS n FROM reference GROUP BY ALL)
SELECT t.*, pe.n AS full_n, re.n AS reference_n, pr.n AS region_full_n,
       rr.n AS region_reference_n
FROM bench_trend t
LEFT JOIN published_england pe ON pe.family = t.family AND pe.code = t.code
     AND pe.breakdown = t.breakdown AND pe.period_start = t.period_start
     AND pe.period_end = t.period_end
LEFT JOIN published pr ON pr.family = t.family AND pr.code = t.code
     AND pr.breakdown = t.breakdown AND pr.period_start = t.period_start
     AND pr.period_end = t.period_end AND pr.region_code = t.region_code
LEFT JOIN reference_england re ON re.period_end = t.period_end
LEFT JOIN reference rr ON rr.period_end = t.period_end AND rr.region_code = t.region_code;

CREATE OR REPLACE TEMP TABLE bench_labelled AS
SELECT *,
       CASE WHEN england_basis = 'published' THEN 'England'
            ELSE {_average('england_n', "''")} END AS england_label,
       CASE WHEN region_basis = 'published' THEN region
            ELSE {_average('region_n', "' in ' || " + _in_region('region'))} END
           AS region_label,
       {_scope('england_n', 'full_n', 'reference_n')} AS england_scope,
       {_scope('region_n', 'region_full_n', 'region_reference_n')} AS region_scope
FROM bench_scoped;
"""


def build_comparisons(con: duckdb.DuckDBPyConnection, measure_set: MeasureSet | None = None,
                      groups_file: Path | None = None) -> int:
    """(Re)build `comparisons` from `metric_values` and `comparator_values`; return its rows."""
    started = datetime.now()
    ensure_tables(con)
    register(con, measure_set or load_measure_set())
    groups.register(con, groups_file)
    # The council's own figures as published (metrics.disclosure): a suppressed figure is
    # not compared at all, and a published one is the value worked out from the rounded
    # counts, so no rank, gap or change can tell what the rounding or suppression hid.
    con.execute("CREATE OR REPLACE TEMP TABLE published_values AS "
                + published_sql(output="comparisons"))
    con.execute(BUILD_SQL)
    con.execute(SCOPE_SQL)
    run_id = new_run_id()
    with transaction(con):
        con.execute(f"CREATE OR REPLACE TABLE comparisons AS SELECT {COLUMNS}, "
                    f"'{run_id}' AS run_id FROM bench_labelled "
                    "ORDER BY family, code, breakdown, period_start, la_code")
        n = con.execute("SELECT count(*) FROM comparisons").fetchone()[0]
        record_run(con, run_id, "compare", started, "ok",
                   detail={"rows": n, "groups_file": str(groups_file or groups.default_path())})
    return n


@dataclass(frozen=True)
class Comparison:
    """One row of `comparisons` (docs/comparisons.md describes each field)."""

    family: str
    code: str
    breakdown: str
    la_code: str
    region_code: str
    region: str
    group_name: str | None
    period_start: date
    period_end: date
    year: int
    unit: str
    polarity: str
    precision: int
    value: float
    shown: float
    margin_of_error: float | None
    source: str
    england_value: float
    england_basis: str
    england_mean: float
    england_median: float
    england_n: int
    england_rank: int | None
    england_quartile: int | None
    region_value: float
    region_basis: str
    region_mean: float
    region_median: float
    region_n: int
    region_rank: int | None
    region_quartile: int | None
    group_mean: float | None
    group_median: float | None
    group_n: int | None
    group_rank: int | None
    group_quartile: int | None
    gap_england: float
    gap_region: float
    gap_group: float | None
    previous_value: float | None
    change: float | None
    change_relative: float | None
    rule_kind: str
    rule_threshold: float
    change_class: str | None
    trend_years: int | None
    run_id: str
    # Labels and rank reach (docs/comparisons.md); defaults keep hand-made rows short.
    england_label: str = "England"
    region_label: str = ""
    england_scope: str = "national"
    region_scope: str = "national"
    england_full_n: int | None = None
    reference_n: int | None = None
    region_full_n: int | None = None
    region_reference_n: int | None = None


_FIELDS = ", ".join(f.name for f in fields(Comparison))


def read_comparisons(con: duckdb.DuckDBPyConnection, la_code: str | None = None,
                     year: int | None = None, region: str | None = None) -> list[Comparison]:
    """Rows of `comparisons` for a council and/or year and/or region (None = all), in measure
    order. What the Local Account's "how we compare" and the dashboard read."""
    if not table_exists(con, "comparisons"):
        return []
    where, params = ["TRUE"], []
    for col, val in (("la_code", la_code), ("year", year), ("region", region)):
        if val is not None:
            where.append(f"{col} = ?")
            params.append(val)
    got = con.execute(f"SELECT {_FIELDS} FROM comparisons WHERE {' AND '.join(where)} "
                      "ORDER BY family, code, breakdown, la_code, year", params).fetchall()
    return [Comparison(*r) for r in got]


def as_dict(c: Comparison) -> dict[str, Any]:
    return {f.name: getattr(c, f.name) for f in fields(c)}
