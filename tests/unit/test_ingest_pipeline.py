"""The one ingest pipeline: row accounting, "already loaded", results instead of printing,
the privacy guard on specs, and comparator imports that say what they did not load."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from openasc.cli import app
from openasc.compare.comparators import import_comparators
from openasc.errors import OpenascError
from openasc.ingest import pipeline
from openasc.warehouse import connect

ASCOF_HEADER = ("Geographical Code,Geographical Description,Geographical Level,ONS Code,"
                "Measure Group,Measure Group Description,Disaggregation Level,Measure Type,"
                "Measure Value\n")


def _invoke(args: list[str]) -> tuple[int, str]:
    r = CliRunner().invoke(app, args)
    return r.exit_code, r.output + (str(r.exception) if r.exception else "")


def test_ascof_file_of_a_year_with_no_mapping_says_why_and_exits_1(tmp_path: Path) -> None:
    """An ASCOF data file for 2015-16: ascof_csv_codes.csv maps measure groups from 2016-17
    on, so none of the 3 rows becomes a value. The command says so - which
    file, which year, why, 0 of 3 rows - exits 1, and quarantines each row with its reason
    (3 rows in = 0 loaded + 3 quarantined)."""
    f = tmp_path / "ascof-2015-16.csv"
    f.write_text(ASCOF_HEADER
                 + "304,Bolton,Council,,2A,x,Total,Numerator,410\n"
                 + "304,Bolton,Council,,2A,x,Total,Denominator,500\n"
                 + "304,Bolton,Council,,2A,x,Total,Outcome,82.0\n")
    wh = tmp_path / "w.duckdb"
    code, out = _invoke(["--warehouse", str(wh), "ingest", "comparators", str(f),
                         "--year", "2015-16"])
    assert code == 1, out
    assert ("ascof-2015-16.csv: an ASCOF file for 2015-16: no mapping for that year's codes, "
            "0 of 3 rows loaded.") in out
    assert "not used: 3 row(s): no mapping for measure group 2A in 2015-16" in out
    con = duckdb.connect(str(wh), read_only=True)
    assert con.execute("SELECT count(*) FROM comparator_values").fetchone()[0] == 0
    rows = con.execute("SELECT row_number, field FROM quarantine WHERE source = 'comparators' "
                       "ORDER BY 1").fetchall()
    assert rows == [(2, "Measure Group"), (3, "Measure Group"), (4, "Measure Group")]


def test_the_installed_command_exits_1_too(tmp_path: Path) -> None:
    """The same refused file through the real entry point (`python -m openasc.cli`, which
    runs `main()`), not the test runner: Click outside standalone mode hands a command's
    exit code back instead of exiting, and `main()` once dropped it, so this exited 0."""
    import subprocess
    import sys

    f = tmp_path / "ascof-2015-16.csv"
    f.write_text(ASCOF_HEADER + "304,Bolton,Council,,2A,x,Total,Outcome,82.0\n")
    r = subprocess.run([sys.executable, "-m", "openasc.cli", "--warehouse",
                        str(tmp_path / "w.duckdb"), "ingest", "comparators", str(f),
                        "--year", "2015-16"], capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "0 of 1 rows loaded" in r.stdout


def test_comparator_rows_not_used_are_counted_by_reason(tmp_path: Path) -> None:
    """A 2019-20 ASCOF file of 5 rows: Bolton's 2D numerator, denominator and outcome (the
    legacy 2D is the current 2A: 3 rows make one value), England's 2D outcome (a 4th row, a
    second value) and one row of measure group 9Z, which no year maps. Loaded 4 rows, 1 not
    used with its reason; exit 0."""
    f = tmp_path / "ascof.csv"
    f.write_text(ASCOF_HEADER
                 + "304,Bolton,Council,,2D,x,Total,Numerator,410\n"
                 + "304,Bolton,Council,,2D,x,Total,Denominator,500\n"
                 + "304,Bolton,Council,,2D,x,Total,Outcome,82.0\n"
                 + "999,England,England,E92000001,2D,x,Total,Outcome,[c]\n"
                 + "304,Bolton,Council,,9Z,not ours,Total,Outcome,1\n")
    code, out = _invoke(["--warehouse", str(tmp_path / "w.duckdb"), "ingest", "comparators",
                         str(f), "--year", "2019-20"])
    assert code == 0, out
    assert "2 values kept for years 2019; 4 of 5 rows loaded." in out
    assert "not used: 1 row(s): no mapping for measure group 9Z in 2019-20" in out


def test_same_comparator_file_twice_is_already_loaded(tmp_path: Path) -> None:
    f = tmp_path / "tidy.csv"
    f.write_text("family,code,la_code,period_start,period_end,breakdown,numerator,denominator,"
                 "value,unit\nASCOF,2A,E08000001,2023-04-01,2024-03-31,,1,2,50.0,percent\n")
    con = connect(tmp_path / "w.duckdb")
    first = import_comparators(con, f)
    again = import_comparators(con, f)
    assert (first.rows_in, first.loaded, first.already_loaded) == (1, 1, False)
    assert again.already_loaded
    assert con.execute("SELECT count(*) FROM runs WHERE command = 'ingest comparators'"
                       ).fetchone()[0] == 1


def test_discharges_result_counts_add_up_and_nothing_is_printed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Three spells: one good, one with a bad NHS number, one discharged before admission.
    The library returns 3 in = 1 loaded + 2 quarantined (by field) and prints nothing."""
    from openasc.config import load_settings
    from openasc.ingest.discharges import ingest_discharges_file

    header = ("Spell_ID,NHS_Number,Birth_Year,Birth_Month,Sex,Residence_LA_Code,"
              "Admission_Date,Discharge_Date,Admission_Method,Management_Type,Discharge_Method,"
              "Discharge_Destination,Treatment_Function_Code,Last_Episode_In_Spell\n")
    good = "S1,9434765919,1944,3,2,416,01/05/2024,10/05/2024,21,FCE,1,19,300,Y\n"
    f = tmp_path / "d.csv"
    f.write_text(header + good + good.replace("S1,9434765919", "S2,1234567890")
                 + good.replace("S1,", "S3,").replace("10/05/2024", "01/04/2024"))
    settings = load_settings(tmp_path / "w.duckdb")
    # every date has day and month 12 or under, so the order is stated (ingest/dates.py);
    # 2 of 3 rows quarantined is over the 50% at which a file is refused
    result = ingest_discharges_file(f, settings, date_order="dmy", max_quarantined=100)
    one = result.files[0]
    assert (one.rows_in, one.loaded, one.quarantined) == (
        3, 1, {"Discharge_Date": 1, "NHS_Number": 1})
    assert capsys.readouterr().out == ""
    assert pipeline.render_lines(result)[0] == (
        "d.csv: 3 rows in, 1 loaded into hospital_discharges, 2 quarantined.")


