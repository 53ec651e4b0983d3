"""The in-memory database where raw rows wait, with their identifiers, until pseudonymised.

Every ingest reads its file here first. It is never written to disk: if DuckDB has to spill,
it spills into a private temporary folder that is removed when the command ends. The `pseudo`
macro is registered, so identifiers can be replaced set-wise before anything is copied to
the warehouse.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from openasc import pseudonymise, warehouse


@contextmanager
def staging_connection(key: bytes, memory_limit: str | None = None
                       ) -> Iterator[duckdb.DuckDBPyConnection]:
    """The staging database; `memory_limit` is the user's setting (config.Settings), checked
    there, else the default (warehouse.default_memory_limit): a million-row file stays
    within a few GB, and beyond the limit DuckDB spills into a private folder
    (warehouse.spilling)."""
    with warehouse.spilling(duckdb.connect(), memory_limit or warehouse.default_memory_limit(),
                            "openasc-stage-") as con:
        # DuckDB's own bar writes raw terminal codes into the command's output (and into
        # the dashboard's job log); the command line says what it is doing instead.
        con.execute("SET enable_progress_bar = false")
        con.execute("SET preserve_insertion_order = true")
        pseudonymise.register(con, key)
        pseudonymise.register(con, key, shared=True)  # for cursors judging files at once
        yield con
