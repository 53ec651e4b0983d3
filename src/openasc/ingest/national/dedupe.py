"""One row per unique event (cld-r2.md §5.7), with the ages and the event reference (§5.6).

The same event arrives in up to four quarterly files, and a service that is open at the end
of one quarter may never be closed in a later file. The national method therefore (1) groups
records into unique events by their identifying fields, (2) in the joined table crops a
service left open at the end of a non-final reference period that does not reappear in the
next one, and (3) keeps one whole record per event - never a hybrid - preferring the latest
reference period, then an open or later end, then the outcome highest in the hierarchy, then
a conversation, then the most recently loaded record.

What is stored is narrow: the chosen record's ID and what the method derives for it
(`cld_events_derived`, `cld_events_single_derived`). The event tables the measures read,
`cld_events` and `cld_events_single`, are views that join the chosen records' own fields
back from `cld_records`. A whole record is therefore kept by construction, and a rebuild
writes a few narrow columns instead of copying every loaded field twice.
"""

from __future__ import annotations

import duckdb

from openasc.warehouse import create_event_view

# Step 2 (joined only): a service open at the end of a reference period that is not the
# council's last (no end date, or one after the period end) keeps its end date when the same
# unique event is in the next reference period (starting the day after) - that later record
# wins step 3 - and otherwise has its end date cropped to the period end.
_CROPPED_END = """
CASE WHEN s.event_type = 'Service' AND NOT s.is_last
          AND (s.der_event_end_date IS NULL OR s.der_event_end_date > s.reference_period_end)
          AND n.event_key IS NULL
     THEN s.reference_period_end ELSE s.der_event_end_date END"""

_NEXT_PERIOD_JOIN = """
LEFT JOIN (SELECT DISTINCT event_key, reference_period_start FROM {src}
           WHERE event_type = 'Service') n
  ON n.event_key = s.event_key
 AND n.reference_period_start = CAST(s.reference_period_end + INTERVAL 1 DAY AS DATE)"""

# Step 3: which record wins each unique event: the largest of (latest reference period, open
# or latest end, best outcome rank, conversation, latest loaded), one aggregate per event
# rather than a sort of every row. A record is identified by (record_id,
# reference_period_end) here, because one file's record can be in two reference periods when
# the file was chosen for non-consecutive quarters; only one of them can win its event.
_PREFERENCE = """(reference_period_end, der_event_end_date IS NULL,
     coalesce(der_event_end_date, DATE '0001-01-01'), -event_outcome_rank, conversation,
     record_id)"""

# Each step reads a table, not a CTE: DuckDB passes every column of a CTE it materialises
# through the operators above it, and a window over the wide rows costs several times one
# over the columns it needs.
_CROP = """
CREATE OR REPLACE TEMP TABLE national_cropped AS
SELECT s.* REPLACE ({end_expr} AS der_event_end_date) FROM {src} s {next_join}
"""

# The winners are stored in the order of their event reference, numbered per council by
# start date and then by loading (docs/decisions.md). Council and start date are part of the
# event's key, so any record of the event has them. The table keeps that order (insertion
# order is preserved: `rebuild`), so a winner's number is its row's place after its
# council's first row: a parallel sort of three narrow columns, where `row_number()` over a
# council's million rows ran as one partition and cost several times as much.
_WINNERS = """
CREATE OR REPLACE TEMP TABLE national_winners AS
SELECT w.record_id, w.reference_period_end, la_code
FROM (SELECT arg_max({{'record_id': record_id, 'reference_period_end': reference_period_end}},
                     {preference}) AS w,
             any_value(la_code) AS la_code, any_value(event_start_date) AS event_start_date
      FROM {src} GROUP BY event_key)
ORDER BY la_code, event_start_date, w.record_id
"""

# The winners with their ages and the event reference.
_DERIVE = """
{into}
WITH chosen AS (
    SELECT c.* EXCLUDE (event_key), w.n,
           CASE WHEN birth_year IS NOT NULL AND birth_month BETWEEN 1 AND 12
                THEN make_date(birth_year, birth_month, 1) END AS birth_first
    FROM {src} c
    JOIN (SELECT record_id, reference_period_end,
                 rowid - min(rowid) OVER (PARTITION BY la_code) + 1 AS n
          FROM national_winners) w USING (record_id, reference_period_end)
), ages AS (
    SELECT *,
           CAST(floor(date_diff('day', birth_first, event_start_date) / 365.25) AS INTEGER)
             AS der_age_event_start,
           CAST(floor(date_diff('day', birth_first,
                                coalesce(der_event_end_date, reference_period_end)) / 365.25)
                AS INTEGER) AS der_age
    FROM chosen
)
SELECT record_id, reference_period_start, reference_period_end, der_event_end_date,
       der_age_event_start, der_age,
       CASE WHEN der_age IS NULL THEN 'Unknown'
            WHEN der_age < 18 THEN 'Under 18'
            WHEN der_age <= 24 THEN '18 to 24'
            WHEN der_age <= 44 THEN '25 to 44'
            WHEN der_age <= 64 THEN '45 to 64'
            WHEN der_age <= 74 THEN '65 to 74'
            WHEN der_age <= 84 THEN '75 to 84'
            WHEN der_age <= 94 THEN '85 to 94'
            ELSE '95 and above' END AS der_age_band,
       CASE WHEN der_age IS NULL THEN 'Unknown'
            WHEN der_age < 18 THEN 'Under 18'
            WHEN der_age <= 64 THEN '18 to 64'
            ELSE '65 and above' END AS der_working_age_band,
       ethnicity_grouped, event_outcome_grouped, service_type_grouped, review_type,
       event_outcome_rank, la_code || '_' || CAST(n AS VARCHAR) AS unique_event_ref
FROM ages
"""

def unique_events(
    con: duckdb.DuckDBPyConnection, src: str, target: str, joined: bool, periods: str,
    append: bool = False
) -> None:
    """(Re)create `<target>_derived` from the in-period rows in temp table `src`
    (events.py) of the reference periods in `periods` (selection.py), and the view
    `target` over it; or, `append`, add another batch of councils' events to it."""
    if joined and con.execute(f"SELECT count(*) FROM {periods} WHERE NOT is_last"
                              ).fetchone()[0]:
        # Only a council with a reference period after another has an end to crop: with
        # one period each (one file per council, or consecutive quarters of one file), the
        # crop would copy every row unchanged.
        con.execute(_CROP.format(src=src, end_expr=_CROPPED_END,
                                 next_join=_NEXT_PERIOD_JOIN.format(src=src)))
        src = "national_cropped"
    con.execute(_WINNERS.format(src=src, preference=_PREFERENCE))
    derived = f"{target}_derived"
    into = f"INSERT INTO {derived}" if append else f"CREATE OR REPLACE TABLE {derived} AS"
    con.execute(_DERIVE.format(into=into, src=src))
    for name in ("national_cropped", "national_winners"):
        con.execute(f"DROP TABLE IF EXISTS {name}")
    if not append:
        # The view over it (one definition, shared with the warehouse's migration 2, which
        # turned the wide event tables of older warehouses into these views).
        create_event_view(con, target)
