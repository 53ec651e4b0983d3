"""`openasc ingest care-directory`: the CQC care directory into `care_locations`.

The supply side of a market position statement - care homes and their beds, home care
agencies, their ratings - comes from CQC's monthly "care directory with filters"
(docs/market-position.md). The rules kept here (the reasons are in docs/decisions.md):

- the data sheet is found by its header (after the README sheet: the "header offset"), and
  the snapshot date by the README's "as at" line, checked against the file name's date;
- scope: `Location Inspection Directorate` is `Adult social care`; other rows are loaded
  as out of scope, so that every row is accounted for;
- a dual registration is counted once, under its primary location; the other row is loaded
  with `counted = false`;
- dormant locations are loaded and flagged; the measures leave them out of capacity;
- a care home is `nursing` if registered with nursing, else `residential` if without, else
  `not stated`; a home registered for both is a nursing home (all its beds) and flagged;
- ratings are normalised to Outstanding, Good, Requires improvement, Inadequate or Not yet
  rated; inherited ratings are flagged;
- `Location Local Authority` is matched to councils.csv by name (case, `&`, punctuation and
  ", City of" / ", County of" ignored) or an alias file; an in-scope row naming no council
  stops the run and lists the names.
"""

from __future__ import annotations

import csv
import re
import tempfile
from datetime import date, datetime
from pathlib import Path

import duckdb

from openasc.config import Settings
from openasc.errors import OpenascError, UnreadableInput
from openasc.ingest.pipeline import FileResult, IngestResult, Stage, ingest_file
from openasc.warehouse import sql_text

AS_AT = re.compile(r"as at\s+(\d{1,2}\s+[A-Za-z]+\s+\d{4})", re.IGNORECASE)
NAME_DATE = re.compile(r"(\d{1,2})_([A-Za-z]+)_(\d{4})")
RATINGS = ("Outstanding", "Good", "Requires improvement", "Inadequate")


def ingest_care_directory_file(path: Path, settings: Settings, as_at: str | None = None,
                               aliases: Path | None = None,
                               con: duckdb.DuckDBPyConnection | None = None) -> IngestResult:
    """Load one care directory through the ingest pipeline."""
    return ingest_file("care_directory", path, settings, con, as_at=as_at, aliases=aliases)


def _norm(text: object) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip().lower()


# ----------------------------------------------------------------------------- reading
def _workbook(path: Path) -> tuple[list[str], list[str], list[tuple[int, list[str]]], str]:
    """(README lines, data header, data rows with their row numbers, data sheet name)."""
    if not path.is_file():
        raise UnreadableInput(f"{path}: no such file.")
    wanted = {"location id", "care home?"}
    readme: list[str] = []
    suffix = path.suffix.lower()
    if suffix == ".ods":
        from openasc.ingest.ods import sheets

        for name, rows in sheets(path):
            got = list(rows)
            first = next((r for _, r in got if any(c.strip() for c in r)), [])
            if wanted <= {_norm(c) for c in first}:
                start = next(i for i, (_, r) in enumerate(got) if r is first)
                return readme, first, got[start + 1:], name
            readme += [" ".join(r) for _, r in got]
    elif suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - any failure here means "cannot read"
            raise UnreadableInput(f"{path}: cannot be read as an Excel workbook ({exc}).") \
                from exc
        for ws in wb.worksheets:
            got = [(i, ["" if v is None else _text(v) for v in row])
                   for i, row in enumerate(ws.iter_rows(values_only=True), start=1)
                   if any(v not in (None, "") for v in row)]
            first = got[0][1] if got else []
            if wanted <= {_norm(c) for c in first}:
                return readme, first, got[1:], ws.title
            readme += [" ".join(r) for _, r in got]
    elif suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            got = [(i, r) for i, r in enumerate(csv.reader(fh), start=1)]
        if got and wanted <= {_norm(c) for c in got[0][1]}:
            return readme, got[0][1], got[1:], path.name
    else:
        raise UnreadableInput(f"{path}: expected the CQC care directory as .ods or .xlsx.")
    raise OpenascError(f"{path}: no sheet whose first row holds 'Location ID' and 'Care home?'"
                       "; expected CQC's data sheet (HSCA_Active_Locations, or the "
                       "deactivated locations) after its README.")


