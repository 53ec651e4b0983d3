"""Field-by-field validation of a staged file, generated from its specification, in SQL.

The reader leaves the raw cells in table `stg` (one VARCHAR column per field, `_row` = line
number). `validate` writes table `chk`: for every field the cleaned, typed value, its status in
AGEM's vocabulary (`Passed: Valid`, `Failed: Release 1`, ...) and a short note (these two
only when a report will read them: a load asks for `load_only`), and for every row whether it
must be quarantined and why. It is one set-based statement built from the spec
(CASE expressions and joins to small lookup tables), because a council's file may hold a
million rows and Python must never loop over them.

Defined-list values go through the national mapping pipeline (cld-r2.md §4): exact R2, exact
R1 (mapped, `Failed: Release 1`), normalised match (corrected, a warning), else `Invalid and
not mapped` - or, for a probable/unconfirmed list, the value is kept with a warning, because we
cannot yet call it wrong (docs/decisions.md).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import duckdb

from openasc.councils import all_councils
from openasc.ingest import dates
from openasc.spec import FieldSpec, Rule, Spec

VALID = "Passed: Valid"
BLANK_OK = "Passed: Blank (Not Mandatory)"
BLANK_MANDATORY = "Failed: Blank (Mandatory)"
INVALID = "Failed: Invalid"
RELEASE_1 = "Failed: Release 1"
STATUSES = (VALID, BLANK_OK, BLANK_MANDATORY, INVALID, RELEASE_1)
# The `<col>__status` columns are this ENUM, not VARCHAR: the strings are too long for DuckDB
# to inline, so as text fifty status columns cost a million rows' worth of string heap each.
# Its values are in sorted order so that ORDER BY a status sorts as the text did; it compares
# with, and converts to, the plain strings, so readers need no change.
STATUS_TYPE = "ENUM(" + ", ".join("'" + s + "'" for s in sorted(STATUSES)) + ")"
NOT_MAPPED = "Invalid and not mapped"
KBA = "Unpaid carer known by association"


@dataclass
class Validation:
    rows: int
    rejected: int
    release: int
    file_errors: list[str] = field(default_factory=list)
    file_warnings: list[str] = field(default_factory=list)
    cassr_code: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    date_order: str = "dmy"
    date_note: str | None = None  # the order was read from the dates, not stated: say so


def q(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _st(status: str) -> str:
    """A status literal of type STATUS_TYPE (a bare string would turn the column into text)."""
    return f"{q(status)}::{STATUS_TYPE}"


def _in(column: str, values: Iterable[str]) -> str:
    return f"{column} IN ({', '.join(q(v) for v in values)})"


# ----------------------------------------------------------------------------- lookups
def _create_macros(con: duckdb.DuckDBPyConnection, date_order: str = "dmy") -> None:
    """Cleaning rules shared by every field: blanks, the `NULL` text, dates (a slashed date
    in the file's `date_order`, see ingest/dates.py), normalising."""
    ws = "' ' || chr(9) || chr(10) || chr(13) || chr(160)"
    slashed = dates.slashed_sql("split_part(v, ' ', 1)", date_order)
    con.execute(f"CREATE OR REPLACE TEMP MACRO _oa_trim(x) AS trim(x, {ws})")
    con.execute(
        "CREATE OR REPLACE TEMP MACRO _oa_val(x) AS CASE WHEN _oa_trim(x) = '' "
        "OR upper(_oa_trim(x)) = 'NULL' THEN NULL ELSE _oa_trim(x) END")
    con.execute(
        "CREATE OR REPLACE TEMP MACRO _oa_prenote(x) AS CASE "
        "WHEN upper(_oa_trim(x)) = 'NULL' THEN 'NULL text treated as blank (warning)' "
        "WHEN _oa_trim(x) <> '' AND _oa_trim(x) <> x THEN 'spaces trimmed (warning)' END")
    con.execute(
        "CREATE OR REPLACE TEMP MACRO _oa_date(v) AS CASE "
        r"WHEN regexp_full_match(v, '\d{1,2}/\d{1,2}/\d{4}( 00:00(:00)?)?') "
        f"THEN {slashed} "
        r"WHEN regexp_full_match(v, '\d{4}-\d{2}-\d{2}([ T]00:00(:00(\.0+)?)?)?') "
        "THEN try_cast(left(v, 10) AS DATE) END")
    con.execute(
        r"CREATE OR REPLACE TEMP MACRO _oa_iso(v) AS regexp_full_match(v, '\d{4}-\d{2}-\d{2}.*')")
    con.execute(
        "CREATE OR REPLACE TEMP MACRO _oa_norm(x) AS trim(regexp_replace(regexp_replace("
        "replace(lower(x), '&', ' and '), "
        r"'\s*(/|:|\s-|-\s|–)\s*', ' | ', 'g'), '\s+', ' ', 'g'))")
    digits = " + ".join(f"substr(d, {i}, 1)::INTEGER * {11 - i}" for i in range(1, 10))
    con.execute(
        "CREATE OR REPLACE TEMP MACRO _oa_nhs_ok(d) AS CASE "
        r"WHEN NOT regexp_full_match(coalesce(d, ''), '\d{10}') THEN false ELSE "
        f"(CASE 11 - (({digits}) % 11) WHEN 11 THEN 0 ELSE 11 - (({digits}) % 11) END) "
        "= substr(d, 10, 1)::INTEGER END")
    con.execute(
        "CREATE OR REPLACE TEMP MACRO _oa_pc(v) AS upper(replace(v, ' ', ''))")
    con.execute(
        "CREATE OR REPLACE TEMP MACRO _oa_pc_ok(u) AS "
        r"(regexp_full_match(u, '[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}') OR u = 'GIR0AA')")


def _trimmed(c: str) -> str:
    """The cell with edge white space removed; `trim` with a character set is slow, so it runs
    only on cells that may start or end with white space.

    The test is a cheap superset (trim leaves any other cell unchanged): a first byte below
    `!` or from DEL up (tab, line feed, carriage return, space, and any non-ASCII letter such
    as a no-break space), or a last character that is one of the five.
    """
    ws = ("' '", "chr(9)", "chr(10)", "chr(13)", "chr(160)")
    ends = " OR ".join(f"suffix({c}, {w})" for w in ws)
    return (f"CASE WHEN {c} < '!' OR {c} >= chr(127) OR {ends} "
            f"THEN trim({c}, {' || '.join(ws)}) ELSE {c} END")


def _is_null_text(s: str) -> str:
    """`upper(s) = 'NULL'`, with upper-casing (which copies the text) only for 4-letter cells."""
    return f"(length({s}) = 4 AND upper({s}) = 'NULL')"


def _find_duplicates(con: duckdb.DuckDBPyConnection, spec: Spec, src: str) -> None:
    """`_oa_dup(_row, _first_row)` for rows whose every cell equals an earlier row's.

    A row hash is grouped first, so the full-row comparison (a window over every column)
    runs only on the few rows whose hash is shared, never on the whole file.
    """
    all_cols = ", ".join(f.column for f in spec.fields)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _oa_dup AS
        WITH h AS (SELECT _row, hash({all_cols}) AS _h FROM {src}),
             shared AS (SELECT _h FROM h GROUP BY _h HAVING count(*) > 1)
        SELECT _row, min(_row) OVER (PARTITION BY {all_cols}) AS _first_row
        FROM {src} WHERE _row IN (SELECT _row FROM h WHERE _h IN (SELECT _h FROM shared))
    """)


def _looked_up(f: FieldSpec) -> bool:
    """Typed fields are cleaned once per distinct cell and joined back; free text and IDs
    (nearly one distinct value per row) are cleaned in place."""
    return f.type not in ("text", "id")


def _count_cells(con: duckdb.DuckDBPyConnection, fields: list[FieldSpec], src: str) -> None:
    """`_oa_lk_<col>(raw, n, v, p)`: each distinct cell of a typed field, how many rows hold
    it, its trimmed value (NULL when blank or the text NULL) and its blank/spaces note."""
    for f in fields:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE _oa_lk_{f.column} AS "
            "SELECT raw, n, _oa_val(raw) AS v, _oa_prenote(raw) AS p FROM "
            f"(SELECT {f.column} AS raw, count(*) AS n FROM {src} "
            f"WHERE {f.column} IS NOT NULL GROUP BY ALL)")


def _clean_cells(con: duckdb.DuckDBPyConnection, fields: list[FieldSpec]) -> None:
    """Turn each `_oa_lk_<col>` into (raw, n, v, cleaned, st, pt): the cleaned value, the
    status the cell has when it is not blank (`st`, NULL when blank) and its own notes
    (`pt`: blank/spaces and the type's note). The expensive tests (regular expressions, check
    digits, date parsing, list mapping) run once per distinct cell, not once per row; only
    what depends on the rest of the row (mandatory, applicable, cross-field) is left for the
    row."""
    for f in fields:
        value, bad, note = _clean_sql(f)
        join = (f"LEFT JOIN _oa_resolved m ON m.list = {q(f.list or '')} AND m.raw = b.v"
                if f.type == "list" else "")
        kind = "m.kind" if f.type == "list" else "NULL::VARCHAR"
        r1 = f"{kind} IN ('r1', 'corrected_r1', 'r1_number')" if f.type == "list" else "false"
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE _oa_lk_{f.column} AS SELECT raw, n, v, cleaned, "
            f"CASE WHEN v IS NULL THEN NULL WHEN bad THEN {_st(INVALID)} WHEN r1 THEN "
            f"{_st(RELEASE_1)} ELSE {_st(VALID)} END AS st, "
            "nullif(concat_ws('; ', p, t), '') AS pt FROM ("
            f"SELECT b.raw, b.n, b.v, b.p, {value} AS cleaned, {bad} AS bad, {note} AS t, "
            f"{r1} AS r1 FROM _oa_lk_{f.column} b {join})")


def _create_lookups(con: duckdb.DuckDBPyConnection, spec: Spec) -> None:
    """Small tables made from the spec: every spelling we can map, and what it becomes."""
    exact: list[tuple[str, str, str, str]] = []  # list, key, cleaned, kind
    normal: list[tuple[str, str, str, str, int]] = []  # list, source text, cleaned, kind, prio
    for name, vl in spec.lists.items():
        r2 = set(vl.values)
        for v in vl.values:
            exact.append((name, v, v, "r2"))
            normal.append((name, v, v, "corrected", 1))
        for old, new in vl.r1.items():
            if old not in r2:
                exact.append((name, old, new, "r1"))
            normal.append((name, old, new, "corrected_r1", 2))
        for wrong, right in vl.corrections.items():
            exact.append((name, wrong, right, "corrected"))
            normal.append((name, wrong, right, "corrected", 3))
    never = [(v,) for v in spec.never_valid] or [("",)]
    con.execute("CREATE OR REPLACE TEMP TABLE _oa_exact(list VARCHAR, key VARCHAR, "
                "cleaned VARCHAR, kind VARCHAR)")
    _insert_rows(con, "_oa_exact", exact, ("VARCHAR",) * 4)
    con.execute("CREATE OR REPLACE TEMP TABLE _oa_normal_src(list VARCHAR, src VARCHAR, "
                "cleaned VARCHAR, kind VARCHAR, prio INTEGER)")
    _insert_rows(con, "_oa_normal_src", normal, ("VARCHAR",) * 4 + ("INTEGER",))
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _oa_normal AS SELECT list, _oa_norm(src) AS key, "
        "cleaned, kind FROM _oa_normal_src "
        "QUALIFY row_number() OVER (PARTITION BY list, _oa_norm(src) ORDER BY prio, src) = 1")
    con.execute("CREATE OR REPLACE TEMP TABLE _oa_never(value VARCHAR)")
    _insert_rows(con, "_oa_never", never, ("VARCHAR",))
    con.execute("CREATE OR REPLACE TEMP TABLE _oa_lists(list VARCHAR, status VARCHAR, "
                "bands VARCHAR)")
    _insert_rows(con, "_oa_lists", [(n, vl.status, _bands_sql(vl.r1_number_bands))
                                    for n, vl in spec.lists.items()], ("VARCHAR",) * 3)
    codes = sorted({c.la_code for c in all_councils()} |
                   {x for c in all_councils() for x in c.former_codes})
    con.execute("CREATE OR REPLACE TEMP TABLE _oa_councils(la_code VARCHAR)")
    _insert_rows(con, "_oa_councils", [(c,) for c in codes], ("VARCHAR",))


def _insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple],
                 types: tuple[str, ...]) -> None:
    """Insert Python tuples in one statement (one list per column, unnested side by side):
    `executemany` runs a statement per row, which costs more than the validation itself
    on a small file."""
    if not rows:
        return
    columns = [list(col) for col in zip(*rows, strict=True)]
    con.execute(f"INSERT INTO {table} SELECT "
                + ", ".join(f"unnest(?::{t}[])" for t in types), columns)


def _bands_sql(bands: list) -> str | None:
    if not bands:
        return None
    return "|".join(f"{b.below}={b.band}" for b in bands)


def _resolve_values(con: duckdb.DuckDBPyConnection, spec: Spec,
                    list_fields: list[FieldSpec]) -> None:
    """Map each distinct submitted value once (a few hundred), not each of a million cells.

    Reads the trimmed values and their row counts from `_oa_lk_<col>` (see `_count_cells`).
    """
    parts = [
        f"SELECT {q(f.list or '')} AS list, v AS raw, n FROM _oa_lk_{f.column} "
        "WHERE v IS NOT NULL"
        for f in list_fields
    ] or ["SELECT NULL::VARCHAR AS list, NULL::VARCHAR AS raw, 0::BIGINT AS n WHERE false"]
    con.execute("CREATE OR REPLACE TEMP TABLE _oa_raw AS SELECT list, raw, sum(n) AS n FROM ("
                + " UNION ALL ".join(parts) + ") GROUP BY ALL")
    band_cases = []
    for name, vl in spec.lists.items():
        if vl.r1_number_bands:
            whens = " ".join(f"WHEN try_cast(r.raw AS DOUBLE) < {b.below} THEN {q(b.band)}"
                             for b in vl.r1_number_bands)
            band_cases.append(
                f"WHEN r.list = {q(name)} AND try_cast(r.raw AS DOUBLE) >= 0 THEN "
                f"CASE {whens} END")
    band = ("CASE " + " ".join(band_cases) + " END") if band_cases else "NULL"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _oa_resolved AS
        SELECT r.list, r.raw, r.n,
          CASE WHEN nv.value IS NOT NULL THEN {q(NOT_MAPPED)}
               WHEN e.cleaned IS NOT NULL THEN e.cleaned
               WHEN {band} IS NOT NULL THEN {band}
               WHEN nm.cleaned IS NOT NULL THEN nm.cleaned
               WHEN l.status = 'confirmed' THEN {q(NOT_MAPPED)}
               ELSE {q(NOT_MAPPED)} END AS cleaned,  -- A5: never the free text
          CASE WHEN nv.value IS NOT NULL THEN 'never'
               WHEN e.kind IS NOT NULL THEN e.kind
               WHEN {band} IS NOT NULL THEN 'r1_number'
               WHEN nm.kind IS NOT NULL THEN nm.kind
               WHEN l.status = 'confirmed' THEN 'invalid'
               ELSE 'unlisted' END AS kind
        FROM _oa_raw r
        JOIN _oa_lists l USING (list)
        LEFT JOIN _oa_never nv ON lower(nv.value) = lower(r.raw)
        LEFT JOIN _oa_exact e ON e.list = r.list AND e.key = r.raw
        LEFT JOIN _oa_normal nm ON nm.list = r.list AND nm.key = _oa_norm(r.raw)
    """)


