"""One ingest pipeline for every input: read → validate → map → pseudonymise → quarantine → load.

Every input (CLD, safeguarding, DoLS, discharges, population, comparator files, and the ones
to come) is described by a specification file in `openasc/spec/` whose `ingest:` section says
where its rows go (docs/warehouse.md, "Adding an input"). This module runs the stages the same
way for all of them, so the promises are kept once:

- the file is read, validated and pseudonymised in an in-memory database; only pseudonyms and
  coarsened values cross into the warehouse;
- every row in is loaded or quarantined (file, row, field, reason): rows in = loaded +
  quarantined, checked before anything is committed;
- one transaction: a failure or a kill leaves the warehouse as it was;
- the same file (same SHA-256) for the same input is "already loaded" and changes nothing
  (`loaded_files`);
- the outcome is a `FileResult` per file, never printed here: the command line and the web
  render it (`render_lines`).

An input with a layout the generic stages cannot read (population's wide ONS table, the
national comparator files, CLD's tuned validation) names a hook for that stage in its
specification: a function `module:name` taking the `Stage` and doing that stage's job.
"""

from __future__ import annotations

import importlib
import os
import re
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from openasc import councils, warehouse
from openasc.config import Settings, load_key
from openasc.errors import OpenascError
from openasc.ingest import dates
from openasc.ingest.reader import ReadResult, read_into, scan_file
from openasc.spec import load_yaml
from openasc.warehouse import sql_text

# ----------------------------------------------------------------------------- results


@dataclass
class FileResult:
    """What happened to one file. `quarantined`: rows set aside, by reason."""

    source: str
    name: str
    sha256: str | None = None
    rows_in: int = 0
    loaded: int = 0
    quarantined: dict[str, int] = field(default_factory=dict)
    already_loaded: bool = False
    replaced: int = 0
    table: str = ""
    warnings: list[str] = field(default_factory=list)
    detail: dict[str, Any] = field(default_factory=dict)
    run_id: str | None = None

    @property
    def rows_quarantined(self) -> int:
        return sum(self.quarantined.values())

    def __getitem__(self, key: str) -> Any:
        """Read the input-specific figures as a mapping (`result["layout"]`)."""
        return self.detail[key]


@dataclass
class IngestResult:
    """One ingest command: its files, the run that recorded them, and the warehouse."""

    files: list[FileResult] = field(default_factory=list)
    run_id: str | None = None
    warehouse: Path | None = None
    detail: dict[str, Any] = field(default_factory=dict)


WHOLE_ROW = "(whole row)"


def by_field(con: duckdb.DuckDBPyConnection, table: str, malformed: int = 0,
             field: str = "_field", reason: str = "_reason") -> dict[str, int]:
    """Rows of `table` with a reason, counted by the field at fault (WHOLE_ROW: the row as
    a whole, and the `malformed` rows the reader could not split into fields)."""
    got = dict(con.execute(
        f"SELECT coalesce({field}, ?), count(*) FROM {table} WHERE {reason} IS NOT NULL "
        "GROUP BY ALL ORDER BY 2 DESC, 1", [WHOLE_ROW]).fetchall())
    if malformed:
        got[WHOLE_ROW] = got.get(WHOLE_ROW, 0) + malformed
    return got


# ----------------------------------------------------------------------------- specs


@dataclass(frozen=True)
class InputField:
    """One column of an input file (the shape `reader.read_into` expects, plus its checks)."""

    name: str
    column: str
    label: str
    aliases: list[str]
    required_column: bool
    type: str
    required: bool
    values: tuple[str, ...] = ()
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    expected: str = ""
    invalid: str = "is not valid"
    privacy: str = "keep"


@dataclass(frozen=True)
class InputSpec:
    """An input as data: its fields and checks, and where its rows go."""

    name: str
    title: str
    version: str
    source: str
    command: str
    table: str
    columns: dict[str, str]
    key: list[str]
    fields: list[InputField]
    checks: list[tuple[str, str, str]]
    mapping: dict[str, str]
    person: str | None
    hooks: dict[str, str]
    raw: dict[str, Any]

    def hook(self, stage: str) -> Callable[..., Any] | None:
        target = self.hooks.get(stage)
        if not target:
            return None
        module, _, name = target.partition(":")
        return getattr(importlib.import_module(module), name)


def _input_field(raw: dict[str, Any]) -> InputField:
    return InputField(
        name=raw["name"], column=raw.get("column", raw["name"].lower()),
        label=raw.get("label", raw["name"]), aliases=list(raw.get("aliases", [])),
        required_column=raw.get("required_column", True), type=raw.get("type", "text"),
        required=bool(raw.get("required", False)), values=tuple(raw.get("values", ())),
        pattern=raw.get("pattern"), minimum=raw.get("min"), maximum=raw.get("max"),
        expected=raw.get("expected", ""), invalid=raw.get("invalid", "is not valid"),
        privacy=raw.get("privacy", "keep"))


