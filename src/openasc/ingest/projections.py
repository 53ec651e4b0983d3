"""`openasc ingest projections`: ONS sub-national population projections, districts summed
to councils, into `population_projections`.

A market position statement needs each council's population by single year of age for the
coming years. ONS publishes them for districts (2018- and 2022-based SNPP, one CSV per sex,
a column per mid-year; the zip holds all three), so the councils are built here by summing
their districts through a lookup (docs/market-position.md, "Population projections"):

- rows for E06/E07/E08/E09 districts are summed to councils; rows for counties, metropolitan
  counties, regions and England (E10, E11, E12, E92) and the `All ages` totals are used only
  as checks (a difference above 1.0 person is a warning);
- unitaries, metropolitan districts and London boroughs map to themselves; E07 districts map
  to their county through the ONS district-to-county lookup given with `--lookup` (or one
  loaded before); a council with some but not all of its districts in the file stops the run
  (a partial sum would understate it);
- the 2022-based release comes in two migration variants and nothing in the file says which:
  `--variant` is required for it and is printed with every figure (decisions.md).

As everywhere, every file line is loaded or quarantined with its reason, in one transaction.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
import zipfile
from pathlib import Path

import duckdb

from openasc.config import Settings
from openasc.errors import OpenascError, UnreadableInput
from openasc.ingest.pipeline import FileResult, IngestResult, Stage, ingest_file
from openasc.warehouse import sql_text, table_exists

ONS_COLUMNS = {"area_code", "area_name", "component", "sex", "age_group"}
TIDY_COLUMNS = {"area_code", "year", "age", "sex", "population"}
MEMBER = re.compile(r".*snpp.*population.*(persons|males|females).*\.csv$", re.IGNORECASE)
VARIANTS = {"five-year": "five-year migration variant",
            "five-year migration": "five-year migration variant",
            "migration category": "migration category variant",
            "principal": "principal projection"}
# SEX as ONS spells it in the three files (the male/female spellings are an assumption,
# decisions.md), and the tidy layout's words.
SEX_SQL = ("CASE lower(trim({c})) WHEN 'persons' THEN 'persons' WHEN 'all persons' THEN "
           "'persons' WHEN 'males' THEN 'male' WHEN 'male' THEN 'male' WHEN 'females' THEN "
           "'female' WHEN 'female' THEN 'female' END")
LOOKUP_PAIRS = [(re.compile(r"ltla\d{2}cd"), re.compile(r"utla\d{2}cd")),
                (re.compile(r"lad\d{2}cd"), re.compile(r"ctyua\d{2}cd")),
                (re.compile(r"lad\d{2}cd"), re.compile(r"cty\d{2}cd")),
                (re.compile(r"lad_code"), re.compile(r"council_ons_code"))]


def ingest_projections_file(path: Path, settings: Settings, variant: str | None = None,
                            lookup: Path | None = None,
                            con: duckdb.DuckDBPyConnection | None = None) -> IngestResult:
    """Load one projections file (CSV or the ONS zip) through the ingest pipeline."""
    return ingest_file("projections", path, settings, con, variant=variant, lookup=lookup)


# ----------------------------------------------------------------------------- reading
def _header(path: Path) -> list[str]:
    raw = path.read_bytes()[:65536]
    if b"\0" in raw:
        raise UnreadableInput(f"{path}: is not a text (CSV) file; expected the ONS SNPP CSV, "
                              "its zip, or the tidy projections CSV.")
    text = raw.decode("utf-8-sig", errors="replace")
    first = next(csv.reader(io.StringIO(text)), [])
    return [h.strip().lower() for h in first]


def _members(path: Path, work: Path) -> list[Path]:
    """The CSVs to read: the file itself, or the SNPP population CSVs inside an ONS zip."""
    if not path.is_file():
        raise UnreadableInput(f"{path}: no such file.")
    if not zipfile.is_zipfile(path):
        return [path]
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if MEMBER.fullmatch(Path(n).name)]
        if not names:
            raise UnreadableInput(f"{path}: the zip holds no file named like "
                                  "'*SNPP*Population*persons*.csv' (nor males/females).")
        out = []
        for n in sorted(names):
            target = work / Path(n).name
            target.write_bytes(z.read(n))
            out.append(target)
        return out


def _layout(header: list[str], path: Path) -> str:
    cells = set(header)
    if ONS_COLUMNS <= cells and any(re.fullmatch(r"\d{4}", h) for h in header):
        return "ons"
    if TIDY_COLUMNS <= cells:
        return "tidy"
    raise OpenascError(
        f"{path}: the header is not a projections layout. Expected the ONS SNPP columns "
        "AREA_CODE, AREA_NAME, COMPONENT, SEX, AGE_GROUP and one per year (2022 ... 2047), "
        "or the tidy columns area_code, year, age, sex, population.")


def _stage_member(con: duckdb.DuckDBPyConnection, path: Path, member: str,
                  first: bool) -> tuple[str, list[str]]:
    """Append one CSV's lines to `_proj_wide(member, line, code, sex, age, year, <values>)`:
    one row per file line, as text. The ONS layout has a value column per year (`year`
    NULL); the tidy layout one `value` column and the year in `year`. Lines are checked
    and summed in this wide form: a file line, not each of its 26 cells, is the unit."""
    header = _header(path)
    layout = _layout(header, path)
    src = (f"read_csv({sql_text(str(path))}, all_varchar = true, header = true, "
           "null_padding = true, normalize_names = false)")
    try:
        cols = {c.lower(): c for c, *_ in con.execute(f"DESCRIBE SELECT * FROM {src}")
                .fetchall()}
        if layout == "ons":
            values = sorted(c for low, c in cols.items() if re.fullmatch(r"\d{4}", low))
            picked = (f'"{cols["age_group"]}" AS age, NULL::VARCHAR AS year, '
                      + ", ".join(f'"{v}"' for v in values))
            kind = f"ons:{values[0]}"
        else:
            values = ["value"]
            picked = (f'"{cols["age"]}" AS age, "{cols["year"]}" AS year, '
                      f'"{cols["population"]}" AS value')
            kind = "tidy:"
            if "source" in cols:
                src_col = cols["source"]
                got = con.execute(f'SELECT DISTINCT trim("{src_col}") FROM {src} '
                                  f"WHERE trim(\"{src_col}\") <> ''").fetchall()
                kind += ";".join(sorted(r[0] for r in got))
        select = (f'SELECT {sql_text(member)} AS member, row_number() OVER () + 1 AS line, '
                  f'"{cols["area_code"]}" AS code, "{cols["sex"]}" AS sex, {picked} '
                  f"FROM {src}")
        con.execute(f"CREATE OR REPLACE TEMP TABLE _proj_wide AS {select}" if first
                    else f"INSERT INTO _proj_wide BY NAME {select}")
        return kind, values
    except duckdb.Error as exc:
        raise UnreadableInput(f"{path}: cannot be read as CSV ({str(exc).splitlines()[0]}).") \
            from exc


def _release(layouts: set[str], variant: str | None, path: Path) -> str:
    """The release and variant every figure is printed with."""
    if len(layouts) != 1:
        raise OpenascError(f"{path}: its files are of different releases or layouts "
                           f"({', '.join(sorted(layouts))}); load one release at a time.")
    kind, _, what = layouts.pop().partition(":")
    chosen = VARIANTS.get((variant or "").strip().lower()) if variant else None
    if variant and chosen is None:
        raise OpenascError(f"--variant {variant!r} is not known; expected 'five-year "
                           "migration', 'migration category' or 'principal'.")
    if kind == "tidy":
        if variant:
            return f"{what or 'tidy projections'} ({chosen})"
        if not what or ";" in what:
            raise OpenascError(
                f"{path}: the tidy file needs one `source` naming the release and variant in "
                "every row (e.g. 'ONS SNPP 2022-based, five-year migration variant'), or "
                "--variant.")
        return what
    base = int(what)
    if base >= 2020 and chosen is None:
        raise OpenascError(
            f"{path}: the {base}-based projections come in two migration variants and the "
            "file does not say which; name it with --variant 'five-year migration' or "
            "--variant 'migration category' (it is printed with every figure).")
    return f"ONS SNPP {base}-based, {chosen or 'principal projection'}"


# ----------------------------------------------------------------------------- the lookup
def _lookup_pairs(path: Path) -> list[tuple[str, str, int]]:
    """(district code, council code, line) from an ONS district-to-county lookup file."""
    if not path.is_file():
        raise UnreadableInput(f"{path}: no such file (the --lookup district-to-council file).")
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig", "replace"))))
    head = [h.strip().lower() for h in (rows[0] if rows else [])]
    for lad, cty in LOOKUP_PAIRS:
        i = next((k for k, h in enumerate(head) if lad.fullmatch(h)), None)
        j = next((k for k, h in enumerate(head) if cty.fullmatch(h)), None)
        if i is not None and j is not None:
            return [(r[i].strip().upper(), r[j].strip().upper(), n + 2)
                    for n, r in enumerate(rows[1:]) if len(r) > max(i, j) and r[i].strip()]
    raise OpenascError(
        f"{path}: not a district-to-council lookup. Expected the ONS columns LTLA22CD and "
        "UTLA22CD (or LAD23CD and CTYUA23CD / CTY23CD), or lad_code and council_ons_code.")


def build_lookup(con: duckdb.DuckDBPyConnection, lookup: Path | None) -> None:
    """`_lookup(lad_code, council)`: every unitary, metropolitan district and London borough
    to itself, an old code to its one successor (councils.csv `former_codes`), and the E07
    districts of the lookup file (and of `district_lookup`, lookups loaded before) to their
    council. A lookup row naming no known council stops the run."""
    con.execute("CREATE OR REPLACE TEMP TABLE _lk_file (lad_code VARCHAR, council VARCHAR)")
    if lookup is not None:
        pairs = _lookup_pairs(lookup)
        con.execute("CREATE OR REPLACE TEMP TABLE _lk_in (lad VARCHAR, cty VARCHAR, line INT)")
        con.executemany("INSERT INTO _lk_in VALUES (?, ?, ?)", pairs)
        bad = con.execute("""
            SELECT line, cty FROM _lk_in WHERE lad LIKE 'E%' AND cty NOT IN
                (SELECT ons_code FROM councils UNION SELECT unnest(string_split(former_codes,
                 ';')) FROM councils) ORDER BY line LIMIT 5""").fetchall()
        if bad:
            raise OpenascError(f"{lookup}: " + "; ".join(
                f"line {n}: {c!r} is not a council in councils.csv" for n, c in bad) + ".")
        con.execute("""INSERT INTO _lk_file SELECT lad, any_value(cty) FROM _lk_in
                       WHERE lad LIKE 'E%' GROUP BY lad""")
    before = ("SELECT lad_code, council FROM district_lookup WHERE lad_code NOT IN "
              "(SELECT lad_code FROM _lk_file)" if table_exists(con, "district_lookup")
              else "SELECT NULL, NULL WHERE false")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _succ AS
        SELECT f.code AS old, any_value(c.ons_code) AS new FROM councils c,
               unnest(string_split(coalesce(c.former_codes, ''), ';')) AS f(code)
        WHERE f.code <> '' GROUP BY f.code HAVING count(DISTINCT c.ons_code) = 1""")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _lookup AS
        WITH given AS (SELECT * FROM _lk_file UNION ALL {before}),
        direct AS (
            SELECT lad_code, council FROM given
            UNION ALL
            SELECT ons_code, ons_code FROM councils
            WHERE substr(ons_code, 1, 3) IN ('E06', 'E08', 'E09')
              AND ons_code NOT IN (SELECT lad_code FROM given))
        SELECT lad_code, coalesce(s.new, d.council) AS council
        FROM direct d LEFT JOIN _succ s ON s.old = d.council""")


# ----------------------------------------------------------------------------- pipeline hooks
def read(stage: Stage) -> None:
    """Stage every line of the file (or the zip's three files) as text in `_proj_wide`."""
    path, con = stage.path, stage.con
    with tempfile.TemporaryDirectory() as tmp:
        members = _members(path, Path(tmp))
        staged = [_stage_member(con, m, m.name, i == 0) for i, m in enumerate(members)]
    if len({tuple(v) for _, v in staged}) > 1:
        raise OpenascError(f"{path}: its files have different year columns; expected the "
                           "three files of one release.")
    stage.state["values"] = staged[0][1]
    stage.state["members"] = len(members)
    stage.state["release"] = _release({k for k, _ in staged}, stage.options.get("variant"),
                                      path)
    build_lookup(con, stage.options.get("lookup"))
    rows_in = con.execute("SELECT count(*) FROM _proj_wide").fetchone()[0]
    stage.result = FileResult("projections", path.name, stage.options["scan"][0], int(rows_in))
    stage.result.detail.update(release=stage.state["release"], files=len(members))
    stage.state["run"] = {"detail": {"release": stage.state["release"]}}


def _number(col: str) -> str:
    return f"try_cast(replace(trim(\"{col}\"), ',', '') AS DOUBLE)"


FAULT_SQL = """
    CASE
    WHEN kind IS NULL THEN 'AREA_CODE|AREA_CODE ' || coalesce('''' || code || '''', 'blank')
        || ' is not an English district, county, region or England code (expected E06, E07, '
        || 'E08, E09, E10, E11, E12 or E92)'
    WHEN kind = 'district' AND council IS NULL THEN 'AREA_CODE|AREA_CODE ''' || code
        || ''' is not in the district-to-council lookup (give the ONS lookup for the '
        || 'projection''s boundary year with --lookup)'
    WHEN sex_n IS NULL THEN 'SEX|SEX ' || coalesce('''' || sex || '''', 'blank')
        || ' is not persons, males or females'
    WHEN age_n IS NULL OR age_n NOT BETWEEN -1 AND 90 THEN 'AGE_GROUP|AGE_GROUP '
        || coalesce('''' || age || '''', 'blank') || ' is not an age (expected 0 to 89, '
        || '''90 and over'' or ''All ages'')'
    WHEN year IS NOT NULL AND coalesce(year_n NOT BETWEEN 1971 AND 2100, true)
        THEN 'year|year ''' || year || ''' is not a year'
    WHEN bad_at IS NOT NULL THEN 'population|' || CASE WHEN year IS NULL THEN bad_at || ': '
        ELSE '' END || bad_raw || ' is not a number of people (expected a number of 0 or more)'
    END"""


def judge(stage: Stage) -> None:
    """`judged`: each file line typed, with its first fault (numbered within its file; in a
    zip the reason names the file)."""
    con, values = stage.con, stage.state["values"]
    numbers = ", ".join(f'{_number(v)} AS "n_{v}"' for v in values)
    bad = {v: f'coalesce("n_{v}" < 0, true)' for v in values}
    bad_at = "coalesce(" + ", ".join(f"CASE WHEN {b} THEN '{v}' END"
                                     for v, b in bad.items()) + ")"
    bad_raw = "coalesce(" + ", ".join(
        f"CASE WHEN {b} THEN coalesce('''' || \"{v}\" || '''', 'blank') END"
        for v, b in bad.items()) + ")"
    prefix = "member || ': ' || " if stage.state["members"] > 1 else ""
    # each cell is cast to a number once here (n_<year>); map_rows and _checks read those
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE judged AS
        WITH n AS (SELECT w.member, w.line, w.code, w.sex, w.age, w.year,
                          {", ".join(f'"n_{v}"' for v in values)},
                          {bad_at} AS bad_at, {bad_raw} AS bad_raw
                   FROM (SELECT *, {numbers} FROM _proj_wide) w),
        t AS (
            SELECT n.*, upper(trim(n.code)) AS code_n, {SEX_SQL.format(c='n.sex')} AS sex_n,
                   CASE WHEN lower(trim(age)) = 'all ages' THEN -1
                        WHEN lower(trim(age)) IN ('90 and over', '90+') THEN 90
                        ELSE try_cast(trim(age) AS INTEGER) END AS age_n,
                   try_cast(trim(year) AS INTEGER) AS year_n,
                   CASE WHEN substr(upper(trim(code)), 1, 3) IN ('E06', 'E07', 'E08', 'E09')
                        THEN 'district'
                        WHEN substr(upper(trim(code)), 1, 3) IN ('E10', 'E11', 'E12', 'E92')
                        THEN 'higher' END AS kind
            FROM n),
        f AS (SELECT t.*, k.council FROM t LEFT JOIN _lookup k ON k.lad_code = t.code_n),
        g AS (SELECT *, {FAULT_SQL} AS fault FROM f)
        SELECT g.* EXCLUDE (fault, bad_at, bad_raw), line AS _row,
               CASE WHEN fault IS NOT NULL THEN split_part(fault, '|', 1) END AS _field,
               CASE WHEN fault IS NOT NULL THEN {prefix}substr(fault, strpos(fault, '|') + 1)
               END AS _reason
        FROM g""")


def map_rows(stage: Stage) -> None:
    """`mapped`: each council's population by year, age and sex, summed from its districts;
    stops on a council with only some of its districts; checks the totals the file gives."""
    con, values = stage.con, stage.state["values"]
    missing = con.execute("""
        WITH present AS (SELECT DISTINCT council FROM judged
                         WHERE _reason IS NULL AND kind = 'district')
        SELECT k.council, string_agg(k.lad_code, ', ' ORDER BY k.lad_code)
        FROM _lookup k JOIN present USING (council)
        WHERE k.lad_code NOT IN (SELECT code_n FROM judged WHERE _reason IS NULL)
          AND substr(k.lad_code, 1, 3) = 'E07'
        GROUP BY k.council ORDER BY 1 LIMIT 5""").fetchall()
    if missing:
        raise OpenascError(f"{stage.path}: " + "; ".join(
            f"council {c} has districts missing from the file ({lads})" for c, lads in missing)
            + ". A partial sum would understate the council: nothing was loaded. Check that "
            "the lookup's boundary year matches the projection's.")
    ok = "_reason IS NULL AND kind = 'district' AND age_n >= 0"
    if values == ["value"]:
        cells = (f'SELECT council, year_n AS year, age_n, sex_n, line, "n_value" AS pop '
                 f"FROM judged WHERE {ok}")
    else:  # sum the districts' lines first (wide, one column a year), then unpivot
        cols = ", ".join(f'"{v}"' for v in values)
        sums = ", ".join(f'sum("n_{v}") AS "{v}"' for v in values)
        cells = (f"SELECT council, CAST(year AS INTEGER) AS year, age_n, sex_n, line, pop "
                 f"FROM (UNPIVOT (SELECT council, age_n, sex_n, min(line) AS line, {sums} "
                 f"FROM judged WHERE {ok} GROUP BY ALL) ON {cols} INTO NAME year VALUE pop)")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE mapped AS
        SELECT council AS la_code, year, age_n AS age, sex_n AS sex, sum(pop) AS population,
               min(line) AS _row
        FROM ({cells}) GROUP BY ALL""")
    stage.result.warnings += _checks(con, values)  # type: ignore[union-attr]


