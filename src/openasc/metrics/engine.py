"""Run the catalogue: every measure's SQL, for one period and every council, into metric_values.

Measures are SQL; this module only decides which to run, binds the period, names the
councils of the run, fills `value` from the unit when the SQL leaves it out, and writes the
rows in one transaction (design principles 3 and 4). A measure whose input tables hold
nothing for a council is reported as not computable for it instead of writing zeros that
would read as facts.

Catalogue SQL is set-based: each file runs once for all the councils of the run, which the
engine lists in the temp table `compute_councils`, and returns a `la_code` column (grouped by
council inside the SQL, docs/measures.md). One council or 150 is the same single query, so
`--all-councils` costs about what one council's run costs. A file of a council's own
catalogue that still binds `$la_code` (the older form) runs once per council, as before.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

import duckdb

from openasc import councils, warehouse
from openasc.batches import council_batches
from openasc.config import Settings
from openasc.errors import OpenascError
from openasc.ingest.national import lookups
from openasc.metrics import calendar, categories
from openasc.metrics.catalogue import (
    Family,
    Measure,
    PrepareStep,
    catalogue_for,
    catalogue_version,
    default_catalogue,
    prepare_steps,
)
from openasc.metrics.data_tests import DataTestReport, councils_phrase, run_data_tests
from openasc.metrics.plan import Plan, build_plan, selection_tokens

# Tables that describe every council, not the ones a council has loaded: their rows do not
# make a council "present" for a compute run without --la.
# Tables for every council (not a sign that a council's own data is loaded).
REFERENCE_TABLES = {"councils", "population", "population_projections", "care_locations",
                    "care_closures", "prevalence_rates"}

# value = numerator / denominator x factor, for units the engine can fill in itself.
UNIT_FACTORS = {"percent": 100.0, "per_100k": 100000.0, "per_1000": 1000.0, "rate": 1.0,
                "per_100": 100.0, "gbp_per_head": 1.0}

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


# Called after each (council, measure) with (done, total): a progress bar for the caller.
ProgressFn = Callable[[int, int], None]


@dataclass
class ComputeResult:
    """What a compute run did: the summary, the run log and the caller's return value."""

    computed: list[tuple[str, str, str]] = field(default_factory=list)  # (la, family, code)
    rows_written: int = 0
    not_computable: list[tuple[str, str, str, str]] = field(default_factory=list)  # +reason
    prepared: list[tuple[str, str]] = field(default_factory=list)  # (la, prepare table)
    tests: DataTestReport = field(default_factory=DataTestReport)
    select: list[str] = field(default_factory=list)  # the --select tokens; [] = everything
    councils: list[str] = field(default_factory=list)
    period: tuple[date, date] | None = None
    run_id: str = ""
    method_version: str = ""
    salt_method: str = "nhse"  # how the SALT tables were derived (config.SALT_METHODS)
    engine: str = "duckdb"  # where the catalogue SQL ran (SqlRunner.name)
    seconds: float = 0.0

    def summary_lines(self) -> list[str]:
        """What `openasc compute` prints (the first lines as before data tests existed)."""
        start, end = self.period or (None, None)
        on = "" if self.engine == "duckdb" else f" on {self.engine}"
        lines = [f"Computed {len(self.computed)} measure(s){on} for "
                 f"{_councils_named(self.councils)}, {start} to {end}: {self.rows_written} "
                 "row(s) written to metric_values."]
        if self.not_computable:
            lines.append(f"Not computable ({len(self.not_computable)}):")
            if len(self.councils) == 1:
                lines += [f"  {family} {code} for {la}: {reason}"
                          for la, family, code, reason in self.not_computable]
            else:
                lines += _grouped_not_computable(self.not_computable)
        if self.tests.run:
            lines.append(self.tests.summary())
            lines += self.tests.lines()
        return lines