def _check_privacy(spec_name: str, fields: list[InputField], mapping: dict[str, str]) -> None:
    """A direct identifier may reach the warehouse only as a keyed pseudonym: every column
    SQL that reads one must hash it with `pseudo(...)`."""
    for f in fields:
        if f.privacy != "direct_identifier":
            continue
        for col, sql in mapping.items():
            if re.search(rf"\b(v_)?{f.column}\b", sql) and "pseudo(" not in sql:
                raise OpenascError(f"{spec_name} specification: column {col} reads the direct "
                                   f"identifier {f.name} without pseudo(); it would reach the "
                                   "warehouse as given.")


@cache
def load_input(name: str | Path) -> InputSpec:
    """The input `spec/<name>.yaml` (its fields, for the generic stages, and its `ingest:`
    section), or the specification file at a path (a council's own input)."""
    files = {"cld": "cld_r2.yaml"}
    source: Any = (Path(name) if isinstance(name, Path) else
                   resources.files("openasc.spec").joinpath(files.get(name, f"{name}.yaml")))
    if not source.is_file():
        raise OpenascError(f"There is no input specification called {str(name)!r}.")
    raw = load_yaml(source.read_text("utf-8"))
    ing = raw.get("ingest") or {}
    if not ing:
        raise OpenascError(f"spec/{source.name} has no `ingest:` section.")
    fields = [_input_field(f) for f in raw.get("fields", [])] if ing.get("generic_fields", True) \
        else []
    _check_privacy(raw["name"], fields, dict(ing.get("map") or {}))
    return InputSpec(
        name=raw["name"], title=raw.get("title", raw["name"]), version=str(raw.get("version", "")),
        source=ing.get("source", raw["name"]), command=ing.get("command", f"ingest {raw['name']}"),
        table=ing.get("table", ""), columns=dict(ing.get("columns") or {}),
        key=list(ing.get("key") or []), fields=fields,
        checks=[(c["field"], c["when"], c["reason"]) for c in ing.get("checks") or []],
        mapping=dict(ing.get("map") or {}), person=ing.get("person"),
        hooks=dict(ing.get("hooks") or {}), raw=raw)


# ----------------------------------------------------------------------------- the stages


@dataclass
class Stage:
    """One file on its way through the pipeline: the connection and what each stage made.

    Tables, by convention: `stg` (the file as read, text, `_row`), `judged` (`stg` plus
    `_field` and `_reason`, NULL for a usable row), `mapped` (the target table's columns and
    `_row`, usable rows only, pseudonymised). `wh` is how the warehouse is named in SQL:
    `wh.` when it is attached to an in-memory staging database, '' when `con` is the
    warehouse itself (reference inputs with no identifiers).
    """

    con: duckdb.DuckDBPyConnection
    spec: InputSpec
    path: Path
    run_id: str
    wh: str = "wh."
    options: dict[str, Any] = field(default_factory=dict)
    read: ReadResult | None = None
    result: FileResult | None = None
    state: dict[str, Any] = field(default_factory=dict)


def read(stage: Stage) -> None:
    """Read the file as text into `stg` (reader.py: encodings, aliases, malformed rows)."""
    stage.read = read_into(stage.con, stage.path, stage.spec, "stg",
                           scan=stage.options.get("scan"))


_NHS_DIGITS = "replace(trim({c}), ' ', '')"


def nhs_ok(d: str) -> str:
    """SQL: `d` is ten digits whose modulus-11 check digit is right (NHS Data Dictionary)."""
    weighted = " + ".join(f"try_cast(substr({d}, {i}, 1) AS INTEGER) * {11 - i}"
                          for i in range(1, 10))
    check = f"(11 - ({weighted}) % 11)"
    last = f"try_cast(substr({d}, 10, 1) AS INTEGER)"
    return (f"(regexp_full_match({d}, '[0-9]{{10}}') AND {check} <> 10 AND "
            f"CASE WHEN {check} = 11 THEN 0 ELSE {check} END = {last})")


def date_sql(v: str, order: str = "dmy") -> str:
    """SQL: a date cell as a DATE - slashed in the file's `order` (ingest/dates.py), or ISO."""
    t = f"trim({v})"
    return (f"coalesce({dates.slashed_sql(t, order)}, "
            f"CAST(try_strptime({t}, '%Y-%m-%d') AS DATE))")


ENGLAND = "E92000001"
TRUE_WORDS = ("y", "yes", "1", "true")
FALSE_WORDS = ("n", "no", "0", "false")

