"""The DuckDB warehouse: one file, opened by one command at a time.

Every command that changes the warehouse does so inside `transaction()`: if it fails, or the
process is killed, DuckDB discards the uncommitted work and the file is as it was.
"""

from __future__ import annotations

import getpass
import json
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from openasc.errors import OpenascError

SCHEMA_VERSION = "1"
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
    if not read_only:
        ensure_schema(con)
    return con


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    ddl = resources.files("openasc").joinpath("schema.sql").read_text("utf-8")
    con.execute(ddl)
    if con.execute("SELECT count(*) FROM councils").fetchone()[0] == 0:
        load_councils(con)


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