def test_a_spec_that_would_store_an_identifier_is_refused() -> None:
    fields = [pipeline._input_field({"name": "NHS_Number", "privacy": "direct_identifier"})]
    with pytest.raises(OpenascError, match="reads the direct identifier NHS_Number"):
        pipeline._check_privacy("x", fields, {"person_id": "v_nhs_number"})
    pipeline._check_privacy("x", fields, {"person_id": "pseudo(v_nhs_number)"})


COMPLAINTS_SPEC = """
name: complaints
title: Complaints log (a test input)
version: "test 1"
fields:
  - {name: Complaint_ID, required: true, privacy: direct_identifier}
  - {name: Received, type: date, required: true, invalid: is not a date,
     expected: dd/mm/yyyy}
  - {name: Outcome, aliases: [Result], values: [Upheld, Not upheld, Partly upheld]}
  - {name: In_Time, type: boolean, invalid: is not Y or N}
ingest:
  table: complaints_log
  key: [complaint_pseudo]
  columns:
    complaint_pseudo: VARCHAR NOT NULL
    received: DATE NOT NULL
    outcome: VARCHAR
    in_time: BOOLEAN
  map:
    complaint_pseudo: "pseudo('complaint_' || v_complaint_id)"
    received: v_received
    outcome: v_outcome
    in_time: v_in_time
"""