# ----------------------------------------------------------------------------- expressions
def _rule_sql(rule: Rule, conditions: dict[str, str], undetermined_applies: bool) -> str:
    """One rule over the cleaned row. For applicability an unknown event or client type
    counts as matching (AGEM's "Undetermined": we still check what is there)."""
    parts = []
    if rule.event_types:
        cond = _in("event_type", rule.event_types)
        if undetermined_applies:
            cond = f"({cond} OR event_type IS NULL OR event_type = {q(NOT_MAPPED)})"
        parts.append(cond)
    if rule.client_types:
        cond = _in("client_type", rule.client_types)
        if undetermined_applies:
            cond = f"({cond} OR client_type IS NULL OR client_type = {q(NOT_MAPPED)})"
        parts.append(cond)
    if rule.not_client_types:
        parts.append(f"(client_type IS NULL OR NOT {_in('client_type', rule.not_client_types)})")
    if rule.when:
        parts.append(f"({conditions[rule.when]})")
    return "(" + " AND ".join(parts) + ")" if parts else "true"


def _rules_sql(rules: tuple[Rule, ...], conditions: dict[str, str], applies: bool) -> str:
    if not rules:
        return "false"
    parts = [_rule_sql(r, conditions, applies) for r in rules]
    if "true" in parts:  # an unconditional rule: say so, and the row-level SQL gets simpler
        return "true"
    return "coalesce(" + " OR ".join(parts) + ", false)"


