"""Run the catalogue: every measure's SQL, for one period and each council, into metric_values.

Measures are SQL; this module only decides which to run, binds the period and council,
fills `value` from the unit when the SQL leaves it out, and writes the rows in one
transaction (design principles 3 and 4). A measure whose input tables hold nothing for the
council is reported as not computable instead of writing zeros that would read as facts.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import duckdb

from openasc import councils, warehouse
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
from openasc.metrics.data_tests import DataTestReport, run_data_tests
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
    seconds: float = 0.0

    def summary_lines(self) -> list[str]:
        """What `openasc compute` prints (the first lines as before data tests existed)."""
        start, end = self.period or (None, None)
        lines = [f"Computed {len(self.computed)} measure(s) for {', '.join(self.councils)}, "
                 f"{start} to {end}: {self.rows_written} row(s) written to metric_values."]
        if self.not_computable:
            lines.append(f"Not computable ({len(self.not_computable)}):")
            lines += [f"  {family} {code} for {la}: {reason}"
                      for la, family, code, reason in self.not_computable]
        if self.tests.run:
            lines.append(self.tests.summary())
            lines += ["  " + f.line() for f in self.tests.failures]
        return lines


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


def why_not_computable(con: duckdb.DuckDBPyConnection, measure: Measure, la_code: str,
                       shared: dict[str, str] | None = None) -> str:
    """'' when the measure can run for this council, else the reason in one sentence.

    `shared` maps each prepare table of the catalogue to '' when it was built for this
    council, else the reason it was not; a shared table may hold no rows for a council
    (no requests at all) without making the measure not computable.
    """
    shared = shared or {}
    for table in measure.requires:
        if table in shared:
            if shared[table]:
                return f"shared table {table} was not built ({shared[table]})"
            continue
        if not warehouse.table_exists(con, table):
            return f"table {table} does not exist (nothing of that kind has been loaded)"
        if _table_has_la_code(con, table):
            n = con.execute(f'SELECT count(*) FROM "{table}" WHERE la_code = ?',
                            [la_code]).fetchone()[0]
        else:
            n = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        if n == 0:
            return f"table {table} has no rows for {la_code}"
    return ""


def _parameters(sql: str, values: dict[str, object]) -> dict[str, object]:
    """Only the named parameters the SQL uses: DuckDB refuses unused ones."""
    used = set(_PARAM.findall(sql))
    unknown = used - set(values)
    if unknown:
        raise OpenascError(f"The SQL uses unknown parameter(s) {', '.join(sorted(unknown))}; "
                           "the engine binds $period_start, $period_end, $la_code and "
                           "$salt_method only.")
    return {k: v for k, v in values.items() if k in used}


def _bound(start: date, end: date, la_code: str, salt_method: str) -> dict[str, object]:
    """The values the engine binds: the period, the council and the SALT method
    (`openasc.toml` `salt_method`; the SALT SQL reads `$salt_method`)."""
    return {"period_start": start, "period_end": end, "la_code": la_code,
            "salt_method": salt_method}


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _temp_table(con: duckdb.DuckDBPyConnection, name: str, sql: str,
                params: dict[str, object], what: str) -> None:
    """Run catalogue SQL into a temp table; a failure names the SQL file and the council."""
    sql = sql.strip().rstrip(";")
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}", _parameters(sql, params))
    except duckdb.Error as exc:
        raise OpenascError(
            f"{what} failed for {params['la_code']}: {_first_line(exc)}. Nothing was "
            "written; the warehouse is unchanged."
        ) from exc


def _run_sql(con: duckdb.DuckDBPyConnection, measure: Measure, params: dict[str, object],
             cache: dict[tuple[str, str], str]) -> str:
    """Run the measure's SQL into a temp table (once per file and council); return its name."""
    key = (str(measure.sql_path), str(params["la_code"]))
    if key in cache:
        return cache[key]
    name = f"_measure_rows_{len(cache)}"
    _temp_table(con, name, measure.sql_text(), params,
                f"Measure {measure.family} {measure.code}: its SQL ({measure.sql})")
    columns = {r[0] for r in con.execute(f"DESCRIBE {name}").fetchall()}
    missing = {"breakdown", "numerator"} - columns
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
                    la_code: str, run_id: str, cache: dict[tuple[str, str], str],
                    salt_method: str = "nhse") -> int:
    """Replace this measure's rows for the council and period; return rows written.

    Every earlier row of the measure for the same council and period is removed first, not
    only the breakdowns written now: a breakdown that no longer occurs must not survive
    from an older run.
    """
    params = _bound(start, end, la_code, salt_method)
    table = _run_sql(con, measure, params, cache)
    columns = {r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()}
    where = "WHERE code = $code" if "code" in columns else ""
    denominator = "CAST(denominator AS DOUBLE)" if "denominator" in columns else "NULL"
    if measure.unit == "count" and "value" not in columns:
        denominator = "NULL"
    keys = {"family": measure.family, "code": measure.code, "la": la_code,
            "ps": start, "pe": end}
    con.execute("DELETE FROM metric_values WHERE family = $family AND code = $code AND "
                "la_code = $la AND period_start = $ps AND period_end = $pe", keys)
    select = (
        f"SELECT $family, $code, $la, $ps, $pe, coalesce(CAST(breakdown AS VARCHAR), ''), "
        f"CAST(numerator AS DOUBLE), {denominator}, {_value_expression(measure, columns)}, "
        f"$unit, $run FROM {table} {where}"
    )
    try:
        con.execute(
            "INSERT INTO metric_values (family, code, la_code, period_start, period_end, "
            "breakdown, numerator, denominator, value, unit, run_id) " + select,
            {**keys, "unit": measure.unit, "run": run_id},
        )
    except duckdb.ConstraintException as exc:
        raise OpenascError(
            f"Measure {measure.family} {measure.code}: {measure.sql} returned the same "
            f"breakdown twice for {la_code} ({exc}). Each breakdown must appear once."
        ) from exc
    return con.execute(f"SELECT count(*) FROM {table} {where}",
                       {"code": measure.code} if where else {}).fetchone()[0]


