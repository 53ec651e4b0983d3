"""One row per unique event (cld-r2.md §5.7), with the ages and the event reference (§5.6).

The same event arrives in up to four quarterly files, and a service that is open at the end
of one quarter may never be closed in a later file. The national method therefore (1) groups
records into unique events by their identifying fields, (2) in the joined table crops a
service left open at the end of a non-final reference period that does not reappear in the
next one, and (3) keeps one whole record per event - never a hybrid - preferring the latest
reference period, then an open or later end, then the outcome highest in the hierarchy, then
a conversation, then the most recently loaded record.
"""

from __future__ import annotations

import duckdb

COST_FIELDS = ("unit_cost", "cost_frequency_unit_type", "planned_units_per_week")

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

# Step 3 over narrow columns (which record wins), then the winners joined back to their full
# rows: window functions over the full 60-column rows are several times slower at scale. A
# record is identified by (record_id, reference_period_end): one file's record can be in two
# reference periods when the file was chosen for non-consecutive quarters.
_CHOOSE = """
CREATE OR REPLACE TABLE {target} AS
WITH narrow AS (
    SELECT s.event_key, s.record_id, s.reference_period_end, s.la_code, s.event_start_date,
           {end_expr} AS der_event_end_date,
           s.event_outcome_rank, coalesce(s.is_conversation, false) AS conversation
    FROM {src} s {next_join}
), winners AS (
    SELECT * FROM narrow
    QUALIFY row_number() OVER (
        PARTITION BY event_key
        ORDER BY reference_period_end DESC,
                 der_event_end_date DESC NULLS FIRST,
                 event_outcome_rank ASC,
                 conversation DESC,
                 record_id DESC) = 1
), numbered AS (
    SELECT record_id, reference_period_end, der_event_end_date,
           la_code || '_' || CAST(row_number() OVER (
               PARTITION BY la_code ORDER BY event_start_date, event_key) AS VARCHAR)
             AS unique_event_ref
    FROM winners
), chosen AS (
    SELECT s.* REPLACE (n.der_event_end_date AS der_event_end_date), n.unique_event_ref
    FROM {src} s
    JOIN numbered n USING (record_id, reference_period_end)
), aged AS (
    SELECT *,
           CASE WHEN birth_year IS NOT NULL AND birth_month BETWEEN 1 AND 12
                THEN make_date(birth_year, birth_month, 1) END AS birth_first
    FROM chosen
), ages AS (
    SELECT *,
           CAST(floor(date_diff('day', birth_first, event_start_date) / 365.25) AS INTEGER)
             AS der_age_event_start,
           CAST(floor(date_diff('day', birth_first,
                                coalesce(der_event_end_date, reference_period_end)) / 365.25)
                AS INTEGER) AS der_age
    FROM aged
)
SELECT {record_columns},
       reference_period_start, reference_period_end, der_event_end_date,
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
       event_outcome_rank, unique_event_ref
FROM ages
"""


def record_columns(con: duckdb.DuckDBPyConnection, drop_costs: bool) -> str:
    """The `cld_records` columns in their order; with `drop_costs`, the cost fields NULL.

    The joined table drops costs (§5.1): a package split over rows collapses to one record
    there, so the chosen record's cost would misstate the package.
    """
    cols = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = 'cld_records' AND table_catalog = current_database() "
        "AND table_schema = current_schema() ORDER BY ordinal_position"
    ).fetchall()
    return ", ".join(
        f"CAST(NULL AS {dtype}) AS {name}" if drop_costs and name in COST_FIELDS else name
        for name, dtype in cols
    )


def unique_events(
    con: duckdb.DuckDBPyConnection, src: str, target: str, joined: bool
) -> None:
    """(Re)create `target` from the in-period rows in temp table `src` (events.py)."""
    con.execute(_CHOOSE.format(
        target=target, src=src,
        end_expr=_CROPPED_END if joined else "s.der_event_end_date",
        next_join=_NEXT_PERIOD_JOIN.format(src=src) if joined else "",
        record_columns=record_columns(con, drop_costs=joined),
    ))
