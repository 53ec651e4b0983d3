"""`openasc ingest population`: ONS mid-year estimates (or a tidy file) into `population`.

Rates per 100,000 (ASCOF 2B/2C) need the population of each council by single year of age.
ONS publishes it as a spreadsheet with title rows and notes above a wide table (one row per
area, a column per age 0..89 and `90+`), or as a long table (`ladcode, laname, sex, age,
population_YYYY`); councils also keep tidy files (`la_code,year,sex,age,population`). This
module finds the table by its header, works out the year, checks every cell in SQL and loads
the rows in one transaction. As everywhere, nothing is lost: every data row is loaded or
quarantined with a reason, and loading the same file again replaces the same keys.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from openasc import warehouse
from openasc.config import Settings
from openasc.errors import OpenascError, UnreadableInput
from openasc.ingest.pipeline import FileResult, IngestResult, Stage, ingest_file

HEADER_SEARCH_ROWS = 60
CODE_HEADERS = {"code", "ladcode", "lad code", "area code", "la_code", "la code", "areacode",
                "geography code", "mnemonic"}
YEAR_IN_TEXT = re.compile(r"mid[\s_-]*(?:year[\s_-]*)?(\d{4})", re.IGNORECASE)
SEX_CODES = {"persons": "persons", "all": "persons", "all persons": "persons", "p": "persons",
             "0": "persons", "male": "male", "males": "male", "m": "male", "1": "male",
             "female": "female", "females": "female", "f": "female", "2": "female"}


@dataclass
class Table:
    """The table found in the file: its header, data rows and their line numbers."""

    layout: str  # wide | long | tidy
    header: list[str]
    rows: list[list[str]]
    first_line: int  # file line (1-based) of the first data row
    title_text: str  # everything above the header, to find "Mid-2024" in


def _norm(text: object) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip().lower()


def read_grid(path: Path) -> list[list[str]]:
    """Every cell of the file as text (CSV in UTF-8 or Windows-1252, or the first sheet)."""
    if not path.is_file():
        raise UnreadableInput(f"{path}: no such file.")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - any failure here means "cannot read"
            raise UnreadableInput(f"{path}: cannot be read as an Excel workbook ({exc}).") from exc
        sheet = _data_sheet(wb)
        return [["" if v is None else _cell_text(v) for v in row]
                for row in sheet.iter_rows(values_only=True)]
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly anything
        raise UnreadableInput(f"{path}: is neither UTF-8 nor Windows-1252 text.")
    if "\0" in text:
        raise UnreadableInput(f"{path}: is not a text (CSV) file; expected CSV or XLSX.")
    return [row for row in csv.reader(io.StringIO(text))]


def _cell_text(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _data_sheet(wb: object) -> object:
    """The first sheet whose early rows hold a population header (ONS books have several)."""
    for ws in wb.worksheets:  # type: ignore[attr-defined]
        for row in ws.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True):
            if _layout([_norm(c) for c in row]):
                return ws
    return wb.worksheets[0]  # type: ignore[attr-defined]


def _layout(header: list[str]) -> str | None:
    cells = set(header)
    if {"la_code", "year", "sex", "age", "population"} <= cells:
        return "tidy"
    has_code = bool(cells & CODE_HEADERS)
    if has_code and "age" in cells and "sex" in cells and any(
            h.startswith("population") for h in header):
        return "long"
    if has_code and "0" in cells and ("90+" in cells or "90" in cells):
        return "wide"
    return None


def find_table(grid: list[list[str]], path: Path) -> Table:
    for i, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        header = [_norm(c) for c in row]
        layout = _layout(header)
        if layout:
            above = " ".join(" ".join(r) for r in grid[:i])
            rows = [r + [""] * (len(header) - len(r)) for r in grid[i + 1:]]
            return Table(layout, header, [r[:len(header)] for r in rows], i + 2, above)
    raise OpenascError(
        f"{path}: no population table found in its first {HEADER_SEARCH_ROWS} rows. Expected "
        "ONS mid-year estimates (a header with a code column such as `Code`, a name, `All "
        "ages`, `0` ... `89`, `90+`), the long ONS layout (`ladcode, laname, sex, age, "
        "population_YYYY`) or the tidy layout `la_code,year,sex,age,population`."
    )


def find_year(table: Table, path: Path) -> int | None:
    """The estimate's year from a `population_YYYY` column, the title rows or the file name."""
    for h in table.header:
        m = re.fullmatch(r"population[_ ]?(\d{4})", h)
        if m:
            return int(m.group(1))
    for text in (table.title_text, path.stem):
        m = YEAR_IN_TEXT.search(text)
        if m:
            return int(m.group(1))
    return None


