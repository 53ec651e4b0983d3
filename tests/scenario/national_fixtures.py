"""Small hand-made warehouses for the national-method scenario tests.

Rows are written straight into `cld_submissions` and `cld_records` (docs/warehouse.md), so
each test states only the fields its example is about; everything else takes a plain default.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from openasc.warehouse import connect

LA = "E10000034"

# Own copy of the CLD tables until `openasc.ingest.cld.CLD_DDL` exists (docs/warehouse.md).
_OWN_DDL = """
CREATE TABLE IF NOT EXISTS cld_submissions (
    submission_id INTEGER PRIMARY KEY, la_code VARCHAR, cassr_code VARCHAR,
    source_name VARCHAR, file_sha256 VARCHAR UNIQUE, submitted_on DATE, release INTEGER,
    stated_period_start DATE, stated_period_end DATE,
    derived_period_start DATE, derived_period_end DATE,
    rows_in INTEGER, rows_loaded INTEGER, rows_quarantined INTEGER, run_id VARCHAR
);
CREATE TABLE IF NOT EXISTS cld_records (
    record_id BIGINT, submission_id INTEGER, row_number INTEGER, la_code VARCHAR,
    cassr_code VARCHAR, reporting_period_start_date DATE, reporting_period_end_date DATE,
    nhs_number_pseudo VARCHAR, la_person_pseudo VARCHAR, person_id VARCHAR,
    birth_year INTEGER, birth_month INTEGER, date_of_death DATE, postcode_district VARCHAR,
    gp_practice_code VARCHAR, gender VARCHAR, ethnicity VARCHAR, client_type VARCHAR,
    primary_support_reason VARCHAR, accommodation_status VARCHAR, employment_status VARCHAR,
    has_unpaid_carer VARCHAR, autism_spectrum_disorder_asd VARCHAR, visual_impairment VARCHAR,
    hearing_impairment VARCHAR, dementia VARCHAR, client_funding_status VARCHAR,
    event_type VARCHAR, event_start_date DATE, event_end_date DATE, event_outcome VARCHAR,
    request_route_of_access VARCHAR, assessment_type VARCHAR,
    eligible_needs_identified VARCHAR, method_of_assessment VARCHAR,
    total_hrs_caring_per_week VARCHAR, service_type VARCHAR, service_component VARCHAR,
    delivery_mechanism VARCHAR, provider_cqc_location_id VARCHAR, review_reason VARCHAR,
    review_outcomes_achieved VARCHAR, method_of_review VARCHAR,
    cost_frequency_unit_type VARCHAR, no_of_adults_being_cared_for INTEGER,
    adult_1_linked_person_pseudo VARCHAR, adult_2_linked_person_pseudo VARCHAR,
    adult_3_linked_person_pseudo VARCHAR, unit_cost DECIMAL(18,2),
    planned_units_per_week DECIMAL(18,2), is_conversation BOOLEAN
);
"""


def cld_ddl() -> str:
    try:
        from openasc.ingest.cld import CLD_DDL  # type: ignore[attr-defined]
    except ImportError:
        return _OWN_DDL
    return CLD_DDL


def warehouse(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = connect(tmp_path / "w.duckdb")
    con.execute(cld_ddl())
    return con


def add_submission(
    con: duckdb.DuckDBPyConnection,
    sid: int,
    submitted_on: date,
    derived: tuple[date | None, date | None] | None = None,
    la_code: str = LA,
) -> None:
    start, end = derived if derived else (None, None)
    con.execute(
        "INSERT INTO cld_submissions (submission_id, la_code, cassr_code, source_name, "
        "file_sha256, submitted_on, release, derived_period_start, derived_period_end, "
        "rows_in, rows_loaded, rows_quarantined, run_id) "
        "VALUES (?, ?, '416', ?, ?, ?, 2, ?, ?, 0, 0, 0, 'test')",
        [sid, la_code, f"file{sid}.csv", f"sha{sid}", submitted_on, start, end],
    )


_DEFAULTS: dict[str, Any] = {
    "la_code": LA,
    "cassr_code": "416",
    "client_type": "Service user",
    "gender": "Female",
    "ethnicity": "White: Irish",
    "birth_year": 1950,
    "birth_month": 6,
    "accommodation_status": "Owner occupier or shared ownership scheme",
    "is_conversation": False,
}

_next_record = {"id": 0}


def add_record(con: duckdb.DuckDBPyConnection, submission_id: int, **fields: Any) -> int:
    """Insert one `cld_records` row; `person` sets person_id and la_person_pseudo alike."""
    row = dict(_DEFAULTS)
    person = fields.pop("person", "P1")
    row.update({"person_id": person, "la_person_pseudo": person})
    row.update(fields)
    if "record_id" not in row:
        _next_record["id"] += 1
        row["record_id"] = _next_record["id"]
    row["submission_id"] = submission_id
    row.setdefault("row_number", row["record_id"] + 1)
    cols = list(row)
    con.execute(
        f"INSERT INTO cld_records ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
        [row[c] for c in cols],
    )
    return row["record_id"]


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def add_events(
    con: duckdb.DuckDBPyConnection, submission_id: int, month_counts: dict[date, dict[str, int]]
) -> None:
    """Add, for each end date, the given number of events of each type (for period tests);
    in one transaction, so that a few hundred rows take well under a second."""
    con.execute("BEGIN TRANSACTION")
    for end, by_type in month_counts.items():
        for event_type, n in by_type.items():
            for _ in range(n):
                add_record(con, submission_id, event_type=event_type,
                           event_start_date=end, event_end_date=end)
    con.execute("COMMIT")


def four_types(n_each: int) -> dict[str, int]:
    return {t: n_each for t in ("Request", "Assessment", "Service", "Review")}
