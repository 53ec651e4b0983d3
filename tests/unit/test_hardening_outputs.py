"""Outputs after the attack of issue 12: no free text from a list field (A5), no formula
from input (B5), no impossible date or full disk as 'Internal error' (B6), no half-written
output (B8)."""

from __future__ import annotations

import csv
import errno
import io
import os
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import duckdb
import pytest
from tests.unit.test_validate import run

from cldfile import cld_row, nhs_number, write_cld_csv
from openasc.errors import OpenascError
from openasc.ingest.dq_report import write_report
from openasc.pseudonymise import register
from openasc.publish.export import deterministic_xlsx, to_csv
from openasc.publish.salt_export import build_workbook
from openasc.spec import load_spec

NHS = "9434765919"


def openasc(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "openasc.cli", "--warehouse",
                           str(tmp / "w.duckdb"), *args], capture_output=True, text=True, cwd=tmp)


def test_a5_an_nhs_number_typed_into_gender_never_reaches_the_warehouse(tmp_path: Path) -> None:
    """Gender is a probable list: the value was stored verbatim. Now it is counted as
    'Invalid and not mapped' and the number itself is nowhere in the warehouse."""
    number = nhs_number("someone else")
    path = write_cld_csv(tmp_path / "f.csv", [cld_row("P1", Gender=number), cld_row("P2")])
    out = openasc(tmp_path, "ingest", "cld", str(path))
    assert out.returncode == 0, out.stderr
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    genders = sorted(r[0] for r in con.execute("SELECT gender FROM cld_records").fetchall())
    con.close()
    assert genders == ["Female", "Invalid and not mapped"]
    assert number.encode() not in (tmp_path / "w.duckdb").read_bytes()


def test_a5_the_dq_report_shows_row_and_field_never_an_identifier(tmp_path: Path) -> None:
    """Row 3 has an NHS number in Gender (probable list) and in GP_Practice_Code (a code):
    the report counts both, names row 3 under Gender, and never prints the number."""
    _, v, con = run({}, {"la_person_unique_identifier": "P2", "gender": NHS,
                         "gp_practice_code": NHS})
    register(con, b"k" * 32)
    html, csv_path = write_report(con, load_spec("cld"), v, tmp_path, "x.csv")
    text, page = csv_path.read_text(encoding="utf-8"), html.read_text(encoding="utf-8")
    assert NHS not in text and NHS not in page
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {"field": "Gender", "status": "Passed: Valid", "value": "Invalid and not mapped",
            "count": "1"} in rows
    assert any(r["field"] == "GP_Practice_Code" and "not shown" in r["value"] for r in rows)
    gender_row = page[page.index('<th scope="row">Gender</th>'):]
    assert "<td>3: " in gender_row[:gender_row.index("</tr>")]


def test_b5_export_csv_escapes_text_cells_not_numbers() -> None:
    """A breakdown built from input ('=HYPERLINK(...)') is escaped; a negative value stays
    a number, as the export contract says."""
    row = {"family": "SALT", "code": "STS001", "la_code": "E10000034",
           "period_start": date(2024, 4, 1), "period_end": date(2025, 3, 31),
           "breakdown": "route=@SUM(A1)", "numerator": -3, "denominator": None, "value": -1.5,
           "unit": "count"}
    got = list(csv.reader(io.StringIO(to_csv([row, {**row, "breakdown": "=HYPERLINK(1)"}]
                                            ).decode())))
    assert got[1][5] == "route=@SUM(A1)"  # starts with a letter: left alone
    assert got[2][5] == "'=HYPERLINK(1)"
    assert got[1][6] == "-3" and got[1][8] == "-1.5"


def test_b5_export_salt_writes_input_values_as_text_never_formulas() -> None:
    """A route value from the data ('=cmd|...') appeared as a real formula cell."""
    con = duckdb.connect()
    con.execute("CREATE TABLE metric_values (family VARCHAR, code VARCHAR, la_code VARCHAR, "
                "period_start DATE, period_end DATE, breakdown VARCHAR, numerator DOUBLE)")
    con.execute("INSERT INTO metric_values VALUES ('SALT', 'STS001', 'E10000034', "
                "'2024-04-01', '2025-03-31', 'route==cmd|'' /C calc''!A0', 5)")
    data = deterministic_xlsx(build_workbook(con))
    sheets = [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if "worksheets/" in n]
    xml = b"".join(zipfile.ZipFile(io.BytesIO(data)).read(n) for n in sheets)
    assert b"cmd|" in xml and b"<f>" not in xml


