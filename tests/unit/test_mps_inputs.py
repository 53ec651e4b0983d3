"""The market position inputs' readers and checks (docs/market-position.md): the ONS
projections layouts and their lookup, the CQC directory's workbook rules, the prevalence
rates' band checks. Each runs the real command line on a small hand-made file."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import duckdb

from openasc.ingest.ods import sheets, write_ods
from openasc.synth.care_directory import location, workbook, write_book


def cli(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OPENASC_KEY_FILE": str(tmp / "key")}
    return subprocess.run(["openasc", "--warehouse", str(tmp / "w.duckdb"), *args],
                          capture_output=True, text=True, env=env, cwd=tmp)


# ----------------------------------------------------------------------------- ODS reader
def test_ods_reader_keeps_row_numbers_values_and_skips_filler(tmp_path: Path) -> None:
    path = write_ods(tmp_path / "b.ods", {"README": [["as at 1 March 2026"]],
                                          "Data": [["Location ID", "Beds"], ["1-1", 40],
                                                   [], ["1-2", 2.5]]})
    got = {name: list(rows) for name, rows in sheets(path)}
    assert got["README"] == [(1, ["as at 1 March 2026"])]
    # the empty row is skipped but counted; the million filler rows produce nothing
    assert got["Data"] == [(1, ["Location ID", "Beds"]), (2, ["1-1", "40"]), (4, ["1-2", "2.5"])]


# ----------------------------------------------------------------------------- projections
def _ons(path: Path, rows: list[list[str]], years: range = range(2022, 2025)) -> Path:
    buf = io.StringIO()
    buf.write(",".join(f'"{h}"' for h in ["AREA_CODE", "AREA_NAME", "COMPONENT", "SEX",
                                          "AGE_GROUP", *map(str, years)]) + "\n")
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def _district(code: str, value: str = "10") -> list[list[str]]:
    ages = [*map(str, range(90)), "90 and over"]
    return [[code, "X", "Population", "persons", a, value, value, value] for a in ages] + [
        [code, "X", "Population", "persons", "All ages", *(str(91 * float(value)),) * 3]]


def test_2022_based_file_needs_its_variant(tmp_path: Path) -> None:
    path = _ons(tmp_path / "p.csv", _district("E06000001"))
    r = cli(tmp_path, "ingest", "projections", str(path))
    assert r.returncode == 1 and "--variant" in r.stderr + r.stdout


def test_council_with_a_missing_district_stops_the_run(tmp_path: Path) -> None:
    lookup = tmp_path / "lk.csv"
    lookup.write_text("LAD23CD,CTYUA23CD\nE07000234,E10000034\nE07000235,E10000034\n")
    path = _ons(tmp_path / "p.csv", _district("E07000234"))
    r = cli(tmp_path, "ingest", "projections", str(path), "--lookup", str(lookup),
            "--variant", "five-year migration")
    assert r.returncode == 1
    assert "E10000034 has districts missing from the file (E07000235)" in r.stderr + r.stdout
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = "
                       "'district_lookup'").fetchone()[0] == 0  # nothing was kept


def test_district_without_lookup_is_quarantined_and_unitary_loads(tmp_path: Path) -> None:
    rows = _district("E06000001") + _district("E07000234")
    rows[5][6] = "-3"  # age 5, 2023: a negative population
    r = cli(tmp_path, "ingest", "projections", str(_ons(tmp_path / "p.csv", rows)),
            "--variant", "migration category")
    assert r.returncode == 0, r.stderr
    assert "184 row(s) read = 91 loaded + 93 quarantined" in r.stdout
    assert "AREA_CODE 92" in r.stdout and "population 1" in r.stdout
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    reasons = [x[0] for x in con.execute("SELECT reason FROM quarantine ORDER BY row_number")
               .fetchall()]
    assert reasons[0] == "2023: '-3' is not a number of people (expected a number of 0 or more)"
    assert "not in the district-to-council lookup" in reasons[1]
    assert con.execute("SELECT DISTINCT release FROM population_projections").fetchall() == \
        [("ONS SNPP 2022-based, migration category variant",)]


def test_2018_county_row_is_a_check_only(tmp_path: Path) -> None:
    """Worcestershire's row says 25 at every age; its two districts sum to 20: warned, and
    the districts' sum (20) is what loads."""
    lookup = tmp_path / "lk.csv"
    lookup.write_text("LTLA22CD,UTLA22CD\nE07000234,E10000034\nE07000235,E10000034\n")
    rows = _district("E07000234") + _district("E07000235") + [
        r[:5] + ["25"] * 3 for r in _district("E10000034")[:91]]
    path = _ons(tmp_path / "p.csv", rows, range(2018, 2021))
    r = cli(tmp_path, "ingest", "projections", str(path), "--lookup", str(lookup))
    assert r.returncode == 0, r.stderr
    assert "ONS SNPP 2018-based, principal projection" in r.stdout
    assert "273 county, region or England figure(s) differ" in r.stdout
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    assert con.execute("SELECT DISTINCT population FROM population_projections "
                       "WHERE la_code = 'E10000034'").fetchall() == [(20.0,)]


