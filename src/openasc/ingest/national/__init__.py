"""The DHSC national processing method for CLD (cld-r2.md §5, ascof.md §2.0).

From the loaded files (`cld_submissions`, `cld_records`) to the tables the measures read:

1. `derive_reporting_period` - the period each file really covers (§5.2), once per file;
2. `rebuild` - submission selection "as of" a date (§5.3), event filtering and derived fields
   (§5.4, §5.6), de-duplication (§5.7) into `cld_events` (joined quarters) and
   `cld_events_single` (latest rolling 12 months), and latest person details (§5.8) into
   `cld_people`.

`rebuild` replaces the three tables whole, so loading a file and rebuilding is repeatable. It
runs inside the caller's transaction and never commits. Every step is within a council, so a
national warehouse is rebuilt a batch of councils at a time, each batch within the memory
limit (openasc/batches.py); a warehouse of a few councils is one batch.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb

from openasc.batches import council_batches
from openasc.ingest.national import dedupe, events, lookups, people, selection
from openasc.ingest.national.reporting_period import derive_reporting_period

__all__ = ["METHOD_VERSION", "derive_reporting_period", "rebuild"]

#: Recorded on each run (`runs.method_version`): the DHSC method snapshot reproduced.
METHOD_VERSION = "dhsc-cld-2026-06 (reporting period v1; CLD date of death)"


def rebuild(con: duckdb.DuckDBPyConnection, as_of: date | None = None,
            batch_rows: int | None = None) -> dict[str, Any]:
    """(Re)create `cld_events`, `cld_events_single` and `cld_people` from the files loaded.

    `as_of` (default: the latest import date) fixes which files may be chosen, so the same
    date always rebuilds the same tables. `batch_rows`: CLD rows a batch of councils may
    hold (default: from the memory limit). Returns what was built: the as-of date, events
    per type in each table, people, the submissions used, the single-table period and the
    quarters inside a council's covered span that no file qualified for.
    """
    if as_of is None:
        as_of = con.execute("SELECT max(submitted_on) FROM cld_submissions").fetchone()[0]
    lookups.register(con)
    # The winners' numbering reads their table's row order (dedupe.py): DuckDB's default,
    # and the staging connection's setting, made sure of here.
    con.execute("SET preserve_insertion_order = true")
    # No `finally`: after a failure the caller's transaction is aborted and refuses every
    # statement, a clean-up's error would hide the failure, and its rollback removes what
    # was made here anyway.
    missing = selection.select_submissions(con, as_of)
    batches = council_batches(con, "SELECT la_code FROM national_joined_periods UNION "
                                   "SELECT la_code FROM national_single_periods", batch_rows
                              ) or [[]]  # with no council chosen, the tables are made empty
    for i, batch in enumerate(batches):
        _rebuild_councils(con, batch if len(batches) > 1 else None, append=i > 0)
    summary = _summary(con, as_of, missing)
    selection.drop(con)
    lookups.drop(con)
    return summary


def _rebuild_councils(con: duckdb.DuckDBPyConnection, councils: list[str] | None,
                      append: bool) -> None:
    """The event tables and person details of `councils` (None: every council chosen), added
    to those of the batches before when `append`. Each step reads only the reference periods
    it is given, so a batch's periods make it a batch's step."""
    joined, single = "national_joined_periods", "national_single_periods"
    if councils is not None:
        joined, single = (_batch_periods(con, t, councils) for t in (joined, single))
    # Each working table is dropped once read: the memory it holds is wanted by the next step.
    for periods, rows, target, is_joined in (
            (joined, "national_joined_rows", "cld_events", True),
            (single, "national_single_rows", "cld_events_single", False)):
        events.events_in_period(con, periods, rows, single=not is_joined)
        dedupe.unique_events(con, rows, target, joined=is_joined, periods=periods,
                             append=append)
        con.execute(f"DROP TABLE {rows}")
    people.latest_person_details(con, periods=joined, append=append)
    if councils is not None:
        con.execute(f"DROP TABLE {joined}; DROP TABLE {single}")


def _batch_periods(con: duckdb.DuckDBPyConnection, periods: str, councils: list[str]) -> str:
    """A temp table of the reference periods in `periods` of `councils` alone; its name."""
    part = periods.replace("national_", "national_batch_", 1)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {part} AS SELECT * FROM {periods} "
                "WHERE la_code IN (SELECT unnest(CAST(? AS VARCHAR[])))", [councils])
    return part


def _counts_by_type(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, int]:
    return dict(con.execute(
        f"SELECT event_type, count(*) FROM {table} GROUP BY event_type ORDER BY event_type"
    ).fetchall())


def _summary(
    con: duckdb.DuckDBPyConnection, as_of: date | None, missing: list[dict]
) -> dict[str, Any]:
    joined = con.execute(
        "SELECT la_code, submission_id, reference_period_start, reference_period_end "
        "FROM national_joined_periods ORDER BY la_code, reference_period_start"
    ).fetchall()
    single = con.execute(
        "SELECT la_code, submission_id, reference_period_start, reference_period_end "
        "FROM national_single_periods ORDER BY la_code"
    ).fetchall()
    keys = ("la_code", "submission_id", "reference_period_start", "reference_period_end")
    return {
        "as_of": as_of,
        "events": _counts_by_type(con, "cld_events"),
        "events_single": _counts_by_type(con, "cld_events_single"),
        "people": con.execute("SELECT count(*) FROM cld_people").fetchone()[0],
        "submissions_used": sorted({r[1] for r in joined} | {r[1] for r in single}),
        "reference_periods": [dict(zip(keys, r, strict=True)) for r in joined],
        "single_periods": [dict(zip(keys, r, strict=True)) for r in single],
        "quarters_without_file": missing,
        "overlaps": selection.overlaps(con),
    }