def test_a_new_input_is_one_spec_file(tmp_path: Path) -> None:
    """A complaints log described only by a spec file (no Python): 4 rows in = 2 loaded + 2
    quarantined (row 4: Received 31/02/2025 is not a date; row 5: Outcome 'Maybe' is not in
    its list). The table is generated from the spec, the IDs arrive only as pseudonyms, the
    same file again changes nothing, and a corrected file restating C1 replaces its row
    (key complaint_pseudo): still 2 rows, C1 now Upheld."""
    from openasc.config import load_settings

    spec = tmp_path / "complaints.yaml"
    spec.write_text(COMPLAINTS_SPEC)
    f = tmp_path / "log.csv"
    f.write_text("Complaint_ID,Received,Result,In_Time\nC1,01/04/2025,Not upheld,Y\n"
                 "C2,02/04/2025,Upheld,N\nC3,31/02/2025,Upheld,Y\nC4,03/04/2025,Maybe,Y\n")
    settings = load_settings(tmp_path / "w.duckdb")
    first = pipeline.ingest_file(spec, f, settings).files[0]
    assert (first.rows_in, first.loaded, first.quarantined) == (4, 2, {"Outcome": 1,
                                                                        "Received": 1})
    assert pipeline.ingest_file(spec, f, settings).files[0].already_loaded
    fixed = tmp_path / "log2.csv"
    fixed.write_text("Complaint_ID,Received,Result,In_Time\nC1,01/04/2025,Upheld,Y\n")
    assert pipeline.ingest_file(spec, fixed, settings, date_order="dmy").files[0].replaced == 1
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    rows = con.execute("SELECT complaint_pseudo, received, outcome, in_time, row_number "
                       "FROM complaints_log ORDER BY received").fetchall()
    assert [r[1:] for r in rows] == [
        (date(2025, 4, 1), "Upheld", True, 2), (date(2025, 4, 2), "Upheld", False, 3)]
    assert all(len(r[0]) == 64 and not r[0].startswith("C") for r in rows)
    q = con.execute("SELECT row_number, field, reason FROM quarantine ORDER BY 1").fetchall()
    assert q == [(4, "Received", "Received '31/02/2025' is not a date; expected dd/mm/yyyy"),
                 (5, "Outcome", "Outcome 'Maybe' is not one of: Upheld, Not upheld, "
                                "Partly upheld")]


def test_a_council_column_named_la_code_reads_the_file(tmp_path: Path) -> None:
    """A spec whose council field is LA_Code (column `la_code`, the same name as a column of
    the councils table the check looks codes up in): Worcestershire's row must load as
    E10000034. When the column was not qualified, it bound to the councils table's own
    la_code and every row resolved to the first council, E06000001."""
    from openasc.config import load_settings

    spec = tmp_path / "visits.yaml"
    spec.write_text("""
name: visits
title: Visits (a test input)
version: "test 1"
fields:
  - {name: LA_Code, type: council, required: true, invalid: is not a council code}
  - {name: Visits, type: integer, required: true, invalid: is not a whole number}
ingest:
  table: visits
  key: [la_code]
  columns:
    la_code: VARCHAR NOT NULL
    visits: INTEGER
  map:
    la_code: v_la_code
    visits: v_visits
""")
    f = tmp_path / "visits.csv"
    f.write_text("LA_Code,Visits\nE10000034,7\n")
    settings = load_settings(tmp_path / "w.duckdb")
    result = pipeline.ingest_file(spec, f, settings).files[0]
    assert (result.rows_in, result.loaded) == (1, 1)
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    assert con.execute("SELECT la_code, visits FROM visits").fetchall() == [("E10000034", 7)]
