"""A small `cld_events` table for the SALT and ACTIVITY scenarios, written row by row.

Until `openasc ingest cld` builds `cld_events`, the scenarios write it directly with the
columns docs/warehouse.md lists (only those the measures read). Each event is one call to
`ev(...)`: who, what, when, and the fields the test is about; the rest take plain defaults
(a woman born June 1940, service user, Worcestershire).
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from openasc.warehouse import connect

LA = "E10000034"

COLUMNS = {
    "record_id": "BIGINT", "la_code": "VARCHAR", "person_id": "VARCHAR",
    "client_type": "VARCHAR", "event_type": "VARCHAR", "event_start_date": "DATE",
    "event_end_date": "DATE", "der_event_end_date": "DATE", "event_outcome": "VARCHAR",
    "request_route_of_access": "VARCHAR", "assessment_type": "VARCHAR",
    "service_type": "VARCHAR", "service_component": "VARCHAR",
    "delivery_mechanism": "VARCHAR", "review_reason": "VARCHAR", "method_of_review": "VARCHAR",
    "primary_support_reason": "VARCHAR", "has_unpaid_carer": "VARCHAR", "gender": "VARCHAR",
    "ethnicity": "VARCHAR", "birth_year": "INTEGER", "birth_month": "INTEGER",
    "date_of_death": "DATE", "employment_status": "VARCHAR",
    "accommodation_status": "VARCHAR",
}

DEFAULTS: dict[str, Any] = {
    "la_code": LA, "client_type": "Service user", "gender": "Female",
    "ethnicity": "White: English, Welsh, Scottish, Northern Irish or British",
    "birth_year": 1940, "birth_month": 6,
    "primary_support_reason": "Physical support: Personal care support",
    "has_unpaid_carer": "No",
}


def ev(person: str, event_type: str, start: str, end: str | None = None, **fields: Any
       ) -> dict[str, Any]:
    """One event; `end` None means still open. Field names are warehouse column names."""
    row = {**DEFAULTS, "person_id": person, "event_type": event_type,
           "event_start_date": date.fromisoformat(start),
           "event_end_date": date.fromisoformat(end) if end else None, **fields}
    row["der_event_end_date"] = row["event_end_date"]
    return row


def write_events(path: Path, events: list[dict[str, Any]]) -> Path:
    """Create the warehouse with `cld_events` holding exactly these events (record IDs in
    list order)."""
    con = connect(path)
    con.execute("DROP TABLE IF EXISTS cld_events")
    con.execute("CREATE TABLE cld_events (" + ", ".join(
        f"{c} {t}" for c, t in COLUMNS.items()) + ")")
    rows = [[i + 1 if c == "record_id" else e.get(c) for c in COLUMNS]
            for i, e in enumerate(events)]
    con.executemany(f"INSERT INTO cld_events VALUES ({', '.join('?' * len(COLUMNS))})", rows)
    # Other families read cld_people (docs/warehouse.md); a plain one-row-per-person copy.
    con.execute("DROP TABLE IF EXISTS cld_people")
    con.execute(
        "CREATE TABLE cld_people AS SELECT la_code, person_id, person_id AS la_person_pseudo, "
        "arg_max(gender, record_id) AS gender, arg_max(ethnicity, record_id) AS ethnicity, "
        "NULL::VARCHAR AS ethnicity_grouped, arg_max(birth_year, record_id) AS birth_year, "
        "arg_max(birth_month, record_id) AS birth_month, max(date_of_death) AS date_of_death, "
        "arg_max(primary_support_reason, record_id) AS primary_support_reason, "
        "arg_max(accommodation_status, record_id) AS accommodation_status, "
        "arg_max(employment_status, record_id) AS employment_status, "
        "arg_max(has_unpaid_carer, record_id) AS has_unpaid_carer, "
        "NULL::VARCHAR AS client_funding_status, NULL::VARCHAR AS postcode_district "
        "FROM cld_events GROUP BY la_code, person_id")
    con.close()
    return path


def openasc(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the real command line, as a user would."""
    return subprocess.run([sys.executable, "-m", "openasc.cli", *args], cwd=cwd,
                          capture_output=True, text=True, check=False, timeout=120)


def compute_values(wh: Path, family: str, start: str = "2024-04-01",
                   end: str = "2025-03-31") -> dict[tuple[str, str], float]:
    """`openasc compute` then read metric_values of one family: {(code, breakdown): value}."""
    done = openasc("--warehouse", str(wh), "compute", "--from", start, "--to", end,
                   cwd=wh.parent)
    assert done.returncode == 0, done.stderr + done.stdout
    con = duckdb.connect(str(wh), read_only=True)
    rows = con.execute("SELECT code, breakdown, value FROM metric_values WHERE family = ?",
                       [family]).fetchall()
    con.close()
    return {(c, b): v for c, b, v in rows}


def test_builder_writes_the_events_in_order(tmp_path: Path) -> None:
    wh = write_events(tmp_path / "wh.duckdb", [
        ev("A", "Request", "2024-05-01", "2024-05-02"), ev("B", "Service", "2024-06-01")])
    con = duckdb.connect(str(wh), read_only=True)
    assert con.execute("SELECT record_id, person_id, event_end_date FROM cld_events "
                       "ORDER BY 1").fetchall() == [(1, "A", date(2024, 5, 2)), (2, "B", None)]