# Markers a published statistics file writes instead of a number, and what each means
# (docs/decisions.md, "Money, workforce and complaints"): a `published_number` field loads
# them as NULL with the reason in `s_<column>`, never as 0.
MARKERS = {
    ":": "not_submitted",
    "*": "suppressed", "[c]": "suppressed", "c": "suppressed",
    "..": "not_available", "[x]": "not_available", "x": "not_available",
    "[z]": "not_applicable", "z": "not_applicable", "-": "not_applicable",
}


def marker_status(c: str) -> str:
    """SQL: the status of a published cell - a marker's meaning, `missing` when blank, `ok`
    when a number, NULL when neither (the field check quarantines it)."""
    cases = " ".join(f"WHEN {sql_text(k)} THEN {sql_text(v)}" for k, v in MARKERS.items())
    return (f"CASE WHEN nullif(trim({c}), '') IS NULL THEN 'missing' "
            f"ELSE CASE lower(trim({c})) {cases} ELSE CASE WHEN try_cast(replace(trim({c}), "
            f"',', '') AS DOUBLE) IS NOT NULL THEN 'ok' END END END")


def typed_value(f: InputField, wh: str = "wh.", date_order: str = "dmy") -> str:
    """SQL: the field's value in its type (NULL when blank or not of the type)."""
    c = f.column
    blank = f"nullif(trim({c}), '')"
    if f.type == "nhs_number":
        d = _NHS_DIGITS.format(c=c)
        return f"CASE WHEN coalesce({nhs_ok(d)}, false) THEN {d} END"
    if f.type == "integer":
        return f"try_cast({blank} AS INTEGER)"
    if f.type in ("number", "published_number"):
        return f"try_cast(replace({blank}, ',', '') AS DOUBLE)"
    if f.type == "date":
        return date_sql(c, date_order)
    if f.type == "boolean":
        words = ", ".join(sql_text(w) for w in TRUE_WORDS)
        falses = ", ".join(sql_text(w) for w in FALSE_WORDS)
        return (f"CASE WHEN lower(trim({c})) IN ({words}) THEN true "
                f"WHEN lower(trim({c})) IN ({falses}) THEN false END")
    if f.type in ("council", "area"):
        c = f"s.{c}"  # the file's column, never the councils table's own la_code
    if f.type == "council":
        return (f"(SELECT min(k.ons_code) FROM {wh}councils k WHERE upper(trim({c})) = "
                f"upper(k.ons_code) OR trim({c}) = k.la_code)")
    if f.type == "area":  # a council, a region (E12...) or England: national files hold all
        return (f"coalesce((SELECT min(k.ons_code) FROM {wh}councils k WHERE upper(trim({c})) "
                f"= upper(k.ons_code) OR trim({c}) = k.la_code), (SELECT min(k.region_code) "
                f"FROM {wh}councils k WHERE upper(trim({c})) = upper(k.region_code)), "
                f"CASE WHEN upper(trim({c})) = '{ENGLAND}' THEN '{ENGLAND}' END)")
    return blank


def _field_checks(f: InputField) -> list[tuple[str, str, str]]:
    """(field, condition that fails the row, reason SQL) for one field, in order."""
    c, v = f.column, f"v_{f.column}"
    shown = f"coalesce('''' || {c} || '''', 'blank')"
    expected = f"; expected {f.expected}" if f.expected else ""
    checks: list[tuple[str, str, str]] = []
    blank = f"({c} IS NULL OR trim({c}) = '')"
    if f.required:
        what = f.expected or f.label
        checks.append((f.name, blank, sql_text(f"{f.name} is blank; expected {what}")))
    if f.type == "text":
        if f.values:
            vals = ", ".join(sql_text(x) for x in f.values)
            checks.append((f.name, f"NOT {blank} AND trim({c}) NOT IN ({vals})",
                           f"{sql_text(f.name + ' ')} || {shown} || "
                           f"{sql_text(' is not one of: ' + ', '.join(f.values))}"))
        if f.pattern:
            checks.append((f.name, f"NOT {blank} AND NOT regexp_full_match(trim({c}), "
                           f"{sql_text(f.pattern)})",
                           f"{sql_text(f.name + ' ')} || {shown} || "
                           f"{sql_text(' is not in the expected form' + expected)}"))
        return checks
    if f.type == "published_number":
        wanted = expected or "; expected a number or a marker (" + " ".join(MARKERS) + ")"
        checks.append((f.name, f"s_{c} IS NULL",
                       f"{sql_text(f.name + ' ')} || {shown} || "
                       f"{sql_text(' ' + f.invalid + wanted)}"))
        return checks
    bad = f"{v} IS NULL" + ("" if f.required else f" AND NOT {blank}")
    if f.minimum is not None:
        bad = f"({bad} OR {v} < {f.minimum})"
    if f.maximum is not None:
        bad = f"({bad} OR {v} > {f.maximum})"
    if f.type == "nhs_number" and f.required:
        # a blank one already failed `required`; this names the other fault
        reason = sql_text(f"{f.name} is not 10 digits with a valid check digit")
    else:
        reason = (f"{sql_text(f.name + ' ')} || {shown} || "
                  f"{sql_text(' ' + f.invalid + expected)}")
    checks.append((f.name, bad, reason))
    return checks


