"""Data tests: checks declared beside each measure (`tests:` in its YAML), run over the rows a
compute has just written to metric_values, like dbt's tests beside a model.

A test states something the reference guarantees of the figures (a share's numerator is
part of its denominator, a percentage lies between 0 and 100, breakdown rows that partition
the headline add up to it). A failure means the method or the data broke that promise; the
report names the measure, the council, the breakdown and the rule. Every kind is one SQL
query over metric_values, for every declared test at once (set-based, no loop over rows).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import duckdb

from openasc.metrics.catalogue import Measure

# The rows a run wrote, joined to the tests declared for them (table _declared_tests).
_SCOPED = """
scoped AS (
    SELECT d.*, v.breakdown, v.numerator, v.denominator, v.value
    FROM _declared_tests d
    JOIN metric_values v ON v.family = d.family AND v.code = d.code
        AND v.la_code = d.la_code AND v.period_start = $ps AND v.period_end = $pe
)"""

FAILURES_SQL = "WITH " + _SCOPED + """,
not_null AS (
    SELECT *, unnest(columns) AS col FROM scoped WHERE kind = 'not_null'
),
breakdown_sums AS (
    SELECT family, code, la_code, rule, sum(numerator) AS numerator,
           sum(denominator) AS denominator
    FROM scoped
    WHERE kind = 'breakdowns_sum_to_headline' AND breakdown <> ''
      AND list_sort(list_transform(string_split(breakdown, ';'),
                                   lambda x: split_part(x, '=', 1))) = keys
    GROUP BY ALL
),
sums AS (
    SELECT d.family, d.code, d.la_code, array_to_string(d.keys, '+') AS breakdown, d.rule,
           d.severity, coalesce(s.numerator, 0) AS parts, coalesce(h.numerator, 0) AS whole,
           coalesce(s.denominator, 0) AS parts_d, h.denominator AS whole_d, d.is_share
    FROM _declared_tests d
    LEFT JOIN breakdown_sums s USING (family, code, la_code, rule)
    LEFT JOIN metric_values h ON h.family = d.family AND h.code = d.code
        AND h.la_code = d.la_code AND h.period_start = $ps AND h.period_end = $pe
        AND h.breakdown = ''
    WHERE d.kind = 'breakdowns_sum_to_headline'
)
SELECT family, code, la_code, breakdown, rule, severity,
       format('numerator {} is more than the denominator {}', numerator, denominator)
FROM scoped WHERE kind = 'numerator_le_denominator' AND numerator > denominator
UNION ALL
SELECT family, code, la_code, breakdown, rule, severity,
       format('value {} is outside [{}, {}]', value, lo, hi)
FROM scoped WHERE kind = 'value_between' AND (value < lo OR value > hi)
UNION ALL
SELECT family, code, la_code, breakdown, rule, severity, col || ' is empty'
FROM not_null
WHERE CASE col WHEN 'numerator' THEN numerator WHEN 'denominator' THEN denominator
               ELSE value END IS NULL
UNION ALL
SELECT family, code, la_code, breakdown, rule, severity,
       CASE WHEN abs(parts - whole) > greatest(1e-6, 1e-9 * abs(whole))
            THEN format('the rows by {} sum to {}; the headline numerator is {}',
                        breakdown, parts, whole)
            ELSE format('the rows by {} have denominators summing to {}; the headline '
                        'denominator is {}', breakdown, parts_d, whole_d) END
FROM sums
-- relative to the size of the sum: adding the same money in another order (threads) moves
-- the last binary digits of a sum in millions
WHERE abs(parts - whole) > greatest(1e-6, 1e-9 * abs(whole))
   OR (is_share AND whole_d IS NOT NULL
       AND abs(parts_d - whole_d) > greatest(1e-6, 1e-9 * abs(whole_d)))
ORDER BY family, code, la_code, rule, breakdown
"""


def councils_phrase(la_codes: list[str]) -> str:
    """The councils a line of a run's report is about: named when three or fewer."""
    return ", ".join(la_codes) if len(la_codes) <= 3 else f"{len(la_codes)} councils"


