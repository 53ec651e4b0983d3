"""Warehouse versions: a warehouse of the previous layout (version 1) is migrated when opened,
its measures still compute, and a warehouse newer than the code is refused.

Version 1 is every warehouse made before versions were recorded: no `schema_version`, no
`loaded_files`, and (if built before the event tables became views) `cld_events` and
`cld_events_single` as wide tables. The fixtures below write that layout themselves.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from openasc import warehouse
from openasc.cli import app
from openasc.errors import OpenascError

# The version-1 core tables, as schema.sql had them before versions (main at 2026-12-06).
V1_CORE = """
CREATE TABLE runs (run_id VARCHAR PRIMARY KEY, command VARCHAR NOT NULL,
    started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP, status VARCHAR NOT NULL,
    inputs JSON, spec_version VARCHAR, method_version VARCHAR, as_of DATE,
    user_name VARCHAR, detail JSON);
CREATE TABLE quarantine (run_id VARCHAR NOT NULL, source VARCHAR NOT NULL,
    file_sha256 VARCHAR NOT NULL, source_name VARCHAR NOT NULL, row_number INTEGER,
    field VARCHAR, reason VARCHAR NOT NULL, person_pseudo VARCHAR);
CREATE TABLE councils (ons_code VARCHAR NOT NULL, la_code VARCHAR, name VARCHAR NOT NULL,
    region VARCHAR, region_code VARCHAR, council_type VARCHAR, valid_from DATE,
    valid_to DATE, former_codes VARCHAR, dfe_la_code VARCHAR);
CREATE TABLE population (la_code VARCHAR NOT NULL, year INTEGER NOT NULL,
    sex VARCHAR NOT NULL, age INTEGER NOT NULL, population BIGINT NOT NULL,
    PRIMARY KEY (la_code, year, sex, age));
CREATE TABLE metric_values (family VARCHAR NOT NULL, code VARCHAR NOT NULL,
    la_code VARCHAR NOT NULL, period_start DATE NOT NULL, period_end DATE NOT NULL,
    breakdown VARCHAR NOT NULL DEFAULT '', numerator DOUBLE, denominator DOUBLE, value DOUBLE,
    unit VARCHAR NOT NULL, run_id VARCHAR,
    PRIMARY KEY (family, code, la_code, period_start, period_end, breakdown));
CREATE TABLE hospital_discharges (la_code VARCHAR NOT NULL, spell_pseudo VARCHAR NOT NULL,
    person_id VARCHAR NOT NULL, birth_year INTEGER, birth_month INTEGER, sex VARCHAR,
    admission_date DATE NOT NULL, discharge_date DATE NOT NULL, admission_method VARCHAR,
    management_type VARCHAR, discharge_method VARCHAR, discharge_destination VARCHAR,
    treatment_function_code VARCHAR, last_episode_in_spell BOOLEAN,
    file_sha256 VARCHAR NOT NULL, source_name VARCHAR NOT NULL, row_number INTEGER NOT NULL,
    run_id VARCHAR NOT NULL);
