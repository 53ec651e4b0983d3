"""Ingest keeps the promises of principle 4: nothing lost, idempotent, all or nothing.

Each test builds a small CLD file with `tests/cldfile.py` and drives the real command line.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import duckdb
import pytest

from cldfile import cld_row, write_cld_csv
from openasc.config import load_settings


def openasc(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["openasc", "--warehouse", str(tmp / "w.duckdb"), *args],
                          capture_output=True, text=True, cwd=tmp)


def _table_counts(path: Path) -> dict[str, int]:
    con = duckdb.connect(str(path), read_only=True)
    names = [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()]
    counts = {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    con.close()
    return counts


def _mixed_file(tmp: Path) -> Path:
    """Four rows: two good; row 4 ends before it starts (kept and flagged, as DHSC's method
    keeps it); row 5 has no person identifier."""
    rows = [
        cld_row("P1", Event_Type="Request", Event_Start_Date="2024-05-01",
                Event_End_Date="2024-05-02"),
        cld_row("P2", Event_Type="Service", Event_Start_Date="2024-05-01"),
        cld_row("P3", Event_Type="Assessment", Event_Start_Date="2024-05-10",
                Event_End_Date="2024-05-01"),
        cld_row("P4", Event_Type="Review", NHS_Number=None, LA_Person_Unique_Identifier=None),
    ]
    return write_cld_csv(tmp / "mixed.csv", rows)


def test_rows_in_equal_loaded_plus_quarantined_with_reasons(tmp_path: Path) -> None:
    """4 rows in: rows 2, 3 and 4 (end before start, kept as the national method keeps it)
    load; row 5 (no person ID) is quarantined with its row number and a reason: 4 = 3 + 1."""
    r = openasc(tmp_path, "ingest", "cld", str(_mixed_file(tmp_path)), "--submitted-on",
                "2025-05-01")
    assert r.returncode == 0, r.stderr
    assert "4 rows in = 3 loaded + 1 quarantined" in r.stdout
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM cld_records").fetchone()[0] == 3
    q = con.execute("SELECT row_number, reason FROM quarantine ORDER BY row_number").fetchall()
    assert [row for row, _ in q] == [5]
    assert all(reason for _, reason in q)
    sub = con.execute("SELECT rows_in, rows_loaded, rows_quarantined FROM cld_submissions")
    assert sub.fetchone() == (4, 3, 1)


def test_same_file_twice_changes_nothing(tmp_path: Path) -> None:
    path = _mixed_file(tmp_path)
    assert openasc(tmp_path, "ingest", "cld", str(path)).returncode == 0
    before = _table_counts(tmp_path / "w.duckdb")
    again = openasc(tmp_path, "ingest", "cld", str(path))
    assert again.returncode == 0
    assert "already loaded" in again.stdout
    assert _table_counts(tmp_path / "w.duckdb") == before


def test_failure_mid_run_leaves_the_warehouse_as_it_was(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The de-duplication step fails after rows were inserted: everything is rolled back."""
    from rich.console import Console

    from openasc.ingest import cld, national

    first = write_cld_csv(tmp_path / "first.csv", [cld_row("P9", Event_Type="Request")])
    settings = load_settings(tmp_path / "w.duckdb")
    cld.ingest_files([first], None, settings, Console(quiet=True))
    before = _table_counts(tmp_path / "w.duckdb")

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(national, "rebuild", boom)
    with pytest.raises(RuntimeError):
        cld.ingest_files([_mixed_file(tmp_path)], None, settings, Console(quiet=True))
    assert _table_counts(tmp_path / "w.duckdb") == before


def test_validate_exit_codes(tmp_path: Path) -> None:
    """0 when read (even with invalid rows); 1 for a wrong header; 2 when unreadable."""
    assert openasc(tmp_path, "validate", "cld", str(_mixed_file(tmp_path))).returncode == 0
    bad_header = tmp_path / "header.csv"
    bad_header.write_text("LA_Code,Colour\n416,red\n")
    r = openasc(tmp_path, "validate", "cld", str(bad_header))
    assert r.returncode == 1 and "missing column(s)" in r.stderr and "Traceback" not in r.stderr
    r = openasc(tmp_path, "validate", "cld", str(tmp_path / "absent.csv"))
    assert r.returncode == 2 and "no such file" in r.stderr


def test_unknown_council_code_is_a_clear_error(tmp_path: Path) -> None:
    path = write_cld_csv(tmp_path / "la.csv", [cld_row("P1")], la_code="885")
    r = openasc(tmp_path, "ingest", "cld", str(path))
    assert r.returncode == 1
    assert "LA_Code" in r.stderr and "3-digit NHS council code" in r.stderr
    assert "Traceback" not in r.stderr
