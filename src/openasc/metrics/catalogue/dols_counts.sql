-- DoLS counts (sac-dols-salt.md B4, B5). Received: received date in the period. Completed:
-- signed off in the period (granted, not granted or withdrawn), whatever the date received.
-- Not completed: received on or before the period end and not signed off by it (the
-- backlog), by priority and by how long outstanding (days from receipt to the period end).
-- Withdrawn or ceased applications are completed applications that were not granted.
-- People are counted once, with details from their latest application in the period.
-- Set-based: every council of the run (compute_councils) at once, la_code in every key; a
-- council with nothing in the period still gets every headline 0 and every category 0.
WITH a AS (
    SELECT * FROM dols_applications WHERE la_code IN (SELECT la_code FROM compute_councils)
),
received AS (
    SELECT * FROM a WHERE received_date BETWEEN $period_start AND $period_end
),
completed AS (
    SELECT *, CASE WHEN application_status = 'Granted' THEN 'Granted' ELSE 'Not granted' END
                  AS outcome
    FROM a WHERE sign_off_date BETWEEN $period_start AND $period_end
      AND application_status IN ('Granted', 'Not granted', 'Withdrawn')
),
waiting AS (
    SELECT *, date_diff('day', received_date, $period_end) AS days_waiting
    FROM a WHERE received_date <= $period_end
      AND (sign_off_date IS NULL OR sign_off_date > $period_end)
),
people AS (
    SELECT la_code, person_id, sex,
           CASE WHEN age IS NULL THEN 'Unknown' WHEN age < 65 THEN '18-64'
                WHEN age < 75 THEN '65-74' WHEN age < 85 THEN '75-84' ELSE '85+' END
               AS age_band
    FROM (
        SELECT la_code, person_id, sex,
               CAST(floor(((year(received_date) * 12 + month(received_date))
                          - (birth_year * 12 + birth_month)) / 12) AS INTEGER) AS age
        FROM received
        QUALIFY row_number() OVER (PARTITION BY la_code, person_id
                                   ORDER BY received_date DESC, load_id DESC,
                                            row_number DESC) = 1
    )
),
rows AS (
    SELECT la_code, 'RECEIVED' AS code, '' AS breakdown, count(*) AS numerator FROM received
    GROUP BY ALL
    UNION ALL SELECT la_code, 'RECEIVED', 'setting=' || setting, count(*) FROM received
    GROUP BY ALL
    UNION ALL SELECT la_code, 'RECEIVED', 'type=' || application_type, count(*) FROM received
    GROUP BY ALL
    UNION ALL SELECT la_code, 'RECEIVED_PEOPLE', '', count(*) FROM people GROUP BY ALL
    UNION ALL SELECT la_code, 'RECEIVED_PEOPLE', 'age_band=' || age_band, count(*) FROM people
    GROUP BY ALL
    UNION ALL SELECT la_code, 'RECEIVED_PEOPLE', 'sex=' || coalesce(sex, 'Not Known'), count(*)
    FROM people GROUP BY ALL
    UNION ALL SELECT la_code, 'COMPLETED', '', count(*) FROM completed GROUP BY ALL
    UNION ALL SELECT la_code, 'COMPLETED', 'type=' || application_type, count(*) FROM completed
    GROUP BY ALL
    UNION ALL SELECT la_code, 'COMPLETED', 'outcome=' || outcome, count(*) FROM completed
    GROUP BY ALL
    UNION ALL SELECT la_code, 'NOT_GRANTED_REASON', '', count(*) FROM completed
    WHERE outcome = 'Not granted' GROUP BY ALL
    UNION ALL SELECT la_code, 'NOT_GRANTED_REASON', 'outcome=' || reason_not_granted, count(*)
    FROM completed WHERE outcome = 'Not granted' GROUP BY ALL
    UNION ALL SELECT la_code, 'NOT_COMPLETED', '', count(*) FROM waiting GROUP BY ALL
    UNION ALL SELECT la_code, 'NOT_COMPLETED', 'priority=' || coalesce(priority, 'Not recorded'),
           count(*)
    FROM waiting GROUP BY ALL
    UNION ALL SELECT la_code, 'NOT_COMPLETED', 'duration=' ||
           CASE WHEN days_waiting <= 90 THEN '0 to 90 days'
                WHEN days_waiting <= 180 THEN '91 to 180 days'
                WHEN days_waiting <= 365 THEN '181 to 365 days'
                ELSE 'More than 365 days' END, count(*)
    FROM waiting GROUP BY ALL
),
-- Each breakdown's category list: the spec's lists (metrics/categories.py) and this file's
-- own derived categories, and every headline. A category with no applications is a row
-- with 0, not a missing row, for every council of the run.
categories AS (
    SELECT m.code, m.key || '=' || l.category AS breakdown
    FROM (VALUES ('RECEIVED', 'setting', 'Setting'), ('RECEIVED_PEOPLE', 'sex', 'Gender.group'),
                 ('NOT_GRANTED_REASON', 'outcome', 'Reason_Not_Granted'),
                 ('NOT_COMPLETED', 'priority', 'Priority')) m(code, key, list)
    JOIN category_lists l ON l.list = 'dols.' || m.list
    UNION ALL
    SELECT code, breakdown FROM (VALUES
        ('RECEIVED', ''), ('RECEIVED_PEOPLE', ''), ('COMPLETED', ''),
        ('NOT_GRANTED_REASON', ''), ('NOT_COMPLETED', ''),
        ('RECEIVED', 'type=Standard'), ('RECEIVED', 'type=Urgent'),
        ('COMPLETED', 'type=Standard'), ('COMPLETED', 'type=Urgent'),
        ('COMPLETED', 'outcome=Granted'), ('COMPLETED', 'outcome=Not granted'),
        ('RECEIVED_PEOPLE', 'age_band=18-64'), ('RECEIVED_PEOPLE', 'age_band=65-74'),
        ('RECEIVED_PEOPLE', 'age_band=75-84'), ('RECEIVED_PEOPLE', 'age_band=85+'),
        ('NOT_COMPLETED', 'duration=0 to 90 days'), ('NOT_COMPLETED', 'duration=91 to 180 days'),
        ('NOT_COMPLETED', 'duration=181 to 365 days'),
        ('NOT_COMPLETED', 'duration=More than 365 days')) d(code, breakdown)
)
SELECT la_code, code, breakdown, numerator FROM rows
UNION ALL
SELECT x.la_code, x.code, x.breakdown, 0
FROM (SELECT c.la_code, k.code, k.breakdown FROM compute_councils c CROSS JOIN categories k) x
ANTI JOIN rows USING (la_code, code, breakdown)
ORDER BY la_code, code, breakdown
