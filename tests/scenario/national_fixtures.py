"""Small hand-made warehouses for the national-method scenario tests.

Rows are written straight into `cld_submissions` and `cld_records` (docs/warehouse.md), so
each test states only the fields its example is about; everything else takes a plain default.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from openasc.ingest.cld import CLD_DDL
from openasc.warehouse import connect

LA = "E10000034"


def warehouse(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """A warehouse file with the core tables and the CLD tables of `openasc.ingest.cld`."""
    con = connect(tmp_path / "w.duckdb")
    con.execute(CLD_DDL)
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