def _clean_sql(f: FieldSpec) -> tuple[str, str, str]:
    """(cleaned value, invalid condition, type note) over `v`, the trimmed distinct cell of
    `_oa_lk_<col>`; a list field's mapping is `m`, its row of `_oa_resolved`."""
    v = "v"
    if f.type == "date":
        return (f"_oa_date({v})", f"{v} IS NOT NULL AND _oa_date({v}) IS NULL",
                f"CASE WHEN _oa_iso({v}) AND _oa_date({v}) IS NOT NULL "
                "THEN 'ISO date (warning)' END")
    if f.type == "list":
        return ("m.cleaned", "m.kind IN ('invalid', 'never')",
                "CASE m.kind WHEN 'r1' THEN 'mapped from Release 1' "
                "WHEN 'r1_number' THEN 'mapped from Release 1 (hours)' "
                "WHEN 'corrected' THEN 'corrected spelling (warning)' "
                "WHEN 'corrected_r1' THEN 'corrected spelling, mapped from Release 1' "
                "WHEN 'unlisted' THEN 'not in probable list (warning)' "
                "WHEN 'never' THEN 'a derived national value, not a specification value' "
                "WHEN 'invalid' THEN 'not in the list' END")
    if f.type == "nhs_number":
        d = f"replace({v}, ' ', '')"
        return (f"CASE WHEN _oa_nhs_ok({d}) THEN {d} END",
                f"{v} IS NOT NULL AND NOT _oa_nhs_ok({d})",
                f"CASE WHEN _oa_nhs_ok({d}) AND {d} = repeat(left({d}, 1), 10) "
                "THEN 'all digits the same (warning)' "
                f"WHEN _oa_nhs_ok({d}) AND NOT ({d} BETWEEN '4000000000' AND '4999999999' "
                f"OR {d} BETWEEN '6000000000' AND '7999999999') "
                "THEN 'not an England or Wales range (warning)' "
                f"WHEN {v} IS NOT NULL AND NOT _oa_nhs_ok({d}) "
                "THEN 'not 10 digits with a valid check digit' END")
    if f.type == "postcode":
        u = f"_oa_pc({v})"
        return (f"CASE WHEN _oa_pc_ok({u}) THEN left({u}, length({u}) - 3) || ' ' || "
                f"right({u}, 3) END",
                f"{v} IS NOT NULL AND NOT _oa_pc_ok({u})",
                f"CASE WHEN {v} IS NOT NULL AND NOT _oa_pc_ok({u}) THEN "
                f"CASE WHEN regexp_full_match({u}, '[A-Z]{{1,2}}[0-9][A-Z0-9]?([0-9])?') "
                "THEN 'partial postcode' ELSE 'not a full UK postcode' END END")
    if f.type == "decimal":
        ok = (f"(regexp_full_match({v}, '[-+]?(\\d+(\\.\\d{{0,2}})?|\\.\\d{{1,2}})') "
              f"AND try_cast({v} AS DECIMAL(18,2)) IS NOT NULL)")
        return (f"CASE WHEN {ok} THEN try_cast({v} AS DECIMAL(18,2)) END",
                f"{v} IS NOT NULL AND NOT {ok}",
                f"CASE WHEN {ok} AND try_cast({v} AS DECIMAL(18,2)) <= 0 "
                "THEN 'zero or negative (warning)' "
                f"WHEN {v} IS NOT NULL AND NOT {ok} THEN 'not a number with up to 2 decimal "
                "places' END")
    if f.type == "integer":
        ok = f"(regexp_full_match({v}, '\\d+') AND try_cast({v} AS INTEGER) IS NOT NULL)"
        return (f"CASE WHEN {ok} THEN try_cast({v} AS INTEGER) END",
                f"{v} IS NOT NULL AND NOT {ok}",
                f"CASE WHEN {ok} AND try_cast({v} AS INTEGER) > 10 THEN 'more than 10 "
                f"(warning)' WHEN {v} IS NOT NULL AND NOT {ok} THEN 'not a whole number' END")
    if f.type == "code":
        ok = f"({v} IN (SELECT la_code FROM _oa_councils))"
        return (f"CASE WHEN {ok} THEN {v} END", f"{v} IS NOT NULL AND NOT {ok}",
                f"CASE WHEN {v} IS NOT NULL AND NOT {ok} THEN 'not a known council code' END")
    if f.type == "ods_code":
        return (f"upper({v})", "false",
                f"CASE WHEN NOT regexp_full_match(upper({v}), '[A-Z]\\d{{5}}') "
                "THEN 'not a letter and 5 digits (warning)' END")
    if f.type == "cqc_location_id":
        return (v, "false",
                f"CASE WHEN NOT regexp_full_match({v}, '1-\\d{{8,11}}') "
                "THEN 'not 1- and 8 to 11 digits (warning)' END")
    return (v, "false", "NULL")  # text, id


