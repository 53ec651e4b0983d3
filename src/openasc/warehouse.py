"""The DuckDB warehouse: one file, opened by one command at a time.

Every command that changes the warehouse does so inside `transaction()`: if it fails, or the
process is killed, DuckDB discards the uncommitted work and the file is as it was.

This module owns the warehouse's shape: the tables in `schema.sql` (by group), the tables
generated from an input specification (`create_input_table`), and the schema version. A
warehouse records its version in `schema_version`; opening one for writing runs the numbered
migrations it has not had, in one transaction, and a warehouse newer than this code is
refused (docs/warehouse.md).
"""

from __future__ import annotations

import getpass
import json
import os
import re
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from openasc.errors import OpenascError

#: The warehouse layout this code writes. Version 1 is every warehouse made before versions
#: were recorded; each later version is one function in MIGRATIONS.
SCHEMA_VERSION = 4
LOCK_WAIT = 15.0  # seconds a command waits for another process to let go of the file
# Who a run is recorded under when it is not the OS user: the dashboard sets the signed-in
# user for the runs it starts (each job runs in its own thread, with its own context).
RUN_USER: ContextVar[str | None] = ContextVar("openasc_run_user", default=None)


def connect(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating if need be) the warehouse and make sure the core tables exist."""
    path = Path(path)
    if read_only and not path.exists():
        raise OpenascError(
            f"There is no warehouse at {path}. Create one with `openasc ingest cld FILE` "
            "(or `openasc demo`), or point --warehouse at an existing one."
        )
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    # The dashboard lets go of the file within seconds of its last request (web/
    # warehouse_gate.py), so a command waits a little for it rather than failing at once.
    deadline = time.monotonic() + LOCK_WAIT
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower() and time.monotonic() < deadline:
                time.sleep(0.25)
                continue
            raise OpenascError(
                f"Cannot open the warehouse {path}: {exc}. Is another openasc command using it?"
            ) from exc
    con.execute("SET enable_progress_bar = false")  # see ingest/staging.py
    try:
        if read_only:
            check_version(con)
        else:
            ensure_schema(con)
    except BaseException:
        con.close()
        raise
    return con


# ----------------------------------------------------------------------------- memory
# What an ingest or a compute may hold in memory by default: half the machine's memory.
# Beyond it DuckDB spills to a private temporary folder. The earlier defaults (4 GB for a
# compute, 3 GB for an ingest) made a national compute spill some 230 GB and take half as
# long again, and ran a national ingest out of memory; one council's work stays far below
# it either way (a million-row file peaks at about 3 GB). docs/decisions.md, issue 20.
MEMORY_LIMIT = re.compile(r"\d+(\.\d+)?\s*(%|B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.IGNORECASE)
UNKNOWN_MACHINE_DEFAULT = 4 * 1024**3


def default_memory_limit() -> str:
    """Half the physical memory (DuckDB's own default is 80%, which leaves too little for
    the dashboard or a second command beside it); 4 GiB where the memory cannot be read."""
    try:
        half = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2
    except (AttributeError, ValueError, OSError):  # not a POSIX system
        half = UNKNOWN_MACHINE_DEFAULT
    return f"{half // 1024**2}MiB"


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, rows: Any) -> Iterator[None]:
    """Arrow `rows` (a table or a stream) readable as table `name` on `con` for the
    statements inside, and let go of after.

    DuckDB refuses to register while the connection holds a result not read to its end
    (a caller's `execute` whose rows nobody fetched), so one is finished first."""
    con.execute("SELECT 1").fetchall()
    con.register(name, rows)
    try:
        yield
    finally:
        con.unregister(name)


@contextmanager
def one_thread(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """The statements inside run on one DuckDB thread (the setting is the database's, and
    is put back after).

    For a bulk INSERT into a warehouse table. Run on several threads, each thread writes
    the rows it took into row groups of its own, so every insert leaves several part-filled
    row groups on disk; a checkpoint then rewrites them (after a commit, and again at the
    next command's first write). Measured on a million CLD rows in eight inserts: 7 s of
    CPU and a 145 MB file on two threads, 3.7 s and 75 MB on one, and quicker by the clock
    too, since writing is most of an insert's work."""
    threads = con.execute("SELECT current_setting('threads')").fetchall()[0][0]
    con.execute("SET threads = 1")
    try:
        yield
    finally:
        with suppress(duckdb.Error):  # an aborted transaction's own error is the one to see
            con.execute(f"SET threads = {int(threads)}")


@contextmanager
def spilling(con: duckdb.DuckDBPyConnection, memory_limit: str,
             prefix: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """`con` limited to `memory_limit`, spilling beyond it into a private temporary folder
    (named `prefix...`, never beside the warehouse, where a copy of the file would carry it
    along); the connection is closed and the folder removed when done. For a job's own
    connection only (ingest's staging database, compute): its memory is not given back
    until it closes."""
    tmp = tempfile.mkdtemp(prefix=prefix)
    try:
        con.execute(f"SET temp_directory = {sql_text(tmp)}")
        con.execute(f"SET memory_limit = {sql_text(memory_limit)}")
        # Buffers up to the limit are kept once touched, not handed back to the system and
        # asked for again query after query: a fraction of the system time such a job spent
        # (benchmarks/README.md). Kept until the connection closes, at the end of the job.
        limit = con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
        con.execute(f"SET block_allocator_memory = {sql_text(limit)}")
        yield con
    finally:
        con.close()
        shutil.rmtree(tmp, ignore_errors=True)


@contextmanager
def bounded_connection(path: Path | str, memory_limit: str | None = None
                       ) -> Iterator[duckdb.DuckDBPyConnection]:
    """The warehouse opened for a long, large job (`openasc compute`): DuckDB may use at
    most `memory_limit` (default_memory_limit() when None) and spills beyond it
    (`spilling`)."""
    limit = memory_limit or default_memory_limit()
    if not MEMORY_LIMIT.fullmatch(limit):
        raise OpenascError(f"memory_limit {limit!r} is not an amount of memory such as "
                           '"4GB", "512MB" or "50%".')
    with spilling(connect(path), limit, "openasc-compute-") as con:
        yield con


# ----------------------------------------------------------------------------- tables
def table_groups() -> dict[str, str]:
    """`schema.sql` split at its `-- group: NAME` lines: {group: its DDL}."""
    text = resources.files("openasc").joinpath("schema.sql").read_text("utf-8")
    groups: dict[str, list[str]] = {}
    current = groups.setdefault("core", [])
    for line in text.splitlines():
        if line.startswith("-- group: "):
            current = groups.setdefault(line.removeprefix("-- group: ").strip(), [])
        else:
            current.append(line)
    return {name: "\n".join(lines) for name, lines in groups.items()}


def ensure_tables(con: duckdb.DuckDBPyConnection, group: str) -> None:
    """Create the tables of one `schema.sql` group (in the current database) if missing."""
    con.execute(table_groups()[group])


def create_input_table(con: duckdb.DuckDBPyConnection, table: str,
                       columns: dict[str, str], key: list[str] | None = None) -> None:
    """Create an input's table from its specification (`table.columns`: name -> SQL type).

    Every such table carries its lineage: the file and row each value came from and the run
    that loaded it, so a figure can be traced back to a line of a file.
    """
    cols = [f"{name} {sqltype}" for name, sqltype in columns.items()]
    cols += ["file_sha256 VARCHAR NOT NULL", "source_name VARCHAR NOT NULL",
             "row_number INTEGER NOT NULL", "run_id VARCHAR NOT NULL"]
    if key:
        cols.append(f"PRIMARY KEY ({', '.join(key)})")
    con.execute(f"CREATE TABLE IF NOT EXISTS {table} (\n    " + ",\n    ".join(cols) + "\n)")


# ----------------------------------------------------------------------------- versions
def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Core tables present and the layout at SCHEMA_VERSION (migrating an older warehouse)."""
    found = schema_version(con)
    refuse_newer(found)
    fresh = found is None
    with transaction(con):
        con.execute(table_groups()["core"])
        if fresh:
            _set_version(con, SCHEMA_VERSION, "created")
        else:
            for version in range(found + 1, SCHEMA_VERSION + 1):
                MIGRATIONS[version](con)
                _set_version(con, version, MIGRATIONS[version].__doc__.splitlines()[0])
        if con.execute("SELECT count(*) FROM councils").fetchone()[0] == 0:
            load_councils(con)


def schema_version(con: duckdb.DuckDBPyConnection) -> int | None:
    """The warehouse's layout version; None for a new, empty file."""
    if table_exists(con, "schema_version"):
        got = con.execute("SELECT max(version) FROM schema_version").fetchone()[0]
        if got is not None:
            return int(got)
    return 1 if table_exists(con, "runs") else None


def check_version(con: duckdb.DuckDBPyConnection) -> None:
    refuse_newer(schema_version(con))


def refuse_newer(found: int | None) -> None:
    if found is not None and found > SCHEMA_VERSION:
        from openasc import __version__

        raise OpenascError(
            f"This warehouse has layout version {found}, newer than this openasc "
            f"({__version__}) understands (version {SCHEMA_VERSION}). It was written by a newer "
            "openasc: upgrade openasc, or use a warehouse made by this version. Nothing was "
            "changed.")


def _set_version(con: duckdb.DuckDBPyConnection, version: int, note: str) -> None:
    con.execute("INSERT INTO schema_version VALUES (?, ?, ?)", [version, datetime.now(), note])


# The de-duplicated event tables the measures read: the chosen record's own fields from
# `cld_records`, then what the national method derived for it (ingest/national/dedupe.py).
# The joined table drops the cost fields (§5.1 of the CLD method): a package split over rows
# collapses to one record there, so the chosen record's cost would misstate the package.
EVENT_TABLES = {"cld_events": True, "cld_events_single": False}  # name -> drops costs
COST_FIELDS = ("unit_cost", "cost_frequency_unit_type", "planned_units_per_week")
EVENT_DERIVED = ("record_id", "reference_period_start", "reference_period_end",
                 "der_event_end_date", "der_age_event_start", "der_age", "der_age_band",
                 "der_working_age_band", "ethnicity_grouped", "event_outcome_grouped",
                 "service_type_grouped", "review_type", "event_outcome_rank",
                 "unique_event_ref")


def create_event_view(con: duckdb.DuckDBPyConnection, view: str) -> None:
    """(Re)create the view `view` over `<view>_derived` joined to `cld_records`."""
    cols = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = 'cld_records' AND table_catalog = current_database() "
        "AND table_schema = current_schema() ORDER BY ordinal_position").fetchall()
    drop_costs = EVENT_TABLES[view]
    record = ", ".join(f"CAST(NULL AS {dtype}) AS {name}"
                       if drop_costs and name in COST_FIELDS else f"r.{name}"
                       for name, dtype in cols)
    kind = _relation_kind(con, view)
    if kind:  # a table only in a warehouse that migration 2 has not converted (tests)
        con.execute(f"DROP {'VIEW' if kind == 'VIEW' else 'TABLE'} {view}")
    con.execute(f"CREATE VIEW {view} AS SELECT {record}, d.* EXCLUDE (record_id) "
                f"FROM {view}_derived d JOIN cld_records r USING (record_id)")


def _relation_kind(con: duckdb.DuckDBPyConnection, name: str) -> str | None:
    """'VIEW', 'BASE TABLE' or None for `name` in the current database and schema."""
    got = con.execute("SELECT table_type FROM information_schema.tables WHERE table_name = ? "
                      "AND table_schema = current_schema() AND table_catalog = "
                      "current_database()", [name]).fetchone()
    return got[0] if got else None


def _migrate_2(con: duckdb.DuckDBPyConnection) -> None:
    """2: event tables become views over narrow derived tables; files loaded are listed.

    (a) Warehouses built before the event tables were views hold `cld_events` and
    `cld_events_single` as wide tables (every record field copied). Each becomes its narrow
    `<name>_derived` table (the record ID and what the national method derived) and a view
    joining the record's fields back from `cld_records` - the same rows and columns, so
    every measure reads what it read before. (This was done ad hoc by the de-duplication
    step until the warehouse had versions.)
    (b) `loaded_files` lists every file already loaded (CLD submissions, case lists,
    discharges, comparator files), so loading one of them again is "already loaded".
    """
    for view in EVENT_TABLES:
        if _relation_kind(con, view) not in (None, "VIEW"):
            have = {r[0] for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                "AND table_schema = current_schema() AND table_catalog = current_database()",
                [view]).fetchall()}
            if set(EVENT_DERIVED) <= have:
                con.execute(f"CREATE OR REPLACE TABLE {view}_derived AS "
                            f"SELECT {', '.join(EVENT_DERIVED)} FROM {view}")
                create_event_view(con, view)
            else:  # not a table the national method wrote: the next CLD ingest rebuilds it
                con.execute(f"DROP TABLE {view}")
    # (source, table it is listed from, the SELECT of loaded_files' first six columns)
    backfill = [
        ("cld_submissions", "SELECT 'cld', file_sha256, source_name, rows_in, rows_loaded, "
                            "rows_quarantined, run_id FROM cld_submissions"),
        ("case_files", "SELECT kind, file_sha256, source_name, rows_in, rows_loaded, "
                       "rows_quarantined, run_id FROM case_files"),
        ("hospital_discharges", "SELECT 'discharges', file_sha256, min(source_name), NULL, "
                                "count(*), NULL, min(run_id) FROM hospital_discharges "
                                "GROUP BY file_sha256"),
        ("comparator_values", "SELECT 'comparators', file_sha256, min(source_name), NULL, "
                              "count(*), NULL, min(run_id) FROM comparator_values "
                              "WHERE file_sha256 IS NOT NULL GROUP BY file_sha256"),
    ]
    for table, select in backfill:
        if table_exists(con, table):
            con.execute(f"INSERT INTO loaded_files SELECT *, current_localtimestamp() "
                        f"FROM ({select}) ON CONFLICT DO NOTHING")


def _migrate_3(con: duckdb.DuckDBPyConnection) -> None:
    """3: comparisons say what their England figure and ranks are; an older table is dropped.

    `comparisons` gained the labels and scopes of its comparators ("England" only for a
    published England figure, else "average of the N councils loaded"; a rank's reach). It
    is derived, rebuilt by every `openasc compare`, so a table of the old layout is dropped
    rather than guessed at: until the next `openasc compare` the documents and the dashboard
    show no comparisons, never an unlabelled average.
    """
    if _relation_kind(con, "comparisons") == "BASE TABLE":
        have = {r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = "
            "'comparisons' AND table_schema = current_schema() AND table_catalog = "
            "current_database()").fetchall()}
        if "england_label" not in have:
            con.execute("DROP TABLE comparisons")