def prepare_tables(con: duckdb.DuckDBPyConnection,
                   steps: tuple[tuple[Family, PrepareStep], ...], start: date, end: date,
                   la_code: str, salt_method: str = "nhse") -> dict[str, str]:
    """Build the shared tables for one council, in the order given (each after those it
    requires). Returns each table with '' when built, else why not (its input is missing;
    the table is then dropped so no measure reads another council's rows)."""
    params = _bound(start, end, la_code, salt_method)
    built: dict[str, str] = {}

    def unready(table: str) -> str:
        if table in built:
            return built[table]
        return "" if warehouse.table_exists(con, table) else f"table {table} does not exist"

    for family, step in steps:
        why = next(filter(None, map(unready, step.requires)), "")
        if why:
            con.execute(f'DROP TABLE IF EXISTS "{step.table}"')
            built[step.table] = why
            continue
        _temp_table(con, f'"{step.table}"', step.sql_text(), params,
                    f"Family {family.name}: the shared table {step.table} ({step.sql})")
        built[step.table] = ""
    return built


def compute(con: duckdb.DuckDBPyConnection, start: date, end: date, la_codes: list[str],
            run_id: str, families: tuple[Family, ...] | None = None,
            progress: ProgressFn | None = None, select: list[str] | None = None,
            plan: Plan | None = None, salt_method: str = "nhse") -> ComputeResult:
    """Compute the selected implemented measures (all when `select` is empty) for each
    council, after the prepare steps they need; then run their data tests (caller owns the
    transaction). Only the computed measures' rows are replaced."""
    families = default_catalogue() if families is None else families
    plan = plan or build_plan(families, select)
    shared_names = set(prepare_steps(families))
    result = ComputeResult(select=selection_tokens(select), councils=list(la_codes),
                           period=(start, end), run_id=run_id, salt_method=salt_method)
    cache: dict[tuple[str, str], str] = {}
    # The CLD specification's value lists, which measures join (ascof_2a.sql): rewritten from
    # the specification the code ships, so a warehouse loaded before it changed still agrees.
    lookups.write_reference(con)
    computed: list[tuple[str, Measure]] = []
    total, done = len(plan.measures) * len(la_codes), 0
    categories.register(con)  # national category lists, for zero rows (metrics/categories.py)
    calendar.register(con)  # working days, for complaint timeliness (metrics/calendar.py)
    for la in la_codes:
        built = prepare_tables(con, plan.prepare, start, end, la, salt_method)
        result.prepared += [(la, t) for t, why in built.items() if not why]
        shared = {t: built.get(t, "not needed by this selection") for t in shared_names}
        for m in plan.measures:
            reason = why_not_computable(con, m, la, shared)
            if reason:
                result.not_computable.append((la, m.family, m.code, reason))
            else:
                result.rows_written += compute_measure(con, m, start, end, la, run_id, cache,
                                                       salt_method)
                result.computed.append((la, m.family, m.code))
                computed.append((la, m))
            done += 1
            if progress is not None:
                progress(done, total)
    for name in cache.values():
        con.execute(f"DROP TABLE IF EXISTS {name}")
    result.tests = run_data_tests(con, computed, start, end)
    return result


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
                progress: ProgressFn | None = None) -> ComputeResult:
    """`openasc compute`: the selected measures (default all), one transaction, one run
    record. A data test of severity error that fails rolls the whole run back
    (DataTestsFailed); warnings are reported and kept in the run record."""
    if end < start:
        raise OpenascError(f"--to {end} is before --from {start}; expected a period whose "
                           "last day is on or after its first day.")
    families = catalogue_for(settings.catalogue_dirs) if families is None else families
    plan = build_plan(families, select)
    clock, started = time.perf_counter(), datetime.now()
    run_id = warehouse.new_run_id()
    version = catalogue_version(families)
    con = warehouse.connect(settings.warehouse)
    try:
        la_codes = _councils_to_compute(con, la, end, families, plan)
        with warehouse.transaction(con):
            result = compute(con, start, end, la_codes, run_id, families, progress,
                             select, plan, settings.salt_method)
            result.method_version = version
            if result.tests.errors:
                result.seconds = time.perf_counter() - clock
                raise DataTestsFailed(result)
            warehouse.record_run(con, run_id, "compute", started, "ok",
                                 method_version=version, as_of=end, detail=_detail(result))
    finally:
        con.close()
    result.seconds = time.perf_counter() - clock
    return result


def _detail(result: ComputeResult) -> dict[str, Any]:
    start, end = result.period or (None, None)
    detail: dict[str, Any] = {
        "period_start": start, "period_end": end, "councils": result.councils,
        "measures_computed": len(result.computed), "rows_written": result.rows_written,
        "not_computable": [list(x) for x in result.not_computable],
        "salt_method": result.salt_method,
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