def _councils_named(la_codes: list[str], at_most: int = 10) -> str:
    """The councils of a run, or for a national run their number and the first and last."""
    if len(la_codes) <= at_most:
        return ", ".join(la_codes)
    return f"{len(la_codes)} councils and areas ({la_codes[0]} to {la_codes[-1]})"


def _grouped_not_computable(rows: list[tuple[str, str, str, str]]) -> list[str]:
    """One line per measure and reason, with its councils (named when three or fewer): a
    national run would otherwise print thousands of council x measure lines."""
    groups: dict[tuple[str, str, str], list[str]] = {}
    for la, family, code, reason in rows:
        groups.setdefault((family, code, reason.removesuffix(f" for {la}")), []).append(la)
    return [f"  {family} {code}: not computable for {councils_phrase(las)}: {reason}"
            for (family, code, reason), las in groups.items()]


class DataTestsFailed(OpenascError):
    """A test declared `severity: error` failed: the run is rolled back (exit 1)."""

    def __init__(self, result: ComputeResult) -> None:
        errors = [f.line() for f in result.tests.failures if f.severity == "error"]
        super().__init__(
            f"{result.tests.errors} data test(s) of severity error failed, so nothing was "
            "written; the warehouse is unchanged: " + "; ".join(errors) + "."
        )
        self.result = result


def _table_has_la_code(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM information_schema.columns WHERE table_name = ? "
        "AND column_name = 'la_code'", [table]).fetchone()[0])


def councils_reading(con: duckdb.DuckDBPyConnection, measures: list[Measure],
                     shared: set[str], steps: tuple[PrepareStep, ...] = ()) -> list[str]:
    """ONS codes of every council (or England or region, for national files) with rows in an
    input table these measures read, directly or through the shared tables `steps` build."""
    read = {t for m in measures for t in m.requires} | {t for p in steps for t in p.requires}
    tables = sorted(read - REFERENCE_TABLES - shared)
    parts = [f'SELECT DISTINCT la_code FROM "{t}"' for t in tables
             if warehouse.table_exists(con, t) and _table_has_la_code(con, t)]
    if not parts:
        return []
    rows = con.execute(" UNION ".join(parts) + " ORDER BY 1").fetchall()
    return [r[0] for r in rows if r[0] is not None]


def _parameters(sql: str, values: dict[str, object]) -> dict[str, object]:
    """Only the named parameters the SQL uses: DuckDB refuses unused ones."""
    used = set(_PARAM.findall(sql))
    unknown = used - set(values)
    if unknown:
        raise OpenascError(f"The SQL uses unknown parameter(s) {', '.join(sorted(unknown))}; "
                           "the engine binds $period_start, $period_end and $salt_method "
                           "(and $la_code for SQL in the per-council form) only.")
    return {k: v for k, v in values.items() if k in used}


def _bound(start: date, end: date, la_code: str | None, salt_method: str) -> dict[str, object]:
    """The values the engine binds: the period, the SALT method (`openasc.toml`
    `salt_method`; the SALT SQL reads `$salt_method`) and, for a file in the older
    per-council form only, the council."""
    return {"period_start": start, "period_end": end, "la_code": la_code,
            "salt_method": salt_method}


def per_council(sql: str) -> bool:
    """True for SQL in the older per-council form (it binds `$la_code`); shipped catalogue
    SQL is set-based and reads the run's councils from `compute_councils`."""
    return "la_code" in set(_PARAM.findall(sql))


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _for_whom(params: dict[str, object]) -> str:
    return f"for {params['la_code']}" if params.get("la_code") else "for the run's councils"


def _temp_table(con: duckdb.DuckDBPyConnection, name: str, sql: str,
                params: dict[str, object], what: str, append: bool = False) -> None:
    """Run catalogue SQL into a temp table (or, `append`, add its rows to the table); a
    failure names the SQL file and the councils."""
    sql = sql.strip().rstrip(";")
    into = f"INSERT INTO {name} " if append else f"CREATE OR REPLACE TEMP TABLE {name} AS "
    try:
        con.execute(into + sql, _parameters(sql, params))
    except duckdb.Error as exc:
        raise OpenascError(
            f"{what} failed {_for_whom(params)}: {_first_line(exc)}. Nothing was "
            "written; the warehouse is unchanged."
        ) from exc


