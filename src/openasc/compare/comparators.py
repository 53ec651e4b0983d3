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

Importing a corrected file replaces the same keys and changes nothing else; the same file
again is "already loaded" (design principle 4). The file goes through the ingest pipeline
(ingest/pipeline.py, spec/comparators.yaml): the layouts are its read hook, and every row
not used is quarantined with its reason, so rows in = used + not used.
"""

from __future__ import annotations

import re
from datetime import date
from importlib import resources
from pathlib import Path

import duckdb
import yaml

from openasc import warehouse
from openasc.compare.measure_set import MeasureSet, load_measure_set, register
from openasc.errors import OpenascError, UnreadableInput
from openasc.ingest.pipeline import FileResult, Stage

ENGLAND = "E92000001"
SUPPRESSION_SYMBOLS = ("", "[c]", "[x]", "[z]", "[w]", "*", "c", "x", ":", "..", "-")
KEYS = "family, code, la_code, period_start, period_end, breakdown"

def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    warehouse.ensure_tables(con, "comparators")


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
    # A later row for the same key replaces an earlier one (as a later import does).
    con.execute("""
        CREATE OR REPLACE TEMP TABLE line_map AS
        SELECT line_no, family, code, breakdown,
               CASE WHEN n > 1 THEN 'code' END AS field,
               CASE WHEN n > 1 THEN 'replaced by a later row for the same measure, council '
                                    || 'and period' END AS reason
        FROM (SELECT *, row_number() OVER (PARTITION BY family, code, place, period_start,
                                           period_end, breakdown ORDER BY line_no DESC) AS n
              FROM staged)""")


# An ASCOF file's row and the code it is, by measure group, year and disaggregation.
_ASCOF_MATCH = """upper(m.measure_group) = l.measure_group
             AND l.y BETWEEN CAST(m.first_year AS INTEGER) AND CAST(m.last_year AS INTEGER)
             AND (coalesce(m.disaggregation, '') = l.disaggregation
                  OR (coalesce(m.disaggregation, '') = ''
                      AND l.disaggregation IN ('total', 'all')))"""


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
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE line_map AS
        SELECT l.line_no, 'ASCOF' AS family, m.code, coalesce(m.breakdown, '') AS breakdown,
               CASE WHEN m.code IS NULL THEN 'Measure Group' END AS field,
               CASE WHEN m.code IS NULL THEN 'no mapping for measure group ' || l.measure_group
                    || CASE WHEN l.disaggregation IN ('', 'total', 'all') THEN ''
                            ELSE ' (' || l.disaggregation || ')' END
                    || ' in ' || l.y || '-' || right(CAST(l.y + 1 AS VARCHAR), 2)
                    || ' (the ASCOF codes of that year are not in ascof_csv_codes.csv)'
               END AS reason
        FROM ascof_long l LEFT JOIN ascof_codes m ON {_ASCOF_MATCH}
        QUALIFY row_number() OVER (PARTITION BY l.line_no ORDER BY m.code NULLS LAST) = 1""")
    con.execute(f"""
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
        JOIN ascof_codes m ON {_ASCOF_MATCH}
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
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE line_map AS
        SELECT line_no, 'SAC' AS family, NULL AS code, '' AS breakdown,
               CASE WHEN item IS NULL THEN 'TABLE_REFERENCE' END AS field,
               CASE WHEN item IS NULL THEN 'not one of the counts the comparisons use '
                    || '(sac_open_data.yaml)' END AS reason
        FROM (SELECT line_no, CASE {' '.join(items)} END AS item FROM src)""")
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
                       measure_set: MeasureSet | None = None) -> FileResult:
    """Read one comparator file into `comparator_values` (spec/comparators.yaml through the
    ingest pipeline); return what was read, loaded and not used, and why.

    Only measures of the declared measure set are kept (their unit comes from it, so that
    an imported figure and a computed one are compared like with like). Every other row is
    quarantined with its reason - a measure not in the set, an ASCOF measure group with no
    mapping for the file's year, a count the comparisons do not use - never silently lost.
    """
    from openasc.ingest.pipeline import ingest_file

    result = ingest_file("comparators", Path(path), con=con, year=year,
                         measure_set=measure_set or load_measure_set()).files[0]
    return result


# --------------------------------------------------------------------------- pipeline hooks
def read(stage: Stage) -> None:
    """Stage the file by its layout: `staged` (values) and `line_map` (each line's measure,
    or why it is not used)."""
    con, path = stage.con, stage.path
    register(con, stage.options["measure_set"])
    _council_codes(con)
    cols = [c for c in _read(con, path) if c != "line_no"]
    layout = detect_layout(cols)
    year = stage.options.get("year")
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
    stage.result = FileResult("comparators", path.name, stage.options["scan"][0], int(rows_in))
    stage.result.detail.update(layout=layout, rows_in=int(rows_in))
    if y is not None:
        stage.result.detail["file_years"] = [y]
    elif layout == "ascof":
        stage.result.detail["file_years"] = [r[0] for r in con.execute(
            "SELECT DISTINCT y FROM ascof_long ORDER BY 1").fetchall()]