def test_tidy_layout_with_its_source(tmp_path: Path) -> None:
    lines = ["area_code,year,age,sex,population,kind,source"] + [
        f"E06000001,2030,{a},persons,{a}.5,projection,Council projection 2025" for a in range(91)]
    (tmp_path / "t.csv").write_text("\n".join(lines) + "\n")
    r = cli(tmp_path, "ingest", "projections", str(tmp_path / "t.csv"))
    assert r.returncode == 0, r.stderr
    assert "91 row(s) read = 91 loaded + 0 quarantined" in r.stdout
    assert "(Council projection 2025)" in r.stdout


# ----------------------------------------------------------------------------- CQC directory
def _book(path: Path, rows: list[list[object]], as_at: date = date(2026, 3, 1)) -> Path:
    return write_book(path, workbook(rows, as_at))


def test_unknown_local_authority_stops_until_an_alias_names_it(tmp_path: Path) -> None:
    rows = [location("1-1", "Worcs CC", "West Midlands", care_home=True, beds=10,
                     residential=True),
            location("1-2", "Bristol, City of", "South West", domiciliary=True)]
    path = _book(tmp_path / "01_March_2026_HSCA_Active_Locations.xlsx", rows)
    r = cli(tmp_path, "ingest", "care-directory", str(path))
    assert r.returncode == 1 and "'Worcs CC' (1 row)" in r.stderr + r.stdout
    (tmp_path / "aliases.csv").write_text("cqc_name,council_ons_code\nWorcs CC,E10000034\n")
    r = cli(tmp_path, "ingest", "care-directory", str(path), "--aliases",
            str(tmp_path / "aliases.csv"))
    assert r.returncode == 0, r.stderr
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    assert con.execute("SELECT location_id, la_code FROM care_locations ORDER BY 1")\
        .fetchall() == [("1-1", "E10000034"), ("1-2", "E06000023")]


def test_repeats_and_bad_beds_are_quarantined_and_dates_checked(tmp_path: Path) -> None:
    rows = [location("1-1", "Worcestershire", "West Midlands", care_home=True, beds=10,
                     residential=True),
            location("1-1", "Worcestershire", "West Midlands", domiciliary=True),
            location("1-3", "Worcestershire", "West Midlands", care_home=True, beds=-2,
                     residential=True)]
    path = _book(tmp_path / "02_March_2026_HSCA_Active_Locations.ods", rows)
    r = cli(tmp_path, "ingest", "care-directory", str(path))
    assert r.returncode == 0, r.stderr
    assert "3 location(s) read = 1 loaded + 2 quarantined" in r.stdout
    assert "the README says as at 2026-03-01 but the file name says 2026-03-02" in r.stdout
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    got = dict(con.execute("SELECT row_number, reason FROM quarantine").fetchall())
    assert got[3] == "Location ID 1-1 is repeated (first at row 2); each location is listed once"
    assert got[4].startswith("Care homes beds '-2' is not a whole number of beds")


def test_no_snapshot_date_anywhere_is_refused(tmp_path: Path) -> None:
    book = workbook([location("1-1", "Worcestershire", "West Midlands")], date(2026, 3, 1))
    book["README"] = [["Care directory with filters"]]
    path = write_book(tmp_path / "directory.ods", book)
    r = cli(tmp_path, "ingest", "care-directory", str(path))
    assert r.returncode == 1 and "--as-at" in r.stderr + r.stdout


