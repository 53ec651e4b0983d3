-- DoLS counts (sac-dols-salt.md B4, B5). Received: received date in the period. Completed:
-- signed off in the period (granted, not granted or withdrawn), whatever the date received.
-- Not completed: received on or before the period end and not signed off by it (the
-- backlog), by priority and by how long outstanding (days from receipt to the period end).
-- Withdrawn or ceased applications are completed applications that were not granted.
-- People are counted once, with details from their latest application in the period.
WITH a AS (
    SELECT * FROM dols_applications WHERE la_code = $la_code
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
    SELECT person_id, sex,
           CASE WHEN age IS NULL THEN 'Unknown' WHEN age < 65 THEN '18-64'
                WHEN age < 75 THEN '65-74' WHEN age < 85 THEN '75-84' ELSE '85+' END
               AS age_band
    FROM (
        SELECT person_id, sex,
               CAST(floor(((year(received_date) * 12 + month(received_date))
                          - (birth_year * 12 + birth_month)) / 12) AS INTEGER) AS age
        FROM received
        QUALIFY row_number() OVER (PARTITION BY person_id
                                   ORDER BY received_date DESC, load_id DESC,
                                            row_number DESC) = 1
    )
),
rows AS (
    SELECT 'RECEIVED' AS code, '' AS breakdown, count(*) AS numerator FROM received
    UNION ALL SELECT 'RECEIVED', 'setting=' || setting, count(*) FROM received GROUP BY ALL
    UNION ALL SELECT 'RECEIVED', 'type=' || application_type, count(*) FROM received
    GROUP BY ALL
    UNION ALL SELECT 'RECEIVED_PEOPLE', '', count(*) FROM people
    UNION ALL SELECT 'RECEIVED_PEOPLE', 'age_band=' || age_band, count(*) FROM people
    GROUP BY ALL
    UNION ALL SELECT 'RECEIVED_PEOPLE', 'sex=' || coalesce(sex, 'Not Known'), count(*)
    FROM people GROUP BY ALL
    UNION ALL SELECT 'COMPLETED', '', count(*) FROM completed
    UNION ALL SELECT 'COMPLETED', 'type=' || application_type, count(*) FROM completed
    GROUP BY ALL
    UNION ALL SELECT 'COMPLETED', 'outcome=' || outcome, count(*) FROM completed GROUP BY ALL
    UNION ALL SELECT 'NOT_GRANTED_REASON', '', count(*) FROM completed
    WHERE outcome = 'Not granted'
    UNION ALL SELECT 'NOT_GRANTED_REASON', 'outcome=' || reason_not_granted, count(*)
    FROM completed WHERE outcome = 'Not granted' GROUP BY ALL
    UNION ALL SELECT 'NOT_COMPLETED', '', count(*) FROM waiting
    UNION ALL SELECT 'NOT_COMPLETED', 'priority=' || coalesce(priority, 'Not recorded'),
           count(*)
    FROM waiting GROUP BY ALL
    UNION ALL SELECT 'NOT_COMPLETED', 'duration=' ||
           CASE WHEN days_waiting <= 90 THEN '0 to 90 days'
                WHEN days_waiting <= 180 THEN '91 to 180 days'
                WHEN days_waiting <= 365 THEN '181 to 365 days'
                ELSE 'More than 365 days' END, count(*)
    FROM waiting GROUP BY ALL
)
SELECT * FROM rows ORDER BY code, breakdown