"""

DISCHARGES = ("Spell_ID,NHS_Number,Birth_Year,Birth_Month,Sex,Residence_LA_Code,"
              "Admission_Date,Discharge_Date,Admission_Method,Management_Type,"
              "Discharge_Method,Discharge_Destination,Treatment_Function_Code,"
              "Last_Episode_In_Spell\n"
              "S1,9434765919,1944,3,2,416,01/05/2024,10/05/2024,21,FCE,1,19,300,Y\n")


def _invoke(*args: str) -> tuple[int, str]:
    r = CliRunner().invoke(app, list(args))
    return r.exit_code, r.output + (str(r.exception) if r.exception else "")


def test_version_1_fixture_is_migrated_and_its_files_stay_loaded(tmp_path: Path) -> None:
    """A version-1 warehouse written here by hand: the core tables and one discharges file
    loaded (one spell). Opened by this code it becomes the current version: `schema_version` says 4,
    `loaded_files` lists the discharges file (1 row loaded), the spell is untouched, and
    loading the same file again is "already loaded" and changes nothing."""
    wh = tmp_path / "v1.duckdb"
    f = tmp_path / "discharges.csv"
    f.write_text(DISCHARGES)
    sha = hashlib.sha256(f.read_bytes()).hexdigest()
    con = duckdb.connect(str(wh))
    con.execute(V1_CORE)
    con.execute("INSERT INTO hospital_discharges VALUES ('E10000034', 'sp', 'pp', 1944, 3, "
                "'Female', DATE '2024-05-01', DATE '2024-05-10', '21', 'FCE', '1', '19', '300', "
                "true, ?, 'discharges.csv', 2, 'run-v1')", [sha])
    con.close()

    con = warehouse.connect(wh)
    assert warehouse.schema_version(con) == warehouse.SCHEMA_VERSION == 4
    assert con.execute("SELECT source, file_sha256, rows_loaded FROM loaded_files").fetchall() \
        == [("discharges", sha, 1)]
    con.close()
    code, out = _invoke("--warehouse", str(wh), "ingest", "discharges", str(f))
    assert code == 0, out
    assert "already loaded" in out
    con = duckdb.connect(str(wh), read_only=True)
    assert con.execute("SELECT count(*) FROM hospital_discharges").fetchone()[0] == 1


def _metric_values(wh: Path) -> list[tuple]:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return con.execute("SELECT family, code, breakdown, numerator, denominator, value "
                           "FROM metric_values ORDER BY ALL").fetchall()
    finally:
        con.close()


def _same_values(got: list[tuple], want: list[tuple]) -> bool:
    """The same rows, each number equal to 1 part in 10^9: a sum of money over many rows
    (COSTS) differs in its last binary digits with the order DuckDB's threads add it."""
    import math

    def close(x: object, y: object) -> bool:
        if isinstance(x, float) and isinstance(y, float):
            return math.isclose(x, y, rel_tol=1e-9)
        return x == y

    return len(got) == len(want) and all(
        len(g) == len(w) and all(close(x, y) for x, y in zip(g, w, strict=True))
        for g, w in zip(got, want, strict=True))


def test_version_1_event_tables_become_views_and_measures_compute_the_same(
        tmp_path: Path) -> None:
    """A synthetic council loaded and computed by this code gives the reference figures.
    The warehouse is then taken back to version 1 as the oldest warehouses were: no version,
    no `loaded_files`, the event tables wide tables (the views materialised), no measures.
    `openasc compute` on it migrates it (views again, over `_derived` tables holding the
    same events) and computes exactly the reference figures; loading the CLD file again is
    "already loaded"."""
    wh, cld = tmp_path / "w.duckdb", tmp_path / "cld.csv"
    assert _invoke("synth", "cld", "--out", str(cld), "--people", "150")[0] == 0
    code, out = _invoke("--warehouse", str(wh), "ingest", "cld", str(cld),
                        "--submitted-on", "2025-05-01")
    assert code == 0, out
    compute = ("--warehouse", str(wh), "compute", "--from", "2024-04-01", "--to", "2025-03-31")
    assert _invoke(*compute)[0] == 0
    reference = _metric_values(wh)
    assert len(reference) > 20

    con = duckdb.connect(str(wh))
    events = {}
    for name in ("cld_events", "cld_events_single"):
        events[name] = con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        con.execute(f"CREATE TABLE {name}_wide AS SELECT * FROM {name}")
        con.execute(f"DROP VIEW {name}")
        con.execute(f"DROP TABLE {name}_derived")
        con.execute(f"ALTER TABLE {name}_wide RENAME TO {name}")
    con.execute("DROP TABLE schema_version")
    con.execute("DROP TABLE loaded_files")
    con.execute("DELETE FROM metric_values")
    con.close()

    code, out = _invoke(*compute)
    assert code == 0, out
    assert _same_values(_metric_values(wh), reference)
    con = duckdb.connect(str(wh), read_only=True)
    kinds = dict(con.execute("SELECT table_name, table_type FROM information_schema.tables "
                             "WHERE table_name LIKE 'cld_events%'").fetchall())
    assert kinds == {"cld_events": "VIEW", "cld_events_derived": "BASE TABLE",
                     "cld_events_single": "VIEW", "cld_events_single_derived": "BASE TABLE"}
    for name, n in events.items():
        assert con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] == n
    assert con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == 4
    con.close()
    code, out = _invoke("--warehouse", str(wh), "ingest", "cld", str(cld))
    assert code == 0 and "already loaded" in out, out