def validate(stage: Stage) -> None:
    """`judged`: `stg` with each field's typed value (`v_<column>`) and the first fault.

    The checks run in field order, then the spec's cross-field `checks`; the first that holds
    names the row's field and reason. One SQL statement judges every row at once.
    """
    spec, con = stage.spec, stage.con
    present = {r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'stg'"
    ).fetchall()}
    typed = [f for f in spec.fields if f.column in present]
    order = dates.detect(con, "stg", {f.column: f.name for f in typed if f.type == "date"},
                         stage.options.get("date_order"))
    if order.error:
        raise OpenascError(f"{stage.path}: the file cannot be loaded: {order.error}")
    if order.note and stage.result is not None:
        stage.result.warnings.append(order.note)
    values = ", ".join([f"{typed_value(f, stage.wh, order.order)} AS v_{f.column}"
                        for f in typed]
                       + [f"{marker_status(f.column)} AS s_{f.column}" for f in typed
                          if f.type == "published_number"])
    con.execute(f"CREATE OR REPLACE TEMP TABLE typed AS SELECT s.*{', ' if values else ''}"
                f"{values} FROM stg s")
    checks = [c for f in typed for c in _field_checks(f)] + stage.spec.checks
    if checks:
        fld = "CASE " + " ".join(f"WHEN coalesce({cond}, false) THEN {sql_text(name)}"
                                 for name, cond, _ in checks) + " END"
        why = "CASE " + " ".join(f"WHEN coalesce({cond}, false) THEN {reason}"
                                 for _, cond, reason in checks) + " END"
    else:
        fld = why = "CAST(NULL AS VARCHAR)"
    con.execute(f"CREATE OR REPLACE TEMP TABLE judged AS SELECT *, {fld} AS _field, "
                f"{why} AS _reason FROM typed")
    con.execute("DROP TABLE typed")


def map_rows(stage: Stage) -> None:
    """`mapped`: the usable rows as the target table's columns, identifiers pseudonymised.

    Each column's SQL (`ingest.map`) reads the typed values `v_<column>`; `pseudo(...)` is
    the keyed hash, so an identifier is replaced here, before anything reaches the warehouse.
    """
    if not stage.spec.mapping:
        return
    exprs = ", ".join(f"{sql} AS {col}" for col, sql in stage.spec.mapping.items())
    stage.con.execute(f"CREATE OR REPLACE TEMP TABLE mapped AS SELECT {exprs}, _row "
                      "FROM judged WHERE _reason IS NULL")


def quarantine(stage: Stage) -> int:
    """Copy the rejected rows' (row, field, reason) to `quarantine`; the malformed ones too."""
    con, r = stage.con, stage.result
    assert r is not None
    person = stage.state.get("person") or stage.spec.person or "NULL"
    con.execute(
        f"INSERT INTO {stage.wh}quarantine SELECT ?, ?, ?, ?, _row, _field, _reason, {person} "
        "FROM judged WHERE _reason IS NOT NULL",
        [stage.run_id, stage.spec.source, r.sha256, r.name])
    malformed = stage.read.malformed if stage.read else []
    if malformed:
        con.executemany(
            f"INSERT INTO {stage.wh}quarantine VALUES (?, ?, ?, ?, ?, NULL, ?, NULL)",
            [[stage.run_id, stage.spec.source, r.sha256, r.name, row, reason]
             for row, reason in malformed])
    r.quarantined = by_field(con, "judged", len(malformed))
    return r.rows_quarantined


def load(stage: Stage) -> int:
    """Insert `mapped` into the target table, with lineage; a row whose key is already there
    replaces it (a later file restating the same record)."""
    spec, con, r = stage.spec, stage.con, stage.result
    assert r is not None
    table = f"{stage.wh}{spec.table}"
    if spec.key:
        keys = ", ".join(spec.key)
        r.replaced = con.execute(f"SELECT count(*) FROM {table} WHERE ({keys}) IN "
                                 f"(SELECT ({keys}) FROM mapped)").fetchone()[0]
        if r.replaced:
            con.execute(f"DELETE FROM {table} WHERE ({keys}) IN (SELECT ({keys}) FROM mapped)")
    return int(con.execute(
        f"INSERT INTO {table} BY NAME SELECT * EXCLUDE (_row), ? AS file_sha256, "
        "? AS source_name, _row AS row_number, ? AS run_id FROM mapped",
        [r.sha256, r.name, stage.run_id]).fetchone()[0])