def _cross_notes(spec: Spec, start: date | None, end: date | None) -> dict[str, list[str]]:
    """Warnings that compare fields of one row (cld-r2.md §6.4-6.5), keyed by column."""
    names = {f.column for f in spec.fields}
    needed = {"event_type", "event_start_date", "event_end_date", "date_of_birth",
              "date_of_death", "client_type"}
    if not needed <= names:
        return {}
    ps = f"DATE '{start.isoformat()}'" if start else "NULL::DATE"
    pe = f"DATE '{end.isoformat()}'" if end else "NULL::DATE"
    completed = "event_type IN ('Request', 'Assessment', 'Review')"
    return {
        "date_of_birth": [
            "CASE WHEN date_of_birth > current_date THEN 'in the future' END",
            "CASE WHEN date_sub('year', date_of_birth, coalesce(event_start_date, "
            "current_date)) > 110 THEN 'age over 110 (warning)' END",
            "CASE WHEN client_type = 'Service user' AND "
            "date_sub('year', date_of_birth, event_start_date) < 18 "
            "THEN 'service user under 18 at event start (warning)' END",
        ],
        "date_of_death": [
            "CASE WHEN date_of_death < date_of_birth THEN 'before date of birth' END",
        ],
        "event_start_date": [
            "CASE WHEN event_start_date > date_of_death "
            "THEN 'event starts after date of death (warning)' END",
            f"CASE WHEN event_start_date > {pe} THEN 'starts after the reporting period "
            "(warning)' END",
        ],
        "event_end_date": [
            "CASE WHEN event_end_date > date_of_death "
            "THEN 'event ends after date of death (warning)' END",
            "CASE WHEN event_type = 'Service' AND event_end_date IS NULL AND date_of_death "
            "IS NOT NULL THEN 'open service for a person who has died (warning)' END",
            f"CASE WHEN {completed} AND (event_end_date < {ps} OR event_end_date > {pe}) "
            "THEN 'ends outside the reporting period (warning)' END",
            f"CASE WHEN event_type = 'Service' AND event_end_date < {ps} "
            "THEN 'service ended before the reporting period (warning)' END",
            f"CASE WHEN event_end_date < event_start_date THEN {q(END_BEFORE_START)} END",
        ],
    }


# A row whose end is before its start is kept, as DHSC's method keeps it (docs/decisions.md):
# its period filter never compares the two, 2B/2C count it, and 2A, 2D, 2E and 3D leave it
# out with their own `end >= start` filter. The report flags it.
END_BEFORE_START = ("before Event_Start_Date (warning: kept, as the national method keeps it; "
                    "counted in 2B/2C, left out of 2A, 2D, 2E and 3D)")

EXTRA_INVALID = {
    "date_of_birth": "date_of_birth > current_date",
    "date_of_death": "date_of_death < date_of_birth",
}


