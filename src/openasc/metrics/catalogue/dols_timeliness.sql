-- DoLS timeliness and outcomes (sac-dols-salt.md B5), from unrounded counts.
-- Days to complete = sign-off date - received date, for applications completed in the
-- period. Statutory timescales (B1): 21 days for a standard authorisation, 7 days for an
-- urgent one; "within" means at most 21 (7) days (our reading of the boundary, B5).
-- Change on the previous year compares receipts in the period with receipts in the same
-- period one year earlier (needs the earlier year's applications in the warehouse).
-- Set-based: every council of the run (compute_councils) at once, in one pass over the
-- applications: a LEFT JOIN from the council list, so a council with none still has its
-- headline rows (counts 0), then one row of totals per council, one per council and type.
WITH a AS (  -- every application of the run's councils; completed: signed off in the period
    SELECT cc.la_code, d.application_id, d.application_type, d.application_status,
           d.received_date,
           d.sign_off_date BETWEEN $period_start AND $period_end
               AND d.application_status IN ('Granted', 'Not granted', 'Withdrawn') AS completed,
           date_diff('day', d.received_date, d.sign_off_date) AS days,
           -- length of a granted standard authorisation, when both dates are recorded
           CASE WHEN d.application_status = 'Granted' AND d.application_type = 'Standard'
                THEN date_diff('day', d.authorisation_start_date, d.authorisation_end_date)
           END AS auth_days
    FROM compute_councils cc LEFT JOIN dols_applications d ON d.la_code = cc.la_code
),
head AS (
    SELECT la_code,
           sum(days) FILTER (WHERE completed) AS days_sum,
           count(*) FILTER (WHERE completed) AS completed,
           avg(days) FILTER (WHERE completed) AS days_mean,
           count(*) FILTER (WHERE completed AND application_type = 'Standard' AND days <= 21)
               AS standard_in_time,
           count(*) FILTER (WHERE completed AND application_type = 'Standard') AS standard,
           count(*) FILTER (WHERE completed AND application_type = 'Urgent' AND days <= 7)
               AS urgent_in_time,
           count(*) FILTER (WHERE completed AND application_type = 'Urgent') AS urgent,
           count(*) FILTER (WHERE completed AND application_status <> 'Granted') AS not_granted,
           sum(auth_days) FILTER (WHERE completed) AS auth_sum,
           count(auth_days) FILTER (WHERE completed) AS auth_n,
           avg(auth_days) FILTER (WHERE completed) AS auth_mean,
           count(*) FILTER (WHERE received_date BETWEEN $period_start AND $period_end) AS now,
           count(*) FILTER (WHERE received_date BETWEEN
                            CAST($period_start - INTERVAL 1 YEAR AS DATE)
                            AND CAST($period_end - INTERVAL 1 YEAR AS DATE)) AS before
    FROM a GROUP BY la_code
),
by_type AS (
    SELECT la_code, application_type, sum(days) AS days_sum, count(*) AS completed,
           avg(days) AS days_mean
    FROM a WHERE completed GROUP BY la_code, application_type
),
-- T-SQL has no aggregate median, so DAYS_MEDIAN is written out in SQL that every dialect
-- runs: the completed applications are numbered in order of days (i = 1 to n) for each
-- council, and for each council and type; a median is the value at position (n + 1) / 2, or
-- the mean of the two values either side of it when n is even, as DuckDB's median gives it
-- (a DOUBLE).
completed_days AS (
    SELECT la_code, application_type, CAST(days AS DOUBLE) AS days,
           row_number() OVER (PARTITION BY la_code ORDER BY days) AS i,
           count(*) OVER (PARTITION BY la_code) AS n,
           row_number() OVER (PARTITION BY la_code, application_type ORDER BY days) AS type_i,
           count(*) OVER (PARTITION BY la_code, application_type) AS type_n
    FROM a
    WHERE completed AND days IS NOT NULL
),
head_median AS (
    SELECT la_code,
           avg(CASE WHEN i IN (floor((n + 1) / 2.0), ceiling((n + 1) / 2.0)) THEN days END)
               AS days_median
    FROM completed_days
    GROUP BY la_code
),
type_median AS (
    SELECT la_code, application_type,
           avg(CASE WHEN type_i IN (floor((type_n + 1) / 2.0), ceiling((type_n + 1) / 2.0))
                    THEN days END) AS days_median
    FROM completed_days
    GROUP BY la_code, application_type
),
rows AS (
    SELECT la_code, 'DAYS_MEAN' AS code, '' AS breakdown, days_sum AS numerator,
           completed AS denominator, days_mean AS value FROM head
    UNION ALL SELECT la_code, 'DAYS_MEAN', 'type=' || application_type, days_sum, completed,
           days_mean
    FROM by_type
    UNION ALL SELECT h.la_code, 'DAYS_MEDIAN', '', h.completed, NULL, m.days_median
    FROM head h LEFT JOIN head_median m ON m.la_code = h.la_code
    UNION ALL SELECT b.la_code, 'DAYS_MEDIAN', 'type=' || b.application_type, b.completed, NULL,
           m.days_median
    FROM by_type b
    LEFT JOIN type_median m
      ON m.la_code = b.la_code AND m.application_type = b.application_type
    UNION ALL SELECT la_code, 'STANDARD_21_DAYS', '', standard_in_time, standard, NULL FROM head
    UNION ALL SELECT la_code, 'URGENT_7_DAYS', '', urgent_in_time, urgent, NULL FROM head
    UNION ALL SELECT la_code, 'NOT_GRANTED_PCT', '', not_granted, completed, NULL FROM head
    UNION ALL SELECT la_code, 'AUTH_PERIOD_MEAN', '', auth_sum, auth_n, auth_mean FROM head
    UNION ALL SELECT la_code, 'RECEIVED_CHANGE', '', now - before, before, NULL FROM head
)
SELECT la_code, code, breakdown, numerator, denominator,
       coalesce(value, CASE WHEN denominator > 0
                            THEN 100.0 * numerator / denominator END) AS value
FROM rows
ORDER BY la_code, code, breakdown