STAGES: dict[str, Callable[[Stage], Any]] = {
    "read": read, "validate": validate, "map": map_rows, "quarantine": quarantine,
    "load": load,
}


def run_stage(stage: Stage, name: str) -> Any:
    """The spec's hook for this stage if it names one, else the generic stage."""
    return (stage.spec.hook(name) or STAGES[name])(stage)


# ----------------------------------------------------------------------------- the runs


def create_table(con: duckdb.DuckDBPyConnection, spec: InputSpec, wh: str = "wh.") -> None:
    """The input's tables: generated from its specification (`columns`), or a group of
    `schema.sql` (`tables`) for inputs whose tables predate the generator."""
    group = spec.raw["ingest"].get("tables")
    if not spec.columns and not group:
        return
    if wh:
        con.execute(f"USE {wh.rstrip('.')}")
    try:
        if group:
            warehouse.ensure_tables(con, group)
        if spec.columns:
            warehouse.create_input_table(con, spec.table, spec.columns, None)
    finally:
        if wh:
            con.execute("USE memory")


def record(stage: Stage, started: datetime, status: str, results: list[FileResult],
           **extra: Any) -> None:
    """The run's lineage row and `loaded_files` entries (call inside the transaction)."""
    con = stage.con
    extra = {**stage.state.get("run", {}), **extra}  # what a hook adds to the run's row
    if stage.wh:
        con.execute(f"USE {stage.wh.rstrip('.')}")
    try:
        for r in results:
            if not r.already_loaded and r.sha256:
                con.execute("INSERT INTO loaded_files VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                            "ON CONFLICT DO NOTHING",
                            [stage.spec.source, r.sha256, r.name, r.rows_in, r.loaded,
                             r.rows_quarantined, stage.run_id, datetime.now()])
        inputs = [{"name": r.name, "sha256": r.sha256, "rows_in": r.rows_in,
                   "rows_loaded": r.loaded, "rows_quarantined": r.rows_quarantined,
                   **({"rows_replaced": r.replaced} if r.replaced else {}),
                   **r.detail.get("inputs", {})} for r in results]
        warehouse.record_run(con, stage.run_id, stage.spec.command, started, status,
                             inputs=inputs,
                             spec_version=extra.pop("spec_version", stage.spec.version),
                             method_version=extra.pop("method_version",
                                                      stage.spec.raw["ingest"].get("method")),
                             detail=extra.pop("detail", {"warnings": [w for r in results
                                                                     for w in r.warnings]}),
                             **extra)
    finally:
        if stage.wh:
            con.execute("USE memory")


# ----------------------------------------------------------------------------- extract checks
# Checks on a file as a whole, for every input (issue 18): the file's council against the
# warehouse's, and the share of its rows quarantined. The date order is decided in the
# validate stage (ingest/dates.py).

#: Above this share of a file's rows quarantined (percent), the file is refused whole.
MAX_QUARANTINED_PERCENT = 50.0


def warehouse_councils(con: duckdb.DuckDBPyConnection, wh: str) -> set[str]:
    """The councils (ONS and NHS codes) whose records the warehouse already holds."""
    tables = {r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ?",
        [wh.rstrip(".") or con.execute("SELECT current_database()").fetchone()[0]]
    ).fetchall()}
    parts = [f"SELECT la_code, cassr_code FROM {wh}{t}"
             for t in ("cld_submissions", "case_files") if t in tables]
    if not parts:
        return set()
    return {code for row in con.execute(" UNION ".join(parts)).fetchall() for code in row}


def _council_name(code: str) -> str:
    c = councils.find(code)
    return f"{c.name} ({c.ons_code}, NHS code {c.la_code})" if c else code


def council_check(con: duckdb.DuckDBPyConnection, wh: str,
                  options: dict[str, Any]) -> Callable[[Stage], None]:
    """A check, asked of each file in turn, that refuses a file whose council is not this
    warehouse's, unless `add_council`.

    The warehouse's council is `la_code` (the command's `--la-code`), else `council` in
    openasc.toml, else the councils it already holds, else the first file's. A file from
    another council would otherwise be loaded silently as a second council, and every
    measure would then be computed for it too. The check raises inside the load's
    transaction, so nothing of the command is kept."""
    if options.get("add_council"):
        return lambda stage: None
    chosen = options.get("la_code") or options.get("council")
    if chosen:
        council = councils.find(str(chosen))
        if council is None:
            raise OpenascError(f"--la-code {chosen!r} is not a known council; expected an ONS "
                               "code (E10000034) or an NHS council code (416).")
        expected, why = {council.ons_code, council.la_code}, (
            "--la-code" if options.get("la_code") else "council in openasc.toml")
    else:
        expected, why = warehouse_councils(con, wh), "the warehouse holds"

    def check(stage: Stage) -> None:
        nonlocal expected, why
        got = stage.state.get("council")
        if not got:
            return
        if not expected:  # an empty warehouse: the first file's council is its council
            expected, why = set(got), "the first file is for"
            return
        if not expected & set(got):
            held = ", ".join(sorted(_council_name(c) for c in expected if c.startswith("E")))
            raise OpenascError(
                f"{stage.path}, field LA_Code: the file is for {_council_name(got[0])}, but "
                f"{why} {held or ', '.join(sorted(expected))}; nothing was loaded. Check "
                "that this is the right council's extract; to keep more than one council "
                "in this warehouse, run the command again with --add-council.")
    return check