# ----------------------------------------------------------------------------- the statement
def _file_context(con: duckdb.DuckDBPyConnection, src: str,
                  cols: set[str]) -> tuple[str | None, int, date | None, date | None]:
    """The file's council and stated period: the most common values (cheap aggregates).

    Each raw column is grouped first, so the cleaning runs on a handful of distinct cells. A
    tie between two council codes goes to the lower code, so the verdict is repeatable.
    """
    cassr, distinct_codes = None, 0
    if "la_code" in cols:
        cassr, distinct_codes = con.execute(
            "SELECT arg_max(v, (n, -rank)), count(*) FROM (SELECT v, sum(n) AS n, "
            "row_number() OVER (ORDER BY v) AS rank FROM (SELECT _oa_val(la_code) AS v, "
            f"count(*) AS n FROM {src} GROUP BY la_code) "
            "WHERE v IN (SELECT la_code FROM _oa_councils) GROUP BY v)").fetchall()[0]
    start = end = None
    if {"reporting_period_start_date", "reporting_period_end_date"} <= cols:
        row = con.execute(
            "SELECT s, e FROM (SELECT _oa_date(_oa_val(rs)) AS s, _oa_date(_oa_val(re)) AS e, "
            "sum(n) AS n FROM (SELECT reporting_period_start_date AS rs, "
            f"reporting_period_end_date AS re, count(*) AS n FROM {src} GROUP BY ALL) "
            "GROUP BY ALL) WHERE s IS NOT NULL AND e IS NOT NULL ORDER BY n DESC, s, e "
            "LIMIT 1").fetchall()
        if row:
            start, end = row[0]
    return cassr, distinct_codes or 0, start, end


def _reject_sql(cols: set[str], cassr: str | None, start: date | None,
                end: date | None) -> list[tuple[str, str, str]]:
    """(condition, field, reason) in order; the first that holds quarantines the row."""
    checks: list[tuple[str, str, str]] = []
    if {"nhs_number", "la_person_unique_identifier"} <= cols:
        checks.append((
            f"{_submitted_nhs('v_nhs_number')} IS NULL AND la_person_unique_identifier IS NULL",
            "LA_Person_Unique_Identifier",
            "'No person identifier: LA_Person_Unique_Identifier is blank and NHS_Number is "
            "blank or not ten digits; expected at least one of them.'"))
    if "la_code" in cols and cassr:
        checks.append((
            f"v_la_code IS NOT NULL AND v_la_code <> {q(cassr)}", "LA_Code",
            f"'LA_Code ' || v_la_code || ' differs from the rest of the file; expected "
            f"{cassr} on every row.'"))
    for col, name, day in (("reporting_period_start_date", "Reporting_Period_Start_Date", start),
                           ("reporting_period_end_date", "Reporting_Period_End_Date", end)):
        if col in cols and day:
            checks.append((
                f"v_{col} IS NOT NULL AND {col} IS DISTINCT FROM DATE '{day.isoformat()}'",
                name, f"'{name} ' || left(v_{col}, 20) || ' differs from the rest of the "
                f"file; expected {day.strftime('%d/%m/%Y')} on every row.'"))
    if {"event_type", "client_type"} <= cols:
        checks.append((
            f"client_type IS DISTINCT FROM {q(KBA)} AND (event_type IS NULL OR "
            f"event_type = {q(NOT_MAPPED)})", "Event_Type",
            "CASE WHEN v_event_type IS NULL THEN 'Event_Type is blank' ELSE 'Event_Type ' || "
            "left(v_event_type, 40) || ' is not an event type' END || ' on a row that is not "
            "an unpaid carer known by association; expected Request, Assessment, Service or "
            "Review.'"))
    if {"event_start_date", "client_type"} <= cols:
        checks.append((
            f"client_type IS DISTINCT FROM {q(KBA)} AND event_start_date IS NULL",
            "Event_Start_Date",
            "CASE WHEN v_event_start_date IS NULL THEN 'Event_Start_Date is blank' ELSE "
            "'Event_Start_Date ' || left(v_event_start_date, 20) || ' is not a date' END || "
            "' on an event row; expected a date as dd/mm/yyyy.'"))
    if "event_end_date" in cols:
        checks.append((
            "v_event_end_date IS NOT NULL AND event_end_date IS NULL", "Event_End_Date",
            "'Event_End_Date ' || left(v_event_end_date, 20) || ' is not a date; expected "
            "dd/mm/yyyy or blank for an open service.'"))
    if {"date_of_birth", "event_start_date"} <= cols:
        checks.append((
            "date_of_birth > event_start_date", "Date_of_Birth",
            "'Date_of_Birth is after Event_Start_Date; expected the person to be born on or "
            "before the event started.'"))
    checks.append((
        "_first_row < _row", None,
        "'Exact duplicate of row ' || _first_row || '; expected each row once.'"))
    return checks


def _submitted_nhs(v: str) -> str:
    """SQL: the submitted NHS number's ten digits (check digit not tested), else NULL."""
    d = f"replace({v}, ' ', '')"
    return f"CASE WHEN regexp_full_match({d}, '[0-9]{{10}}') THEN {d} END"


def _status_sql(f: FieldSpec, spec: Spec, looked_up: bool) -> str:
    """A field's status: the cell's own status (`st_<col>`) unless it is blank, when the
    row's mandatory and applicability rules decide."""
    c = f.column
    mand = _rules_sql(f.mandatory, spec.conditions, applies=False)
    appl = _rules_sql(f.applies, spec.conditions, applies=True)
    if mand == "true":
        blank = _st(BLANK_MANDATORY)
    elif appl == "true":
        blank = f"CASE WHEN {mand} THEN {_st(BLANK_MANDATORY)} ELSE {_st(BLANK_OK)} END"
    else:
        blank = (f"CASE WHEN {mand} THEN {_st(BLANK_MANDATORY)} WHEN {appl} THEN "
                 f"{_st(BLANK_OK)} END")
    if not looked_up:  # free text and IDs: any value is valid
        return f"CASE WHEN v_{c} IS NULL THEN {blank} ELSE {_st(VALID)} END"
    if c in EXTRA_INVALID:
        return (f"CASE WHEN st_{c} IS NULL THEN {blank} WHEN st_{c} = {_st(INVALID)} OR "
                f"coalesce({EXTRA_INVALID[c]}, false) THEN {_st(INVALID)} ELSE st_{c} END")
    return f"coalesce(st_{c}, {blank})"


def _note_sql(f: FieldSpec, spec: Spec, cross: list[str], looked_up: bool) -> str:
    """A field's note: the cell's own notes, then the row-level warnings, joined by '; '."""
    c = f.column
    appl = _rules_sql(f.applies, spec.conditions, applies=True)
    parts = [f"pt_{c}" if looked_up else f"p_{c}"]
    if appl != "true":
        parts.append(f"CASE WHEN v_{c} IS NOT NULL AND NOT {appl} "
                     "THEN 'not applicable to this row (warning)' END")
    parts += cross
    if len(parts) == 1:
        return parts[0]
    return f"nullif(concat_ws('; ', {', '.join(parts)}), '')"


