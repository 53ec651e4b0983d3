"""`openasc export warehouse --format parquet --out DIR`: the warehouse for another engine.

Spark, Databricks or any Parquet reader gets every table of the warehouse (the inputs the
catalogue reads and the reference tables) as one Parquet file each, with `manifest.json`
naming each table's file, rows and columns (docs/scale-out.md). The warehouse is only read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from openasc.cli.common import console, settings
from openasc.errors import OpenascError


def export_warehouse(
    out: Annotated[Path, typer.Option(help="Folder to write the Parquet files and "
                                           "manifest.json into.")],
    format: Annotated[str, typer.Option("--format", help="parquet (the only format).")
                      ] = "parquet",
) -> None:
    """Export every warehouse table as Parquet, with a manifest (table, rows, columns)."""
    from openasc import warehouse
    from openasc.metrics.parquet_export import MANIFEST, export_tables

    if format != "parquet":
        raise OpenascError(f"--format {format!r}: the warehouse is exported as parquet only.")
    con = warehouse.connect(settings().warehouse, read_only=True)
    try:
        tables = export_tables(con, out)
    finally:
        con.close()
    rows = sum(t.rows for t in tables)
    console.print(f"Exported {len(tables)} table(s), {rows:,} row(s), as Parquet to {out} "
                  f"(list in {out / MANIFEST}).", markup=False)