def check_quarantined_share(r: FileResult, path: Path, limit: float) -> None:
    """Refuse a file with more than `limit` percent of its rows quarantined: it is more
    likely the wrong file, or a broken extract, than a council's data with some faults.

    For a council's own records only (inputs with identifiers): a national reference file
    (comparators, population) sets aside rows openasc does not use as a matter of course."""
    if not r.rows_in or r.rows_quarantined * 100 <= limit * r.rows_in:
        return
    reasons = ", ".join(f"{field} {n:,}" for field, n in list(r.quarantined.items())[:5])
    raise OpenascError(
        f"{path}: {r.rows_quarantined:,} of {r.rows_in:,} rows "
        f"({100 * r.rows_quarantined / r.rows_in:.0f}%) would be quarantined, more than the "
        f"{limit:g}% allowed, so the file was refused whole and nothing was loaded "
        f"({r.rows_in - r.rows_quarantined:,} rows could have loaded). Quarantined, by field: "
        f"{reasons}. Check the file (`openasc validate` reports every fault); to load it "
        "anyway, raise the limit with --max-quarantined PERCENT or max_quarantined_percent "
        "in openasc.toml.")


def check_accounting(r: FileResult, path: Path) -> None:
    if r.loaded + r.rows_quarantined != r.rows_in:
        raise OpenascError(
            f"{path}: {r.rows_in} rows read but {r.loaded} loaded and {r.rows_quarantined} "
            "quarantined; nothing was loaded. This is a bug in openasc; please report it.")


def judge_file(stage: Stage) -> FileResult:
    """read → validate → map (in memory; nothing written): the file's result so far.

    A read hook that does not use reader.py sets `stage.result` itself (rows in, hash)."""
    run_stage(stage, "read")
    if stage.state.get("already_loaded"):  # the read hook found the hash in `loaded`
        assert stage.read is not None
        stage.result = FileResult(stage.spec.source, stage.read.source_name,
                                  stage.read.sha256, stage.read.rows, already_loaded=True,
                                  table=stage.spec.table)
        return stage.result
    if stage.result is None:
        assert stage.read is not None
        stage.result = FileResult(stage.spec.source, stage.read.source_name,
                                  stage.read.sha256, stage.read.rows)
    stage.result.table, stage.result.run_id = stage.spec.table, stage.run_id
    run_stage(stage, "validate")
    run_stage(stage, "map")
    if stage.read is not None:  # what the reader chose for the user (e.g. which sheet)
        stage.result.warnings = [*stage.read.notes, *stage.result.warnings]
    return stage.result


def ingest_file(name: str | Path, path: Path, settings: Settings | None = None,
                con: duckdb.DuckDBPyConnection | None = None, **options: Any) -> IngestResult:
    """Load one file of input `name` (see `ingest_files`)."""
    return ingest_files(name, [path], settings, con, **options)


def ingest_files(name: str | Path, paths: list[Path], settings: Settings | None = None,
                 con: duckdb.DuckDBPyConnection | None = None, **options: Any) -> IngestResult:
    """Load files of input `name` through every stage, all in one transaction.

    An input with identifiers (`ingest.identifiers`, the default) is staged in an in-memory
    database that has the `pseudo` macro, with the warehouse attached as `wh`, so nothing
    identifiable is written to disk. Reference data with none (population, comparator
    files) is staged in the warehouse connection itself (`con`, or one opened from
    `settings`). A file already loaded for this input changes nothing.
    """
    from openasc.ingest.staging import staging_connection

    spec = load_input(name)
    run_id = warehouse.new_run_id()
    options = {k: v for k, v in options.items() if v is not None}
    if settings is not None:  # the extract checks' defaults, from openasc.toml
        options = {"council": settings.council,
                   "max_quarantined": settings.max_quarantined_percent, **options}
    out = IngestResult(run_id=run_id, warehouse=settings.warehouse if settings else None)
    if not spec.raw["ingest"].get("identifiers", True):
        own = con is None
        if con is None:
            assert settings is not None
            con = warehouse.connect(settings.warehouse)
        try:
            _run(con, "", spec, paths, run_id, options, out)
        finally:
            if own:
                con.close()
        return out
    assert settings is not None
    # Create the file, migrate, core tables - and refuse a warehouse newer than the code -
    # before the key is bound to it (binding writes the key's fingerprint).
    warehouse.connect(settings.warehouse).close()
    key = load_key(settings)
    with staging_connection(key, settings.memory_limit) as staging:
        staging.execute("ATTACH ? AS wh", [str(settings.warehouse)])
        _run(staging, "wh.", spec, paths, run_id, options, out)
        staging.execute("DETACH wh")
    return out


