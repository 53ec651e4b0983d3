"""The figures a report may print: `metric_values` rows for one council and year, the same
rows a year earlier, comparators, the council's rows of `comparisons`, and each measure's
metadata from the metric catalogue (`openasc.metrics.catalogue`, read nowhere else).

Reports read nothing else from the warehouse (design: everything downstream of
`metric_values` reads only it and reference data). Two declared inputs sit beside it:
`comparator_values` (the imported national figures, for England and the region) and
`comparisons` (ranks, quartiles, gaps and change classes worked out once by
`openasc compare`). Every printed figure has a row behind it whose key travels with the
number into the HTML (`Row.trace`, `comparison_trace`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import duckdb

from openasc.compare.comparisons import Comparison, read_comparisons
from openasc.councils import Council
from openasc.errors import OpenascError
from openasc.metrics.catalogue import Measure, all_measures, default_catalogue
from openasc.metrics.disclosure import SUPPRESSED, number_or_none, published_rows
from openasc.reports.phrasing import precision_for
from openasc.warehouse import table_exists

ENGLAND = "E92000001"
KEY_SEP = "~~"  # between row keys in one data attribute (keys contain spaces and |)


@dataclass(frozen=True)
class Row:
    family: str
    code: str
    la_code: str
    period_start: date
    period_end: date
    breakdown: str
    numerator: float | None
    denominator: float | None
    value: float | None
    unit: str
    table: str = "metric_values"  # or "comparator_values" (an imported national figure)
    # The fields disclosure control hid ('[c]'): a hidden figure is printed [c], one that
    # cannot be known "not available", and the two are never confused.
    hidden: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """The primary key of the row, as one string: what `data-mv` carries in the HTML."""
        return "|".join([self.family, self.code, self.la_code, self.period_start.isoformat(),
                         self.period_end.isoformat(), self.breakdown])

    def trace(self, what: str = "value") -> dict[str, str]:
        if self.table != "metric_values":
            return {"table": self.table, "key": self.key, "field": what}
        return {"mv": self.key, "field": what}

    @property
    def parts(self) -> dict[str, str]:
        if not self.breakdown:
            return {}
        return dict(p.split("=", 1) for p in self.breakdown.split(";") if "=" in p)

    def shown(self, what: str = "value") -> float | None:
        """The figure as it may be printed: None when it is suppressed or not available.

        Rows of `metric_values` are loaded already published (`load_figures`), rounded and
        suppressed by the disclosure rules, so this is the figure itself.
        """
        return getattr(self, what)


def load_measures() -> dict[tuple[str, str], Measure]:
    """Every measure's metadata, from the metric catalogue (its one reader and checker)."""
    return {(m.family.upper(), m.code): m for m in all_measures(default_catalogue())}


def stand_in(family: str, code: str, unit: str) -> Measure:
    """Metadata for a figure whose measure the catalogue does not have: its code as title,
    printed to its unit's usual precision."""
    return Measure(family=family, code=code, title=f"{family} {code}", unit=unit,
                   polarity="neutral", numerator="", denominator="", source="",
                   disaggregations=(), method_notes="", sql=None, implemented=False,
                   precision=precision_for(unit, None))


@dataclass
class Figures:
    """Everything a report prints from the warehouse for one council and one year."""

    council: Council
    period_start: date
    period_end: date
    rows: list[Row]
    previous: list[Row]
    comparators: list[Row]
    measures: dict[tuple[str, str], Measure]
    population_year: int | None = None
    used: set[tuple[str, str]] = field(default_factory=set)
    # The council's adults by age group, per mid-year estimate held up to this year.
    population: list[AgeGroup] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)

    @property
    def year(self) -> int:
        return self.period_start.year

    def measure(self, family: str, code: str, unit: str = "count") -> Measure:
        """Metadata for a measure; a plain stand-in when the catalogue does not have it."""
        self.used.add((family, code))
        return self.measures.get((family, code)) or stand_in(family, code, unit)

    def get(self, family: str, code: str, breakdown: str = "") -> Row | None:
        for r in self.rows:
            if r.family == family and r.code == code and r.breakdown == breakdown:
                return r
        return None

    def before(self, row: Row) -> Row | None:
        for r in self.previous:
            if r.family == row.family and r.code == row.code and r.breakdown == row.breakdown:
                return r
        return None

    def family(self, family: str, headline: bool = True) -> list[Row]:
        return sorted((r for r in self.rows if r.family == family
                       and (r.breakdown == "") == headline), key=lambda r: (r.code, r.breakdown))

    def breakdowns(self, family: str, code: str) -> list[Row]:
        return [r for r in self.rows if r.family == family and r.code == code and r.breakdown]

    def comparator(self, row: Row, la_code: str) -> Row | None:
        """The comparator's row for the same measure: the same year if there is one, else
        the latest year before it (its year is then printed beside it)."""
        same = [r for r in self.comparators if r.la_code == la_code and r.family == row.family
                and r.code == row.code and r.breakdown == row.breakdown
                and r.period_end <= row.period_end]
        return max(same, key=lambda r: r.period_end) if same else None

    def comparison(self, row: Row) -> Comparison | None:
        """This year's `comparisons` row for the measure: its change class, ranks, gaps."""
        for c in self.comparisons:
            if (c.family, c.code, c.breakdown, c.year) == (row.family, row.code, row.breakdown,
                                                           self.year):
                return c
        return None

    def benchmark(self, row: Row) -> Comparison | None:
        """The latest `comparisons` row, this year or earlier, whose England figure really
        is one: published, or a mean over more than this council alone. When the national
        figures for this year are not out yet, this year's row compares the council only
        with itself; the previous year's England figure (labelled with its year) is then
        the honest comparator (decisions.md)."""
        found = [c for c in self.comparisons
                 if (c.family, c.code, c.breakdown) == (row.family, row.code, row.breakdown)
                 and c.year <= self.year and national(c)]
        return max(found, key=lambda c: c.year) if found else None