@dataclass(frozen=True)
class TestFailure:
    """One row (or, for a breakdown sum, one set of rows) that breaks a declared test."""

    family: str
    code: str
    la_code: str
    breakdown: str
    rule: str
    severity: str
    detail: str

    def line(self) -> str:
        where = f", breakdown {self.breakdown}" if self.breakdown else ", headline"
        return (f"{self.severity} {self.family} {self.code} for {self.la_code}{where}: "
                f"{self.rule} ({self.detail})")


@dataclass
class DataTestReport:
    """How many declared tests ran (one per measure, test and council) and what failed."""

    run: int = 0
    failures: list[TestFailure] = field(default_factory=list)

    def _failed(self, severity: str) -> int:
        return len({(f.family, f.code, f.la_code, f.rule) for f in self.failures
                    if f.severity == severity})

    @property
    def warned(self) -> int:
        return self._failed("warn")

    @property
    def errors(self) -> int:
        return self._failed("error")

    @property
    def passed(self) -> int:
        return self.run - self.warned - self.errors

    def summary(self) -> str:
        return (f"Data tests: {self.run} run, {self.passed} passed, {self.warned} warning(s), "
                f"{self.errors} error(s).")

    def lines(self) -> list[str]:
        """The failures for a person to read: one line each for a single council; for a run
        of several, one line per measure, breakdown and failure with the councils it
        happened for (named when three or fewer), as a national run would otherwise repeat
        the same line for each of 150 councils."""
        if len({f.la_code for f in self.failures}) <= 1:
            return ["  " + f.line() for f in self.failures]
        groups: dict[tuple[str, ...], list[str]] = {}
        for f in self.failures:
            key = (f.severity, f.family, f.code, f.breakdown, f.rule, f.detail)
            groups.setdefault(key, []).append(f.la_code)
        return [f"  {severity} {family} {code} for {councils_phrase(las)}"
                f"{f', breakdown {breakdown}' if breakdown else ', headline'}: {rule} ({detail})"
                for (severity, family, code, breakdown, rule, detail), las in groups.items()]

    def as_detail(self) -> dict[str, object]:
        """For the run record (runs.detail)."""
        return {"run": self.run, "passed": self.passed, "warned": self.warned,
                "errors": self.errors,
                "failures": [f.__dict__ for f in self.failures]}


def run_data_tests(con: duckdb.DuckDBPyConnection, computed: list[tuple[str, Measure]],
                   start: date, end: date) -> DataTestReport:
    """Run the tests declared for each (council, measure) computed, over metric_values.

    The tests are declared once per measure and crossed with the councils in SQL, so a run
    over every council costs one insert per measure, not one per council."""
    measures = {(m.family, m.code): m for _, m in computed if m.tests}
    declared = [
        (m.family, m.code, t.rule, t.kind, t.severity,
         t.bounds[0] if t.bounds else None, t.bounds[1] if t.bounds else None,
         list(t.keys), list(t.columns), m.unit == "percent")
        for m in measures.values() for t in m.tests
    ]
    if not declared:
        return DataTestReport()
    pairs = [(m.family, m.code, la) for la, m in computed if m.tests]
    con.execute("CREATE OR REPLACE TEMP TABLE _tests_by_measure (family VARCHAR, "
                "code VARCHAR, rule VARCHAR, kind VARCHAR, severity VARCHAR, lo DOUBLE, "
                "hi DOUBLE, keys VARCHAR[], columns VARCHAR[], is_share BOOLEAN)")
    con.executemany("INSERT INTO _tests_by_measure VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    declared)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _declared_tests AS "
        "SELECT t.family, t.code, c.la_code, t.rule, t.kind, t.severity, t.lo, t.hi, t.keys, "
        "t.columns, t.is_share FROM _tests_by_measure t JOIN (SELECT unnest(?) AS family, "
        "unnest(?) AS code, unnest(?) AS la_code) c USING (family, code)",
        [[p[0] for p in pairs], [p[1] for p in pairs], [p[2] for p in pairs]])
    run = con.execute("SELECT count(*) FROM _declared_tests").fetchone()[0]
    rows = con.execute(FAILURES_SQL, {"ps": start, "pe": end}).fetchall()
    con.execute("DROP TABLE _declared_tests")
    con.execute("DROP TABLE _tests_by_measure")
    return DataTestReport(run=run, failures=[TestFailure(*r) for r in rows])