def _run(con: duckdb.DuckDBPyConnection, wh: str, spec: InputSpec, paths: list[Path],
         run_id: str, options: dict[str, Any], out: IngestResult) -> None:
    """Judge each file, and load it in the one transaction of the command (see
    `ingest_files`); an `after_load` hook (CLD's national method) runs inside it.

    An input whose specification says `parallel: true` is judged on other cursors while the
    files before it load (`_judge_parallel`), at most a few files ahead, so a command of a
    hundred files holds a few files in memory, not a hundred. Any other input is judged
    whole before the transaction opens, as its generic stages may use the warehouse
    connection itself.

    `options["progress"]`, when given, is called as `progress(done, total)`: a step per file
    judged, a step per file loaded and one for the `after_load` hook."""
    started = datetime.now()
    create_table(con, spec, wh)
    progress = options.get("progress") or (lambda done, total: None)
    total, steps, lock = 2 * len(paths) + 1, 0, threading.Lock()

    def step() -> None:
        nonlocal steps
        with lock:
            steps += 1
            progress(steps, total)

    paths = [Path(p) for p in paths]
    options = {**options, "files": len(paths)}  # a hook may load a lone file differently
    if spec.raw["ingest"].get("parallel"):
        judged: Iterable[Stage] = _judge_parallel(con, wh, spec, paths, run_id, options, step)
    else:
        judged = _judge_serial(con, wh, spec, paths, run_id, options, step)
    check_council = council_check(con, wh, options)
    loaded: list[Stage] = []
    seen: set[str] = set()
    with warehouse.transaction(con):
        for stage in judged:
            r = stage.result
            assert r is not None
            if r.already_loaded or r.sha256 in seen:  # the same content twice loads once
                out.files.append(replace(r, already_loaded=True, loaded=0, quarantined={},
                                         warnings=[], detail={}))
                step()
                continue
            seen.add(r.sha256 or "")
            out.files.append(r)
            check_council(stage)
            r.loaded = run_stage(stage, "load")
            run_stage(stage, "quarantine")
            check_accounting(r, stage.path)
            if spec.raw["ingest"].get("identifiers", True):  # a council's own records
                check_quarantined_share(r, stage.path, float(options.get(
                    "max_quarantined", MAX_QUARANTINED_PERCENT)))
            loaded.append(stage)
            step()
        if loaded:
            after = spec.hook("after_load")
            if after:
                out.detail.update(after(loaded) or {})
            record(loaded[0], started, "ok", [s.result for s in loaded if s.result],
                   **out.detail.pop("run", {}))
    progress(total, total)


def _judge_serial(con: duckdb.DuckDBPyConnection, wh: str, spec: InputSpec, paths: list[Path],
                  run_id: str, options: dict[str, Any], judged: Callable[[], None]
                  ) -> list[Stage]:
    """Each file in turn on `con`; a file whose hash the warehouse holds is not read."""
    stages: list[Stage] = []
    seen: set[str] = set()
    for i, path in enumerate(paths):
        scan = scan_file(path) if path.is_file() else None
        stage = Stage(con, spec, path, run_id, wh=wh, options={**options, "scan": scan,
                                                               "index": i})
        if scan and (scan[0] in seen or warehouse.file_loaded(con, spec.source, scan[0], wh)):
            stage.result = FileResult(spec.source, path.name, scan[0], scan[1],
                                      already_loaded=True, table=spec.table)
        else:
            judge_file(stage)
            seen.add(scan[0] if scan else "")
        stages.append(stage)
        judged()
    return stages


def workers() -> int:
    """Files read and validated at once by an input whose specification says `parallel:
    true`: two (the cores this is tuned for), or `OPENASC_INGEST_WORKERS` (the benchmark
    compares one)."""
    given = os.environ.get("OPENASC_INGEST_WORKERS", "")
    return max(1, int(given)) if given.isdigit() else 2


