"""Small hand-made survey returns for the scenario tests: write them, load them through the
real ingest, compute the survey measures, read metric_values back."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import duckdb

from openasc.config import load_settings
from openasc.ingest.surveys import ingest_return
from openasc.metrics.engine import run_compute

ASCS_ITEMS = ["q1", "q3a", "q4a", "q5a", "q6a", "q7a", "q7b", "q8a", "q9a", "q11", "q12",
              "q13", "q15a", "q15b", "q15c", "q15d", "q16a", "q16b", "q16c", "q16d", "q17",
              "q18"]
ASCS_HEAD = ["LA_Code", "Survey_Year", "Serial_Number", "Response", "Stratum", "Gender",
             "Age", "Primary_Support_Reason", "Support_Setting", "Questionnaire", *ASCS_ITEMS]
SACE_ITEMS = ["qol_occupation", "qol_control", "qol_self_care", "qol_safety", "qol_social",
              "qol_encouragement", "satisfaction", "information", "involved"]
SACE_HEAD = ["LA_Code", "Survey_Year", "Serial_Number", "Response", "Gender", "Age",
             *SACE_ITEMS]
SELECT = ["ASCS", "SACE", "1A", "1B", "1C", "1D", "3A", "3B", "3C", "4A", "4B", "5A", "5B"]


def write(path: Path, header: list[str], rows: list[dict[str, object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, header)
        w.writeheader()
        for r in rows:
            w.writerow({k: r.get(k, "") for k in header})
    return path


def load_and_compute(tmp: Path, survey: str, returns: Path, population: Path,
                     start: date = date(2024, 4, 1), end: date = date(2025, 3, 31)
                     ) -> duckdb.DuckDBPyConnection:
    """Ingest the return and its population, compute every survey measure; the warehouse,
    read-only."""
    settings = load_settings(tmp / "w.duckdb")
    ingest_return(survey, returns, settings, population=population)
    run_compute(start, end, None, settings, select=SELECT)
    return duckdb.connect(str(tmp / "w.duckdb"), read_only=True)


def figures(con: duckdb.DuckDBPyConnection, code: str, family: str = "ASCOF",
            la: str | None = None) -> dict[str, tuple[float | None, float | None, float | None]]:
    """breakdown -> (numerator, denominator, value) of one measure."""
    rows = con.execute("SELECT breakdown, numerator, denominator, value FROM metric_values "
                       "WHERE family = ? AND code = ? AND (? IS NULL OR la_code = ?)",
                       [family, code, la, la]).fetchall()
    return {b: (n, d, v) for b, n, d, v in rows}