class SqlRunner(Protocol):
    """Where catalogue SQL runs. The engine decides everything else (the plan, the councils,
    what is computable, the value, the data tests) in the DuckDB warehouse; a runner only
    turns one file's SQL into a table: a shared table later SQL reads by name, or a
    measure's rows as a DuckDB temp table the engine writes into metric_values from."""

    name: str

    def start(self, con: duckdb.DuckDBPyConnection) -> None:
        """Called once the run's helper tables (compute_councils, category lists, working
        days, lookups) exist on `con`, before any catalogue SQL."""

    def shared_table(self, con: duckdb.DuckDBPyConnection, table: str, sql: str,
                     params: dict[str, object], what: str, by_council: bool = False) -> None:
        """Build a prepare step's table where the next SQL reads it. `by_council`: the SQL
        may run a batch of councils at a time (openasc/batches.py)."""

    def rows_table(self, con: duckdb.DuckDBPyConnection, table: str, sql: str,
                   params: dict[str, object], what: str) -> None:
        """Run a measure's SQL into the DuckDB temp table `table` on `con`."""

    def drop_shared(self, con: duckdb.DuckDBPyConnection, table: str) -> None:
        """Let go of a shared table no later SQL of the run reads."""

    def close(self) -> None:
        """Let go of what the run made outside the warehouse."""


class DuckDBRunner:
    """The default: catalogue SQL runs in the warehouse itself, a file marked `by_council`
    in batches of councils that fit the memory limit (`batch_rows` CLD rows a batch; by
    default from the limit, openasc/batches.py)."""

    name = "duckdb"

    def __init__(self, batch_rows: int | None = None) -> None:
        self.batch_rows = batch_rows
        self.batches: list[list[str]] = []

    def start(self, con: duckdb.DuckDBPyConnection) -> None:
        self.batches = council_batches(con, "SELECT la_code FROM compute_councils",
                                       self.batch_rows)

    def shared_table(self, con: duckdb.DuckDBPyConnection, table: str, sql: str,
                     params: dict[str, object], what: str, by_council: bool = False) -> None:
        name = f'"{table}"'
        if not by_council or len(self.batches) < 2:
            _temp_table(con, name, sql, params, what)
            return
        for i, batch in enumerate(self.batches):
            register_councils(con, batch)
            _temp_table(con, name, sql, params, what, append=i > 0)
        # Not in a `finally`: after a failure the transaction refuses every statement.
        register_councils(con, [la for batch in self.batches for la in batch])

    def rows_table(self, con: duckdb.DuckDBPyConnection, table: str, sql: str,
                   params: dict[str, object], what: str) -> None:
        _temp_table(con, table, sql, params, what)

    def drop_shared(self, con: duckdb.DuckDBPyConnection, table: str) -> None:
        con.execute(f'DROP TABLE IF EXISTS "{table}"')

    def close(self) -> None:
        pass


def runner_for(engine: str) -> SqlRunner:
    """The runner for `--engine`: duckdb (default) or spark (pyspark, `[spark]` extra)."""
    if engine == "duckdb":
        return DuckDBRunner()
    if engine == "spark":
        from openasc.metrics.spark_engine import SparkRunner

        return SparkRunner()
    raise OpenascError(f"--engine {engine!r} is not one of duckdb, spark.")


def register_councils(con: duckdb.DuckDBPyConnection, la_codes: list[str]) -> None:
    """The temp table `compute_councils`: the councils (or areas) this run computes, which
    set-based catalogue SQL reads instead of a bound `$la_code`."""
    con.execute("CREATE OR REPLACE TEMP TABLE compute_councils AS "
                "SELECT DISTINCT unnest(CAST(? AS VARCHAR[])) AS la_code", [list(la_codes)])


