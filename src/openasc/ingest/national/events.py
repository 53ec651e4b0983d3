"""Events in a reference period, with the fields the national method derives (cld-r2.md
§5.4, §5.6).

A file restates 12 months, but speaks only for the reference periods it was chosen for
(selection.py). Each of its rows is kept for a period only if the event belongs there:
completed events (requests, assessments, reviews) that end in the period, and services active
at any time in it. The end date is first corrected for death, because a service left open
after a person died would otherwise count as ongoing support.

Only the columns de-duplication needs are carried (record ID, dates, key, groupings): the
person's other fields stay in `cld_records`, which the event views join back, so a million
rows are never copied whole.

Date of death: DHSC's enhanced date of death (§5.6) links NHS numbers to ONS mortality data,
which a council does not hold; the CLD `Date_of_Death` is used instead (docs/decisions).
"""

from __future__ import annotations

import duckdb

# The end date corrected for death (§5.4): the date of death when it falls between start and
# end (inclusive), or when the event is open and the person died after it started.
DER_END = """
CASE WHEN r.date_of_death BETWEEN r.event_start_date AND r.event_end_date
       OR (r.event_end_date IS NULL AND r.date_of_death > r.event_start_date)
     THEN r.date_of_death ELSE r.event_end_date END
"""

# The identifying fields of a unique event (§5.7 step 1), as one text key: fields that do not
# identify an event of its type are left out, so they can never split one. Cleaned values are
# compared. A separator that cannot occur in a cleaned value keeps the fields apart.
_SEP = "chr(31)"
_KEY_FIELDS = [
    "la_code",
    "event_type",
    "person_id",
    "CAST(event_start_date AS VARCHAR)",
    "CASE WHEN event_type <> 'Service' THEN CAST(der_event_end_date AS VARCHAR) END",
    "client_type",
    "CASE WHEN event_type = 'Request' THEN request_route_of_access END",
    "CASE WHEN event_type = 'Assessment' THEN assessment_type END",
    "CASE WHEN event_type = 'Service' THEN service_type END",
    "CASE WHEN event_type = 'Service' THEN service_component END",
]
# The single-submission table also splits services by delivery and cost (blanks as empty
# strings, costs at 2 decimal places).
_SINGLE_KEY_FIELDS = [
    "CASE WHEN event_type = 'Service' THEN coalesce(delivery_mechanism, '') END",
    "CASE WHEN event_type = 'Service' THEN coalesce(CAST(round(unit_cost, 2) AS VARCHAR), '') END",
    "CASE WHEN event_type = 'Service' THEN coalesce(cost_frequency_unit_type, '') END",
    "CASE WHEN event_type = 'Service' "
    "THEN coalesce(CAST(round(planned_units_per_week, 2) AS VARCHAR), '') END",
]


def event_key(single: bool) -> str:
    """SQL for the unique-event key of the joined (or, with `single`, the single) table."""
    fields = _KEY_FIELDS + (_SINGLE_KEY_FIELDS if single else [])
    # NULL is kept distinct from '' by a marker no cleaned value holds.
    parts = [f"coalesce({f}, chr(30))" for f in fields]
    return f"concat_ws({_SEP}, {', '.join(parts)})"


_IN_PERIOD = """
CREATE OR REPLACE TEMP TABLE {out} AS
WITH filtered AS (
    SELECT r.*, p.reference_period_start, p.reference_period_end, p.is_last,
           {der_end} AS der_event_end_date
    FROM cld_records r
    JOIN {periods} p ON p.submission_id = r.submission_id
    WHERE r.event_type IS NOT NULL
      AND r.event_start_date IS NOT NULL
      AND r.event_start_date <= p.reference_period_end
      AND (r.date_of_death IS NULL
           OR (r.date_of_death >= p.reference_period_start
               AND r.date_of_death >= r.event_start_date))
), kept AS (
    SELECT *, {key} AS event_key FROM filtered
    WHERE CASE WHEN event_type = 'Service'
               THEN der_event_end_date IS NULL
                    OR der_event_end_date >= reference_period_start
               ELSE der_event_end_date BETWEEN reference_period_start AND reference_period_end
          END
)
SELECT k.record_id, k.la_code, k.event_type, k.event_start_date, k.birth_year, k.birth_month,
       coalesce(k.is_conversation, false) AS conversation,
       k.reference_period_start, k.reference_period_end, k.is_last, k.der_event_end_date,
       k.event_key,
       coalesce(e.ethnicity_group, 'Unknown') AS ethnicity_grouped,
       CASE WHEN k.event_outcome IS NULL THEN NULL
            ELSE coalesce(o.outcome_group, k.event_outcome) END AS event_outcome_grouped,
       CASE WHEN k.service_type IS NULL THEN NULL
            ELSE coalesce(s.service_group, 'Unknown') END AS service_type_grouped,
       CASE WHEN k.review_reason IS NULL THEN NULL
            WHEN k.review_reason ILIKE 'Unplanned%' THEN 'Unplanned'
            WHEN k.review_reason ILIKE 'Planned%' THEN 'Planned review of long term support'
            WHEN k.review_reason = 'Review of short term support'
                 THEN 'Review of short term support'
            ELSE 'Review Type Unknown' END AS review_type,
       coalesce(o.outcome_rank, 999) AS event_outcome_rank
FROM kept k
LEFT JOIN national_ethnicities e ON e.ethnicity = k.ethnicity
LEFT JOIN national_outcomes o ON o.event_outcome = k.event_outcome
LEFT JOIN national_service_types s ON s.service_type = k.service_type
"""


def events_in_period(
    con: duckdb.DuckDBPyConnection, periods: str, out: str, single: bool
) -> None:
    """Create temp table `out`: for each row of a chosen file that belongs to its reference
    period(s) in `periods`, its record ID, reference period, death-corrected end date,
    groupings, outcome rank and unique-event key. Needs the lookup tables of
    `lookups.register`."""
    con.execute(
        _IN_PERIOD.format(out=out, periods=periods, der_end=DER_END, key=event_key(single))
    )
