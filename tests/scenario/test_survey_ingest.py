"""Survey returns at the door: the national workbook and the tidy CSV, quarantine with
reasons, accounting, "already loaded", and privacy (serial numbers pseudonymised, free text
and the return's other columns never written)."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
from survey_files import ASCS_HEAD, write
from typer.testing import CliRunner

from openasc.cli import app
from openasc.errors import UnreadableInput
from openasc.synth.survey import write_survey

FREE_TEXT = "meals on wheels and a day centre"  # what the synthetic workbook's free text says


def _invoke(*args: str) -> tuple[int, str]:
    r = CliRunner().invoke(app, list(args))
    return r.exit_code, r.output + (str(r.exception) if r.exit_code and r.exception else "")


def _scan(warehouse: Path, needles: set[str]) -> list[str]:
    """Every text column of every table, read through SQL, for any of `needles`."""
    con = duckdb.connect(str(warehouse), read_only=True)
    hits = []
    for table, column in con.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE data_type = 'VARCHAR' AND table_schema = 'main'").fetchall():
        values = {v for (v,) in con.execute(f'SELECT DISTINCT "{column}" FROM "{table}"')
                  .fetchall() if v}
        hits += [f"{table}.{column}: {n}" for n in needles for v in values
                 if re.search(rf"(?<![0-9A-Za-z]){re.escape(n)}(?![0-9A-Za-z])", v)]
    return hits


def test_national_workbook_loads_with_its_population_and_leaves_the_rest(tmp_path: Path
                                                                        ) -> None:
    """The national layout: sign-off sheet first, "Service User Data" with the eligible
    population on every row, an ethnicity column and a free-text column. Without --year the
    command exits 1 and says why; with it, 120 rows load, the free text and ethnicity are
    not read, no serial number is written, and 1B is weighted by the populations on the
    rows (strata 1-4: 900 + 1400 + 1100 + 2600 = 6000 people)."""
    book = tmp_path / "inputs" / "return.xlsx"
    book.parent.mkdir()
    write_survey(book, respondents=120, la_code="E10000034", year="2024-25", seed=5,
                 xlsx=True)
    wh = str(tmp_path / "w.duckdb")
    code, out = _invoke("--warehouse", wh, "ingest", "survey", str(book))
    assert code == 1 and "no Survey_Year column" in out and "--year" in out, out
    code, out = _invoke("--warehouse", wh, "ingest", "survey", str(book), "--year", "2024-25")
    assert code == 0, out
    assert "120 rows in, 120 loaded into ascs_responses, 0 quarantined" in out
    assert "free-text column(s) Centrally_Funded_Info dropped unread" in out
    assert "read the worksheet 'Service User Data'" in out
    code, out = _invoke("--warehouse", wh, "compute", "--from", "2024-04-01", "--to",
                        "2025-03-31", "--select", "1B")
    assert code == 0, out
    con = duckdb.connect(wh, read_only=True)
    d = con.execute("SELECT denominator FROM metric_values WHERE code = '1B' AND "
                    "breakdown = ''").fetchone()[0]
    assert d == 6000
    columns = {c for (c,) in con.execute("SELECT column_name FROM information_schema.columns "
                                         "WHERE table_name = 'ascs_responses'").fetchall()}
    assert not columns & {"serial_number", "centrally_funded_info", "ethnic_origin", "age"}
    con.close()
    serials = {f"U{i:06d}" for i in range(1, 121)}
    assert _scan(tmp_path / "w.duckdb", serials | {FREE_TEXT}) == []


def test_bad_rows_are_quarantined_with_reasons_and_counts_add_up(tmp_path: Path) -> None:
    """Six rows: two good; a stratum 7; q3a 9; an easy-read q1 of 6 (easy read has five
    answers); a council code that is the DfE's (886), not the NHS one. 6 in = 2 loaded +
    4 quarantined, each with its field; a free-text comment on a good row is dropped, not
    written anywhere (the quarantine included). The same file again changes nothing."""
    good = {"LA_Code": "416", "Survey_Year": "2024-25", "Stratum": 2, "Age": 40, "q3a": 1}
    rows = [
        {**good, "Serial_Number": "G1", "Comments": "my carer Ann Smith is lovely"},
        {**good, "Serial_Number": "G2"},
        {**good, "Serial_Number": "B1", "Stratum": 7},
        {**good, "Serial_Number": "B2", "q3a": 9},
        {**good, "Serial_Number": "B3", "Questionnaire": 3, "q1": 6},
        {**good, "Serial_Number": "B4", "LA_Code": "886"},
        # three more good rows, so that under half the file is quarantined (a file more
        # than 50% quarantined is refused whole: tests/scenario/test_extract_checks.py)
        {**good, "Serial_Number": "G3"}, {**good, "Serial_Number": "G4"},
        {**good, "Serial_Number": "G5"},
    ]
    f = write(tmp_path / "ascs.csv", [*ASCS_HEAD, "Comments"], rows)
    wh = str(tmp_path / "w.duckdb")
    code, out = _invoke("--warehouse", wh, "ingest", "survey", str(f))
    assert code == 0, out
    assert "9 rows in, 5 loaded into ascs_responses, 4 quarantined" in out
    con = duckdb.connect(wh, read_only=True)
    got = con.execute("SELECT row_number, field, reason FROM quarantine ORDER BY 1").fetchall()
    con.close()
    assert [(r, f) for r, f, _ in got] == [(4, "Stratum"), (5, "q3a"), (6, "q1"),
                                           (7, "LA_Code")]
    assert "is not an easy-read answer" in got[2][2]
    assert _scan(tmp_path / "w.duckdb", {"Ann Smith", "G1", "B1"}) == []
    code, out = _invoke("--warehouse", wh, "ingest", "survey", str(f))
    assert code == 0 and "already loaded" in out, out


def test_a_broken_workbook_is_unreadable_not_a_traceback(tmp_path: Path) -> None:
    """A file named .xlsx that is not a workbook: unreadable input (exit 2 from the command
    line), the file named, nothing loaded."""
    f = tmp_path / "return.xlsx"
    f.write_bytes(b"not a zip")
    r = CliRunner().invoke(app, ["--warehouse", str(tmp_path / "w.duckdb"), "ingest", "survey",
                                 str(f), "--year", "2024-25"])
    assert isinstance(r.exception, UnreadableInput), r.output
    assert r.exception.exit_code == 2
    assert "return.xlsx" in str(r.exception)