def _run_sql(con: duckdb.DuckDBPyConnection, measure: Measure, params: dict[str, object],
             cache: dict[tuple[str, str], str], runner: SqlRunner) -> str:
    """Run the measure's SQL into a temp table (once per file, and per council for a file in
    the per-council form); return its name."""
    key = (str(measure.sql_path), str(params["la_code"] or "*"))
    if key in cache:
        return cache[key]
    name = f"_measure_rows_{len(cache)}"
    runner.rows_table(con, name, measure.sql_text(), params,
                      f"Measure {measure.family} {measure.code}: its SQL ({measure.sql})")
    columns = {r[0] for r in con.execute(f"DESCRIBE {name}").fetchall()}
    needed = {"breakdown", "numerator"} | (set() if params["la_code"] else {"la_code"})
    missing = needed - columns
    if missing:
        raise OpenascError(f"Measure {measure.family} {measure.code}: {measure.sql} returns no "
                           f"{', '.join(sorted(missing))} column (docs/measures.md).")
    cache[key] = name
    return name


def _value_expression(measure: Measure, columns: set[str]) -> str:
    if "value" in columns:
        return "CAST(value AS DOUBLE)"
    if measure.unit == "count":
        return "CAST(numerator AS DOUBLE)"
    if measure.unit in UNIT_FACTORS and "denominator" in columns:
        return (f"CASE WHEN denominator IS NULL OR denominator = 0 THEN NULL ELSE "
                f"CAST(numerator AS DOUBLE) / denominator * {UNIT_FACTORS[measure.unit]} END")
    raise OpenascError(f"Measure {measure.family} {measure.code}: unit {measure.unit} needs "
                       f"a `value` column from {measure.sql} (the engine computes value only "
                       "for percent, per_100k, per_1000, rate and count).")


def compute_measure(con: duckdb.DuckDBPyConnection, measure: Measure, start: date, end: date,
                    la_codes: list[str], run_id: str, cache: dict[tuple[str, str], str],
                    salt_method: str = "nhse", per_council_form: bool = False,
                    runner: SqlRunner | None = None) -> int:
    """Replace this measure's rows for these councils and the period; return rows written.

    Every earlier row of the measure for the same councils and period is removed first, not
    only the breakdowns written now: a breakdown that no longer occurs must not survive
    from an older run. Set-based SQL returns every council of the run; only the rows of
    `la_codes` (those for which the measure is computable) are kept.
    """
    la = la_codes[0] if per_council_form else None
    params = _bound(start, end, la, salt_method)
    table = _run_sql(con, measure, params, cache, runner or DuckDBRunner())
    columns = {r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()}
    con.execute("CREATE OR REPLACE TEMP TABLE _computable AS "
                "SELECT unnest(CAST(? AS VARCHAR[])) AS la_code", [list(la_codes)])
    council = "$la" if per_council_form else "la_code"
    where = "WHERE " + ("code = $code AND " if "code" in columns else "") + (
        "TRUE" if per_council_form else "la_code IN (SELECT la_code FROM _computable)")
    denominator = "CAST(denominator AS DOUBLE)" if "denominator" in columns else "NULL"
    if measure.unit == "count" and "value" not in columns:
        denominator = "NULL"
    keys = {"family": measure.family, "code": measure.code, "ps": start, "pe": end}
    con.execute("DELETE FROM metric_values WHERE family = $family AND code = $code AND "
                "la_code IN (SELECT la_code FROM _computable) AND period_start = $ps AND "
                "period_end = $pe", keys)
    select = (
        f"SELECT $family, $code, {council}, $ps, $pe, "
        f"coalesce(CAST(breakdown AS VARCHAR), ''), CAST(numerator AS DOUBLE), {denominator}, "
        f"{_value_expression(measure, columns)}, $unit, $run FROM {table} {where}"
    )
    binds = {**keys, "unit": measure.unit, "run": run_id}
    if per_council_form:
        binds["la"] = la
    try:
        con.execute(
            "INSERT INTO metric_values (family, code, la_code, period_start, period_end, "
            "breakdown, numerator, denominator, value, unit, run_id) " + select, binds)
    except duckdb.ConstraintException as exc:
        raise OpenascError(
            f"Measure {measure.family} {measure.code}: {measure.sql} returned the same "
            f"breakdown twice for a council ({exc}). Each breakdown must appear once per "
            "council."
        ) from exc
    count_binds = {"code": measure.code} if "code" in columns else {}
    return con.execute(f"SELECT count(*) FROM {table} {where}", count_binds).fetchone()[0]


