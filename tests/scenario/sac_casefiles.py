"""Small helpers for the safeguarding and DoLS scenario tests: write a case list, run the CLI."""

from __future__ import annotations

import csv
import os
import subprocess
from pathlib import Path

import duckdb

from openasc.synth.safeguarding import HEADER as SG_HEADER

DOLS_HEADER = (
    "LA_Code", "Application_Reference", "LA_Person_Unique_Identifier", "NHS_Number",
    "Date_of_Birth", "Gender", "Ethnicity", "Primary_Support_Reason",
    "Date_Application_Received", "Urgent_Included", "Priority", "Setting",
    "Application_Sign_Off_Date", "Application_Status", "Reason_Not_Granted",
)


def write_rows(path: Path, header: tuple[str, ...], rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=header)
        w.writeheader()
        for r in rows:
            w.writerow({h: r.get(h, "") for h in header})
    return path


def concern(ref: str, person: str, received: str, kind: str = "No enquiry", **extra: str) -> dict:
    return {"LA_Code": "416", "Concern_Reference": ref, "LA_Person_Unique_Identifier": person,
            "Date_of_Birth": "15/06/1940", "Gender": "Female",
            "Ethnicity": "White: Irish", "Primary_Support_Reason": "Mental health support",
            "Concern_Received_Date": received, "Enquiry_Type": kind, **extra}


def application(ref: str, person: str, received: str, status: str, signed: str = "",
                urgent: str = "0", **extra: str) -> dict:
    return {"LA_Code": "416", "Application_Reference": ref, "LA_Person_Unique_Identifier": person,
            "Date_of_Birth": "15/06/1940", "Gender": "Male", "Ethnicity": "White: Irish",
            "Date_Application_Received": received, "Urgent_Included": urgent,
            "Setting": "Care home", "Application_Sign_Off_Date": signed,
            "Application_Status": status, **extra}


def openasc(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command line on `tmp`'s warehouse, with one key per warehouse (beside its folder):
    a module's tests share the warehouse, and the warehouse refuses any key but its own."""
    env = {**os.environ, "OPENASC_KEY_FILE": str(tmp.parent / f"{tmp.name}.key")}
    return subprocess.run(["openasc", "--warehouse", str(tmp / "w.duckdb"), *args],
                          capture_output=True, text=True, cwd=tmp, env=env)


def add_population(tmp: Path, year: int, by_age: dict[int, int]) -> None:
    """Persons population of the council (Worcestershire) by single year of age."""
    con = duckdb.connect(str(tmp / "w.duckdb"))
    con.executemany("INSERT INTO population VALUES ('E10000034', ?, 'persons', ?, ?)",
                    [[year, age, n] for age, n in by_age.items()])
    con.close()


def export(tmp: Path, published: bool = False) -> dict[tuple[str, str, str], tuple[str, ...]]:
    """(family, code, breakdown) -> (numerator, denominator, value) from the CSV export."""
    out = tmp / ("pub.csv" if published else "m.csv")
    args = ["export", "metrics", "--format", "csv", "--out", str(out)]
    r = openasc(tmp, *(args + ["--published"] if published else args))
    assert r.returncode == 0, r.stderr
    with out.open(encoding="utf-8") as fh:
        return {(row["family"], row["code"], row["breakdown"]):
                (row["numerator"], row["denominator"], row["value"])
                for row in csv.DictReader(fh)}


__all__ = ["SG_HEADER", "DOLS_HEADER", "write_rows", "concern", "application", "openasc",
           "add_population", "export"]
