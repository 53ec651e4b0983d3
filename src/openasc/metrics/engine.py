"""Run the catalogue: every measure's SQL, for one period and each council, into metric_values.

Measures are SQL; this module only decides which to run, binds the period and council,
fills `value` from the unit when the SQL leaves it out, and writes the rows in one
transaction (design principles 3 and 4). A measure whose input tables hold nothing for the
council is reported as not computable instead of writing zeros that would read as facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

import duckdb
from rich.console import Console
from rich.progress import Progress

from openasc import councils, warehouse
from openasc.config import Settings
from openasc.errors import OpenascError
from openasc.metrics import categories
from openasc.metrics.catalogue import Family, Measure, catalogue_version, default_catalogue

# Tables that describe every council, not the ones a council has loaded: their rows do not
# make a council "present" for a compute run without --la.
REFERENCE_TABLES = {"councils", "population"}

# value = numerator / denominator x factor, for units the engine can fill in itself.
UNIT_FACTORS = {"percent": 100.0, "per_100k": 100000.0, "per_1000": 1000.0, "rate": 1.0}

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@dataclass
class ComputeResult:
    """What a compute run did, for the summary and the run log."""

    computed: list[tuple[str, str, str]] = field(default_factory=list)  # (la, family, code)
    rows_written: int = 0
    not_computable: list[tuple[str, str, str, str]] = field(default_factory=list)  # +reason


def _table_has_la_code(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM information_schema.columns WHERE table_name = ? "
        "AND column_name = 'la_code'", [table]).fetchone()[0])


def councils_present(con: duckdb.DuckDBPyConnection, families: tuple[Family, ...]) -> list[str]:
    """ONS codes of every council with rows in any input table the catalogue reads."""
    tables = sorted({t for f in families for m in f.measures for t in m.requires}
                    - REFERENCE_TABLES)
    parts = [f'SELECT DISTINCT la_code FROM "{t}"' for t in tables
             if warehouse.table_exists(con, t) and _table_has_la_code(con, t)]
    if not parts:
        return []
    rows = con.execute(" UNION ".join(parts) + " ORDER BY 1").fetchall()
    return [r[0] for r in rows if r[0] is not None]


def why_not_computable(con: duckdb.DuckDBPyConnection, measure: Measure, la_code: str) -> str:
    """'' when the measure can run for this council, else the reason in one sentence."""
    for table in measure.requires:
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
                           "the engine binds $period_start, $period_end and $la_code only.")
    return {k: v for k, v in values.items() if k in used}


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _run_sql(con: duckdb.DuckDBPyConnection, measure: Measure, params: dict[str, object],
             cache: dict[tuple[str, str], str]) -> str:
    """Run the measure's SQL into a temp table (once per file and council); return its name."""
    key = (str(measure.sql_path), str(params["la_code"]))
    if key in cache:
        return cache[key]
    name = f"_measure_rows_{len(cache)}"
    sql = measure.sql_text().strip().rstrip(";")
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}",
                    _parameters(sql, params))
    except duckdb.Error as exc:
        raise OpenascError(
            f"Measure {measure.family} {measure.code}: its SQL ({measure.sql}) failed for "
            f"{params['la_code']}: {_first_line(exc)}. Nothing was written; the warehouse "
            "is unchanged."
        ) from exc
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
                    la_code: str, run_id: str, cache: dict[tuple[str, str], str]) -> int:
    """Replace this measure's rows for the council and period; return rows written.

    Every earlier row of the measure for the same council and period is removed first, not
    only the breakdowns written now: a breakdown that no longer occurs must not survive
    from an older run.
    """
    params = {"period_start": start, "period_end": end, "la_code": la_code}
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