def _stage(con: duckdb.DuckDBPyConnection, table: Table) -> list[str]:
    """Load the data rows as text into `_pop_raw` (c0..cN plus line number); return names."""
    names = [f"c{i}" for i in range(len(table.header))]
    # One columnar insert: a row at a time (`executemany`) took 17 s for a national file.
    columns = list(zip(*table.rows, strict=True)) if table.rows else [()] * len(names)
    first = table.first_line
    cells = pa.table({
        "line": pa.array(range(first, first + len(table.rows)), pa.int32()),
        **{n: pa.array(col, pa.string()) for n, col in zip(names, columns, strict=True)}})
    with warehouse.registered(con, "_pop_cells", cells):
        con.execute("CREATE OR REPLACE TEMP TABLE _pop_raw AS SELECT * FROM _pop_cells")
    # Blank lines and one-cell notes below the table are not data rows.
    filled = " + ".join(f"(coalesce(trim({n}), '') <> '')::INTEGER" for n in names)
    con.execute(f"DELETE FROM _pop_raw WHERE {filled} <= 1")
    return names


def _index(table: Table, wanted: set[str]) -> int:
    for i, h in enumerate(table.header):
        if h in wanted:
            return i
    raise AssertionError("header checked by _layout")


def _long_cells(con: duckdb.DuckDBPyConnection, table: Table, year: int | None) -> None:
    """`_pop_cells(line, code, year, sex, age, raw)`: one text cell per key, any layout."""
    h = table.header
    c = {name: f"c{h.index(name)}" for name in h if name}
    if table.layout == "wide":
        code = f"c{_index(table, CODE_HEADERS)}"
        ages = [(a, f"c{h.index(str(a))}") for a in range(90) if str(a) in h]
        top = "90+" if "90+" in h else "90"
        ages.append((90, f"c{h.index(top)}"))
        sex = f"c{h.index('sex')}" if "sex" in h else "'persons'"
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE _pop_cells AS SELECT line, trim({code}) AS code, "
            f"{year}::VARCHAR AS year, {sex} AS sex, "
            f"unnest([{', '.join(str(a) for a, _ in ages)}])::VARCHAR AS age, "
            f"unnest([{', '.join(col for _, col in ages)}]) AS raw, "
            f"'{h[_index(table, CODE_HEADERS)]}' AS code_field FROM _pop_raw")
    elif table.layout == "long":
        code = f"c{_index(table, CODE_HEADERS)}"
        pop = next(f"c{i}" for i, name in enumerate(h) if name.startswith("population"))
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE _pop_cells AS SELECT line, trim({code}) AS code, "
            f"'{year}' AS year, {c['sex']} AS sex, {c['age']} AS age, {pop} AS raw, "
            f"'{h[_index(table, CODE_HEADERS)]}' AS code_field FROM _pop_raw")
    else:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE _pop_cells AS SELECT line, trim({c['la_code']}) AS "
            f"code, {c['year']} AS year, {c['sex']} AS sex, {c['age']} AS age, "
            f"{c['population']} AS raw, 'la_code' AS code_field FROM _pop_raw")


SEX_MAP_SQL = "(" + " UNION ALL ".join(
    f"SELECT '{k}' AS given, '{v}' AS sex" for k, v in SEX_CODES.items()) + ")"


def _check(con: duckdb.DuckDBPyConnection) -> None:
    """`_pop_checked`: each cell with its ONS code and parsed values, or the first fault."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _pop_checked AS
        WITH codes AS (
            SELECT upper(ons_code) AS given, ons_code FROM councils
            UNION SELECT la_code, ons_code FROM councils
                WHERE la_code IS NOT NULL AND (valid_to IS NULL OR valid_to >= current_date)
            UNION SELECT upper(region_code), region_code FROM councils WHERE region_code <> ''
            UNION SELECT 'E92000001', 'E92000001'
        ), parsed AS (
            SELECT p.*, k.ons_code,
                   TRY_CAST(regexp_replace(trim(p.year), '^(mid-?)', '', 'i') AS INTEGER)
                       AS year_n,
                   s.sex AS sex_n,
                   TRY_CAST(regexp_replace(trim(p.age), '\\+$', '') AS INTEGER) AS age_n,
                   TRY_CAST(replace(trim(p.raw), ',', '') AS DOUBLE) AS pop_d
            FROM _pop_cells p
            LEFT JOIN codes k ON k.given = upper(p.code)
            LEFT JOIN {SEX_MAP_SQL} s ON s.given = lower(trim(p.sex))
        )
        SELECT *, CASE
            WHEN ons_code IS NULL THEN code_field || '|' || coalesce(code, '') || ' is not an '
                || 'adult social care council, region or England (expected an ONS code in '
                || 'councils.csv, such as E10000034, or an NHS council code such as 416)'
            WHEN year_n IS NULL OR year_n NOT BETWEEN 1971 AND 2100 THEN 'year|'
                || coalesce(year, '') || ' is not a year (expected e.g. 2024)'
            WHEN sex_n IS NULL THEN 'sex|' || coalesce(sex, '')
                || ' is not a sex (expected persons, male or female)'
            WHEN age_n IS NULL OR age_n NOT BETWEEN 0 AND 90 THEN 'age|'
                || coalesce(age, '') || ' is not an age (expected 0 to 90, 90 meaning 90+)'
            WHEN pop_d IS NULL OR pop_d < 0 OR pop_d <> floor(pop_d) THEN 'population|'
                || coalesce(raw, '') || ' at age ' || coalesce(age, '')
                || ' is not a whole number of people'
            END AS fault
        FROM parsed
    """)