def _checks(con: duckdb.DuckDBPyConnection, values: list[str]) -> list[str]:
    """Warnings where the file's own totals differ from the sums by more than 1.0 person:
    each district's `All ages` rows, the county, region and England rows (ONS layout), and
    males + females against persons."""
    out: list[str] = []
    n = con.execute("""
        SELECT count(*) FROM (
            SELECT sum(population) FILTER (WHERE sex = 'persons') AS p,
                   sum(population) FILTER (WHERE sex <> 'persons') AS mf,
                   count(*) AS k FROM mapped GROUP BY la_code, year, age)
        WHERE k = 3 AND abs(p - mf) > 1.0""").fetchone()[0]
    if n:
        out.append(f"{n} figure(s) where males + females differ from persons by more than 1.")
    if values == ["value"]:
        return out
    gap = "greatest(" + ", ".join(
        f'abs(coalesce(sum("n_{v}") FILTER (WHERE age_n >= 0), 0) - '
        f'sum("n_{v}") FILTER (WHERE age_n = -1))' for v in values) + ")"
    n, worst = con.execute(f"""
        SELECT count(*), max(gap) FROM (
            SELECT {gap} AS gap FROM judged WHERE _reason IS NULL AND kind = 'district'
            GROUP BY code_n, sex_n HAVING count(*) FILTER (WHERE age_n = -1) > 0)
        WHERE gap > 1.0""").fetchone()
    if n:
        out.append(f"{n} district 'All ages' row(s) differ from the sum of their ages by more "
                   f"than 1 person in some year (largest {worst:,.1f}).")
    higher = con.execute("SELECT count(*) FROM judged WHERE _reason IS NULL AND "
                         "kind = 'higher' AND age_n >= 0").fetchone()[0]
    if not higher:
        return out
    if con.execute("SELECT count(*) FROM judged WHERE _reason IS NOT NULL").fetchone()[0]:
        return [*out, "county, region and England rows not checked: some district lines "
                "were quarantined, so their sums are incomplete."]
    cols = ", ".join(f'"n_{v}" AS "{v}"' for v in values)
    names = ", ".join(f'"{v}"' for v in values)
    n, worst = con.execute(f"""
        WITH area AS (
            SELECT la_code AS code, year, age, sex, population AS pop FROM mapped
            UNION ALL
            SELECT c.region_code, year, age, sex, sum(population)
            FROM mapped m JOIN councils c ON c.ons_code = m.la_code GROUP BY ALL
            UNION ALL
            SELECT 'E92000001', year, age, sex, sum(population) FROM mapped GROUP BY ALL),
        given AS (
            SELECT code_n AS code, CAST(year AS INTEGER) AS year, age_n AS age, sex_n AS sex,
                   pop
            FROM (UNPIVOT (SELECT code_n, age_n, sex_n, {cols} FROM judged
                           WHERE _reason IS NULL AND kind = 'higher' AND age_n >= 0)
                  ON {names} INTO NAME year VALUE pop))
        SELECT count(*), max(abs(g.pop - a.pop))
        FROM given g JOIN area a USING (code, year, age, sex)
        WHERE abs(g.pop - a.pop) > 1.0""").fetchone()
    if n:
        out.append(f"{n} county, region or England figure(s) differ from the sum of their "
                   f"districts by more than 1 person (largest {worst:,.1f}); the districts' "
                   "sum is loaded.")
    return out


