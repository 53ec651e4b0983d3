"""Submission selection "as of" a date (cld-r2.md §5.3), seen through `rebuild`.

Files are given their derived period directly (as `derive_reporting_period` would store it);
the reference periods chosen are read from `rebuild`'s summary.
"""

from __future__ import annotations

from datetime import date

from national_fixtures import LA, add_record, add_submission, warehouse

from openasc.ingest.national import rebuild


def _periods(summary: dict, key: str = "reference_periods") -> list[tuple]:
    return [(p["submission_id"], p["reference_period_start"], p["reference_period_end"])
            for p in summary[key]]


def test_as_of_date_decides_which_files_may_be_chosen(tmp_path):
    """File 1: imported 2024-07-20, derived 2023-07-01..2024-06-30.
    File 2: imported 2024-10-20, derived 2023-10-01..2024-09-30.

    As of 2024-08-01 only file 1 was imported: it speaks for its four quarters Jul 2023 -
    Jun 2024, merged into one reference period 2023-07-01..2024-06-30.
    As of 2024-10-20 (the default: the latest import date) file 2 is the latest for the
    quarters it covers, Oct 2023 - Sep 2024; file 1 keeps only Jul-Sep 2023.
    """
    con = warehouse(tmp_path)
    add_submission(con, 1, date(2024, 7, 20), (date(2023, 7, 1), date(2024, 6, 30)))
    add_submission(con, 2, date(2024, 10, 20), (date(2023, 10, 1), date(2024, 9, 30)))

    early = rebuild(con, as_of=date(2024, 8, 1))
    assert _periods(early) == [(1, date(2023, 7, 1), date(2024, 6, 30))]
    assert early["submissions_used"] == [1]

    latest = rebuild(con)
    assert latest["as_of"] == date(2024, 10, 20)
    assert _periods(latest) == [(1, date(2023, 7, 1), date(2023, 9, 30)),
                                (2, date(2023, 10, 1), date(2024, 9, 30))]


def test_a_file_imported_on_the_last_day_of_a_quarter_cannot_speak_for_it(tmp_path):
    """File 1: imported 2024-04-15, derived 2023-04-01..2024-03-31.
    File 2: imported 2024-06-30, derived 2023-07-01..2024-06-30.

    Apr-Jun 2024: file 2 covers it but was imported on 2024-06-30, not *after* the quarter
    ended: no file qualifies, and it lies beyond the last covered quarter (no gap flagged).
    Jul 2023 - Mar 2024: file 2 (latest). Apr-Jun 2023: only file 1 covers it.
    """
    con = warehouse(tmp_path)
    add_submission(con, 1, date(2024, 4, 15), (date(2023, 4, 1), date(2024, 3, 31)))
    add_submission(con, 2, date(2024, 6, 30), (date(2023, 7, 1), date(2024, 6, 30)))

    summary = rebuild(con)
    assert _periods(summary) == [(1, date(2023, 4, 1), date(2023, 6, 30)),
                                 (2, date(2023, 7, 1), date(2024, 3, 31))]
    assert summary["quarters_without_file"] == []


def test_a_file_covers_only_whole_quarters_inside_its_derived_period(tmp_path):
    """Derived 2023-05-01..2024-04-30 (imported 2024-06-01): Apr-Jun 2023 starts before the
    derived period and Apr-Jun 2024 ends after it, so the file covers Jul 2023 - Mar 2024."""
    con = warehouse(tmp_path)
    add_submission(con, 1, date(2024, 6, 1), (date(2023, 5, 1), date(2024, 4, 30)))
    assert _periods(rebuild(con)) == [(1, date(2023, 7, 1), date(2024, 3, 31))]


def test_consecutive_quarters_merge_and_gaps_are_flagged(tmp_path):
    """File 1: imported 2024-01-20, derived 2023-01-01..2023-12-31.
    File 2: imported 2024-04-20, derived 2023-04-01..2023-06-30 (one quarter only).
    File 3: imported 2025-01-20, derived 2024-04-01..2024-12-31.

    Quarter by quarter (latest qualifying import):
    Jan-Mar 2023: 1; Apr-Jun 2023: 2; Jul-Sep 2023: 1; Oct-Dec 2023: 1;
    Jan-Mar 2024: none (file 3 starts in April): flagged as a quarter without a file;
    Apr-Jun, Jul-Sep, Oct-Dec 2024: 3.
    Reference periods: 1 [Jan-Mar 2023], 2 [Apr-Jun 2023], 1 [Jul-Dec 2023] (file 1 is not
    consecutive across April-June, so it gets two periods), 3 [Apr-Dec 2024].
    """
    con = warehouse(tmp_path)
    add_submission(con, 1, date(2024, 1, 20), (date(2023, 1, 1), date(2023, 12, 31)))
    add_submission(con, 2, date(2024, 4, 20), (date(2023, 4, 1), date(2023, 6, 30)))
    add_submission(con, 3, date(2025, 1, 20), (date(2024, 4, 1), date(2024, 12, 31)))

    summary = rebuild(con)
    assert _periods(summary) == [
        (1, date(2023, 1, 1), date(2023, 3, 31)),
        (2, date(2023, 4, 1), date(2023, 6, 30)),
        (1, date(2023, 7, 1), date(2023, 12, 31)),
        (3, date(2024, 4, 1), date(2024, 12, 31)),
    ]
    assert summary["quarters_without_file"] == [{"la_code": LA, "quarter_start": date(2024, 1, 1)}]