def prepare_tables(con: duckdb.DuckDBPyConnection, families: tuple[Family, ...],
                   start: date, end: date, la_code: str) -> None:
    """Build every family's shared tables for one council (dropped when not computable)."""
    params = {"period_start": start, "period_end": end, "la_code": la_code}
    for family in families:
        for step in family.prepare:
            ready = all(warehouse.table_exists(con, t) for t in step.requires)
            if not ready:
                con.execute(f'DROP TABLE IF EXISTS "{step.table}"')
                continue
            sql = step.sql_text().strip().rstrip(";")
            try:
                con.execute(f'CREATE OR REPLACE TEMP TABLE "{step.table}" AS {sql}',
                            _parameters(sql, params))
            except duckdb.Error as exc:
                raise OpenascError(
                    f"Family {family.name}: the shared table {step.table} ({step.sql}) failed "
                    f"for {la_code}: {_first_line(exc)}. Nothing was written; the warehouse "
                    "is unchanged."
                ) from exc


def compute(con: duckdb.DuckDBPyConnection, start: date, end: date, la_codes: list[str],
            run_id: str, families: tuple[Family, ...] | None = None,
            progress: Progress | None = None) -> ComputeResult:
    """Compute every implemented measure for each council (caller owns the transaction)."""
    families = default_catalogue() if families is None else families
    measures = [m for f in families for m in f.measures if m.implemented]
    result = ComputeResult()
    cache: dict[tuple[str, str], str] = {}
    categories.register(con)  # national category lists, for zero rows (metrics/categories.py)
    task = progress.add_task("Computing measures", total=len(measures) * len(la_codes)) \
        if progress else None
    for la in la_codes:
        # Shared tables of the whole catalogue, not only the families asked for: ACTIVITY
        # reads tables that SALT's prepare steps build.
        prepare_tables(con, default_catalogue(), start, end, la)
        for m in measures:
            reason = why_not_computable(con, m, la)
            if reason:
                result.not_computable.append((la, m.family, m.code, reason))
            else:
                result.rows_written += compute_measure(con, m, start, end, la, run_id, cache)
                result.computed.append((la, m.family, m.code))
            if progress is not None and task is not None:
                progress.advance(task)
    for name in cache.values():
        con.execute(f"DROP TABLE IF EXISTS {name}")
    return result


def _councils_to_compute(con: duckdb.DuckDBPyConnection, la: str | None, end: date,
                         families: tuple[Family, ...]) -> list[str]:
    if la is not None:
        return [councils.resolve(la, "--la", on=end).ons_code]
    present = councils_present(con, families)
    if not present:
        raise OpenascError(
            "The warehouse has no council data to compute from (none of the tables "
            "the catalogue reads holds rows). Load data first, e.g. `openasc ingest cld FILE`."
        )
    return present


def compute_command(start: date, end: date, la: str | None, settings: Settings,
                    console: Console, families: tuple[Family, ...] | None = None) -> ComputeResult:
    """`openasc compute`: all measures, one transaction, one run record, a short summary."""
    if end < start:
        raise OpenascError(f"--to {end} is before --from {start}; expected a period whose "
                           "last day is on or after its first day.")
    families = default_catalogue() if families is None else families
    started = datetime.now()
    run_id = warehouse.new_run_id()
    version = catalogue_version(families)
    con = warehouse.connect(settings.warehouse)
    try:
        la_codes = _councils_to_compute(con, la, end, families)
        with warehouse.transaction(con), Progress(console=console, transient=True) as bar:
            result = compute(con, start, end, la_codes, run_id, families, progress=bar)
            warehouse.record_run(
                con, run_id, "compute", started, "ok", method_version=version,
                as_of=end,
                detail={"period_start": start, "period_end": end, "councils": la_codes,
                        "measures_computed": len(result.computed),
                        "rows_written": result.rows_written,
                        "not_computable": [list(x) for x in result.not_computable]},
            )
    finally:
        con.close()
    _summary(console, result, la_codes, start, end)
    return result


def _summary(console: Console, result: ComputeResult, la_codes: list[str], start: date,
             end: date) -> None:
    console.print(
        f"Computed {len(result.computed)} measure(s) for {', '.join(la_codes)}, "
        f"{start} to {end}: {result.rows_written} row(s) written to metric_values."
    )
    if result.not_computable:
        console.print(f"Not computable ({len(result.not_computable)}):")
        for la, family, code, reason in result.not_computable:
            console.print(f"  {family} {code} for {la}: {reason}", markup=False)