def _text(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, datetime):
        return v.date().isoformat()
    return str(v)


def _as_at(readme: list[str], path: Path, given: str | None) -> tuple[date, list[str]]:
    """The snapshot date: --as-at, else the README "as at" line; checked against the name."""
    warnings: list[str] = []
    found = None
    for line in readme:
        m = AS_AT.search(line)
        if m:
            found = datetime.strptime(m.group(1).title(), "%d %B %Y").date()
            break
    named = None
    m = NAME_DATE.search(path.stem)
    if m:
        try:
            named = datetime.strptime(" ".join(m.groups()).title(), "%d %B %Y").date()
        except ValueError:
            named = None
    if given:
        try:
            chosen = date.fromisoformat(given)
        except ValueError as exc:
            raise OpenascError(f"--as-at {given!r} is not a date; expected YYYY-MM-DD.") \
                from exc
    elif found:
        chosen = found
    elif named:
        chosen = named
        warnings.append(f"no 'as at' line in the README sheet; snapshot date {named} taken "
                        "from the file name.")
    else:
        raise OpenascError(f"{path}: cannot tell the snapshot date (no 'Source: CQC database "
                           "as at DD Month YYYY' line in the README sheet, no date in the "
                           "file name); give it with --as-at YYYY-MM-DD.")
    if found and named and found != named:
        warnings.append(f"the README says as at {found} but the file name says {named}; "
                        f"{chosen} is used.")
    return chosen, warnings


def _headers(stage: Stage) -> dict[str, dict]:
    return stage.spec.raw["headers"]


def read(stage: Stage) -> None:
    """Stage the data sheet's rows as text in `stg` (one column per header read)."""
    path, con = stage.path, stage.con
    readme, header, rows, sheet = _workbook(path)
    as_at, warnings = _as_at(readme, path, stage.options.get("as_at"))
    index = {_norm(h): i for i, h in reversed(list(enumerate(header)))}
    spec = _headers(stage)
    missing = [v["header"] for v in spec.values()
               if v["required"] and _norm(v["header"]) not in index]
    if missing:
        raise OpenascError(f"{path}: sheet {sheet!r} has no column " + "; no column ".join(
            repr(m) for m in missing) + f". Expected CQC's {stage.spec.title}.")
    cols = {k: index.get(_norm(v["header"])) for k, v in spec.items()}
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / "stg.csv"
        with staged.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["_row", *cols])
            for number, r in rows:
                w.writerow([number, *("" if i is None or i >= len(r) else r[i].strip()
                                      for i in cols.values())])
        con.execute(f"CREATE OR REPLACE TEMP TABLE stg AS SELECT * FROM read_csv("
                    f"{sql_text(str(staged))}, all_varchar = true, header = true)")
    con.execute("ALTER TABLE stg ALTER _row TYPE INTEGER")
    _aliases(con, stage.options.get("aliases"), as_at)
    stage.state.update(as_at=as_at, sheet=sheet,
                       found={k for k, i in cols.items() if i is not None})
    stage.result = FileResult(stage.spec.source, path.name, stage.options["scan"][0], len(rows))
    stage.result.warnings += warnings
    stage.result.detail.update(as_at=as_at.isoformat(), sheet=sheet)
    stage.state["run"] = {"as_of": as_at, "detail": {"as_at": as_at.isoformat(),
                                                     "sheet": sheet}}


NAME_SQL = ("trim(regexp_replace(regexp_replace(regexp_replace(replace(lower({c}), '&', "
            "' and '), ',? *(city|county) of *', ' ', 'g'), '[^a-z0-9 ]', '', 'g'), ' +', ' ',"
            " 'g'))")