# ----------------------------------------------------------------------------- rates
def test_conditions_with_broken_bands_are_quarantined_whole(tmp_path: Path) -> None:
    (tmp_path / "r.csv").write_text(
        "condition_code,condition_label,age_from,age_to,sex,rate,unit,source\n"
        "OK,fine,18,64,persons,1,percent,s\n"
        "OVER,o,18,40,persons,1,percent,s\nOVER,o,30,64,persons,1,percent,s\n"
        "GAP,g,18,40,persons,1,percent,s\nGAP,g,45,64,persons,1,percent,s\n"
        "OPEN,p,18,,persons,1,percent,s\nOPEN,p,65,70,persons,1,percent,s\n"
        "HALF,h,65,,male,1,percent,s\n"
        "BIG,b,18,64,persons,120,percent,s\n")
    r = cli(tmp_path, "ingest", "prevalence-rates", str(tmp_path / "r.csv"))
    assert r.returncode == 0, r.stderr
    assert "9 rows in = 1 loaded + 8 quarantined" in r.stdout
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    reasons = {x[0] for x in con.execute("SELECT reason FROM quarantine").fetchall()}
    assert "condition OVER: bands overlap at age 30 (persons, row 3); the whole condition " \
           "is set aside" in reasons
    assert "condition GAP: ages 41 to 44 are in no band (persons); the whole condition is " \
           "set aside" in reasons
    assert any(x.startswith("condition OPEN: the open band 18+") for x in reasons)
    assert any(x.startswith("condition HALF: has male rows but none") for x in reasons)
    assert any("is more than everyone" in x for x in reasons)
    assert con.execute("SELECT rate FROM prevalence_rates").fetchall() == [(0.01,)]


def test_shipped_rates_all_cite_their_source() -> None:
    from importlib import resources

    text = resources.files("openasc.reference").joinpath("prevalence_rates.csv").read_text()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and all("CFAS II" in r["source"] and "POPPI" not in r["source"] for r in rows)
    assert {r["condition_code"] for r in rows} == {"DEM65"}


def test_zip_members_named_as_ons_names_them(tmp_path: Path) -> None:
    z = tmp_path / "2022snpppopulationsyoa5yr.zip"
    with zipfile.ZipFile(z, "w") as f:
        f.writestr("readme.txt", "x")
    r = cli(tmp_path, "ingest", "projections", str(z), "--variant", "five-year migration")
    assert r.returncode == 2 and "*SNPP*Population*persons*.csv" in r.stderr + r.stdout


# ----------------------------------------------------------------------------- housing
def test_housing_ratio_twice_and_a_blank_source_are_quarantined(tmp_path: Path) -> None:
    """One ratio per type and tenure, each citing its source: the second EXTRA_CARE rent row
    and the uncited row are set aside with their reasons; the rest load (3 = 1 + 2)."""
    path = tmp_path / "b.csv"
    path.write_text("type_code,tenure,per_1000_75plus,source\nEXTRA_CARE,rent,20,Toolkit\n"
                    "EXTRA_CARE,rent,25,Toolkit\nSHELTERED,any,100,\n", encoding="utf-8")
    r = cli(tmp_path, "ingest", "housing-benchmarks", str(path), "--la", "E10000034")
    assert r.returncode == 0, r.stderr
    assert "3 rows in, 1 loaded into housing_benchmarks, 2 quarantined" in r.stdout
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    reasons = [x for (x,) in con.execute(
        "SELECT reason FROM quarantine WHERE source = 'housing_benchmarks' ORDER BY row_number")
        .fetchall()]
    got = con.execute("SELECT la_code, per_1000_75plus FROM housing_benchmarks").fetchall()
    con.close()
    assert "appears twice" in reasons[0] and got == [("E10000034", 20.0)]
    assert len(reasons) == 2


# ----------------------------------------------------------------------------- closures
def test_recent_closure_naming_no_council_stops_the_run(tmp_path: Path) -> None:
    """A care home deregistered in the last year must name a known council (else MPS-C1
    would silently miss it); the run stops, names it, and loads nothing."""
    from openasc.synth.care_directory import deactivated, deactivated_workbook

    rows = [deactivated("1-1", "Worcestershire", "West Midlands", date(2025, 6, 1), beds=9),
            deactivated("1-2", "Nowhereshire", "West Midlands", date(2025, 7, 1), beds=9)]
    path = write_book(tmp_path / "01_March_2026_Deactivated_Locations.ods",
                      deactivated_workbook(rows, date(2026, 3, 1)))
    r = cli(tmp_path, "ingest", "cqc-deactivated", str(path))
    assert r.returncode == 1 and "'Nowhereshire' (1 row)" in r.stderr + r.stdout
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    tables = {t for (t,) in con.execute("SELECT table_name FROM information_schema.tables")
              .fetchall()}
    n = con.execute("SELECT count(*) FROM care_closures").fetchone()[0] \
        if "care_closures" in tables else 0
    con.close()
    assert n == 0
