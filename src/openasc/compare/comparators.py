"""Other councils' published figures, imported as reference data to compare against.

NHS England and DHSC publish every council's ASCOF, safeguarding and DoLS figures as open
data. `openasc ingest comparators FILE` reads one such file into `comparator_values`, in the
same shape as `metric_values`, so that comparison SQL treats both alike. Three layouts are
understood, told apart by their header (docs/comparisons.md):

- the ASCOF data file (`Geographical Code`, `ONS Code`, `Measure Group`, `Measure Type`,
  `Measure Value`, ...), one file per year;
- the safeguarding open-data CSV (sac-dols-salt.md A5: `GEOGRAPHY` ... `VALUE`);
- the tidy layout of `openasc export metrics` (design.md), for DoLS, whose published tables
  have no open-data layout in the reference, and for any figure already in that shape.

Re-importing a file replaces the same keys and changes nothing else (design principle 4).
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import yaml

from openasc.compare.measure_set import MeasureSet, load_measure_set, register
from openasc.errors import OpenascError, UnreadableInput
from openasc.warehouse import new_run_id, record_run, transaction

ENGLAND = "E92000001"
SUPPRESSION_SYMBOLS = ("", "[c]", "[x]", "[z]", "[w]", "*", "c", "x", ":", "..", "-")
KEYS = "family, code, la_code, period_start, period_end, breakdown"

DDL = """
CREATE TABLE IF NOT EXISTS comparator_values (
    family VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    la_code VARCHAR NOT NULL,
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    breakdown VARCHAR NOT NULL DEFAULT '',
    numerator DOUBLE,
    denominator DOUBLE,
    value DOUBLE,
    unit VARCHAR NOT NULL,
    margin_of_error DOUBLE,
    source_name VARCHAR,
    file_sha256 VARCHAR,
    run_id VARCHAR,
    PRIMARY KEY (family, code, la_code, period_start, period_end, breakdown)
);
"""


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DDL)


def parse_year(text: str, where: str) -> int:
    """'2023-24' → 2023 (the year the financial year starts)."""
    m = re.fullmatch(r"\s*(\d{4})\s*[-/]\s*(\d{2}|\d{4})\s*", str(text))
    if not m or (int(m.group(1)) + 1) % 100 != int(m.group(2)) % 100:
        raise OpenascError(f"{where}: {text!r} is not a financial year; expected YYYY-YY, "
                           "e.g. 2023-24.")
    return int(m.group(1))


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _read(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    """Load the file as text columns into temp table `src` (with its line number)."""
    if not path.is_file():
        raise UnreadableInput(f"{path}: no such file. Expected a comparator CSV file.")
    try:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE src AS SELECT row_number() OVER () + 1 AS line_no, * "
            "FROM read_csv(?, header = true, all_varchar = true, auto_detect = true)",
            [str(path)])
    except duckdb.Error as exc:
        raise UnreadableInput(f"{path}: cannot be read as CSV ({str(exc).splitlines()[0]}). "
                              "Expected a comma-separated file with a header row.") from exc
    return [r[0] for r in con.execute("SELECT name FROM pragma_table_info('src')").fetchall()]


def _col(columns: list[str], *names: str) -> str | None:
    wanted = {_norm(n) for n in names}
    for c in columns:
        if _norm(c) in wanted:
            return f'"{c}"'
    return None


def _number_sql(col: str) -> str:
    """Text to DOUBLE; suppression symbols and blanks become NULL, commas are dropped."""
    symbols = ", ".join(f"'{s}'" for s in SUPPRESSION_SYMBOLS)
    return (f"CASE WHEN trim(coalesce({col}, '')) IN ({symbols}) THEN NULL "
            f"ELSE TRY_CAST(replace(trim({col}), ',', '') AS DOUBLE) END")


def _check_numbers(con: duckdb.DuckDBPyConnection, path: Path, col: str,
                   where: str = "TRUE") -> None:
    bad = con.execute(
        f"SELECT line_no, {col} FROM src WHERE {where} AND {col} IS NOT NULL "
        f"AND trim({col}) NOT IN ({', '.join(repr(s) for s in SUPPRESSION_SYMBOLS)}) "
        f"AND TRY_CAST(replace(trim({col}), ',', '') AS DOUBLE) IS NULL ORDER BY line_no LIMIT 1"
    ).fetchone()
    if bad:
        raise OpenascError(f"{path.name}, row {bad[0]}, field {col.strip(chr(34))}: {bad[1]!r} is "
                           "not a number. Expected a number, or a suppression symbol such as [c] "
                           "or [x].")


def _council_codes(con: duckdb.DuckDBPyConnection) -> None:
    """Every code a file may use for a place, mapped to its ONS code: councils (ONS and NHS
    codes), regions, and England."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE place_codes AS
        SELECT DISTINCT ons_code AS code, ons_code FROM councils
        UNION SELECT code, ons_code FROM (
            SELECT la_code AS code, ons_code FROM councils WHERE la_code IS NOT NULL
            QUALIFY row_number() OVER (PARTITION BY la_code
                                       ORDER BY valid_to IS NULL DESC, valid_to DESC) = 1)
        UNION SELECT DISTINCT region_code, region_code FROM councils WHERE region_code IS NOT NULL
        UNION SELECT 'E92000001', 'E92000001'
        UNION SELECT '1010', 'E92000001'
    """)


def _check_places(con: duckdb.DuckDBPyConnection, path: Path, col: str, field: str) -> None:
    bad = con.execute(
        f"SELECT line_no, {col} FROM staged WHERE place NOT IN (SELECT code FROM place_codes) "
        "ORDER BY line_no LIMIT 1").fetchone()
    if bad:
        raise OpenascError(f"{path.name}, row {bad[0]}, field {field}: {bad[1]!r} is not a known "
                           "council, region or England code. Expected an ONS code (E10000034, "
                           "E12000002, E92000001) or an NHS council code (416); see councils.csv.")


# --------------------------------------------------------------------------- layouts
def _stage_tidy(con: duckdb.DuckDBPyConnection, path: Path, cols: list[str]) -> None:
    for needed in ("family", "code", "la_code", "period_start", "period_end", "value", "unit"):
        if _col(cols, needed) is None:
            raise OpenascError(f"{path.name}: the tidy layout needs a {needed} column.")
    for c in ("value", "numerator", "denominator", "margin_of_error"):
        if _col(cols, c):
            _check_numbers(con, path, _col(cols, c))
    bad = con.execute(
        "SELECT line_no, period_start, period_end FROM src WHERE TRY_CAST(period_start AS DATE) "
        "IS NULL OR TRY_CAST(period_end AS DATE) IS NULL ORDER BY line_no LIMIT 1").fetchone()
    if bad:
        raise OpenascError(f"{path.name}, row {bad[0]}, field period_start/period_end: "
                           f"{bad[1]!r}/{bad[2]!r} is not a date. Expected YYYY-MM-DD.")
    opt = {c: (_number_sql(_col(cols, c)) if _col(cols, c) else "NULL")
           for c in ("numerator", "denominator", "margin_of_error")}
    brk = _col(cols, "breakdown")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE staged AS
        SELECT line_no, trim(la_code) AS place, trim(family) AS family, trim(code) AS code,
               CAST(period_start AS DATE) AS period_start, CAST(period_end AS DATE) AS period_end,
               {f"coalesce(trim({brk}), '')" if brk else "''"} AS breakdown,
               {opt['numerator']} AS numerator, {opt['denominator']} AS denominator,
               {_number_sql('value')} AS value, trim(unit) AS unit,
               {opt['margin_of_error']} AS margin_of_error
        FROM src""")
    _check_places(con, path, "place", "la_code")


