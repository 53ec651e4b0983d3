"""Working days, as a table the complaints measures' SQL can join to.

Complaint timeliness (CMP-4 to CMP-6) counts working days: not Saturdays, Sundays or bank
holidays in England and Wales (reference/bank_holidays_ew.csv, from GOV.UK; update it as
years are announced). `working_days(day, n)` numbers every working day from 2010 to 2040 in
order, so the working days from receipt to a later date are `n(later) - n(receipt)` (a
weekend or holiday takes the number of the working day before it): counting starts the day
after receipt, set-based, with no loop over complaints.
"""

from __future__ import annotations

import csv
from importlib import resources

import duckdb


def bank_holidays() -> list[str]:
    text = resources.files("openasc.reference").joinpath("bank_holidays_ew.csv").read_text(
        "utf-8")
    return [r["date"] for r in csv.DictReader(
        line for line in text.splitlines() if not line.startswith("#"))]


def register(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create the temporary table `working_days` on this connection."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE working_days AS
        SELECT CAST(d AS DATE) AS day,
               CAST(sum(CASE WHEN isodow(d) <= 5 AND CAST(d AS DATE) NOT IN (
                            SELECT CAST(unnest(?::VARCHAR[]) AS DATE)) THEN 1 ELSE 0 END)
                    OVER (ORDER BY d) AS INTEGER) AS n
        FROM range(DATE '2010-01-01', DATE '2041-01-01', INTERVAL 1 DAY) t(d)""",
                [bank_holidays()])