def prepare_tables(con: duckdb.DuckDBPyConnection,
                   steps: tuple[tuple[Family, PrepareStep], ...], start: date, end: date,
                   la_code: str | None, salt_method: str = "nhse",
                   runner: SqlRunner | None = None) -> dict[str, str]:
    """Build the shared tables, in the order given (each after those it requires): for
    every council of `compute_councils` (set-based steps, `la_code` None) or for one council
    (steps in the per-council form). Returns each table with '' when built, else why not
    (its input is missing; the table is then dropped so no measure reads stale rows)."""
    params = _bound(start, end, la_code, salt_method)
    runner = runner or DuckDBRunner()
    built: dict[str, str] = {}

    for family, step in steps:
        why = next(filter(None, (built[t] if t in built else _input_missing(con, t)
                                 for t in step.requires)), "")
        _build_or_drop(con, runner, family, step, params, why)
        built[step.table] = why
    return built


def _input_missing(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """Why a warehouse table a step requires is not there ('' when it is)."""
    return "" if warehouse.table_exists(con, table) else f"table {table} does not exist"


def _build_or_drop(con: duckdb.DuckDBPyConnection, runner: SqlRunner, family: Family,
                   step: PrepareStep, params: dict[str, object], why: str) -> None:
    """Build a step's shared table; when an input is missing (`why`), drop it instead, so no
    measure reads stale rows."""
    if why:
        con.execute(f'DROP TABLE IF EXISTS "{step.table}"')
        return
    # A step of the per-council form (bound to one `$la_code`) is one council already.
    runner.shared_table(con, step.table, step.sql_text(), params,
                        f"Family {family.name}: the shared table {step.table} ({step.sql})",
                        by_council=step.by_council and not params.get("la_code"))


class _Availability:
    """Which councils of the run each input table holds rows for (one query per table, for
    every council at once), so "not computable" is decided per council without a loop of
    queries."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self._missing: dict[str, tuple[str, set[str]]] = {}

    def missing(self, table: str) -> tuple[str, set[str]]:
        """(reason for every council, councils of the run without rows) for one table."""
        if table not in self._missing:
            if not warehouse.table_exists(self.con, table):
                found = ("table {t} does not exist (nothing of that kind has been loaded)",
                         set())
            elif _table_has_la_code(self.con, table):
                rows = self.con.execute(
                    f'SELECT c.la_code FROM compute_councils c WHERE NOT EXISTS '
                    f'(SELECT 1 FROM "{table}" t WHERE t.la_code = c.la_code)').fetchall()
                found = ("", {r[0] for r in rows})
            elif self.con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] == 0:
                found = ("table {t} has no rows", set())
            else:
                found = ("", set())
            self._missing[table] = found
        return self._missing[table]

    def reasons(self, measure: Measure, la_codes: list[str],
                shared: dict[str, str]) -> dict[str, str]:
        """Each council for which the measure cannot run, with the first reason."""
        out: dict[str, str] = {}
        for table in measure.requires:
            if table in shared:
                if shared[table]:
                    why = f"shared table {table} was not built ({shared[table]})"
                    out.update({la: why for la in la_codes if la not in out})
                continue
            everyone, without = self.missing(table)
            for la in la_codes:
                if la in out:
                    continue
                if everyone:
                    out[la] = everyone.format(t=table)
                elif la in without:
                    out[la] = f"table {table} has no rows for {la}"
        return out


def compute(con: duckdb.DuckDBPyConnection, start: date, end: date, la_codes: list[str],
            run_id: str, families: tuple[Family, ...] | None = None,
            progress: ProgressFn | None = None, select: list[str] | None = None,
            plan: Plan | None = None, salt_method: str = "nhse",
            runner: SqlRunner | None = None) -> ComputeResult:
    """Compute the selected implemented measures (all when `select` is empty) for every
    council of `la_codes`, after the prepare steps they need; then run their data tests
    (caller owns the transaction). Only the computed measures' rows are replaced.

    Set-based steps and measures run once for all councils; any in the older per-council
    form run after them, once per council. `runner` says where the SQL runs (default: in
    the warehouse; SparkRunner: on Spark); the results are written here either way.
    """
    runner = runner or DuckDBRunner()
    families = default_catalogue() if families is None else families
    plan = plan or build_plan(families, select)
    shared_names = set(prepare_steps(families))
    result = ComputeResult(select=selection_tokens(select), councils=list(la_codes),
                           period=(start, end), run_id=run_id, salt_method=salt_method,
                           engine=runner.name)
    cache: dict[tuple[str, str], str] = {}
    # The CLD specification's value lists, which measures join (ascof_2a.sql): rewritten from
    # the specification the code ships, so a warehouse loaded before it changed still agrees.
    lookups.write_reference(con)
    categories.register(con)  # national category lists, for zero rows (metrics/categories.py)
    calendar.register(con)  # working days, for complaint timeliness (metrics/calendar.py)
    register_councils(con, la_codes)
    runner.start(con)
    old_tables = _per_council_tables(plan)
    steps = tuple(s for s in plan.prepare if s[1].table not in old_tables)
    old_steps = tuple(s for s in plan.prepare if s[1].table in old_tables)
    measures = [m for m in plan.measures
                if not per_council(m.sql_text()) and not old_tables & set(m.requires)]
    old_measures = [m for m in plan.measures if m not in measures]
    computed: list[tuple[str, Measure]] = []
    total, done = len(measures) + len(old_measures) * len(la_codes), 0

    def step_done() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    def run(measure: Measure, councils_now: list[str], shared: dict[str, str],
            available: _Availability, per_council_form: bool) -> None:
        reasons = available.reasons(measure, councils_now, shared)
        result.not_computable += [(la, measure.family, measure.code, why)
                                  for la, why in reasons.items()]
        ready = [la for la in councils_now if la not in reasons]
        if ready:
            result.rows_written += compute_measure(con, measure, start, end, ready, run_id,
                                                   cache, salt_method, per_council_form,
                                                   runner)
            result.computed += [(la, measure.family, measure.code) for la in ready]
            computed.extend((la, measure) for la in ready)
        step_done()

    tables = _SharedTables(con, steps, measures, old_steps, old_measures,
                           _bound(start, end, None, salt_method), runner, cache)
    shared = {t: "not needed by this selection" for t in shared_names}
    available = _Availability(con)
    for m in measures:
        shared.update(tables.ensure_for(m))
        run(m, list(la_codes), shared, available, per_council_form=False)
        tables.done_with(m)
    if old_steps or old_measures:
        shared.update(tables.ensure_pinned())
    for la in la_codes if (old_steps or old_measures) else []:
        old_built = prepare_tables(con, old_steps, start, end, la, salt_method, runner)
        result.prepared += [(la, t) for t, why in old_built.items() if not why]
        for m in old_measures:
            run(m, [la], {**shared, **old_built}, available, per_council_form=True)
    result.prepared[:0] = [(la, t) for t in tables.made for la in la_codes]
    for name in set(cache.values()) - tables.lent:
        con.execute(f"DROP TABLE IF EXISTS {name}")
    result.tests = run_data_tests(con, computed, start, end)
    return result


class _SharedTables:
    """The run's shared tables (prepare steps in the set-based form), each built just
    before the first measure that reads it and dropped after the last.

    At national scale a shared table holds gigabytes (a row per event or person of every
    council), so a run holds only those still to be read, not every one from the start.
    (The national run's spill comes from inside single SALT statements, not from these:
    benchmarks/README.md.) Tables that measures of the older per-council form read
    (`pinned`) are kept to the end, as those measures run last, once per council.

    A measure whose SQL file is also a shared table's (SALT LTS001a reads the cells that
    `salt_lts001_cells` holds) reads the table instead of running the same file again with
    the same parameters: the table is lent to the measure cache (`lent`), and that measure
    counts as one of its readers.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection,
                 steps: tuple[tuple[Family, PrepareStep], ...], measures: list[Measure],
                 old_steps: tuple[tuple[Family, PrepareStep], ...],
                 old_measures: list[Measure], params: dict[str, object], runner: SqlRunner,
                 cache: dict[tuple[str, str], str]) -> None:
        self.con, self.params, self.runner, self.cache = con, params, runner, cache
        self.steps = {step.table: (family, step) for family, step in steps}
        self.built: dict[str, str] = {}  # table -> '' when built, else why not
        self.made: list[str] = []  # built, in order
        self.lent: set[str] = set()
        self.readers: dict[str, int] = dict.fromkeys(self.steps, 0)
        for m in measures:
            for t in self._read_by(m):
                self.readers[t] += 1
        for _, step in steps:
            for t in self._deps(step):
                self.readers[t] += 1
        self.pinned = {t for m in old_measures for t in m.requires if t in self.steps} | {
            t for _, step in old_steps for t in self._deps(step)}

    def _deps(self, step: PrepareStep) -> list[str]:
        return [t for t in step.requires if t in self.steps]

    def _read_by(self, measure: Measure) -> set[str]:
        same_file = {t for t, (_, step) in self.steps.items()
                     if self.runner.name == "duckdb"
                     and step.folder / step.sql == measure.sql_path}
        return {t for t in measure.requires if t in self.steps} | same_file

    def ensure(self, table: str) -> str:
        """Build `table` (after the tables it requires) unless it is built; '' when it is,
        else why it could not be (its input is missing; the table is then dropped so no
        measure reads stale rows)."""
        if table in self.built:
            return self.built[table]
        family, step = self.steps[table]
        why = next(filter(None, (self.ensure(t) if t in self.steps else
                                 _input_missing(self.con, t) for t in step.requires)), "")
        _build_or_drop(self.con, self.runner, family, step, self.params, why)
        if not why:
            self.made.append(table)
            if self.runner.name == "duckdb":
                self.cache[(str(step.folder / step.sql), "*")] = f'"{table}"'
                self.lent.add(f'"{table}"')
        self.built[table] = why
        for needed in self._deps(step):
            self._release(needed)
        return why

    def ensure_for(self, measure: Measure) -> dict[str, str]:
        """Build what `measure` reads; each table with '' or why it was not built."""
        return {t: self.ensure(t) for t in sorted(self._read_by(measure))}

    def ensure_pinned(self) -> dict[str, str]:
        return {t: self.ensure(t) for t in sorted(self.pinned)}

    def done_with(self, measure: Measure) -> None:
        for t in self._read_by(measure):
            self._release(t)

    def _release(self, table: str) -> None:
        self.readers[table] -= 1
        if self.readers[table] or table in self.pinned:
            return
        name = f'"{table}"'
        self.cache.pop(next((k for k, v in self.cache.items() if v == name), ("", "")), None)
        self.runner.drop_shared(self.con, table)