def test_a_warehouse_newer_than_the_code_is_refused(tmp_path: Path) -> None:
    """Version 5 is unknown to this code: opening it (for writing or reading) stops with a
    message naming both versions, exit 1, and the file is not changed."""
    wh = tmp_path / "w.duckdb"
    warehouse.connect(wh).close()
    con = duckdb.connect(str(wh))
    con.execute("INSERT INTO schema_version VALUES (5, now(), 'from the future')")
    con.close()
    before = wh.read_bytes()
    for read_only in (False, True):
        with pytest.raises(OpenascError, match=r"layout version 5, newer than .*\(version 4\)"):
            warehouse.connect(wh, read_only=read_only)
    code, out = _invoke("--warehouse", str(wh), "ingest", "discharges", str(wh))
    assert code == 1 and "newer than this openasc" in out, out
    assert wh.read_bytes() == before


def test_version_2_comparisons_of_the_old_layout_are_dropped_not_misread(tmp_path: Path) -> None:
    """Migration 3: a `comparisons` table built before it said what its England figure is
    (no `england_label` column) is dropped, so nothing can print its average as "England";
    `read_comparisons` then finds no rows until `openasc compare` rebuilds it. A table that
    already has the column is kept."""
    from openasc.compare.comparisons import read_comparisons

    wh = tmp_path / "w.duckdb"
    warehouse.connect(wh).close()
    con = duckdb.connect(str(wh))
    con.execute("DELETE FROM schema_version WHERE version >= 3")
    con.execute("CREATE TABLE comparisons AS SELECT 'ASCOF' AS family, '2A' AS code, "
                "80.0 AS england_value")
    con.close()
    con = warehouse.connect(wh)
    assert warehouse.schema_version(con) == 4
    assert not warehouse.table_exists(con, "comparisons")
    assert read_comparisons(con) == []
    con.execute("CREATE TABLE comparisons AS SELECT 'England' AS england_label")
    con.execute("DELETE FROM schema_version WHERE version >= 3")
    con.close()
    con = warehouse.connect(wh)
    assert warehouse.table_exists(con, "comparisons")
    con.close()


def test_version_3_records_gain_their_field_profile_columns_empty(tmp_path: Path) -> None:
    """Migration 4: a version-3 warehouse (CLD loaded before records kept their field
    profile: `cld_records` without `dq_invalid`, `dq_release_1`, `dq_blank`, the event views
    without them) gains the three columns, NULL on every record it already holds (what
    cleaning did to those cells was not kept), and the event views show them; the DQ
    profile then counts those records as `Not recorded` (tests/scenario/test_dq_fields.py)."""
    wh, cld = tmp_path / "w.duckdb", tmp_path / "cld.csv"
    assert _invoke("synth", "cld", "--out", str(cld), "--people", "20")[0] == 0
    code, out = _invoke("--warehouse", str(wh), "ingest", "cld", str(cld),
                        "--submitted-on", "2025-05-01")
    assert code == 0, out
    con = duckdb.connect(str(wh))
    for view in ("cld_events", "cld_events_single"):
        con.execute(f"DROP VIEW {view}")
    for col in ("dq_invalid", "dq_release_1", "dq_blank"):
        con.execute(f"ALTER TABLE cld_records DROP COLUMN {col}")
    for view in ("cld_events", "cld_events_single"):
        warehouse.create_event_view(con, view)
    con.execute("DELETE FROM schema_version WHERE version = 4")
    records = con.execute("SELECT count(*) FROM cld_records").fetchone()[0]
    con.close()

    con = warehouse.connect(wh)
    assert warehouse.schema_version(con) == 4
    assert con.execute("SELECT count(*), count(dq_invalid), count(dq_release_1), "
                       "count(dq_blank) FROM cld_records").fetchone() == (records, 0, 0, 0)
    assert con.execute("SELECT count(*) FROM cld_events_single WHERE dq_invalid IS NULL"
                       ).fetchone()[0] > 0
    con.close()