def _stage_ascof(con: duckdb.DuckDBPyConnection, path: Path, cols: list[str],
                 year: int | None) -> None:
    geo, ons = _col(cols, "Geographical Code"), _col(cols, "ONS Code")
    group, mtype = _col(cols, "Measure Group"), _col(cols, "Measure Type")
    mval, dis = _col(cols, "Measure Value"), _col(cols, "Disaggregation Level")
    ycol = _col(cols, "Year", "Reporting Year", "Financial Year")
    if not (group and mtype and mval and (geo or ons)):
        raise OpenascError(f"{path.name}: an ASCOF data file needs the columns Measure Group, "
                           "Measure Type, Measure Value and ONS Code (or Geographical Code).")
    if ycol is None and year is None:
        raise OpenascError(f"{path.name}: the file has no Year column; give the year it covers "
                           "with --year YYYY-YY.")
    _check_numbers(con, path, mval)
    if ycol:
        bad = con.execute(f"SELECT line_no, {ycol} FROM src WHERE NOT regexp_matches(trim({ycol}), "
                          r"'^\d{4}\s*[-/]\s*\d{2}(\d{2})?$') ORDER BY line_no LIMIT 1").fetchone()
        if bad:
            raise OpenascError(f"{path.name}, row {bad[0]}, field Year: {bad[1]!r} is not a "
                               "financial year; expected YYYY-YY.")
        year_sql = f"CAST(left(trim({ycol}), 4) AS INTEGER)"
    else:
        year_sql = str(int(year))  # type: ignore[arg-type]
    place = (f"coalesce(nullif(trim({ons}), ''), trim({geo}))" if ons and geo
             else f"trim({ons or geo})")
    codes = resources.files("openasc.compare").joinpath("data", "ascof_csv_codes.csv")
    con.execute("CREATE OR REPLACE TEMP TABLE ascof_codes AS SELECT * FROM "
                "read_csv(?, header=true, all_varchar=true)", [str(codes)])
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ascof_long AS
        SELECT line_no, {place} AS place, {year_sql} AS y, upper(trim({group})) AS measure_group,
               {f"lower(trim(coalesce({dis}, '')))" if dis else "''"} AS disaggregation,
               lower(trim({mtype})) AS measure_type, {_number_sql(mval)} AS v
        FROM src""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE staged AS
        SELECT min(l.line_no) AS line_no, l.place, 'ASCOF' AS family, m.code,
               make_date(l.y, 4, 1) AS period_start, make_date(l.y + 1, 3, 31) AS period_end,
               coalesce(m.breakdown, '') AS breakdown,
               max(CASE WHEN l.measure_type = 'numerator' THEN l.v END) AS numerator,
               max(CASE WHEN l.measure_type = 'denominator' THEN l.v END) AS denominator,
               max(CASE WHEN l.measure_type IN ('outcome', 'value') THEN l.v END) AS value,
               NULL AS unit,
               max(CASE WHEN l.measure_type IN ('margin of error', 'moe') THEN l.v END)
                   AS margin_of_error
        FROM ascof_long l
        JOIN ascof_codes m ON upper(m.measure_group) = l.measure_group
             AND l.y BETWEEN CAST(m.first_year AS INTEGER) AND CAST(m.last_year AS INTEGER)
             AND (coalesce(m.disaggregation, '') = l.disaggregation
                  OR (coalesce(m.disaggregation, '') = '' AND l.disaggregation IN ('total', 'all')))
        GROUP BY ALL""")
    _check_places(con, path, "place", "ONS Code")


def _stage_sac(con: duckdb.DuckDBPyConnection, path: Path, cols: list[str],
               year: int | None) -> None:
    ycol = _col(cols, "YEAR", "REPORTING_YEAR", "FINANCIAL_YEAR")
    if ycol is None and year is None:
        raise OpenascError(f"{path.name}: the file has no YEAR column; give the year it covers "
                           "with --year YYYY-YY.")
    value_col = _col(cols, "VALUE")
    assert value_col is not None
    _check_numbers(con, path, value_col)
    spec = yaml.safe_load(resources.files("openasc.compare").joinpath(
        "data", "sac_open_data.yaml").read_text("utf-8"))

    def text(c: str) -> str:
        col = _col(cols, c)
        if col is None:
            raise OpenascError(f"{path.name}: the safeguarding open-data layout needs a {c} "
                               "column.")
        return f"lower(trim(regexp_replace(coalesce({col}, ''), '^(?i)table\\s*', '')))"

    items = []
    for name, where in spec["counts"].items():
        cond = " AND ".join(f"{text(k)} = {str(v).strip().lower()!r}" for k, v in where.items())
        items.append(f"WHEN {cond} THEN '{name}'")
    year_sql = f"CAST(left(trim({ycol}), 4) AS INTEGER)" if ycol else str(year)
    ons, la = _col(cols, "ONS_CODE"), _col(cols, "LA_CODE")
    place = f"coalesce(nullif(trim({ons}), ''), trim({la}))" if ons and la else f"trim({ons or la})"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE sac_counts AS
        SELECT min(line_no) AS line_no, place, y, item, sum(v) AS v FROM (
            SELECT line_no, {place} AS place, {year_sql} AS y,
                   CASE {' '.join(items)} END AS item, {_number_sql(value_col)} AS v
            FROM src) WHERE item IS NOT NULL GROUP BY ALL""")
    selects = []
    for m in spec["measures"]:
        num = " + ".join(f"max(CASE WHEN item = '{i}' THEN v END)" for i in m["numerator"])
        den = f"max(CASE WHEN item = '{m['denominator']}' THEN v END)"
        selects.append(f"""
            SELECT min(line_no) AS line_no, place, 'SAC' AS family, '{m['code']}' AS code,
                   make_date(y, 4, 1) AS period_start, make_date(y + 1, 3, 31) AS period_end,
                   '' AS breakdown, {num} AS numerator, {den} AS denominator,
                   CASE WHEN {den} > 0 THEN ({num}) / {den} * {m['factor']} END AS value,
                   NULL AS unit, NULL::DOUBLE AS margin_of_error
            FROM sac_counts GROUP BY place, y""")
    con.execute("CREATE OR REPLACE TEMP TABLE staged AS " + " UNION ALL ".join(selects))
    _check_places(con, path, "place", "ONS_CODE")


