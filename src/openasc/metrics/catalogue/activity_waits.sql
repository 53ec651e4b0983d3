-- ACTIVITY waiting times in days, from service users' events:
-- request to assessment: each assessment ending in the period, from the start of the
-- person's latest request that started on or before the assessment started;
-- assessment to service: each assessment ending in the period that is followed by a
-- service starting on or after its end (and by the period end), to the first such start.
-- numerator = number of waits measured; value = median / mean / 90th percentile.
-- ACT-ASM-001: people with an assessment open at the period end (started by then, ended
-- after it), as far as later submissions show.
WITH assessments AS (
    SELECT person_id, record_id, event_start_date AS s,
           coalesce(der_event_end_date, event_end_date) AS e
    FROM cld_events
    WHERE la_code = $la_code AND client_type = 'Service user' AND event_type = 'Assessment'
),
ended AS (SELECT * FROM assessments WHERE e BETWEEN $period_start AND $period_end),
to_assessment AS (
    SELECT a.record_id, date_diff('day', max(r.event_start_date), a.e) AS days
    FROM ended a
    JOIN cld_events r ON r.la_code = $la_code AND r.person_id = a.person_id
         AND r.event_type = 'Request' AND r.client_type = 'Service user'
         AND r.event_start_date <= a.s
    GROUP BY a.record_id, a.e
),
to_service AS (
    SELECT a.record_id, date_diff('day', a.e, min(v.event_start_date)) AS days
    FROM ended a
    JOIN cld_events v ON v.la_code = $la_code AND v.person_id = a.person_id
         AND v.event_type = 'Service' AND v.client_type = 'Service user'
         AND v.event_start_date >= a.e AND v.event_start_date <= $period_end
    GROUP BY a.record_id, a.e
)
SELECT 'ACT-WAIT-001' AS code, '' AS breakdown, count(*) AS numerator,
       median(days) AS value FROM to_assessment
UNION ALL SELECT 'ACT-WAIT-002', '', count(*), avg(days) FROM to_assessment
UNION ALL SELECT 'ACT-WAIT-003', '', count(*), quantile_cont(days, 0.9) FROM to_assessment
UNION ALL SELECT 'ACT-WAIT-004', '', count(*), median(days) FROM to_service
UNION ALL SELECT 'ACT-WAIT-005', '', count(*), avg(days) FROM to_service
UNION ALL SELECT 'ACT-WAIT-006', '', count(*), quantile_cont(days, 0.9) FROM to_service
UNION ALL
SELECT 'ACT-ASM-001', '', count(DISTINCT person_id), count(DISTINCT person_id)
FROM assessments
WHERE s <= $period_end AND (e IS NULL OR e > $period_end)