# The field profile a load keeps (docs/dhsc-dashboard.md, DHSC's 8.DQ_Values_table.sql): the
# warehouse keeps cleaned values, so an invalid cell that cleaning turned into NULL, or a
# Release 1 value mapped to its R2 spelling, would look blank or valid there. Three short lists
# per row say what the cleaned row cannot: the fields whose value failed as invalid, those that
# were a Release 1 value, and which of NOT_KEPT were blank.
PROFILE_COLUMNS = ("_dq_invalid", "_dq_release_1", "_dq_blank")
# The fields of DHSC's profile whose value the warehouse does not keep as submitted (LA_Code is
# replaced by the file's council, the free text dropped): every other is blank in the file
# exactly when its warehouse column is NULL and it did not fail as invalid.
NOT_KEPT = ("la_code", "event_reference", "event_description")


def _name_list(tagged: list[tuple[str, str]]) -> str:
    """SQL: the list of the field names whose condition holds on the row, `[]` when none.
    (A list comprehension: measured cheaper per row than list_filter or concat-and-split.)"""
    if not tagged:
        return "[]::VARCHAR[]"
    names = ", ".join(f"CASE WHEN {cond} THEN {q(name)} END" for cond, name in tagged)
    return f"[x for x in [{names}] if x IS NOT NULL]"


def _profile_sql(fields: list[FieldSpec]) -> list[str]:
    """The three PROFILE_COLUMNS over the joined row (cells' own statuses `st_<col>`, the
    trimmed values `v_<col>`); the same rules as `_status_sql` for invalid and Release 1."""
    invalid, release_1, blank = [], [], []
    for f in fields:
        c = f.column
        if _looked_up(f):
            extra = f" OR coalesce({EXTRA_INVALID[c]}, false)" if c in EXTRA_INVALID else ""
            invalid.append((f"(st_{c} = {_st(INVALID)}{extra})", f.name))
            release_1.append((f"st_{c} = {_st(RELEASE_1)}", f.name))
        if c in NOT_KEPT:
            blank.append((f"v_{c} IS NULL", f.name))
    return [f"{_name_list(invalid)} AS _dq_invalid", f"{_name_list(release_1)} AS _dq_release_1",
            f"{_name_list(blank)} AS _dq_blank"]


def build_chk_sql(spec: Spec, src: str, cols: set[str], cassr: str | None,
                  start: date | None, end: date | None, load_only: bool = False,
                  profile: bool = False, target: str = "chk") -> str:
    """The one statement that makes `chk` (exposed for reading and testing).

    It reads `src` once: typed fields are joined to their `_oa_lk_<col>` (cleaned once per
    distinct cell), free text and IDs are trimmed in place, and statuses, notes and reject
    reasons are computed over the joined row. No wide intermediate table is stored, and the
    rows are not sorted (a sort of the whole wide table costs more than the rest): `chk` holds
    one row per `_row`, and readers order by `_row` when order matters.

    With `load_only`, `chk` has the cleaned values and the reject columns but no
    `<col>__status` or `<col>__note`: a load reads only those, and the statuses and notes
    (a hundred columns, the notes mostly text built row by row) are more than half the cost.
    The reject conditions read the cleaned values only, so the rejects are the same.

    With `profile`, `chk` also has the PROFILE_COLUMNS, which a CLD load keeps per record.
    """
    fields = [f for f in spec.fields if f.column in cols]
    raw, joins, inner = ["_row"], [], ["s._row", "coalesce(d._first_row, s._row) AS _first_row"]
    for f in fields:
        c = f.column
        if _looked_up(f):
            raw.append(c)
            joins.append(f"LEFT JOIN _oa_lk_{c} j_{c} ON j_{c}.raw = s.{c}")
            inner += [f"j_{c}.cleaned AS {c}", f"j_{c}.v AS v_{c}"]
            if not load_only or profile:
                inner.append(f"j_{c}.st AS st_{c}")
            if not load_only:
                inner.append(f"j_{c}.pt AS pt_{c}")
        else:
            raw += [f"{_trimmed(c)} AS s_{c}", c]
            inner.append(
                f"CASE WHEN s_{c} = '' OR {_is_null_text(f's_{c}')} THEN NULL ELSE s_{c} END "
                f"AS v_{c}")
            if not load_only:
                inner.append(
                    f"CASE WHEN {_is_null_text(f's_{c}')} THEN 'NULL text treated as blank "
                    f"(warning)' WHEN s_{c} <> '' AND s_{c} <> {c} THEN 'spaces trimmed "
                    f"(warning)' END AS p_{c}")
    cross = _cross_notes(spec, start, end)
    out = [f.column if load_only else
           f"{f.column}, {_status_sql(f, spec, _looked_up(f))} AS {f.column}__status, "
           f"{_note_sql(f, spec, cross.get(f.column, []), _looked_up(f))} AS {f.column}__note"
           for f in fields]
    # The NHS number as submitted, check digit right or wrong: DHSC's person is the NHS
    # number where one is present (ascof.md 2.0.3, cld-r2.md 5.6), so identity needs it. Ten
    # digits (spaces removed); text such as "UNKNOWN" is no NHS number (docs/decisions.md).
    out += [f"{_submitted_nhs(f'v_{f.column}')} AS {f.column}__submitted" for f in fields
            if f.type == "nhs_number"]
    if profile:
        out += _profile_sql(fields)
    rejects = _reject_sql({f.column for f in fields}, cassr, start, end)
    reject_field = "CASE " + " ".join(
        f"WHEN coalesce({cond}, false) THEN {q(name) if name else 'NULL'}"
        for cond, name, _ in rejects) + " END"
    reject_reason = "CASE " + " ".join(
        f"WHEN coalesce({cond}, false) THEN {reason}" for cond, _, reason in rejects) + " END"
    row = (f"SELECT {', '.join(inner)} FROM (SELECT {', '.join(raw)} FROM {src}) s "
           f"{' '.join(joins)} LEFT JOIN _oa_dup d ON d._row = s._row")
    # free text and IDs: the cleaned value is the trimmed one
    same = ", ".join(f"v_{f.column} AS {f.column}" for f in fields if not _looked_up(f))
    if same:
        row = f"SELECT *, {same} FROM ({row})"
    return f"""
    CREATE OR REPLACE TABLE {target} AS
    SELECT _row, {', '.join(out)},
           {reject_field} AS _reject_field,
           {reject_reason} AS _reject_reason
    FROM ({row})
    """