def ingest_population_file(path: Path, settings: Settings,
                           year: int | None = None) -> IngestResult:
    """Load one population file (spec/population.yaml through the ingest pipeline)."""
    return ingest_file("population", path, settings, year=year)


# ----------------------------------------------------------------------------- pipeline hooks
# `spec/population.yaml` names these for the pipeline's stages: the ONS layouts are found and
# turned into one cell per key here; quarantine, accounting and the transaction are the
# pipeline's.
def read(stage: Stage) -> None:
    """Find the table, its layout and year; stage one text cell per key in `_pop_cells`."""
    path, con = stage.path, stage.con
    grid = read_grid(path)
    table = find_table(grid, path)
    year = stage.options.get("year") or (None if table.layout == "tidy"
                                         else find_year(table, path))
    if table.layout != "tidy" and year is None:
        raise OpenascError(
            f"{path}: cannot tell which mid-year estimate this is. Expected `Mid-2024` (or "
            "similar) in the title rows or the file name, or a `population_2024` column; "
            "rename the file, e.g. population-mid-2024.csv, and load it again."
        )
    _stage(con, table)
    _long_cells(con, table, year)
    rows_in = con.execute("SELECT count(DISTINCT line) FROM _pop_cells").fetchone()[0]
    sha = stage.options["scan"][0]
    stage.result = FileResult("population", path.name, sha, int(rows_in))
    stage.result.detail.update(layout=table.layout, year=year)
    stage.state["run"] = {"spec_version": f"population {table.layout} layout",
                          "detail": {"year": year, "layout": table.layout}}


def judge(stage: Stage) -> None:
    """`judged`: one row per file line, with its first fault (field and reason) if any."""
    _check(stage.con)
    stage.con.execute("""
        CREATE OR REPLACE TEMP TABLE judged AS
        SELECT line AS _row, split_part(fault, '|', 1) AS _field,
               substr(fault, strpos(fault, '|') + 1) AS _reason
        FROM (SELECT line, arg_min(fault, age_n) FILTER (WHERE fault IS NOT NULL) AS fault
              FROM _pop_checked GROUP BY line)
    """)


def map_rows(stage: Stage) -> None:
    """`mapped`: the population of each key from the usable lines (persons made from males
    and females where the file gives only those)."""
    con = stage.con
    con.execute("""
        CREATE OR REPLACE TEMP TABLE mapped AS
        SELECT ons_code AS la_code, year_n AS year, sex_n AS sex, age_n AS age,
               sum(pop_d)::BIGINT AS population
        FROM _pop_checked WHERE line IN (SELECT _row FROM judged WHERE _reason IS NULL)
        GROUP BY ALL
    """)
    # The long ONS layout gives males and females: persons is their sum where not given.
    con.execute("""
        INSERT INTO mapped
        SELECT la_code, year, 'persons', age, sum(population) FROM mapped g
        WHERE sex IN ('male', 'female') AND NOT EXISTS (
            SELECT 1 FROM mapped p WHERE p.sex = 'persons' AND p.la_code = g.la_code
            AND p.year = g.year)
        GROUP BY la_code, year, age HAVING count(DISTINCT sex) = 2
    """)


def load(stage: Stage) -> int:
    """Replace the keys the file gives; return the file lines loaded (not cells)."""
    con = stage.con
    assert stage.result is not None
    con.execute("""
        DELETE FROM population WHERE (la_code, year, sex) IN
            (SELECT DISTINCT la_code, year, sex FROM mapped)
    """)
    con.execute("INSERT INTO population SELECT la_code, year, sex, age, population FROM mapped")
    cells = con.execute("SELECT count(*) FROM mapped").fetchone()[0]
    stage.result.detail["cells"] = int(cells)
    stage.result.detail["inputs"] = {"cells": int(cells)}
    return int(con.execute("SELECT count(*) FROM judged WHERE _reason IS NULL").fetchone()[0])


def render(result: FileResult) -> str:
    """The line `openasc ingest population` prints for a file."""
    d = result.detail
    return (f"{result.name}: {result.rows_in} row(s) read, {result.loaded} loaded, "
            f"{result.rows_quarantined} quarantined; {d['cells']} population figure(s) "
            f"in the warehouse ({d['layout']} layout"
            + (f", mid-{d['year']}" if d.get("year") else "") + ").")
