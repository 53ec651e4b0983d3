"""Small hand-made money, workforce and complaints files for the scenario tests, and how to
read the figures back (the command line, then the warehouse read-only)."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
from sac_casefiles import openasc

ASCFR_HEADER = ["GEOGRAPHY_LEVEL", "DATA_LEVEL", "UUID", "FY_ENDING", "CASSR", "GEOGRAPHY_CODE",
                "DH_GEOGRAPHY_NAME", "REGION_GO_CODE", "GEOGRAPHY_NAME", "DimensionGroup",
                "CareType", "FinanceType", "FinanceDescription", "AgeBand",
                "PrimarySupportReason", "SupportSetting", "Purpose", "CarerSupportType",
                "DataType", "ActivityProvision", "ComparativeTotals", "DataSource", "ValueType",
                "ITEMVALUE"]


def ascfr_row(code: str, fy_ending: int, care: str, value: str, *, finance: str = "Expenditure",
              desc: str = "99", age: str = "99", psr: str = "99", setting: str = "99",
              vtype: str = "", cassr: str = "") -> list[str]:
    """One line of the published ASC-FR data file (money in GBP thousands)."""
    level = ("England" if code == "E92000001" else "Region" if code.startswith("E12")
             else "Local Authority")
    data_level = "Income" if finance != "Expenditure" else "Gross Current Expenditure"
    return [level, data_level, "", str(fy_ending), cassr, code, "", "", "", "", care, finance,
            desc, age, psr, setting, "99", "99", "99", "99", "99", "99", vtype, value]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    return path


def population(path: Path, areas: dict[str, tuple[int, int]], year: int = 2024) -> Path:
    """Tidy population: for each area, (persons at each age 18..64, at each age 65..90)."""
    rows = [[code, str(year), "persons", str(age), str(young if age < 65 else old)]
            for code, (young, old) in areas.items() for age in range(18, 91)]
    return write_csv(path, ["la_code", "year", "sex", "age", "population"], rows)


def run(tmp: Path, *args: str) -> str:
    r = openasc(tmp, *args)
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout


def values(tmp: Path, family: str, period_start: str = "2024-04-01"
           ) -> dict[tuple[str, str, str], tuple[float | None, float | None, float | None]]:
    """(code, la_code, breakdown) -> (numerator, denominator, value) from metric_values."""
    con = duckdb.connect(str(tmp / "w.duckdb"), read_only=True)
    try:
        got = con.execute("SELECT code, la_code, breakdown, numerator, denominator, value "
                          "FROM metric_values WHERE family = ? AND period_start = ?",
                          [family, period_start]).fetchall()
    finally:
        con.close()
    return {(c, la, b): (n, d, v) for c, la, b, n, d, v in got}


def query(tmp: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(tmp / "w.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()
