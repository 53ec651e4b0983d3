"""`openasc export warehouse --format parquet --out DIR`: what another engine reads.

The export is the Spark engine's input (docs/scale-out.md) and a national team's hand-over,
so these tests pin what a reader of the folder relies on: one Parquet file per table with
exactly the warehouse's rows, a manifest that says so, none of the warehouse's bookkeeping,
no direct identifier anywhere, and a clear message (never a traceback) when the command
cannot do what was asked.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import duckdb
import pytest

from cldfile import cld_row, nhs_number, write_cld_csv

PEOPLE = ("ALICE01", "BOB0002", "CAROL03")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three people's requests and a service, loaded through the command line."""
    folder = tmp_path_factory.mktemp("export")
    rows = [cld_row(p, Event_Type="Request") for p in PEOPLE]
    rows.append(cld_row(PEOPLE[0], Event_Type="Service"))
    path = write_cld_csv(folder / "cld.csv", rows)
    done = _openasc(folder, "ingest", "cld", str(path), "--submitted-on", "2025-04-30")
    assert done.returncode == 0, done.stderr
    return folder


def _openasc(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OPENASC_KEY_FILE": str(folder.parent / f"{folder.name}.key")}
    return subprocess.run(["openasc", "--warehouse", str(folder / "w.duckdb"), *args],
                          capture_output=True, text=True, cwd=folder, env=env)


def _export(warehouse: Path, out: Path) -> dict:
    done = _openasc(warehouse, "export", "warehouse", "--format", "parquet", "--out", str(out))
    assert done.returncode == 0, done.stderr
    return json.loads((out / "manifest.json").read_text("utf-8"))


def test_every_table_is_exported_with_the_warehouses_rows(warehouse: Path,
                                                          tmp_path: Path) -> None:
    """Each manifest entry's file holds the table's rows: counted in the Parquet file, in the
    manifest and in the warehouse, the three agree; the columns are the table's, in order.
    4 CLD rows were loaded, so cld_records has 4 rows (counted independently of the export)."""
    out = tmp_path / "O'Brien exports"  # a quote in the folder's name must not break the SQL
    manifest = _export(warehouse, out)
    tables = {t["table"]: t for t in manifest["tables"]}
    assert manifest["format"] == "parquet"
    assert tables["cld_records"]["rows"] == 4
    con = duckdb.connect(str(warehouse / "w.duckdb"), read_only=True)
    try:
        for name, entry in tables.items():
            held = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            in_file = duckdb.connect().execute(
                "SELECT count(*) FROM read_parquet(?)", [str(out / entry["file"])]
            ).fetchone()[0]
            assert held == entry["rows"] == in_file, name
            columns = [r[0] for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                "AND table_schema = 'main' ORDER BY ordinal_position", [name]).fetchall()]
            assert [c for c, _ in entry["columns"]] == columns, name
    finally:
        con.close()
    assert {"cld_records", "cld_submissions", "councils"} <= set(tables)


def test_bookkeeping_is_left_out(warehouse: Path, tmp_path: Path) -> None:
    """Runs, loaded files, quarantined rows, the key's fingerprint and the schema version are
    the warehouse's own records: no measure reads them, so no file is written for them."""
    manifest = _export(warehouse, tmp_path / "out")
    exported = {t["table"] for t in manifest["tables"]}
    kept_back = {"runs", "loaded_files", "quarantine", "key_fingerprint", "schema_version"}
    assert not exported & kept_back
    assert not any((tmp_path / "out" / f"{t}.parquet").exists() for t in kept_back)


def test_no_direct_identifier_reaches_the_files(warehouse: Path, tmp_path: Path) -> None:
    """Every text cell of every exported file is read back and searched for the people's NHS
    numbers and council person IDs as submitted: none is there (they were pseudonymised on
    the way in). The search is shown to work: the pseudonymised person IDs are found."""
    manifest = _export(warehouse, tmp_path / "out")
    cells: list[str] = []
    reader = duckdb.connect()
    for entry in manifest["tables"]:
        path = str(tmp_path / "out" / entry["file"])
        text = [c for c, kind in entry["columns"] if kind == "VARCHAR"]
        for column in text:
            cells += [v for (v,) in reader.execute(
                f'SELECT "{column}" FROM read_parquet(?) WHERE "{column}" IS NOT NULL',
                [path]).fetchall()]
    blob = "\n".join(cells)
    for person in PEOPLE:
        assert nhs_number(person) not in blob
        assert person not in blob
    con = duckdb.connect(str(warehouse / "w.duckdb"), read_only=True)
    pseudonyms = [r[0] for r in con.execute("SELECT DISTINCT person_id FROM cld_records")
                  .fetchall()]
    con.close()
    assert len(pseudonyms) == 3 and all(p in blob for p in pseudonyms)


def test_an_unknown_format_is_refused_with_a_message(warehouse: Path, tmp_path: Path) -> None:
    done = _openasc(warehouse, "export", "warehouse", "--format", "csv",
                    "--out", str(tmp_path / "out"))
    assert done.returncode == 1
    assert "parquet" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_a_folder_that_cannot_be_made_is_refused_with_a_message(warehouse: Path,
                                                                 tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", "utf-8")
    done = _openasc(warehouse, "export", "warehouse", "--format", "parquet",
                    "--out", str(blocker / "out"))
    assert done.returncode == 1
    assert str(blocker / "out") in done.stderr and "Traceback" not in done.stderr