def _aliases(con: duckdb.DuckDBPyConnection, aliases: Path | None, on: date) -> None:
    """`_la_names(name, la_code)`: each council's normalised name, to its current code when
    a council was re-coded (Barnsley's E08000016 is E08000038; every input is stored under
    the current code, as projections are), plus the alias file's names."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _la_names AS
        SELECT {NAME_SQL.format(c='name')} AS name,
               arg_min(ons_code, CASE WHEN valid_to IS NULL THEN 0 ELSE 1 END) AS la_code
        FROM councils WHERE valid_to IS NULL OR valid_to >= ? GROUP BY 1""", [on])
    if aliases is None:
        return
    if not aliases.is_file():
        raise UnreadableInput(f"{aliases}: no such file (the --aliases file).")
    with aliases.open(encoding="utf-8-sig", newline="") as fh:
        got = list(csv.DictReader(fh))
    if got and not {"cqc_name", "council_ons_code"} <= set(got[0]):
        raise OpenascError(f"{aliases}: expected the columns cqc_name,council_ons_code.")
    known = {r[0] for r in con.execute("SELECT ons_code FROM councils").fetchall()}
    for n, r in enumerate(got, start=2):
        if r["council_ons_code"].strip().upper() not in known:
            raise OpenascError(f"{aliases}: line {n}: {r['council_ons_code']!r} is not a "
                               "council code in councils.csv.")
    con.executemany(f"INSERT INTO _la_names SELECT {NAME_SQL.format(c='?')}, ?",
                    [[r["cqc_name"], r["council_ons_code"].strip().upper()] for r in got])


