"""The mistakes real extracts carry, caught before they reach the warehouse (issue 18).

Each test writes a small CLD file with tests/cldfile.py and runs the real command line:
dates written month first, a file for another council, a file mostly unloadable, and two
submissions covering the same quarters. Each check refuses with exit 1 and a message that
says what was found and what to do, and leaves the warehouse as it was; each has the option
that lets a user say "yes, load it".
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import duckdb
from ascof_harness import background_rows

from cldfile import cld_row, write_cld_csv


def openasc(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["openasc", "--warehouse", str(tmp / "w.duckdb"), *args],
                          capture_output=True, text=True, cwd=tmp)


def _records(tmp: Path) -> list[tuple]:
    if not (tmp / "w.duckdb").exists():
        return []
    con = duckdb.connect(str(tmp / "w.duckdb"), read_only=True)
    try:
        return con.execute("SELECT la_code, event_start_date, event_end_date FROM cld_records "
                           "ORDER BY row_number").fetchall()
    except duckdb.CatalogException:
        return []
    finally:
        con.close()


def _month_first(tmp: Path, name: str, period_month_first: bool) -> Path:
    """Two requests written mm/dd/yyyy: 06/15/2024 (15 June: the second number, 15, is
    over 12, so it can only be month first) and 05/04/2024 (4 May month first, 5 April day
    first); births 06/15/1940. The reporting period is month first too, or day first
    (31/03/2025)."""
    period = ("04/01/2024", "03/31/2025") if period_month_first else ("01/04/2024",
                                                                      "31/03/2025")
    rows = [cld_row("P1", Event_Start_Date="06/15/2024", Event_End_Date="06/15/2024",
                    Date_of_Birth="06/15/1940"),
            cld_row("P2", Event_Start_Date="05/04/2024", Event_End_Date="05/04/2024",
                    Date_of_Birth="06/15/1940")]
    return write_cld_csv(tmp / name, rows, period_start=period[0], period_end=period[1])


def test_a_month_first_file_is_read_month_first_and_says_so(tmp_path: Path) -> None:
    """Every date is mm/dd/yyyy, and 03/31/2025 and 06/15/2024 prove it (a second number
    over 12; no first number is): the file loads with 05/04/2024 as 4 May, and the output
    says the dates were read month first. Before, the period 03/31/2025 was no date and the
    file was refused as having no reporting period."""
    r = openasc(tmp_path, "ingest", "cld", str(_month_first(tmp_path, "us.csv", True)),
                "--submitted-on", "2025-05-01")
    assert r.returncode == 0, r.stderr
    assert "dates read as mm/dd/yyyy" in r.stdout
    assert [(str(s), str(e)) for _, s, e in _records(tmp_path)] == [
        ("2024-06-15", "2024-06-15"), ("2024-05-04", "2024-05-04")]


def test_dates_written_both_ways_round_are_refused(tmp_path: Path) -> None:
    """The period is day first (31/03/2025: first number over 12) but the events month first
    (06/15/2024: second number over 12): one of the two orders is wrong for some dates, and
    05/04/2024 cannot be placed, so the file is refused (exit 1), naming a field and row of
    each order, and nothing is loaded. Before, it loaded with 05/04/2024 as 5 April."""
    r = openasc(tmp_path, "ingest", "cld", str(_month_first(tmp_path, "mixed.csv", False)),
                "--submitted-on", "2025-05-01")
    assert r.returncode == 1, r.stdout
    assert "both ways round" in r.stderr and "Reporting_Period_End_Date, row 2" in r.stderr
    assert "so mm/dd/yyyy (e.g." in r.stderr and "--date-order" in r.stderr
    assert "Traceback" not in r.stderr
    assert _records(tmp_path) == []


def test_a_file_whose_dates_cannot_be_told_apart_needs_the_order_stated(tmp_path: Path
                                                                        ) -> None:
    """The period and birth date in ISO form (2024-04-01, 2025-03-31, 1940-06-15) and one
    request on 05/04/2024, whose
    numbers are both 12 or under: 5 April or 4 May. Refused (exit 1) with a message naming
    the choice; `--date-order dmy` loads it as 5 April, `--date-order mdy` (another
    warehouse) as 4 May."""
    path = write_cld_csv(tmp_path / "amb.csv", [
        cld_row("P1", Event_Start_Date="05/04/2024", Event_End_Date="05/04/2024")])
    path.write_text(path.read_text().replace("01/04/2024", "2024-04-01")
                    .replace("31/03/2025", "2025-03-31").replace("15/06/1940", "1940-06-15"))
    r = openasc(tmp_path, "ingest", "cld", str(path), "--submitted-on", "2025-05-01")
    assert r.returncode == 1 and "cannot tell whether the dates are dd/mm/yyyy" in r.stderr
    assert _records(tmp_path) == []
    v = openasc(tmp_path, "validate", "cld", str(path))
    assert v.returncode == 1 and "--date-order" in v.stderr
    ok = openasc(tmp_path, "ingest", "cld", str(path), "--date-order", "dmy")
    assert ok.returncode == 0, ok.stderr
    assert str(_records(tmp_path)[0][1]) == "2024-04-05"
    other = tmp_path / "other"
    other.mkdir()
    assert openasc(other, "ingest", "cld", str(path), "--date-order", "mdy").returncode == 0
    assert str(_records(other)[0][1]) == "2024-05-04"


def test_a_file_for_another_council_is_refused_unless_added(tmp_path: Path) -> None:
    """Worcestershire (416) is loaded; then a Shropshire file (417): refused, exit 1, the
    message names both councils and --add-council, and nothing of it is loaded. With
    --add-council it loads as a second council. `--la-code E10000034` refuses Shropshire's
    file even in an empty warehouse."""
    worcs = write_cld_csv(tmp_path / "worcs.csv", [cld_row("P1")])
    shrops = write_cld_csv(tmp_path / "shrops.csv", [cld_row("P9")], la_code="417")
    assert openasc(tmp_path, "ingest", "cld", str(worcs)).returncode == 0
    r = openasc(tmp_path, "ingest", "cld", str(shrops))
    assert r.returncode == 1, r.stdout
    assert "Shropshire" in r.stderr and "Worcestershire" in r.stderr
    assert "--add-council" in r.stderr and "Traceback" not in r.stderr
    assert {la for la, _, _ in _records(tmp_path)} == {"E10000034"}
    assert openasc(tmp_path, "ingest", "cld", str(shrops), "--add-council").returncode == 0
    assert {la for la, _, _ in _records(tmp_path)} == {"E10000034", "E06000051"}
    empty = tmp_path / "empty"
    empty.mkdir()
    r = openasc(empty, "ingest", "cld", str(shrops), "--la-code", "E10000034")
    assert r.returncode == 1 and "--la-code" in r.stderr
    assert openasc(empty, "ingest", "cld", str(worcs), "--la-code", "416").returncode == 0


def test_a_file_mostly_quarantined_is_refused_whole(tmp_path: Path) -> None:
    """3 rows, 2 with no person identifier: 2 of 3 (67%) would be quarantined, over the
    default 50%. Refused, exit 1, the message gives the counts (2 of 3, 1 could load) and
    the option; nothing is loaded, not even the quarantine. `--max-quarantined 70` loads it
    (1 loaded + 2 quarantined); so does max_quarantined_percent = 70 in openasc.toml."""
    rows = [cld_row("P1")] + [cld_row(f"X{i}", NHS_Number=None, LA_Person_Unique_Identifier=None,
                                      Event_Reference=f"R{i}") for i in range(2)]
    path = write_cld_csv(tmp_path / "bad.csv", rows)
    r = openasc(tmp_path, "ingest", "cld", str(path))
    assert r.returncode == 1, r.stdout
    assert "2 of 3 rows (67%) would be quarantined" in r.stderr
    assert "more than the 50% allowed" in r.stderr and "1 rows could have loaded" in r.stderr
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM quarantine").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM loaded_files").fetchone()[0] == 0
    con.close()
    ok = openasc(tmp_path, "ingest", "cld", str(path), "--max-quarantined", "70")
    assert ok.returncode == 0 and "3 rows in = 1 loaded + 2 quarantined" in ok.stdout
    toml = tmp_path / "conf"
    toml.mkdir()
    (toml / "openasc.toml").write_text('max_quarantined_percent = 70\n')
    assert openasc(toml, "ingest", "cld", str(path)).returncode == 0


def test_ingest_says_which_submission_was_kept_for_an_overlapping_period(tmp_path: Path
                                                                         ) -> None:
    """q4.csv states 2023-04-01 to 2024-03-31, submitted 2024-05-01; q1.csv states
    2023-07-01 to 2024-06-30, submitted 2024-08-01; each has a request ending in every month
    of its period, so its derived period is the stated one (cld-r2.md §5.2). Both cover Jul
    2023 to Mar 2024; the
    method keeps the later file there (cld-r2.md §5.3), so ingest prints, for the reference
    period 01/07/2023 to 30/06/2024 that q1.csv speaks for, that it kept q1.csv over q4.csv."""
    q4 = write_cld_csv(tmp_path / "q4.csv", background_rows("2023-04-01", 12),
                       period_start="2023-04-01", period_end="2024-03-31")
    q1 = write_cld_csv(tmp_path / "q1.csv", background_rows("2023-07-01", 12),
                       period_start="2023-07-01", period_end="2024-06-30")
    assert openasc(tmp_path, "ingest", "cld", str(q4), "--submitted-on", "2024-05-01"
                   ).returncode == 0
    r = openasc(tmp_path, "ingest", "cld", str(q1), "--submitted-on", "2024-08-01")
    assert r.returncode == 0, r.stderr
    assert ("01/07/2023 to 30/06/2024 (E10000034): kept q1.csv (submitted 01/08/2024) over "
            "q4.csv") in r.stdout


def test_the_exit_codes_are_the_same_in_help_readme_and_behaviour(tmp_path: Path) -> None:
    """README: 0 success; 1 a problem with the input or options; 2 a file that cannot be
    read at all. `validate cld --help` says the same (it promised 2 for a file read but not
    checkable, which exits 1), and the commands do it: a wrong header exits 1, a missing
    file 2."""
    readme = " ".join((Path(__file__).parents[2] / "README.md").read_text().split())
    assert "1 a problem with your input or options" in readme
    assert "2 a file that cannot be read at all" in readme
    help_text = " ".join(openasc(tmp_path, "validate", "cld", "--help").stdout.split())
    assert "1 when a file was read but is not one that can be checked" in help_text
    assert "2 when a file cannot be read at all" in help_text
    bad = tmp_path / "header.csv"
    bad.write_text("LA_Code,Colour\n416,red\n")
    assert openasc(tmp_path, "validate", "cld", str(bad)).returncode == 1
    assert openasc(tmp_path, "validate", "cld", str(tmp_path / "absent.csv")).returncode == 2