def _per_council_tables(plan: Plan) -> set[str]:
    """Shared tables built one council at a time: their step binds `$la_code`, or reads
    such a table (it then holds only the current council's rows too). A measure reading
    one runs per council as well."""
    tables: set[str] = set()
    for _, step in plan.prepare:  # in dependency order: a step's inputs come first
        if per_council(step.sql_text()) or tables & set(step.requires):
            tables.add(step.table)
    return tables


def _councils_to_compute(con: duckdb.DuckDBPyConnection, la: str | None, end: date,
                         families: tuple[Family, ...], plan: Plan) -> list[str]:
    if la is not None:
        area = la.strip().upper()
        if area == "E92000001" or con.execute(  # England or a region: national files' areas
                "SELECT count(*) FROM councils WHERE upper(region_code) = ?", [area]
        ).fetchone()[0]:
            return [area]
        return [councils.resolve(la, "--la", on=end).ons_code]
    present = councils_reading(con, list(plan.measures), set(prepare_steps(families)),
                               tuple(step for _, step in plan.prepare))
    if not present:
        raise OpenascError(
            "The warehouse has no council data to compute from (none of the tables "
            "the catalogue reads holds rows). Load data first, e.g. `openasc ingest cld FILE`."
        )
    return present


def run_compute(start: date, end: date, la: str | None, settings: Settings,
                families: tuple[Family, ...] | None = None, select: list[str] | None = None,
                progress: ProgressFn | None = None, engine: str = "duckdb") -> ComputeResult:
    """`openasc compute`: the selected measures (default all), one transaction, one run
    record. A data test of severity error that fails rolls the whole run back
    (DataTestsFailed); warnings are reported and kept in the run record. `engine` spark
    runs the catalogue SQL on Spark (metrics/spark_engine.py) and writes the same rows."""
    if end < start:
        raise OpenascError(f"--to {end} is before --from {start}; expected a period whose "
                           "last day is on or after its first day.")
    families = catalogue_for(settings.catalogue_dirs) if families is None else families
    plan = build_plan(families, select)
    clock, started = time.perf_counter(), datetime.now()
    run_id = warehouse.new_run_id()
    version = catalogue_version(families)
    runner = runner_for(engine)
    try:
        # Bounded memory, spilling to a private folder: 150 councils fit as one does.
        with warehouse.bounded_connection(settings.warehouse, settings.memory_limit) as con:
            la_codes = _councils_to_compute(con, la, end, families, plan)
            with warehouse.transaction(con):
                result = compute(con, start, end, la_codes, run_id, families, progress,
                                 select, plan, settings.salt_method, runner)
                result.method_version = version
                if result.tests.errors:
                    result.seconds = time.perf_counter() - clock
                    raise DataTestsFailed(result)
                warehouse.record_run(con, run_id, "compute", started, "ok",
                                     method_version=version, as_of=end,
                                     detail=_detail(result))
    finally:
        runner.close()
    result.seconds = time.perf_counter() - clock
    return result


def _detail(result: ComputeResult) -> dict[str, Any]:
    start, end = result.period or (None, None)
    detail: dict[str, Any] = {
        "period_start": start, "period_end": end, "councils": result.councils,
        "measures_computed": len(result.computed), "rows_written": result.rows_written,
        "not_computable": [list(x) for x in result.not_computable],
        "salt_method": result.salt_method, "engine": result.engine,
    }
    if result.select:
        detail["select"] = result.select
    detail["prepared"] = [list(x) for x in result.prepared]
    detail["data_tests"] = result.tests.as_detail()
    return detail


def compute_command(start: date, end: date, la: str | None, settings: Settings,
                    console: Any, families: tuple[Family, ...] | None = None,
                    select: list[str] | None = None) -> ComputeResult:
    """run_compute, then its summary printed to `console` (for callers that show text:
    the demo and the dashboard's job runner)."""
    result = run_compute(start, end, la, settings, families, select)
    for line in result.summary_lines():
        console.print(line, markup=False)
    return result
