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
waits AS (
    SELECT la_code, kind, count(*) AS n, median(days) AS median_days, avg(days) AS mean_days,
           quantile_cont(days, 0.9) AS p90_days
    FROM (SELECT la_code, 'assessment' AS kind, days FROM to_assessment
          UNION ALL
          SELECT la_code, 'service', days FROM to_service) w
    GROUP BY la_code, kind
),
every AS (
    -- each council of the run has both kinds: 0 waits and no value when it has none
    SELECT c.la_code, k.kind, coalesce(w.n, 0) AS n, w.median_days, w.mean_days, w.p90_days
    FROM compute_councils c
    CROSS JOIN (VALUES ('assessment'), ('service')) AS k(kind)
    LEFT JOIN waits w ON w.la_code = c.la_code AND w.kind = k.kind
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
