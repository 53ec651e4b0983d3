-- DoLS timeliness and outcomes (sac-dols-salt.md B5), from unrounded counts.
-- Days to complete = sign-off date - received date, for applications completed in the
-- period. Statutory timescales (B1): 21 days for a standard authorisation, 7 days for an
-- urgent one; "within" means at most 21 (7) days (our reading of the boundary, B5).
-- Change on the previous year compares receipts in the period with receipts in the same
-- period one year earlier (needs the earlier year's applications in the warehouse).
WITH a AS (
    SELECT * FROM dols_applications WHERE la_code = $la_code
),
completed AS (
    SELECT *, date_diff('day', received_date, sign_off_date) AS days
    FROM a WHERE sign_off_date BETWEEN $period_start AND $period_end
      AND application_status IN ('Granted', 'Not granted', 'Withdrawn')
),
granted_auth AS (
    SELECT date_diff('day', authorisation_start_date, authorisation_end_date) AS days
    FROM completed
    WHERE application_status = 'Granted' AND application_type = 'Standard'
      AND authorisation_start_date IS NOT NULL AND authorisation_end_date IS NOT NULL
),
change AS (
    SELECT count(*) FILTER (WHERE received_date BETWEEN $period_start AND $period_end) AS now,
           count(*) FILTER (WHERE received_date BETWEEN
                            CAST($period_start - INTERVAL 1 YEAR AS DATE)
                            AND CAST($period_end - INTERVAL 1 YEAR AS DATE)) AS before
    FROM a
),
rows AS (
    SELECT 'DAYS_MEAN' AS code, '' AS breakdown, sum(days) AS numerator,
           count(*) AS denominator, avg(days) AS value FROM completed
    UNION ALL SELECT 'DAYS_MEAN', 'type=' || application_type, sum(days), count(*), avg(days)
    FROM completed GROUP BY ALL
    UNION ALL SELECT 'DAYS_MEDIAN', '', count(*), NULL, median(days) FROM completed
    UNION ALL SELECT 'DAYS_MEDIAN', 'type=' || application_type, count(*), NULL, median(days)
    FROM completed GROUP BY ALL
    UNION ALL SELECT 'STANDARD_21_DAYS', '', count(*) FILTER (WHERE days <= 21), count(*), NULL
    FROM completed WHERE application_type = 'Standard'
    UNION ALL SELECT 'URGENT_7_DAYS', '', count(*) FILTER (WHERE days <= 7), count(*), NULL
    FROM completed WHERE application_type = 'Urgent'
    UNION ALL SELECT 'NOT_GRANTED_PCT', '',
           count(*) FILTER (WHERE application_status <> 'Granted'), count(*), NULL
    FROM completed
    UNION ALL SELECT 'AUTH_PERIOD_MEAN', '', sum(days), count(*), avg(days) FROM granted_auth
    UNION ALL SELECT 'RECEIVED_CHANGE', '', now - before, before, NULL FROM change
)
SELECT code, breakdown, numerator, denominator,
       coalesce(value, CASE WHEN denominator > 0
                            THEN 100.0 * numerator / denominator END) AS value
FROM rows
ORDER BY code, breakdown