def validate(con: duckdb.DuckDBPyConnection, spec: Spec, table: str = "stg",
             load_only: bool = False, cross_rows: bool = True,
             date_order: str | None = None, profile: bool = False,
             out: str = "chk") -> Validation:
    """Check every cell of `table` against `spec`; write `out` (`chk` unless named, in the
    database's shared schema, so that another cursor can load it); return the verdicts.

    Also leaves the view `_oa_b` (`_row`, `v_<col>` trimmed value, `p_<col>` blank/spaces
    note), which the case-list ingest reads to quote a submitted value; it is a view, so it
    costs nothing unless read.

    `load_only` is for a run that reads only the cleaned values and the rejects (`ingest
    cld`, and `validate cld` without a report): `chk` has no statuses or notes (see
    `build_chk_sql`). `cross_rows=False` spares the file the advisory cross-row warnings
    (`_CROSS_CHECKS`, a dozen scans of `chk`), which a load does not print. File errors,
    rejects and everything else in `Validation` are the same either way.

    `date_order` is the user's `--date-order`; without it the file's own dates decide
    (ingest/dates.py), and a file they cannot decide has a file error. `profile`: `chk` keeps
    the per-row field profile a CLD load stores (PROFILE_COLUMNS).
    """
    cols = {r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?",
        [table]).fetchall()}
    missing = [f.column for f in spec.fields if f.column not in cols]
    src = table
    if missing:  # a column the reader did not give: treat as blank everywhere
        con.execute("CREATE OR REPLACE TEMP VIEW _oa_src AS SELECT *, "
                    + ", ".join(f"NULL::VARCHAR AS {c}" for c in missing) + f" FROM {table}")
        src = "_oa_src"
    all_cols = {f.column for f in spec.fields}
    order = dates.detect(con, src, {f.column: f.name for f in spec.fields
                                    if f.type == "date" and f.column in cols}, date_order)
    _create_macros(con, order.order)
    _create_lookups(con, spec)
    typed = [f for f in spec.fields if _looked_up(f)]
    _count_cells(con, typed, src)
    _resolve_values(con, spec, [f for f in typed if f.type == "list"])
    _clean_cells(con, typed)
    _find_duplicates(con, spec, src)
    cassr, distinct_codes, start, end = _file_context(con, src, all_cols)
    con.execute(build_chk_sql(spec, src, all_cols, cassr, start, end, load_only, profile,
                              out))
    for f in typed:
        con.execute(f"DROP TABLE _oa_lk_{f.column}")
    con.execute("DROP TABLE _oa_dup")
    if con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = '_oa_b'"
                   ).fetchone()[0]:  # left as a table by an earlier version on this connection
        con.execute("DROP TABLE _oa_b")
    con.execute("CREATE OR REPLACE TEMP VIEW _oa_b AS SELECT _row, " + ", ".join(
        f"_oa_val({f.column}) AS v_{f.column}, _oa_prenote({f.column}) AS p_{f.column}"
        for f in spec.fields) + f" FROM {src}")
    rows, rejected = con.execute(
        f"SELECT count(*), count(_reject_reason) FROM {out}").fetchall()[0]
    result = Validation(rows=rows, rejected=rejected, release=_release(con),
                        cassr_code=cassr, period_start=start, period_end=end,
                        date_order=order.order, date_note=order.note)
    if order.error:
        result.file_errors.append(order.error)
    _file_checks(con, spec, result, distinct_codes, missing, cross_rows=cross_rows, chk=out)
    return result


def _release(con: duckdb.DuckDBPyConnection) -> int:
    """1 when more coded cells carry R1-only spellings than R2-only spellings, else 2."""
    r1, r2 = con.execute(
        "SELECT coalesce(sum(n) FILTER (WHERE r.kind IN ('r1', 'corrected_r1', 'r1_number')), 0),"
        " coalesce(sum(n) FILTER (WHERE r.kind = 'r2' AND r.raw NOT IN"
        " (SELECT src FROM _oa_normal_src s WHERE s.list = r.list"
        " AND s.kind = 'corrected_r1')), 0) FROM _oa_resolved r").fetchall()[0]
    return 1 if r1 > r2 else 2


# ----------------------------------------------------------------------------- file level
def _file_checks(con: duckdb.DuckDBPyConnection, spec: Spec, result: Validation,
                 distinct_codes: int, missing: list[str], cross_rows: bool = True,
                 chk: str = "chk") -> None:
    """cld-r2.md §6.2 (whole file) and §6.6 (across rows), as counts: never an identifier.

    The §6.6 checks (`_CROSS_CHECKS`) only warn, so a load that shows no report skips them
    (`cross_rows=False`); every file error is still checked.
    """
    errors, warnings = result.file_errors, result.file_warnings
    names = {f.column: f.name for f in spec.fields}
    for col in missing:
        if spec.field(col).required_column:
            errors.append(f"Column {names[col]} is missing; every CLD file must have it.")
    if result.rows == 0:
        errors.append("The file has no data rows.")
        return
    if "la_code" in names:
        if result.cassr_code is None:
            errors.append("No row has an LA_Code that is a known council (CASSR) code; "
                          "expected the 3-digit NHS council code, e.g. 416.")
        elif distinct_codes > 1:
            errors.append(f"The file holds {distinct_codes} different council codes in "
                          "LA_Code; expected one council per file.")
    if "reporting_period_start_date" in names:
        s, e = result.period_start, result.period_end
        if s is None or e is None:
            errors.append("No row has both reporting period dates as dates; expected "
                          "Reporting_Period_Start_Date and Reporting_Period_End_Date as "
                          "dd/mm/yyyy.")
        elif s > e:
            errors.append(f"Reporting_Period_Start_Date {s:%d/%m/%Y} is after "
                          f"Reporting_Period_End_Date {e:%d/%m/%Y}.")
        else:
            if s.day != 1:
                warnings.append(f"The reporting period starts on {s:%d/%m/%Y}, not the "
                                "first day of a month.")
            if calendar.monthrange(e.year, e.month)[1] != e.day:  # no overflow in 9999
                warnings.append(f"The reporting period ends on {e:%d/%m/%Y}, not the last "
                                "day of a month.")
            months = (e.year - s.year) * 12 + e.month - s.month + 1
            if months != 12 or e.month not in (3, 6, 9, 12):
                warnings.append(f"The reporting period covers {months} months ending "
                                f"{e:%d/%m/%Y}; expected a rolling 12 months ending at a "
                                "quarter end.")
    if result.rejected:
        warnings.append(f"{result.rejected:,} of {result.rows:,} rows cannot be loaded "
                        "(see the rejected rows).")
    for sql, message in _CROSS_CHECKS if cross_rows else []:
        needed = set(_words(sql)) & set(_FIELD_WORDS)
        if not needed <= set(names):
            continue
        n = con.execute(re.sub(r"\bchk\b", chk, sql)).fetchall()[0][0] or 0
        if n:
            warnings.append(message.format(n=n))