def _migrate_4(con: duckdb.DuckDBPyConnection) -> None:
    """4: each CLD record keeps its field profile (invalid, Release 1 and blank fields).

    `cld_records` gains `dq_invalid`, `dq_release_1` and `dq_blank` (schema.sql), which DHSC's
    field-level data-quality profile needs (catalogue measure DQ DQ-FIELDS). Rows loaded
    before have NULL there: what cleaning did to their cells was not kept, and the profile
    counts them as not recorded. The event views are remade so they show the new columns.
    """
    if not table_exists(con, "cld_records"):
        return
    for col in ("dq_invalid", "dq_release_1", "dq_blank"):
        con.execute(f"ALTER TABLE cld_records ADD COLUMN IF NOT EXISTS {col} VARCHAR[]")
    for view in EVENT_TABLES:
        if _relation_kind(con, view) == "VIEW":
            create_event_view(con, view)


MIGRATIONS = {2: _migrate_2, 3: _migrate_3, 4: _migrate_4}


def load_councils(con: duckdb.DuckDBPyConnection) -> None:
    """Copy councils.csv into the warehouse, so that SQL can join to it."""
    ref = resources.files("openasc.reference").joinpath("councils.csv")
    with resources.as_file(ref) as path:
        con.execute(
            "INSERT INTO councils SELECT ons_code, la_code, name, region, region_code, "
            "council_type, valid_from, valid_to, former_codes, dfe_la_code FROM read_csv(?, "
            "header=true, all_varchar=true)", [str(path)],
        )
    con.execute("UPDATE councils SET la_code = NULLIF(la_code, ''), "
                "former_codes = NULLIF(former_codes, '')")


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: commit on success, roll back on any exception."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def sql_text(text: str | Path) -> str:
    """`text` as an SQL string literal (quotes doubled): for the few places SQL must name a
    file (COPY ... TO, read_csv, temp_directory), where a folder such as "O'Brien" would
    otherwise end the string."""
    return "'" + str(text).replace("'", "''") + "'"


def new_run_id() -> str:
    return datetime.now().strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(4)


def record_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    command: str,
    started_at: datetime,
    status: str,
    inputs: list[dict[str, Any]] | None = None,
    spec_version: str | None = None,
    method_version: str | None = None,
    as_of: date | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Write the lineage row for a command (call inside the command's transaction)."""
    try:
        user = RUN_USER.get() or getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name is not a reason to fail a run
        user = None
    con.execute(
        "INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [run_id, command, started_at, datetime.now(), status,
         json.dumps(inputs or [], default=str), spec_version, method_version, as_of, user,
         json.dumps(detail or {}, default=str)],
    )


def table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
        ).fetchone()[0]
    )


def file_loaded(con: duckdb.DuckDBPyConnection, source: str, sha256: str, db: str = "") -> bool:
    """Whether this input has already loaded a file with this content (`db`: "wh." when the
    warehouse is attached to a staging database)."""
    return bool(con.execute(f"SELECT count(*) FROM {db}loaded_files WHERE source = ? AND "
                            "file_sha256 = ?", [source, sha256]).fetchone()[0])
