"""`openasc ingest population`: ONS wide, ONS long and tidy layouts, with row accounting."""

from __future__ import annotations

from pathlib import Path

import duckdb
from typer.testing import CliRunner

from openasc.cli import app


def wide_file(path: Path, worcs_age_90: str = "4321") -> Path:
    """ONS style: title and note rows above the header, 0..89 and 90+, a notes row below.
    Worcestershire (E10000034) has 100 + age at each age 0..89 and 4321 at 90+; Barnet
    (E09000003) 50 at each age; Wychavon (E07000238, a district) is not a social care
    council; England (E92000001) is kept, its figures written "1,000" as ONS CSVs do."""
    ages = [str(a) for a in range(90)] + ["90+"]
    lines = [
        "Mid-2024 population estimates for local authorities in England,,,",
        "Source: Office for National Statistics,,,",
        "",
        ",".join(["Code", "Name", "Geography", "All ages", *ages]),
        ",".join(["E10000034", "Worcestershire", "County", "x",
                  *[str(100 + a) for a in range(90)], worcs_age_90]),
        ",".join(["E09000003", "Barnet", "London Borough", "x", *["50"] * 91]),
        ",".join(["E07000238", "Wychavon", "Non-metropolitan District", "x", *["1"] * 91]),
        ",".join(["E92000001", "England", "Country", "x", *['"1,000"'] * 91]),
        "Notes: figures may not sum because of rounding,,,",
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def load(wh: Path, path: Path) -> tuple[int, str]:
    r = CliRunner().invoke(app, ["--warehouse", str(wh), "ingest", "population", str(path)])
    return r.exit_code, r.output + (str(r.exception) if r.exception else "")


def test_ons_wide_layout_with_title_rows_and_quarantine(tmp_path: Path) -> None:
    """4 data rows: Worcestershire, Barnet and England load (91 ages each, persons, 2024);
    Wychavon is a district: quarantined on its code. 3 + 1 = 4 rows in. Worcestershire
    aged 65 and over: sum of 100 + a for a = 65..89 = 25 x 100 + (65 + 89) x 25 / 2 =
    2500 + 1925 = 4425, plus 4321 at 90+ = 8746. England's "1,000" reads as 1000."""
    wh = tmp_path / "wh.duckdb"
    code, out = load(wh, wide_file(tmp_path / "mye.csv"))
    assert code == 0, out
    assert "4 row(s) read, 3 loaded, 1 quarantined" in out
    con = duckdb.connect(str(wh), read_only=True)
    assert con.execute("SELECT sum(population) FROM population WHERE la_code = 'E10000034' "
                       "AND year = 2024 AND sex = 'persons' AND age >= 65").fetchone()[0] == 8746
    assert con.execute("SELECT count(*), min(population) FROM population "
                       "WHERE la_code = 'E92000001'").fetchone() == (91, 1000)
    q = con.execute("SELECT row_number, field, reason FROM quarantine").fetchall()
    assert q[0][0] == 7 and q[0][1] == "code" and "E07000238" in q[0][2]
    inputs = con.execute("SELECT inputs FROM runs").fetchone()[0]
    assert '"rows_in": 4' in inputs and '"rows_quarantined": 1' in inputs


def test_reloading_replaces_the_same_keys(tmp_path: Path) -> None:
    """Second load of a corrected file: Worcestershire 90+ becomes 5000; still 91 rows per
    council, not 182."""
    wh = tmp_path / "wh.duckdb"
    load(wh, wide_file(tmp_path / "a-mid-2024.csv"))
    code, out = load(wh, wide_file(tmp_path / "b-mid-2024.csv", worcs_age_90="5000"))
    assert code == 0, out
    con = duckdb.connect(str(wh), read_only=True)
    assert con.execute("SELECT count(*), max(population) FILTER (WHERE age = 90) "
                       "FROM population WHERE la_code = 'E10000034'").fetchone() == (91, 5000)


def test_bad_cell_quarantines_the_row_and_nothing_of_it_loads(tmp_path: Path) -> None:
    wh = tmp_path / "wh.duckdb"
    code, out = load(wh, wide_file(tmp_path / "mye.csv", worcs_age_90="lots"))
    assert code == 0, out
    con = duckdb.connect(str(wh), read_only=True)
    assert con.execute("SELECT count(*) FROM population WHERE la_code = 'E10000034'"
                       ).fetchone()[0] == 0
    assert con.execute("SELECT field FROM quarantine WHERE row_number = 5").fetchone()[0] == \
        "population"


def test_tidy_layout_and_nhs_codes(tmp_path: Path) -> None:
    """Tidy rows: 416 is Worcestershire's NHS council code -> E10000034."""
    path = tmp_path / "tidy.csv"
    path.write_text("la_code,year,sex,age,population\n416,2023,female,70,2500\n"
                    "416,2023,male,70,2300\nE10000034,2023,persons,70,4800\n"
                    "E10000034,2023,nobody,70,1\n")
    wh = tmp_path / "wh.duckdb"
    code, out = load(wh, path)
    assert code == 0, out
    assert "4 row(s) read, 3 loaded, 1 quarantined" in out
    con = duckdb.connect(str(wh), read_only=True)
    assert con.execute("SELECT sex, population FROM population ORDER BY sex").fetchall() == [
        ("female", 2500), ("male", 2300), ("persons", 4800)]


def test_long_ons_layout_sums_persons(tmp_path: Path) -> None:
    """ladcode,laname,sex,age,population_2022 with sex 1 (male) and 2 (female): persons is
    their sum, 30 + 40 = 70 at age 18."""
    path = tmp_path / "long.csv"
    path.write_text("ladcode,laname,sex,age,population_2022\n"
                    "E10000034,Worcestershire,1,18,30\nE10000034,Worcestershire,2,18,40\n")
    wh = tmp_path / "wh.duckdb"
    code, out = load(wh, path)
    assert code == 0, out
    con = duckdb.connect(str(wh), read_only=True)
    assert con.execute("SELECT population FROM population WHERE sex = 'persons' AND "
                       "year = 2022 AND age = 18").fetchone()[0] == 70


def test_no_year_and_no_table_are_clear_errors(tmp_path: Path) -> None:
    wh = tmp_path / "wh.duckdb"
    wide = wide_file(tmp_path / "estimates.csv")
    wide.write_text(wide.read_text().replace("Mid-2024 ", ""))
    code, out = load(wh, wide)
    assert code == 1 and "Mid-2024" in out
    junk = tmp_path / "junk.csv"
    junk.write_text("a,b\n1,2\n")
    code, out = load(wh, junk)
    assert code == 1 and "no population table" in out
    r = CliRunner().invoke(app, ["--warehouse", str(wh), "ingest", "population",
                                 str(tmp_path / "missing.csv")])
    assert getattr(r.exception, "exit_code", None) == 2  # main() exits 2: cannot be read