def judge(stage: Stage) -> None:
    """`judged`: each line with the reason it is not used (NULL when it is)."""
    con = stage.con
    con.execute("""
        CREATE OR REPLACE TEMP TABLE judged AS
        SELECT l.line_no AS _row,
               CASE WHEN l.reason IS NOT NULL THEN l.field
                    WHEN l.code IS NOT NULL AND m.code IS NULL THEN 'code' END AS _field,
               CASE WHEN l.reason IS NOT NULL THEN l.reason
                    WHEN l.code IS NOT NULL AND m.code IS NULL THEN 'measure ' || l.family
                        || ' ' || l.code || CASE WHEN l.breakdown = '' THEN ''
                                                 ELSE ' (' || l.breakdown || ')' END
                        || ' is not in the comparison measure set' END AS _reason
        FROM line_map l
        LEFT JOIN bench_measures m ON m.family = l.family AND m.code = l.code
             AND m.breakdown = l.breakdown
    """)
    r = stage.result
    assert r is not None
    r.detail["measures_not_in_set"] = con.execute(
        "SELECT count(DISTINCT family || ' ' || code) FROM staged s "
        "WHERE NOT EXISTS (SELECT 1 FROM bench_measures m WHERE m.family = s.family AND "
        "m.code = s.code AND m.breakdown = s.breakdown)").fetchone()[0]
    r.detail["not_used"] = dict(con.execute(
        "SELECT _reason, count(*) FROM judged WHERE _reason IS NOT NULL GROUP BY ALL "
        "ORDER BY 2 DESC, 1").fetchall())


def map_rows(stage: Stage) -> None:
    """`mapped`: the values of the measure set, by ONS code, the latest row for a key."""
    r = stage.result
    assert r is not None
    stage.con.execute("""
        CREATE OR REPLACE TEMP TABLE mapped AS
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
                      [r.name, r.sha256, stage.run_id])
    r.detail["values_kept"] = stage.con.execute("SELECT count(*) FROM mapped").fetchone()[0]
    r.detail["years"] = [row[0] for row in stage.con.execute(
        "SELECT DISTINCT year(period_start) FROM mapped ORDER BY 1").fetchall()]
    r.detail["inputs"] = {"values_loaded": r.detail["values_kept"]}
    stage.state["run"] = {"detail": {k: r.detail[k] for k in (
        "layout", "rows_in", "values_kept", "measures_not_in_set", "years")}}


def load(stage: Stage) -> int:
    """Replace the same keys; return the file rows whose figures were loaded."""
    con = stage.con
    con.execute(f"DELETE FROM comparator_values WHERE ({KEYS}) IN (SELECT ({KEYS}) FROM mapped)")
    con.execute("INSERT INTO comparator_values SELECT * FROM mapped")
    return int(con.execute("SELECT count(*) FROM judged WHERE _reason IS NULL").fetchone()[0])


LAYOUT_NAMES = {"ascof": "an ASCOF file", "sac": "a safeguarding open-data file",
                "tidy": "a tidy comparator file"}


def render(r: FileResult) -> str:
    """What `openasc ingest comparators` prints for a file: values kept, rows used, and every
    reason a row was not used."""
    d = r.detail
    not_used = d.get("not_used", {})
    lines = []
    if r.loaded == 0:
        years = ", ".join(f"{y}-{(y + 1) % 100:02d}" for y in d.get("file_years", []))
        what = LAYOUT_NAMES.get(d["layout"], "a file") + (f" for {years}" if years else "")
        why = ("no mapping for that year's codes"
               if not_used and all(k.startswith("no mapping") for k in not_used)
               else "none of its rows is a measure openasc compares")
        lines.append(f"{r.name}: {what}: {why}, 0 of {r.rows_in:,} rows loaded.")
    else:
        lines.append(
            f"{r.name}: {d['layout']} layout, {r.rows_in:,} rows read, {d['values_kept']:,} "
            f"values kept for years {', '.join(str(y) for y in d['years']) or 'none'}"
            + (f"; {d['measures_not_in_set']} measures not in the declared set were not used"
               if d["measures_not_in_set"] else "")
            + f"; {r.loaded:,} of {r.rows_in:,} rows loaded.")
    shown = list(not_used.items())[:8]
    lines += [f"  not used: {n:,} row(s): {reason}" for reason, n in shown]
    if len(not_used) > len(shown):
        rest = sum(n for _, n in list(not_used.items())[len(shown):])
        lines.append(f"  not used: {rest:,} more row(s) for {len(not_used) - len(shown)} "
                     "other reasons (see the quarantine table)")
    return "\n".join(lines)


def year_bounds(y: int) -> tuple[date, date]:
    return date(y, 4, 1), date(y + 1, 3, 31)