def _judge_parallel(con: duckdb.DuckDBPyConnection, wh: str, spec: InputSpec,
                    paths: list[Path], run_id: str, options: dict[str, Any],
                    judged: Callable[[], None]) -> Iterator[Stage]:
    """Read and validate `workers()` files at once, each on its own cursor of `con`, and
    give them back in the order given, each as soon as it and those before it are judged.

    CSV reading is serial inside DuckDB (reader.py), so on two cores one file's read runs
    beside another's validation and beside the load of the files before them. A cursor
    shares the in-memory database (and the attached warehouse) but has its own temporary
    tables, so each file's working tables stay apart; what a file leaves for the load the
    read hook keeps in the `Stage` (CLD: Arrow tables of pseudonymised rows), as tables
    made after the loading transaction on `con` began would be hidden from it, and a
    database it reads stays whole until it commits. At most `workers() + 1`
    files are judged ahead of the load, so memory holds a few files whatever their number.
    Each file is hashed beside its read (no pass over the bytes beforehand): the read hook
    is given the hashes this input has loaded (`options["loaded"]`) and stops before
    validating a file that is one of them. Nothing here writes to the warehouse. The first
    failing file (in the order given) stops the command; files not yet started are not read.
    """
    loaded = {r[0] for r in con.execute(f"SELECT file_sha256 FROM {wh}loaded_files "
                                        "WHERE source = ?", [spec.source]).fetchall()}

    def one(i: int, path: Path) -> Stage:
        cur = con.cursor()
        stage = Stage(cur, spec, path, run_id, wh=wh,
                      options={**options, "index": i, "loaded": loaded})
        try:
            judge_file(stage)
        finally:
            cur.close()
            stage.con = con
        judged()
        return stage

    todo = iter(enumerate(paths))
    with ThreadPoolExecutor(max_workers=workers()) as pool:
        ahead: deque[Future[Stage]] = deque()

        def start_next() -> None:
            nxt = next(todo, None)
            if nxt is not None:
                ahead.append(pool.submit(one, *nxt))

        for _ in range(workers() + 1):
            start_next()
        try:
            while ahead:
                stage = ahead.popleft().result()
                start_next()
                yield stage
        finally:
            for f in ahead:
                f.cancel()


# ----------------------------------------------------------------------------- rendering


def _spec_or_none(source: str) -> InputSpec | None:
    try:
        return load_input(source)
    except OpenascError:
        return None


def render_lines(result: IngestResult) -> list[str]:
    """The lines a person reads after an ingest (the command line, the demo and the web
    print these; nothing in the pipeline prints).

    The spec's `ingest.summary` chooses the first line's form: `sum` (default) -
    `rows in = loaded + quarantined`; `table` - `rows in, N loaded into TABLE, N
    quarantined`; or a `render` hook that words it for the input (population).
    """
    lines: list[str] = []
    spec = None
    for f in result.files:
        spec = _spec_or_none(f.source)
        if f.already_loaded:
            lines.append(f"{f.name}: already loaded (same content); nothing changed.")
            continue
        hook = spec.hook("render") if spec else None
        summary = spec.raw["ingest"].get("summary", "sum") if spec else "sum"
        if hook:  # the hook words the whole summary, reasons included
            lines.append(hook(f))
            continue
        if summary == "table":
            lines.append(f"{f.name}: {f.rows_in:,} rows in, {f.loaded:,} loaded into "
                         f"{f.table}, {f.rows_quarantined:,} quarantined.")
        else:
            lines.append(f"{f.name}: {f.rows_in:,} rows in = {f.loaded:,} loaded + "
                         f"{f.rows_quarantined:,} quarantined.")
        if f.quarantined:
            lines.append("  quarantined, by field: " + ", ".join(
                f"{field} {n:,}" for field, n in f.quarantined.items()))
        if f.replaced:
            lines.append(f"  {f.replaced:,} earlier rows restated by this file were replaced.")
        lines += [f"  warning: {w}" for w in f.warnings]
    lines += result.detail.get("lines", [])  # what an after_load hook reports (CLD)
    if spec and spec.raw["ingest"].get("warehouse_line") and result.run_id and any(
            not f.already_loaded for f in result.files):
        lines.append(f"Warehouse: {result.warehouse} (run {result.run_id})")
    return lines


def render_validate_lines(results: list[FileResult]) -> list[str]:
    """What `openasc validate` prints per file: what would load, what would not, and why."""
    lines: list[str] = []
    for f in results:
        lines.append(f"{f.name}: {f.rows_in:,} rows read; {f.loaded:,} can be loaded, "
                     f"{f.rows_quarantined:,} would be quarantined.")
        lines += [f"  warning: {w}" for w in f.warnings]
        if f.detail.get("report"):
            lines.append(f"  report: {f.detail['report']}")
    return lines