@dataclass(frozen=True)
class AgeGroup:
    """Adults aged `from_age` and over in one mid-year population estimate (ONS, persons):
    reference data, published as it is, so never rounded or suppressed."""

    la_code: str
    year: int
    from_age: int
    people: int

    def trace(self) -> dict[str, str]:
        return {"table": "population", "key": f"{self.la_code}|{self.year}|{self.from_age}",
                "field": "population", "places": "0"}


AGE_GROUPS = (18, 65, 85)


def load_population(con: duckdb.DuckDBPyConnection, la_code: str, year: int) -> list[AgeGroup]:
    """Adults 18+, 65+ and 85+ in each estimate held up to `year` (one query, set-based)."""
    try:
        got = con.execute(
            "SELECT year, g.from_age, sum(p.population) FROM population p, "
            "(SELECT unnest(?) AS from_age) g WHERE p.la_code = ? AND p.year <= ? "
            "AND p.sex = 'persons' AND p.age >= g.from_age GROUP BY ALL ORDER BY 1, 2",
            [list(AGE_GROUPS), la_code, year]).fetchall()
    except duckdb.Error:  # no population table yet
        return []
    return [AgeGroup(la_code, int(y), int(a), int(n)) for y, a, n in got]


def national(c: Comparison) -> bool:
    """Whether a comparisons row's England figure compares the council with others."""
    return c.england_basis == "published" or c.england_n >= 2


def comparison_key(c: Comparison) -> str:
    """The key of a `comparisons` row as one string: family|code|breakdown|la_code|year."""
    return "|".join([c.family, c.code, c.breakdown, c.la_code, str(c.year)])


def comparison_trace(c: Comparison, what: str, places: int, **extra: str) -> dict[str, str]:
    """Where a printed comparison figure comes from: the table, the row's key, the field and
    the printed decimals (plus `scale` or `abs` when the number printed is a multiple or the
    size of the stored one), so that a test can recompute it."""
    return {"table": "comparisons", "key": comparison_key(c), "field": what,
            "places": str(places), **extra}


_COLUMNS = ("family, code, la_code, period_start, period_end, breakdown, numerator, "
            "denominator, value, unit")


def _rows(con: duckdb.DuckDBPyConnection, where: str, params: list,
          table: str = "metric_values") -> list[Row]:
    """Rows of `metric_values` as published (rounded and suppressed, metrics.disclosure:
    a report prints nothing the published export does not), or of `comparator_values` (the
    national figures as their publisher released them)."""
    if table == "metric_values":
        return [Row(r["family"], r["code"], r["la_code"], r["period_start"], r["period_end"],
                    r["breakdown"], number_or_none(r["numerator"]),
                    number_or_none(r["denominator"]), number_or_none(r["value"]), r["unit"],
                    hidden=tuple(w for w in ("numerator", "denominator", "value")
                                 if r[w] == SUPPRESSED))
                for r in published_rows(con, where, params, output="report")]
    got = con.execute(f"SELECT {_COLUMNS} FROM {table} WHERE {where} "
                      "ORDER BY family, code, la_code, period_start, breakdown", params).fetchall()
    return [Row(*r, table=table) for r in got]


def load_figures(con: duckdb.DuckDBPyConnection, council: Council, start: date,
                 end: date) -> Figures:
    """Read the council's rows for the year, the year before, England's and the region's
    rows (as comparators) for this year or earlier — from `metric_values`, else from the
    imported `comparator_values` — and the council's `comparisons` rows up to this year."""
    rows = _rows(con, "la_code = ? AND period_start = ? AND period_end = ?",
                 [council.ons_code, start, end])
    prev_start = start.replace(year=start.year - 1)
    prev_end = end.replace(year=end.year - 1)
    previous = _rows(con, "la_code = ? AND period_start = ? AND period_end = ?",
                     [council.ons_code, prev_start, prev_end])
    where = ("la_code IN (?, ?) AND period_end <= ? AND "
             "date_diff('day', period_start, period_end) BETWEEN 360 AND 370")
    params = [ENGLAND, council.region_code, end]
    comparators = _rows(con, where, params)
    if table_exists(con, "comparator_values"):
        own = {(r.family, r.code, r.la_code, r.period_start, r.breakdown) for r in comparators}
        comparators += [r for r in _rows(con, where, params, "comparator_values")
                        if (r.family, r.code, r.la_code, r.period_start, r.breakdown) not in own]
    comparisons = [c for c in read_comparisons(con, la_code=council.ons_code)
                   if c.year <= start.year]
    pop_year = None
    try:
        got = con.execute("SELECT max(year) FROM population WHERE la_code = ? AND year <= ?",
                          [council.ons_code, start.year]).fetchone()
        pop_year = got[0] if got else None
    except duckdb.Error:
        pop_year = None
    return Figures(council=council, period_start=start, period_end=end, rows=rows,
                   previous=previous, comparators=comparators, measures=load_measures(),
                   population_year=pop_year, comparisons=comparisons,
                   population=load_population(con, council.ons_code, start.year))


def parse_year(text: str) -> tuple[date, date]:
    """'2024-25' → 1 April 2024 to 31 March 2025."""
    m = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not m or (int(m.group(1)) + 1) % 100 != int(m.group(2)) or int(m.group(1)) >= 9999:
        raise OpenascError(f"--year {text!r} is not a financial year; expected YYYY-YY, "
                           "e.g. 2024-25.")
    y = int(m.group(1))
    return date(y, 4, 1), date(y + 1, 3, 31)
