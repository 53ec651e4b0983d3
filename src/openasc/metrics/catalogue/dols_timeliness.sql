-- DoLS timeliness and outcomes (sac-dols-salt.md B5), from unrounded counts.
-- Days to complete = sign-off date - received date, for applications completed in the
-- period. Statutory timescales (B1): 21 days for a standard authorisation, 7 days for an
-- urgent one; "within" means at most 21 (7) days (our reading of the boundary, B5).
-- Change on the previous year compares receipts in the period with receipts in the same
-- period one year earlier (needs the earlier year's applications in the warehouse).
-- Set-based: every council of the run (compute_councils) at once. Applications are joined
-- to their council with a LEFT JOIN, so a council with none still has its headline rows;
-- count(application_id) counts applications (0 for such a council).
WITH completed AS (
    SELECT cc.la_code, a.application_id, a.application_type, a.application_status,
           date_diff('day', a.received_date, a.sign_off_date) AS days,
           -- length of a granted standard authorisation, when both dates are recorded
           CASE WHEN a.application_status = 'Granted' AND a.application_type = 'Standard'
                THEN date_diff('day', a.authorisation_start_date, a.authorisation_end_date)
           END AS auth_days
    FROM compute_councils cc
    LEFT JOIN dols_applications a
      ON a.la_code = cc.la_code AND a.sign_off_date BETWEEN $period_start AND $period_end
     AND a.application_status IN ('Granted', 'Not granted', 'Withdrawn')
),
change AS (
    SELECT cc.la_code,
           count(*) FILTER (WHERE a.received_date BETWEEN $period_start AND $period_end) AS now,
           count(*) FILTER (WHERE a.received_date BETWEEN
                            CAST($period_start - INTERVAL 1 YEAR AS DATE)
                            AND CAST($period_end - INTERVAL 1 YEAR AS DATE)) AS before
    FROM compute_councils cc LEFT JOIN dols_applications a ON a.la_code = cc.la_code
    GROUP BY cc.la_code
),
rows AS (
    SELECT la_code, 'DAYS_MEAN' AS code, '' AS breakdown, sum(days) AS numerator,
           count(application_id) AS denominator, avg(days) AS value
    FROM completed GROUP BY la_code
    UNION ALL SELECT la_code, 'DAYS_MEAN', 'type=' || application_type, sum(days),
           count(application_id), avg(days)
    FROM completed WHERE application_id IS NOT NULL GROUP BY ALL
    UNION ALL SELECT la_code, 'DAYS_MEDIAN', '', count(application_id), NULL, median(days)
    FROM completed GROUP BY la_code
    UNION ALL SELECT la_code, 'DAYS_MEDIAN', 'type=' || application_type, count(application_id),
           NULL, median(days)
    FROM completed WHERE application_id IS NOT NULL GROUP BY ALL
    UNION ALL SELECT la_code, 'STANDARD_21_DAYS', '',
           count(*) FILTER (WHERE application_type = 'Standard' AND days <= 21),
           count(*) FILTER (WHERE application_type = 'Standard'), NULL
    FROM completed GROUP BY la_code
    UNION ALL SELECT la_code, 'URGENT_7_DAYS', '',
           count(*) FILTER (WHERE application_type = 'Urgent' AND days <= 7),
           count(*) FILTER (WHERE application_type = 'Urgent'), NULL
    FROM completed GROUP BY la_code
    UNION ALL SELECT la_code, 'NOT_GRANTED_PCT', '',
           count(*) FILTER (WHERE application_status <> 'Granted'), count(application_id), NULL
    FROM completed GROUP BY la_code
    UNION ALL SELECT la_code, 'AUTH_PERIOD_MEAN', '', sum(auth_days), count(auth_days),
           avg(auth_days)
    FROM completed GROUP BY la_code
    UNION ALL SELECT la_code, 'RECEIVED_CHANGE', '', now - before, before, NULL FROM change
)
SELECT la_code, code, breakdown, numerator, denominator,
       coalesce(value, CASE WHEN denominator > 0
                            THEN 100.0 * numerator / denominator END) AS value
FROM rows
ORDER BY la_code, code, breakdown