# --------------------------------------------------------------------------- import
def detect_layout(cols: list[str]) -> str:
    names = {_norm(c) for c in cols}
    if {"family", "code", "lacode", "periodstart", "value"} <= names:
        return "tidy"
    if {"measuregroup", "measurevalue"} <= names:
        return "ascof"
    if {"tablereference", "value"} <= names:
        return "sac"
    return "unknown"


def import_comparators(con: duckdb.DuckDBPyConnection, path: Path, year: str | None = None,
                       measure_set: MeasureSet | None = None) -> dict[str, Any]:
    """Read one comparator file into `comparator_values`; return what was read and kept.

    Only measures of the declared measure set are kept (their unit comes from it, so that
    an imported figure and a computed one are compared like with like); other rows are
    counted as not used, never silently lost.
    """
    ms = measure_set or load_measure_set()
    started = datetime.now()
    ensure_tables(con)
    register(con, ms)
    _council_codes(con)
    cols = _read(con, path)
    cols = [c for c in cols if c != "line_no"]
    layout = detect_layout(cols)
    y = parse_year(year, "--year") if year else None
    if layout == "tidy":
        _stage_tidy(con, path, cols)
    elif layout == "ascof":
        _stage_ascof(con, path, cols, y)
    elif layout == "sac":
        _stage_sac(con, path, cols, y)
    else:
        raise OpenascError(
            f"{path.name}: the header ({', '.join(cols[:8])}) is not a comparator layout openasc "
            "knows. Expected the ASCOF data file (Measure Group, Measure Type, Measure Value, "
            "ONS Code), the safeguarding open-data CSV (GEOGRAPHY ... TABLE_REFERENCE ... VALUE) "
            "or the tidy layout of `openasc export metrics` (family, code, la_code, "
            "period_start, period_end, breakdown, ..., value, unit); see docs/comparisons.md.")
    rows_in = con.execute("SELECT count(*) FROM src").fetchone()[0]
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    run_id = new_run_id()
    con.execute("""
        CREATE OR REPLACE TEMP TABLE keep AS
        SELECT s.family, s.code, p.ons_code AS la_code, s.period_start, s.period_end,
               s.breakdown, s.numerator, s.denominator, s.value, m.unit, s.margin_of_error,
               ? AS source_name, ? AS file_sha256, ? AS run_id
        FROM staged s
        JOIN (SELECT code AS place_code, min(ons_code) AS ons_code FROM place_codes
              GROUP BY code) p ON p.place_code = s.place
        JOIN bench_measures m ON m.family = s.family AND m.code = s.code
             AND m.breakdown = s.breakdown
        QUALIFY row_number() OVER (PARTITION BY s.family, s.code, p.ons_code, s.period_start,
                                   s.period_end, s.breakdown ORDER BY s.line_no DESC) = 1""",
                [path.name, sha, run_id])
    kept = con.execute("SELECT count(*) FROM keep").fetchone()[0]
    skipped = con.execute(
        "SELECT count(DISTINCT family || ' ' || code) FROM staged s "
        "WHERE NOT EXISTS (SELECT 1 FROM bench_measures m WHERE m.family = s.family AND "
        "m.code = s.code AND m.breakdown = s.breakdown)").fetchone()[0]
    years = [r[0] for r in con.execute(
        "SELECT DISTINCT year(period_start) FROM keep ORDER BY 1").fetchall()]
    detail = {"layout": layout, "rows_in": rows_in, "values_kept": kept,
              "measures_not_in_set": skipped, "years": years}
    with transaction(con):
        con.execute(f"DELETE FROM comparator_values WHERE ({KEYS}) IN (SELECT ({KEYS}) FROM keep)")
        con.execute("INSERT INTO comparator_values SELECT * FROM keep")
        record_run(con, run_id, "ingest comparators", started, "ok",
                   inputs=[{"name": path.name, "sha256": sha, "rows_in": rows_in,
                            "values_loaded": kept}], detail=detail)
    return detail


def year_bounds(y: int) -> tuple[date, date]:
    return date(y, 4, 1), date(y + 1, 3, 31)
