-- ACTIVITY waiting times in days, from service users' events:
-- request to assessment: each assessment ending in the period, from the start of the
-- person's latest request that started on or before the assessment started;
-- assessment to service: each assessment ending in the period that is followed by a
-- service starting on or after its end (and by the period end), to the first such start.
-- numerator = number of waits measured; value = median / mean / 90th percentile.
-- ACT-ASM-001: people with an assessment open at the period end (started by then, ended
-- after it), as far as later submissions show.
WITH assessments AS (
    SELECT la_code, person_id, record_id, event_start_date AS s,
           coalesce(der_event_end_date, event_end_date) AS e
    FROM cld_events JOIN compute_councils USING (la_code)
    WHERE client_type = 'Service user' AND event_type = 'Assessment'
),
ended AS (SELECT * FROM assessments WHERE e BETWEEN $period_start AND $period_end),
to_assessment AS (
    SELECT a.la_code, a.record_id, date_diff('day', max(r.event_start_date), a.e) AS days
    FROM ended a
    JOIN cld_events r ON r.la_code = a.la_code AND r.person_id = a.person_id
         AND r.event_type = 'Request' AND r.client_type = 'Service user'
         AND r.event_start_date <= a.s
    GROUP BY a.la_code, a.record_id, a.e
),
to_service AS (
    SELECT a.la_code, a.record_id, date_diff('day', a.e, min(v.event_start_date)) AS days
    FROM ended a
    JOIN cld_events v ON v.la_code = a.la_code AND v.person_id = a.person_id
         AND v.event_type = 'Service' AND v.client_type = 'Service user'
         AND v.event_start_date >= a.e AND v.event_start_date <= $period_end
    GROUP BY a.la_code, a.record_id, a.e
),
measured AS (
    SELECT la_code, 'assessment' AS kind, days FROM to_assessment
    UNION ALL
    SELECT la_code, 'service', days FROM to_service
),
waits AS (
    SELECT la_code, kind, count(*) AS n, avg(days) AS mean_days
    FROM measured
    GROUP BY la_code, kind
),
-- T-SQL has no aggregate median or percentile, so both are written out in SQL that every
-- dialect runs, computed as DuckDB's quantile_cont computes them. A group's n values are
-- numbered in order (i = 1 to n); the p-th percentile lies o = p x (n - 1) places after the
-- first value, between the values at i = floor(o) + 1 and i = ceiling(o) + 1, interpolated:
-- x_lo + (o - floor(o)) x (x_hi - x_lo). For the median (p = 0.5) that is the value at
-- position (n + 1) / 2, or the mean of the two values either side of it when n is even.
ranked AS (
    SELECT la_code, kind, CAST(days AS DOUBLE) AS days,
           row_number() OVER (PARTITION BY la_code, kind ORDER BY days) AS i,
           count(*) OVER (PARTITION BY la_code, kind) AS n,
           CAST(count(*) OVER (PARTITION BY la_code, kind) - 1 AS DOUBLE) * 0.9 AS o90
    FROM measured
    WHERE days IS NOT NULL
),
percentiles AS (
    SELECT la_code, kind,
           avg(CASE WHEN i IN (floor((n + 1) / 2.0), ceiling((n + 1) / 2.0)) THEN days END)
               AS median_days,
           max(CASE WHEN i = floor(o90) + 1 THEN days END) AS p90_lo,
           max(CASE WHEN i = ceiling(o90) + 1 THEN days END) AS p90_hi,
           max(o90 - floor(o90)) AS p90_fraction
    FROM ranked
    GROUP BY la_code, kind
),
every AS (
    -- each council of the run has both kinds: 0 waits and no value when it has none
    SELECT c.la_code, k.kind, coalesce(w.n, 0) AS n, p.median_days, w.mean_days,
           p.p90_lo + p.p90_fraction * (p.p90_hi - p.p90_lo) AS p90_days
    FROM compute_councils c
    CROSS JOIN (VALUES ('assessment'), ('service')) AS k(kind)
    LEFT JOIN waits w ON w.la_code = c.la_code AND w.kind = k.kind
    LEFT JOIN percentiles p ON p.la_code = c.la_code AND p.kind = k.kind
),
open_assessments AS (
    SELECT la_code, count(DISTINCT person_id) AS people
    FROM assessments
    WHERE s <= $period_end AND (e IS NULL OR e > $period_end)
    GROUP BY la_code
)
SELECT la_code, CASE kind WHEN 'assessment' THEN 'ACT-WAIT-001' ELSE 'ACT-WAIT-004' END AS code,
       '' AS breakdown, n AS numerator, median_days AS value
FROM every
UNION ALL
SELECT la_code, CASE kind WHEN 'assessment' THEN 'ACT-WAIT-002' ELSE 'ACT-WAIT-005' END, '',
       n, mean_days
FROM every
UNION ALL
SELECT la_code, CASE kind WHEN 'assessment' THEN 'ACT-WAIT-003' ELSE 'ACT-WAIT-006' END, '',
       n, p90_days
FROM every
UNION ALL
SELECT c.la_code, 'ACT-ASM-001', '', coalesce(o.people, 0), coalesce(o.people, 0)
FROM compute_councils c LEFT JOIN open_assessments o USING (la_code)
