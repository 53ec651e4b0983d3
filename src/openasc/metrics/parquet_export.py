"""The warehouse's tables as Parquet files, with a manifest: what another engine reads.

`openasc export warehouse --format parquet --out DIR` writes one Parquet file per table
(DuckDB's own COPY, so no row passes through Python) and `manifest.json` listing each table
with its file, row count and columns. Spark (`openasc compute --engine spark`), Databricks or
any Parquet reader then sees exactly the warehouse's inputs and reference tables. The
warehouse holds no direct identifiers (people are pseudonymised on the way in), so neither
do these files. The few DuckDB types other engines cannot read are written as the nearest
portable type (PORTABLE_TYPES).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

from openasc.errors import OpenascError
from openasc.warehouse import sql_text

MANIFEST = "manifest.json"

# DuckDB types Spark cannot read from Parquet (or reads as binary), and what is written.
PORTABLE_TYPES = {"JSON": "VARCHAR", "UUID": "VARCHAR", "HUGEINT": "DECIMAL(38,0)",
                  "UHUGEINT": "DECIMAL(38,0)", "TIME": "VARCHAR", "INTERVAL": "VARCHAR",
                  "TIME WITH TIME ZONE": "VARCHAR"}


# The warehouse's own bookkeeping, which no measure reads: the key's fingerprint, rows held
# back from loading (with their reasons), files and runs, the schema's version.
BOOKKEEPING = frozenset({"key_fingerprint", "quarantine", "loaded_files", "runs",
                         "schema_version"})


@dataclass(frozen=True)
class ExportedTable:
    """One table of the export: its file (relative to the manifest), rows and columns."""

    table: str
    file: str
    rows: int
    columns: list[tuple[str, str]]  # (name, DuckDB type as written)


def _tables(con: duckdb.DuckDBPyConnection, temporary: bool) -> list[tuple[str, str]]:
    """(catalog, table) of every table and view of the warehouse but its bookkeeping and,
    when `temporary`, of this connection's temporary tables (a temporary table hides a stored
    one of its name)."""
    rows = con.execute(
        "SELECT table_catalog, table_name FROM information_schema.tables "
        "WHERE table_schema = 'main' AND (table_catalog = current_database() "
        "OR (? AND table_catalog = 'temp')) "
        "ORDER BY table_name, table_catalog = 'temp' DESC", [temporary]).fetchall()
    found: dict[str, str] = {}
    for catalog, name in rows:
        if name not in BOOKKEEPING:
            found.setdefault(name, catalog)
    return [(catalog, name) for name, catalog in found.items()]


def _columns(con: duckdb.DuckDBPyConnection, catalog: str, table: str
             ) -> list[tuple[str, str]]:
    return [(name, PORTABLE_TYPES.get(kind, kind)) for name, kind in con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_catalog = ? AND table_name = ? AND table_schema = 'main' "
        "ORDER BY ordinal_position", [catalog, table]).fetchall()]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def export_tables(con: duckdb.DuckDBPyConnection, out: Path,
                  temporary: bool = False) -> list[ExportedTable]:
    """Write every table (and, with `temporary`, the connection's temporary tables, such as
    the engine's compute_councils) to `out/<table>.parquet` and `out/manifest.json`."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OpenascError(f"Cannot create the folder {out}: {exc.strerror}.") from exc
    exported = []
    for catalog, table in _tables(con, temporary):
        columns = _columns(con, catalog, table)
        select = ", ".join(f"CAST({_quote(c)} AS {t}) AS {_quote(c)}" for c, t in columns)
        file = f"{table}.parquet"
        source = f"{_quote(catalog)}.main.{_quote(table)}"
        con.execute(f"COPY (SELECT {select} FROM {source}) TO {sql_text(out / file)} "
                    "(FORMAT parquet)")
        rows = con.execute(f"SELECT count(*) FROM {source}").fetchone()[0]
        exported.append(ExportedTable(table, file, rows, columns))
    manifest = {"format": "parquet", "tables": [asdict(t) for t in exported]}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return exported