def test_b5_dq_csv_escapes_cells_starting_with_a_formula_character(tmp_path: Path) -> None:
    _, v, con = run({}, {"gp_practice_code": "=1+2"}, {"gp_practice_code": "@A1"})
    register(con, b"k" * 32)
    _, csv_path = write_report(con, load_spec("cld"), v, tmp_path, "x.csv")
    values = [r["value"] for r in csv.DictReader(csv_path.open(encoding="utf-8"))]
    assert not any(v.startswith(("=", "+", "-", "@")) for v in values)


def test_b6_a_period_ending_in_9999_and_year_9999_are_user_errors(tmp_path: Path) -> None:
    path = write_cld_csv(tmp_path / "f.csv", [cld_row("P1")], period_end="9999-12-31")
    out = openasc(tmp_path, "ingest", "cld", str(path))
    assert out.returncode in (0, 1) and "Internal error" not in out.stderr, out.stderr
    out = openasc(tmp_path, "report", "local-account", "--year", "9999-00", "--out", "r")
    assert out.returncode == 1 and "not a financial year" in out.stderr


def test_b6_b8_a_full_disk_replaces_no_output_and_says_so(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills while an export is flushed: the previous file is kept whole, no
    temporary file is left, and the user reads 'the disk is full' (exit 1, not 3)."""
    from openasc import files

    out = tmp_path / "measures.csv"
    out.write_text("the last good export\n")

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full)
    with pytest.raises(OpenascError, match="the disk is full") as err:
        files.write_bytes(out, b"family,code\n" * 1000)
    assert err.value.exit_code == 1
    assert out.read_text() == "the last good export\n"
    assert os.listdir(tmp_path) == ["measures.csv"]


def test_b6_the_command_line_names_a_full_disk(monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """A disk-full error from DuckDB (not an OSError) was 'Internal error', exit 3."""
    from openasc import cli
    from openasc.publish import export

    def full(*_a: object, **_k: object) -> None:
        raise duckdb.IOException("Could not write file: No space left on device")

    monkeypatch.setattr(export, "export_metrics_command", full)
    monkeypatch.setattr(sys, "argv", ["openasc", "export", "metrics", "--format", "csv",
                                      "--out", "x.csv"])
    with pytest.raises(SystemExit) as exit_:
        cli.main()
    assert exit_.value.code == 1
    assert "the disk is full" in capsys.readouterr().err


def test_low_outputs_are_private_to_their_owner(tmp_path: Path) -> None:
    """The warehouse, the users database and outputs were created world-readable (umask
    022): now 0600 files and 0700 folders, whatever the user's umask."""
    path = write_cld_csv(tmp_path / "f.csv", [cld_row("P1")])
    assert openasc(tmp_path, "ingest", "cld", str(path)).returncode == 0
    assert openasc(tmp_path, "validate", "cld", str(path), "--report", "dq").returncode == 0
    users = subprocess.run([sys.executable, "-m", "openasc.cli", "--warehouse",
                            str(tmp_path / "w.duckdb"), "users", "add", "ada", "--role", "admin",
                            "--password-stdin"], input="a-long-password-1\n",
                           capture_output=True, text=True, cwd=tmp_path,
                           env={**os.environ, "OPENASC_USERS_DB":
                                f"sqlite:///{tmp_path / 'users.sqlite'}"})
    assert users.returncode == 0, users.stderr
    for made in [tmp_path / "w.duckdb", tmp_path / "users.sqlite", tmp_path / "dq",
                 *(tmp_path / "dq").iterdir()]:
        assert made.stat().st_mode & 0o077 == 0, f"{made}: {made.stat().st_mode:o}"


def test_low_the_dashboard_benchmark_takes_a_relative_warehouse_path(tmp_path: Path,
                                                                     monkeypatch) -> None:
    """The benchmark starts the server in its own work folder: a relative --warehouse was
    looked up there and not found."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "bench_dashboard", Path(__file__).parents[2] / "benchmarks" / "dashboard.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    monkeypatch.chdir(tmp_path)
    got = bench.prepare(tmp_path / "work", Path("w.duckdb"), 10)
    assert got == tmp_path / "w.duckdb" and got.is_absolute()


def test_low_a_benchmark_command_missing_from_path_stops_with_a_message() -> None:
    """A benchmark run outside the project's environment (no `openasc` on PATH) stopped
    with a traceback from inside the timing wrapper; now it says which command is missing
    and what to do, and a command that runs is still timed."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "bench_harness", Path(__file__).parents[2] / "benchmarks" / "_harness.py")
    harness = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(harness)
    assert harness.run_timed(["true"])["rc"] == 0
    with pytest.raises(SystemExit) as stopped:
        harness.run_timed(["openasc-not-installed-here", "--help"])
    assert "openasc-not-installed-here: no such command; activate the virtual environment" in (
        str(stopped.value))