def _words(sql: str) -> list[str]:
    return re.findall(r"[a-z_0-9]+", sql)


_FIELD_WORDS = (
    "event_type", "client_type", "la_person_unique_identifier", "nhs_number", "date_of_birth",
    "gender", "ethnicity", "adult_1_linked_person_id", "adult_2_linked_person_id",
    "adult_3_linked_person_id", "no_of_adults_being_cared_for", "has_unpaid_carer",
    "delivery_mechanism", "service_type", "service_component", "event_start_date",
    "event_end_date", "request_route_of_access", "assessment_type", "event_outcome",
)

_OK = "_reject_reason IS NULL"
# "more than one distinct value" is written min <> max (NULLs ignored either way), which needs
# no per-group set of values as count(DISTINCT ...) does.
_LINKS = ("SELECT la_person_unique_identifier AS carer, l.linked, l.k FROM chk, "
          "unnest([adult_1_linked_person_id, adult_2_linked_person_id, "
          "adult_3_linked_person_id]) WITH ORDINALITY AS l(linked, k) "
          f"WHERE {_OK} AND l.linked IS NOT NULL")
_CROSS_CHECKS: list[tuple[str, str]] = [
    (f"SELECT count(*) FILTER (WHERE event_type = 'Review') = 0 FROM chk WHERE {_OK}",
     "The file contains no reviews (often a sign of an incomplete extract)."),
    (f"SELECT count(*) FILTER (WHERE client_type LIKE 'Unpaid carer%') = 0 FROM chk "
     f"WHERE {_OK}", "The file contains no unpaid carers (often a sign of an incomplete "
     "extract)."),
    (f"SELECT count(*) FROM (SELECT la_person_unique_identifier FROM chk WHERE {_OK} AND "
     "la_person_unique_identifier IS NOT NULL GROUP BY 1 HAVING min(nhs_number) <> max(nhs_number) "
     "OR min(date_of_birth) <> max(date_of_birth) OR min(gender) <> max(gender) OR "
     "min(ethnicity) <> max(ethnicity))",
     "{n:,} people (by LA_Person_Unique_Identifier) have different NHS numbers, dates of "
     "birth, genders or ethnicities on different rows."),
    (f"SELECT count(*) FROM (SELECT nhs_number FROM chk WHERE {_OK} AND nhs_number IS NOT NULL "
     "GROUP BY 1 HAVING min(la_person_unique_identifier) <> max(la_person_unique_identifier))",
     "{n:,} NHS numbers appear with more than one LA_Person_Unique_Identifier."),
    (f"SELECT count(*) FROM ({_LINKS}) x WHERE NOT EXISTS (SELECT 1 FROM chk s WHERE "
     "s.client_type = 'Service user' AND s.la_person_unique_identifier = x.linked)",
     "{n:,} linked person IDs on carer rows match no service user's "
     "LA_Person_Unique_Identifier in the file."),
    (f"SELECT count(*) FROM ({_LINKS}) x WHERE x.linked = x.carer",
     "{n:,} linked person IDs on carer rows are the carer's own ID."),
    (f"SELECT count(*) FROM chk WHERE {_OK} AND no_of_adults_being_cared_for < "
     "(adult_1_linked_person_id IS NOT NULL)::INT + (adult_2_linked_person_id IS NOT NULL)::INT"
     " + (adult_3_linked_person_id IS NOT NULL)::INT",
     "{n:,} carer rows give No_of_adults_being_cared_for smaller than the number of linked "
     "person IDs."),
    (f"SELECT count(DISTINCT s.la_person_unique_identifier) FROM chk s JOIN ({_LINKS}) x ON "
     f"x.linked = s.la_person_unique_identifier WHERE s.{_OK} AND s.has_unpaid_carer = 'No'",
     "{n:,} people have Has_Unpaid_Carer = No although a carer row links to them."),
    (f"SELECT count(*) FROM chk WHERE {_OK} AND delivery_mechanism = 'Direct payment' AND "
     "service_type = 'Long term support: Prison'",
     "{n:,} services deliver Long term support: Prison by direct payment, which the guidance "
     "does not allow."),
    (f"SELECT count(*) - count(DISTINCT (event_type, la_person_unique_identifier, nhs_number, "
     "client_type, event_start_date, CASE WHEN event_type = 'Service' THEN NULL ELSE "
     "event_end_date END, request_route_of_access, assessment_type, service_type, "
     f"service_component)) FROM chk WHERE {_OK} AND event_type IS NOT NULL",
     "{n:,} event rows repeat an earlier event under the de-duplication key of DHSC's CLD "
     "processing method; nationally only one of each is kept."),
    (f"SELECT count(*) FROM chk WHERE {_OK} AND event_end_date < event_start_date",
     "{n:,} events end before they start; they are kept, as DHSC's method keeps them "
     "(counted in ASCOF 2B/2C, left out of 2A, 2D, 2E and 3D), and flagged on "
     "Event_End_Date."),
    (f"SELECT count(*) FROM chk WHERE {_OK} AND ((event_type = 'Request' AND event_outcome = "
     "'Continuation of support or services') OR (event_type = 'Service' AND event_end_date IS "
     "NOT NULL AND event_outcome LIKE 'Progress to%'))",
     "{n:,} event outcomes do not fit the event type (e.g. Continuation of support or "
     "services on a request, Progress to ... on an ended service)."),
]