def judge(stage: Stage) -> None:
    """`judged`: each row typed, with its first fault. An in-scope row naming no known
    council stops the run, listing the names (an alias fixes them)."""
    con = stage.con
    flag = "coalesce(upper(trim({c})) IN ('Y', 'YES'), false)"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE judged AS
        WITH t AS (
            SELECT s.*, n.la_code AS la,
                   lower(trim(directorate)) = 'adult social care' AS v_in_scope,
                   upper(trim(care_home)) AS v_care_home,
                   try_cast(nullif(trim(beds), '') AS DOUBLE) AS v_beds,
                   upper(coalesce(nullif(trim(dormant), ''), 'N')) AS v_dormant,
                   row_number() OVER (PARTITION BY trim(location_id) ORDER BY _row) AS seen
            FROM stg s LEFT JOIN _la_names n ON n.name = {NAME_SQL.format(c='s.la_name')})
        SELECT *, CASE
            WHEN coalesce(trim(location_id), '') = '' THEN 'Location ID'
            WHEN seen > 1 THEN 'Location ID'
            WHEN v_care_home NOT IN ('Y', 'N') OR v_care_home IS NULL THEN 'Care home?'
            WHEN (v_care_home = 'Y' AND v_beds IS NULL) OR v_beds < 0 OR v_beds <> floor(v_beds)
                 OR (nullif(trim(beds), '') IS NOT NULL AND v_beds IS NULL) THEN 'Care homes beds'
            WHEN v_dormant NOT IN ('Y', 'N') THEN 'Dormant (Y/N)'
            END AS _field,
            CASE
            WHEN coalesce(trim(location_id), '') = '' THEN 'Location ID is blank'
            WHEN seen > 1 THEN 'Location ID ' || trim(location_id) || ' is repeated (first at '
                || 'row ' || (SELECT min(_row) FROM stg x WHERE trim(x.location_id) =
                              trim(t.location_id)) || '); each location is listed once'
            WHEN v_care_home NOT IN ('Y', 'N') OR v_care_home IS NULL THEN 'Care home? '
                || coalesce('''' || care_home || '''', 'blank') || ' is not Y or N'
            WHEN (v_care_home = 'Y' AND v_beds IS NULL) OR v_beds < 0 OR v_beds <> floor(v_beds)
                 OR (nullif(trim(beds), '') IS NOT NULL AND v_beds IS NULL)
                THEN 'Care homes beds ' || coalesce('''' || nullif(beds, '') || '''', 'blank')
                || ' is not a whole number of beds (expected 0 or more; required for a care '
                || 'home)'
            WHEN v_dormant NOT IN ('Y', 'N') THEN 'Dormant (Y/N) ''' || dormant
                || ''' is not Y or N'
            END AS _reason,
            {flag.format(c='nursing')} AS f_nursing,
            {flag.format(c='residential')} AS f_residential
        FROM t""")
    unknown = con.execute("""
        SELECT coalesce(nullif(trim(la_name), ''), '(blank)'), count(*) FROM judged
        WHERE _reason IS NULL AND v_in_scope AND la IS NULL GROUP BY 1 ORDER BY 1""").fetchall()
    if unknown:
        names = ", ".join(f"{n!r} ({k} row{'s' if k > 1 else ''})" for n, k in unknown[:20])
        raise OpenascError(
            f"{stage.path}: {len(unknown)} 'Location Local Authority' name(s) match no council "
            f"in councils.csv: {names}. Nothing was loaded. Add them to an aliases file "
            "(cqc_name,council_ons_code) and give it with --aliases.")


def map_rows(stage: Stage) -> None:
    """`mapped`: the usable rows in `care_locations`' columns, with the derivations."""
    con = stage.con
    flag = "coalesce(upper(trim({c})) IN ('Y', 'YES'), false)"
    ratings = ", ".join(sql_text(r.lower()) for r in RATINGS)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE mapped AS
        WITH u AS (SELECT * FROM judged WHERE _reason IS NULL)
        SELECT trim(location_id) AS location_id, ?::DATE AS as_at, v_in_scope AS in_scope,
               la AS la_code, k.region_code, v_care_home = 'Y' AS care_home,
               CAST(coalesce(v_beds, 0) AS INTEGER) AS beds, v_dormant = 'Y' AS dormant,
               CASE WHEN v_care_home <> 'Y' THEN NULL WHEN f_nursing THEN 'nursing'
                    WHEN f_residential THEN 'residential' ELSE 'not stated' END AS home_type,
               v_care_home = 'Y' AND f_nursing AND f_residential AS both_types,
               {flag.format(c='dementia')} AS dementia,
               {flag.format(c='domiciliary')} AS domiciliary,
               {flag.format(c='supported_living')} AS supported_living,
               {flag.format(c='extra_care')} AS extra_care,
               {flag.format(c='shared_lives')} AS shared_lives,
               CASE WHEN lower(trim(rating)) IN ({ratings})
                    THEN upper(substr(trim(rating), 1, 1)) || lower(substr(trim(rating), 2))
                    ELSE 'Not yet rated' END AS rating,
               {flag.format(c='inherited')} AS inherited,
               coalesce(lower(trim(dual)) = 'dual registration', false) AS dual_registered,
               nullif(trim(primary_id), '') AS primary_id,
               -- counted once, under the primary: the other row of a pair is not counted
               NOT (coalesce(lower(trim(dual)) = 'dual registration', false)
                    AND nullif(trim(primary_id), '') IS NOT NULL
                    AND trim(primary_id) <> trim(location_id)
                    AND trim(primary_id) IN (SELECT trim(location_id) FROM u)) AS counted,
               _row
        FROM u LEFT JOIN councils k ON k.ons_code = u.la""", [stage.state["as_at"]])


def load(stage: Stage) -> int:
    """Replace the whole directory (a snapshot of all England) with this one."""
    con, r = stage.con, stage.result
    assert r is not None
    con.execute("DELETE FROM care_locations")
    n = con.execute("""INSERT INTO care_locations BY NAME
                       SELECT * EXCLUDE (_row), ? AS file_sha256, ? AS source_name,
                              _row AS row_number, ? AS run_id FROM mapped""",
                    [r.sha256, r.name, stage.run_id]).fetchone()[0]
    scope, dormant, dual, councils = con.execute("""
        SELECT count(*) FILTER (WHERE in_scope), count(*) FILTER (WHERE in_scope AND dormant),
               count(*) FILTER (WHERE NOT counted), count(DISTINCT la_code)
        FROM mapped""").fetchone()
    r.detail.update(in_scope=scope, dormant=dormant, dual=dual, councils=councils)
    r.detail["inputs"] = {"as_at": stage.state["as_at"].isoformat(), "in_scope": scope}
    return int(n)


def render(result: FileResult) -> str:
    d = result.detail
    return (f"{result.name}: {result.rows_in:,} location(s) read = {result.loaded:,} loaded + "
            f"{result.rows_quarantined:,} quarantined (as at {d['as_at']}, sheet "
            f"{d['sheet']!r}); {d.get('in_scope', 0):,} adult social care location(s) in "
            f"{d.get('councils', 0)} council(s), {d.get('dormant', 0):,} dormant, "
            f"{d.get('dual', 0):,} counted under their dual registration's primary."
            + "".join(f"\n  quarantined, by field: {k} {v:,}"
                      for k, v in result.quarantined.items())
            + "".join(f"\n  warning: {w}" for w in result.warnings))
