"""Which file speaks for which period: submission selection "as of" a date (cld-r2.md §5.3).

Every quarterly file restates 12 months, so most quarters are covered by several files. The
national method trusts the most recent one, but only a file that (a) really covers the
target period by its derived period (§5.2), (b) was imported after the target period ended,
so the period was complete when it was extracted, and (c) was imported on or before the
"as of" date, so that a rerun with the same date picks the same files.

Two selections are made, each into a temporary table of reference periods
(`la_code, submission_id, reference_period_start, reference_period_end, is_last`):

- joined (`national_joined_periods`): every financial-year quarter (Apr-Jun, Jul-Sep, Oct-Dec,
  Jan-Mar) from a council's earliest covered quarter to its latest, each from its own latest
  qualifying file; consecutive quarters taken from one file merge into one reference period;
- single (`national_single_periods`): the latest rolling 12 months ending at a quarter end
  that any council's file covers, from each council's latest qualifying file.
"""

from __future__ import annotations

from datetime import date

import duckdb

# Every (file, quarter) pair where the file may speak for the quarter.
_CANDIDATE_QUARTERS = """
CREATE OR REPLACE TEMP TABLE national_candidate_quarters AS
WITH eligible AS (
    SELECT submission_id, la_code, submitted_on, derived_period_start, derived_period_end
    FROM cld_submissions
    WHERE derived_period_start IS NOT NULL AND derived_period_end IS NOT NULL
      AND submitted_on <= $as_of
), quarters AS (
    -- quarter starts from the first quarter starting on/after the derived start
    SELECT e.*, unnest(generate_series(
               date_trunc('quarter', e.derived_period_start - INTERVAL 1 DAY)
                 + INTERVAL 3 MONTH,
               e.derived_period_end::TIMESTAMP,
               INTERVAL 3 MONTH))::DATE AS quarter_start
    FROM eligible e
)
SELECT submission_id, la_code, submitted_on, quarter_start,
       (quarter_start + INTERVAL 3 MONTH - INTERVAL 1 DAY)::DATE AS quarter_end,
       year(quarter_start) * 4 + quarter(quarter_start) AS quarter_index,
       derived_period_start
FROM quarters
WHERE (quarter_start + INTERVAL 3 MONTH - INTERVAL 1 DAY)::DATE <= derived_period_end
  AND submitted_on > (quarter_start + INTERVAL 3 MONTH - INTERVAL 1 DAY)::DATE
"""

_JOINED = """
CREATE OR REPLACE TEMP TABLE national_joined_periods AS
WITH chosen AS (
    SELECT * FROM national_candidate_quarters
    QUALIFY row_number() OVER (PARTITION BY la_code, quarter_start
                               ORDER BY submitted_on DESC, submission_id DESC) = 1
), islands AS (
    SELECT *, quarter_index - row_number() OVER (PARTITION BY la_code, submission_id
                                                 ORDER BY quarter_index) AS island
    FROM chosen
), periods AS (
    SELECT la_code, submission_id,
           min(quarter_start) AS reference_period_start,
           max(quarter_end) AS reference_period_end,
           count(*) AS quarters
    FROM islands GROUP BY la_code, submission_id, island
)
SELECT *, reference_period_end = max(reference_period_end) OVER (PARTITION BY la_code)
          AS is_last
FROM periods
"""

_MISSING_QUARTERS = """
WITH span AS (
    SELECT la_code, min(quarter_start) AS first_q, max(quarter_start) AS last_q
    FROM national_candidate_quarters GROUP BY la_code
), every_q AS (
    SELECT la_code, unnest(generate_series(first_q::TIMESTAMP, last_q::TIMESTAMP,
                                           INTERVAL 3 MONTH))::DATE AS quarter_start
    FROM span
)
SELECT q.la_code, q.quarter_start
FROM every_q q
WHERE NOT EXISTS (SELECT 1 FROM national_candidate_quarters c
                  WHERE c.la_code = q.la_code AND c.quarter_start = q.quarter_start)
ORDER BY q.la_code, q.quarter_start
"""

_SINGLE = """
CREATE OR REPLACE TEMP TABLE national_single_periods AS
WITH windows AS (
    -- a 12-month window ending at quarter end q covered by the file
    SELECT submission_id, la_code, submitted_on,
           (quarter_end + INTERVAL 1 DAY - INTERVAL 12 MONTH)::DATE AS reference_period_start,
           quarter_end AS reference_period_end
    FROM national_candidate_quarters
    WHERE (quarter_end + INTERVAL 1 DAY - INTERVAL 12 MONTH)::DATE >= derived_period_start
), target AS (
    SELECT max(reference_period_end) AS reference_period_end FROM windows
)
SELECT w.la_code, w.submission_id, w.reference_period_start, w.reference_period_end,
       1 AS quarters, true AS is_last
FROM windows w JOIN target t USING (reference_period_end)
QUALIFY row_number() OVER (PARTITION BY w.la_code
                           ORDER BY w.submitted_on DESC, w.submission_id DESC) = 1
"""


# Reference periods that more than one file could speak for: the file kept, and the others.
_OVERLAPS = """
SELECT p.la_code, p.reference_period_start, p.reference_period_end,
       any_value(k.source_name) AS kept, any_value(k.submitted_on) AS kept_on,
       list(DISTINCT o.source_name ORDER BY o.source_name) AS others
FROM national_joined_periods p
JOIN national_candidate_quarters c ON c.la_code = p.la_code
     AND c.quarter_start BETWEEN p.reference_period_start AND p.reference_period_end
     AND c.submission_id <> p.submission_id
JOIN cld_submissions k ON k.submission_id = p.submission_id
JOIN cld_submissions o ON o.submission_id = c.submission_id
GROUP BY p.la_code, p.reference_period_start, p.reference_period_end
ORDER BY p.la_code, p.reference_period_start
"""


def overlaps(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """For each joined reference period that another file also covers, the file the method
    kept (the latest qualifying one) and those it set aside for that period."""
    keys = ("la_code", "period_start", "period_end", "kept", "kept_on", "others")
    return [dict(zip(keys, r, strict=True)) for r in con.execute(_OVERLAPS).fetchall()]


def select_submissions(con: duckdb.DuckDBPyConnection, as_of: date | None) -> list[dict]:
    """Fill `national_joined_periods` and `national_single_periods`; return the quarters
    without a qualifying file inside each council's covered span (the "missing" flags)."""
    con.execute(_CANDIDATE_QUARTERS, {"as_of": as_of})
    con.execute(_JOINED)
    con.execute(_SINGLE)
    return [
        {"la_code": la, "quarter_start": q}
        for la, q in con.execute(_MISSING_QUARTERS).fetchall()
    ]


def drop(con: duckdb.DuckDBPyConnection) -> None:
    for name in ("national_candidate_quarters", "national_joined_periods",
                 "national_single_periods"):
        con.execute(f"DROP TABLE IF EXISTS {name}")