def load(stage: Stage) -> int:
    """Replace the projections of every council the file gives (a council never mixes two
    releases); return the file lines loaded. Lines used only as checks count as loaded."""
    con, r = stage.con, stage.result
    assert r is not None
    # the lookup given with this file is kept for later files of the same boundary set
    con.execute("CREATE TABLE IF NOT EXISTS district_lookup (lad_code VARCHAR PRIMARY KEY, "
                "council VARCHAR NOT NULL)")
    con.execute("INSERT OR REPLACE INTO district_lookup SELECT * FROM _lk_file")
    con.execute("DELETE FROM population_projections WHERE la_code IN "
                "(SELECT DISTINCT la_code FROM mapped)")
    con.execute("""INSERT INTO population_projections BY NAME
                   SELECT la_code, year, age, sex, population, ? AS release,
                          ? AS file_sha256, ? AS source_name, _row AS row_number, ? AS run_id
                   FROM mapped""", [stage.state["release"], r.sha256, r.name, stage.run_id])
    councils, first, last = con.execute(
        "SELECT count(DISTINCT la_code), min(year), max(year) FROM mapped").fetchone()
    checks = con.execute("SELECT count(*) FROM judged WHERE _reason IS NULL AND "
                         "(kind = 'higher' OR age_n = -1)").fetchone()[0]
    r.detail.update(councils=int(councils), first=first, last=last, checks=int(checks))
    r.detail["inputs"] = {"release": stage.state["release"], "councils": int(councils)}
    return int(con.execute("SELECT count(*) FROM judged WHERE _reason IS NULL").fetchone()[0])


def render(result: FileResult) -> str:
    d = result.detail
    years = f" {d['first']}-{d['last']}" if d.get("first") else ""
    return (f"{result.name}: {result.rows_in:,} row(s) read = {result.loaded:,} loaded + "
            f"{result.rows_quarantined:,} quarantined; {d.get('councils', 0)} council(s) "
            f"projected{years} ({d['release']}); {d.get('checks', 0):,} total row(s) "
            "(All ages, county, region, England) used as checks only."
            + ("".join(f"\n  quarantined, by field: {k} {v:,}"
                       for k, v in result.quarantined.items()))
            + "".join(f"\n  warning: {w}" for w in result.warnings))
