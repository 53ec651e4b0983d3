"""The one ingest pipeline: row accounting, "already loaded", results instead of printing,
the privacy guard on specs, and comparator imports that say what they did not load."""

from __future__ import annotations

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
    result = ingest_discharges_file(f, settings)
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
