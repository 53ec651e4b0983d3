"""The period a CLD file really covers, read from its event end dates (cld-r2.md §5.2).

Councils state a rolling 12 months in the file header, but the rows often cover less (a
late-starting extract, a month not yet complete). DHSC therefore derives each file's period
from the months in which its events end, and selects files by that derived period (§5.3).
A file whose derived period does not reach a quarter is never chosen for that quarter.
"""

from __future__ import annotations

from datetime import date

import duckdb

from openasc.errors import OpenascError

METHODS = ("v1", "v2")
ISLES_OF_SCILLY = "E06000053"

# v1 (June 2026 snapshot). A month counts when it holds at least 2% of the file's events and
# at least (event types in the file's most varied month - 1) event types; a file with fewer
# than 100 counted events keeps every month with events. Events are counted by the month of
# their end date; open events and events ending in or after the import month are not counted.
_V1 = """
WITH sub AS (
    SELECT submitted_on FROM cld_submissions WHERE submission_id = $sid
), by_month AS (
    SELECT date_trunc('month', r.event_end_date)::DATE AS month,
           count(DISTINCT r.event_type) AS n_types,
           count(*) AS n_events
    FROM cld_records r, sub
    WHERE r.submission_id = $sid
      AND r.event_type IS NOT NULL
      AND r.event_end_date < date_trunc('month', sub.submitted_on)
    GROUP BY ALL
), in_file AS (
    SELECT max(n_types) AS n_types, sum(n_events) AS n_events FROM by_month
)
SELECT min(m.month) AS period_start, last_day(max(m.month)) AS period_end
FROM by_month m, in_file f
WHERE f.n_events < 100
   OR (100.0 * m.n_events / f.n_events >= 2 AND m.n_types >= f.n_types - 1)
"""

# v2 (published after June 2026). Requests, assessments and services only; end dates from
# 2020-04-01 and before the import month; an open service adds to its type's total only.
# A month is complete for a type when it holds >= 10 events (the City of London, ONS
# E09000001, is exempt) and >= 20% of the type's median monthly count, and the type's total is
# >= 5% of the median of the three type totals. A lone incomplete month between two complete
# ones is tolerated. The period is the latest run of consecutive months complete (or tolerated)
# for all three types; NULL when a type is missing or no such month exists.
_V2 = """
WITH sub AS (
    SELECT submitted_on, la_code FROM cld_submissions WHERE submission_id = $sid
), rows AS (
    SELECT r.event_type,
           CASE WHEN r.event_end_date IS NOT NULL
                THEN date_trunc('month', r.event_end_date)::DATE END AS month
    FROM cld_records r, sub
    WHERE r.submission_id = $sid
      AND r.event_type IN ('Request', 'Assessment', 'Service')
      AND ((r.event_end_date >= DATE '2020-04-01'
            AND r.event_end_date < date_trunc('month', sub.submitted_on))
           OR (r.event_end_date IS NULL AND r.event_type = 'Service'))
), type_totals AS (
    SELECT event_type, count(*) AS total FROM rows GROUP BY event_type
), month_counts AS (
    SELECT event_type, month, count(*) AS n FROM rows WHERE month IS NOT NULL GROUP BY ALL
), type_medians AS (
    SELECT event_type, median(n) AS median_n FROM month_counts GROUP BY event_type
), types_ok AS (
    SELECT t.event_type,
           t.total >= 0.05 * (SELECT median(total) FROM type_totals) AS big_enough
    FROM type_totals t
), months AS (
    SELECT unnest(generate_series(min(month), max(month), INTERVAL 1 MONTH))::DATE AS month
    FROM month_counts
), grid AS (
    SELECT m.month, t.event_type,
           coalesce(c.n, 0) >= CASE WHEN (SELECT la_code FROM sub) = 'E09000001' THEN 0
                                    ELSE 10 END
           AND coalesce(c.n, 0) >= 0.2 * md.median_n
           AND t.big_enough AS complete
    FROM months m
    CROSS JOIN types_ok t
    JOIN type_medians md USING (event_type)
    LEFT JOIN month_counts c ON c.event_type = t.event_type AND c.month = m.month
), month_ok AS (
    SELECT month, count(*) = 3 AND bool_and(complete) AS complete
    FROM grid GROUP BY month
), tolerated AS (
    SELECT month,
           complete
           OR (coalesce(lag(complete) OVER w, false) AND coalesce(lead(complete) OVER w, false))
           AS usable
    FROM month_ok
    WINDOW w AS (ORDER BY month)
), runs AS (
    SELECT month,
           date_diff('month', DATE '2000-01-01', month)
             - row_number() OVER (ORDER BY month) AS run
    FROM tolerated WHERE usable
), latest AS (
    SELECT run FROM runs ORDER BY month DESC LIMIT 1
)
SELECT min(month) AS period_start, last_day(max(month)) AS period_end
FROM runs WHERE run = (SELECT run FROM latest)
  AND (SELECT count(*) FROM type_totals) = 3
"""


def derive_reporting_period(
    con: duckdb.DuckDBPyConnection, submission_id: int, method: str = "v1"
) -> tuple[date | None, date | None]:
    """Derive the period submission `submission_id` covers and store it on its
    `cld_submissions` row (`derived_period_start/end`). Returns (start, end); both None when
    no month qualifies."""
    if method not in METHODS:
        raise OpenascError(
            f"The reporting-period method {method!r} is not known: expected one of "
            f"{', '.join(METHODS)} (the derived reporting periods of DHSC's CLD processing "
            "method)."
        )
    found = con.execute(
        "SELECT count(*) FROM cld_submissions WHERE submission_id = ?", [submission_id]
    ).fetchone()[0]
    if not found:
        raise OpenascError(
            f"There is no CLD submission {submission_id} in the warehouse (table "
            "cld_submissions); load the file with `openasc ingest cld FILE` first."
        )
    if method == "v2" and con.execute(
            "SELECT la_code = ? FROM cld_submissions WHERE submission_id = ?",
            [ISLES_OF_SCILLY, submission_id]).fetchone()[0]:
        # too few events for any completeness test: v2 uses the stated period
        start, end = con.execute(
            "SELECT stated_period_start, stated_period_end FROM cld_submissions "
            "WHERE submission_id = ?", [submission_id]).fetchone()
    else:
        sql = _V1 if method == "v1" else _V2
        start, end = con.execute(sql, {"sid": submission_id}).fetchone()
    con.execute(
        "UPDATE cld_submissions SET derived_period_start = ?, derived_period_end = ? "
        "WHERE submission_id = ?",
        [start, end, submission_id],
    )
    return start, end