def test_files_without_a_derived_period_are_never_chosen(tmp_path):
    """File 2 is the latest but has no derived period (e.g. no ended events): file 1 is used."""
    con = warehouse(tmp_path)
    add_submission(con, 1, date(2024, 7, 20), (date(2023, 7, 1), date(2024, 6, 30)))
    add_submission(con, 2, date(2024, 7, 25), None)
    assert rebuild(con)["submissions_used"] == [1]


def test_single_table_takes_the_latest_full_twelve_months(tmp_path):
    """File 1: imported 2024-07-20, derived 2023-07-01..2024-06-30 (12 months).
    File 2: imported 2024-10-20, derived 2023-11-01..2024-09-30 (11 months).

    Windows of 12 months ending at a quarter end that a file covers: file 1 covers
    Jul 2023 - Jun 2024; file 2 covers none (its period starts in November, so the window
    Oct 2023 - Sep 2024 is not covered). Single period: file 1, 2023-07-01..2024-06-30.
    With file 3 (imported 2024-10-21, derived 2023-10-01..2024-09-30) the latest window is
    Oct 2023 - Sep 2024 from file 3.
    """
    con = warehouse(tmp_path)
    add_submission(con, 1, date(2024, 7, 20), (date(2023, 7, 1), date(2024, 6, 30)))
    add_submission(con, 2, date(2024, 10, 20), (date(2023, 11, 1), date(2024, 9, 30)))
    assert _periods(rebuild(con), "single_periods") == [
        (1, date(2023, 7, 1), date(2024, 6, 30))]

    add_submission(con, 3, date(2024, 10, 21), (date(2023, 10, 1), date(2024, 9, 30)))
    assert _periods(rebuild(con), "single_periods") == [
        (3, date(2023, 10, 1), date(2024, 9, 30))]


def test_same_day_imports_prefer_the_later_loaded_file(tmp_path):
    """Two files imported the same day covering the same quarters: the one loaded later
    (higher submission ID) is taken - the most recent data is assumed the most accurate."""
    con = warehouse(tmp_path)
    add_submission(con, 1, date(2024, 7, 20), (date(2023, 7, 1), date(2024, 6, 30)))
    add_submission(con, 2, date(2024, 7, 20), (date(2023, 7, 1), date(2024, 6, 30)))
    assert rebuild(con)["submissions_used"] == [2]


def test_rebuild_on_an_empty_warehouse_and_twice_in_a_row(tmp_path):
    """No files: the three tables exist and are empty, nothing is used, as-of is None.
    With one file, rebuilding twice gives the same tables (they are replaced, not appended).
    """
    con = warehouse(tmp_path)
    summary = rebuild(con)
    assert (summary["as_of"], summary["people"], summary["submissions_used"]) == (None, 0, [])
    for table in ("cld_events", "cld_events_single", "cld_people"):
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
    columns = {r[0] for r in con.execute("DESCRIBE cld_events").fetchall()}
    assert {"der_event_end_date", "der_age_band", "unique_event_ref", "event_outcome_rank",
            "reference_period_end", "person_id"} <= columns

    add_submission(con, 1, date(2024, 7, 20), (date(2023, 7, 1), date(2024, 6, 30)))
    add_record(con, 1, event_type="Request", event_start_date=date(2024, 1, 2),
               event_end_date=date(2024, 1, 3))
    first = rebuild(con)
    second = rebuild(con)
    assert first == second
    assert first["events"] == {"Request": 1} and first["events_single"] == {"Request": 1}
    assert first["people"] == 1


def test_a_warehouse_whose_event_tables_are_tables_gets_views(tmp_path):
    """Warehouses built before the event tables became views (docs/warehouse.md) hold
    `cld_events` and `cld_events_single` as tables. A rebuild replaces each with the view
    over `cld_records` and its `_derived` table, and the one event is there as before.
    """
    con = warehouse(tmp_path)
    con.execute("CREATE TABLE cld_events AS SELECT 1 AS stale")
    con.execute("CREATE TABLE cld_events_single AS SELECT 1 AS stale")
    add_submission(con, 1, date(2024, 7, 20), (date(2023, 7, 1), date(2024, 6, 30)))
    add_record(con, 1, event_type="Request", event_start_date=date(2024, 1, 2),
               event_end_date=date(2024, 1, 3))
    rebuild(con)
    kinds = dict(con.execute(
        "SELECT table_name, table_type FROM information_schema.tables "
        "WHERE table_name LIKE 'cld_events%' ORDER BY 1").fetchall())
    assert kinds == {"cld_events": "VIEW", "cld_events_derived": "BASE TABLE",
                     "cld_events_single": "VIEW", "cld_events_single_derived": "BASE TABLE"}
    assert con.execute("SELECT count(*), min(event_type) FROM cld_events").fetchone() == (
        1, "Request")
