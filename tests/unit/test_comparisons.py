"""Worked examples of the comparison method (docs/comparisons.md): ranks with ties and
polarity, quartile boundaries, gaps in the measure's unit, and the change classification.

Each test builds a tiny warehouse by hand: a few councils' values in `comparator_values`
(and sometimes `metric_values`), a tiny measure set, then `build_comparisons`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from openasc.compare.comparators import ensure_tables, import_comparators
from openasc.compare.comparisons import build_comparisons, read_comparisons
from openasc.compare.measure_set import BenchMeasure, ChangeRule, MeasureSet
from openasc.errors import OpenascError
from openasc.warehouse import connect

# Five North West councils (E08000001 Bolton ... E08000005 Rochdale) and one North East.
NW = ["E08000001", "E08000002", "E08000003", "E08000004", "E08000005"]
NE = "E06000001"
RULES = {"percent": ChangeRule("percent", "points", 1.0),
         "per_100k": ChangeRule("per_100k", "relative", 0.02),
         "score": ChangeRule("score", "relative", 0.02)}


def mset(*measures: BenchMeasure) -> MeasureSet:
    return MeasureSet(version="t", set_label="ASCOF measures", measures=measures, rules=RULES)


PCT = BenchMeasure("ASCOF", "2A", "", "Short-term services", "percent", "higher", 1, True)
RATE = BenchMeasure("ASCOF", "2C", "", "Admissions 65+", "per_100k", "lower", 1, True)
SCORE = BenchMeasure("ASCOF", "1A", "", "Quality of life", "score", "higher", 1, True)


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    c = connect(tmp_path / "w.duckdb")
    ensure_tables(c)
    yield c
    c.close()


def put(con: duckdb.DuckDBPyConnection, m: BenchMeasure, year: int,
        values: dict[str, float], moe: dict[str, float] | None = None) -> None:
    for la, v in values.items():
        con.execute("INSERT OR REPLACE INTO comparator_values VALUES "
                    "(?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?, 't.csv', 'x', 'r')",
                    [m.family, m.code, la, date(year, 4, 1), date(year + 1, 3, 31), m.breakdown,
                     v, m.unit, (moe or {}).get(la)])


def rows(con: duckdb.DuckDBPyConnection, year: int = 2023) -> dict[str, object]:
    return {c.la_code: c for c in read_comparisons(con, year=year)}


def test_ranks_follow_polarity_and_ties_share_a_rank(con: duckdb.DuckDBPyConnection) -> None:
    """2A (higher is better): values 80.0, 75.04, 75.0, 70.0, 60.0 in the North West and
    90.0 in the North East.

    Ranks are taken on the printed figure (1 dp): 75.04 prints as 75.0, the same as 75.0,
    so those two share England rank 3 (after 90.0 and 80.0) and the next is 5th, then 6th.
    In the region (5 councils) the ranks are 1, 2, 2, 4, 5.
    For 2C (lower is better) the same numbers rank the other way: 60.0 is 1st in the region.
    """
    vals = dict(zip(NW, [80.0, 75.04, 75.0, 70.0, 60.0], strict=True)) | {NE: 90.0}
    put(con, PCT, 2023, vals)
    put(con, RATE, 2023, vals)
    build_comparisons(con, mset(PCT, RATE))
    got = {(c.code, c.la_code): c for c in read_comparisons(con, year=2023)}
    assert [got[("2A", la)].england_rank for la in [NE, *NW]] == [1, 2, 3, 3, 5, 6]
    assert [got[("2A", la)].region_rank for la in NW] == [1, 2, 2, 4, 5]
    assert [got[("2C", la)].region_rank for la in NW] == [5, 3, 3, 2, 1]
    assert got[("2A", NW[0])].region_n == 5 and got[("2A", NW[0])].england_n == 6


def test_quartile_boundaries(con: duckdb.DuckDBPyConnection) -> None:
    """Quartile = 1 + floor(4 (rank - 1) / n). With 5 councils in the region, ranks 1..5 give
    4(r-1)/5 = 0, 0.8, 1.6, 2.4, 3.2 → quartiles 1, 1, 2, 3, 4: rank 2 is still in the top
    quartile because (2-1)/5 = 0.2 < 0.25. Tied councils share a quartile."""
    put(con, PCT, 2023, dict(zip(NW, [90.0, 80.0, 70.0, 60.0, 50.0], strict=True)))
    build_comparisons(con, mset(PCT))
    got = rows(con)
    assert [got[la].region_quartile for la in NW] == [1, 1, 2, 3, 4]


def test_quartile_of_23_councils_puts_six_in_the_top() -> None:
    """For 23 councils: top quartile ranks 1-6 ((6-1)/23 = 0.217 < 0.25, (7-1)/23 = 0.26),
    then 7-12, 13-18 and 19-23 (5 in the bottom quartile)."""
    con = duckdb.connect()
    got = con.execute("SELECT list(1 + CAST(floor(4.0 * (r - 1) / 23) AS INTEGER) ORDER BY r) "
                      "FROM range(1, 24) t(r)").fetchone()[0]
    from openasc.compare.comparisons import _quartile
    sql = _quartile("r", "23")
    got2 = con.execute(f"SELECT list({sql} ORDER BY r) FROM range(1, 24) t(r)").fetchone()[0]
    assert got == got2
    assert [got2.count(q) for q in (1, 2, 3, 4)] == [6, 6, 6, 5]


def test_gap_is_in_the_measure_unit(con: duckdb.DuckDBPyConnection) -> None:
    """A published England figure (la_code E92000001) of 77.84% prints as 77.8%; a council
    at 81.23% prints as 81.2%; the gap is 81.2 - 77.8 = 3.4 percentage points (the
    difference of the printed figures, never a relative 4.4%). For the rate, England 548.61
    → 548.6 and the council 318.8: the gap is -229.8 per 100,000. Without a published
    region figure the region value is the mean of its councils, (81.23 + 70.0) / 2."""
    put(con, PCT, 2023, {NW[0]: 81.23, NW[1]: 70.0, "E92000001": 77.84})
    put(con, RATE, 2023, {NW[0]: 318.8, NW[1]: 600.0, "E92000001": 548.61})
    build_comparisons(con, mset(PCT, RATE))
    got = {(c.code, c.la_code): c for c in read_comparisons(con, year=2023)}
    assert got[("2A", NW[0])].gap_england == pytest.approx(3.4)
    assert got[("2A", NW[0])].england_basis == "published"
    assert got[("2A", NW[0])].region_basis == "mean of councils"
    assert got[("2A", NW[0])].region_value == pytest.approx((81.23 + 70.0) / 2)
    assert got[("2C", NW[0])].gap_england == pytest.approx(-229.8)


@pytest.mark.parametrize(("measure", "before", "now", "expected"), [
    (PCT, 80.0, 81.0, "improved"),        # +1.0 pp: at the threshold, a change
    (PCT, 80.0, 80.9, "about the same"),  # +0.9 pp: below 1 percentage point
    (PCT, 80.0, 78.9, "declined"),        # -1.1 pp on a higher-is-better measure
    (RATE, 500.0, 489.9, "improved"),     # -10.1 = -2.02% on a lower-is-better rate
    (RATE, 500.0, 490.1, "about the same"),  # -9.9 = -1.98%: under 2%
    (RATE, 500.0, 510.0, "declined"),     # +10.0 = exactly 2% up: a change, and worse
    (SCORE, 19.0, 19.3, "about the same"),   # +0.3 = 1.6% of 19.0
    (SCORE, 19.0, 19.4, "improved"),      # +0.4 = 2.1%
])
def test_change_classification(con: duckdb.DuckDBPyConnection, measure: BenchMeasure,
                               before: float, now: float, expected: str) -> None:
    """Default rules: 1 percentage point for percentages, 2% relative for rates and scores;
    a change equal to the threshold counts as a change; direction follows polarity."""
    put(con, measure, 2022, {NW[0]: before})
    put(con, measure, 2023, {NW[0]: now})
    build_comparisons(con, mset(measure))
    assert rows(con)[NW[0]].change_class == expected


def test_overlapping_margins_of_error_are_about_the_same(con: duckdb.DuckDBPyConnection) -> None:
    """1B-like survey measure: 75.0% ± 2.0 then 78.5% ± 2.0. The intervals 73-77 and
    76.5-80.5 overlap, so it is about the same although +3.5 pp exceeds 1 pp. Another
    council, 70.0 ± 1.0 then 73.5 ± 1.0 (69-71 and 72.5-74.5, apart), improved."""
    put(con, PCT, 2022, {NW[0]: 75.0, NW[1]: 70.0}, moe={NW[0]: 2.0, NW[1]: 1.0})
    put(con, PCT, 2023, {NW[0]: 78.5, NW[1]: 73.5}, moe={NW[0]: 2.0, NW[1]: 1.0})
    build_comparisons(con, mset(PCT))
    got = rows(con)
    assert got[NW[0]].change_class == "about the same"
    assert got[NW[1]].change_class == "improved"


def test_trend_years_and_series_break(con: duckdb.DuckDBPyConnection) -> None:
    """70 → 72 → 74 → 76 improves three years running (trend_years 3 in 2023). With a
    series break declared at 2023, 2023 is 'not comparable' and carries no trend."""
    for y, v in zip(range(2020, 2024), [70.0, 72.0, 74.0, 76.0], strict=True):
        put(con, PCT, y, {NW[0]: v})
    build_comparisons(con, mset(PCT))
    assert [rows(con, y)[NW[0]].trend_years for y in range(2020, 2024)] == [None, 1, 2, 3]
    broken = BenchMeasure(**{**PCT.__dict__, "series_break": 2023})
    build_comparisons(con, mset(broken))
    c = rows(con)[NW[0]]
    assert (c.change_class, c.trend_years) == ("not comparable", None)


def test_own_figures_take_precedence(con: duckdb.DuckDBPyConnection) -> None:
    """Imported 60.0 for Bolton, computed 85.0 in metric_values: the comparison uses 85.0."""
    put(con, PCT, 2023, {NW[0]: 60.0, NW[1]: 70.0})
    con.execute("INSERT INTO metric_values VALUES ('ASCOF', '2A', ?, '2023-04-01', '2024-03-31', "
                "'', 85, 100, 85.0, 'percent', 'r')", [NW[0]])
    build_comparisons(con, mset(PCT))
    c = rows(con)[NW[0]]
    assert (c.value, c.source, c.region_rank) == (85.0, "computed", 1)


def test_neighbour_groups_rank_within_the_group(con: duckdb.DuckDBPyConnection,
                                                tmp_path: Path) -> None:
    """Groups file in the per-council layout: Bolton's neighbours are Bury and Manchester.
    Values 70, 80, 60: Bolton is 2nd of 3 in its group, group mean 70.0."""
    f = tmp_path / "nn.csv"
    f.write_text("ons_code,neighbour_code\nE08000001,E08000002\nE08000001,E08000003\n")
    put(con, PCT, 2023, {NW[0]: 70.0, NW[1]: 80.0, NW[2]: 60.0, NW[3]: 90.0})
    build_comparisons(con, mset(PCT), groups_file=f)
    c = rows(con)[NW[0]]
    assert (c.group_rank, c.group_n, c.group_mean) == (2, 3, pytest.approx(70.0))


def test_import_ascof_layout(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """The ASCOF data file: one row per measure type; the measure group 2D of a legacy year
    (2019-20) is the current 2A; Bolton by NHS code 304 gets its ONS code."""
    f = tmp_path / "ascof.csv"
    f.write_text(
        "Geographical Code,Geographical Description,Geographical Level,ONS Code,Measure Group,"
        "Measure Group Description,Disaggregation Level,Measure Type,Measure Value\n"
        "304,Bolton,Council,,2D,x,Total,Numerator,410\n"
        "304,Bolton,Council,,2D,x,Total,Denominator,500\n"
        "304,Bolton,Council,,2D,x,Total,Outcome,82.0\n"
        "999,England,England,E92000001,2D,x,Total,Outcome,[c]\n"
        "304,Bolton,Council,,9Z,not ours,Total,Outcome,1\n")
    d = import_comparators(con, f, year="2019-20")
    got = con.execute("SELECT code, la_code, numerator, denominator, value, period_start "
                      "FROM comparator_values").fetchall()
    assert ("2A", "E08000001", 410.0, 500.0, 82.0, date(2019, 4, 1)) in got
    assert d["layout"] == "ascof"


def test_import_names_row_and_field_of_a_bad_value(con: duckdb.DuckDBPyConnection,
                                                   tmp_path: Path) -> None:
    f = tmp_path / "tidy.csv"
    f.write_text("family,code,la_code,period_start,period_end,breakdown,numerator,denominator,"
                 "value,unit\nASCOF,2A,E08000001,2023-04-01,2024-03-31,,1,2,50.0,percent\n"
                 "ASCOF,2A,E08000002,2023-04-01,2024-03-31,,1,2,fifty,percent\n")
    with pytest.raises(OpenascError, match=r"tidy.csv, row 3, field value: 'fifty'"):
        import_comparators(con, f)
