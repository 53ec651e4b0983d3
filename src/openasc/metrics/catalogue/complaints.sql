-- CMP-1, CMP-3 to CMP-7, CMP-10, CMP-11 (docs/complaints.md) from the council's complaints
-- log. Received in the period: CMP-1, CMP-4, CMP-7, CMP-10, CMP-11. Responded to in the
-- period (the written response date): CMP-3, CMP-5, CMP-6. Working days exclude weekends
-- and bank holidays in England and Wales and start the day after receipt (working_days).
-- Where no response date was agreed, the target is 20 working days (decisions.md).
WITH c AS (
    SELECT * FROM complaints WHERE la_code = $la_code
),
received AS (
    SELECT * FROM c WHERE kind = 'complaint'
      AND received_date BETWEEN $period_start AND $period_end
),
responded AS (
    SELECT c.*, wr.n - w0.n AS working_days_to_response,
           CASE WHEN c.agreed_response_date IS NOT NULL
                THEN c.response_date <= c.agreed_response_date
                ELSE wr.n - w0.n <= 20 END AS in_time
    FROM c
    JOIN working_days w0 ON w0.day = c.received_date
    JOIN working_days wr ON wr.day = c.response_date
    WHERE c.kind = 'complaint' AND c.response_date BETWEEN $period_start AND $period_end
),
acknowledged AS (
    SELECT r.*, wa.n - w0.n AS working_days_to_ack
    FROM received r
    JOIN working_days w0 ON w0.day = r.received_date
    LEFT JOIN working_days wa ON wa.day = r.acknowledged_date
),
themes(theme, position) AS (
    VALUES ('communication', 1), ('delay', 2), ('quality_of_care', 3), ('staff_conduct', 4),
           ('charging', 5), ('decision_disputed', 6), ('information', 7), ('other', 8),
           ('not recorded', 9))
SELECT 'CMP-1' AS code, '' AS breakdown, count(*) AS numerator,
       CAST(NULL AS BIGINT) AS denominator, CAST(count(*) AS DOUBLE) AS value
FROM received
UNION ALL
SELECT 'CMP-3', '', count(*) FILTER (WHERE outcome IN ('upheld', 'partly_upheld')),
       count(*), 100.0 * count(*) FILTER (WHERE outcome IN ('upheld', 'partly_upheld'))
                 / nullif(count(*), 0)
FROM responded WHERE outcome IN ('upheld', 'partly_upheld', 'not_upheld')
UNION ALL
SELECT 'CMP-4', '', count(*) FILTER (WHERE working_days_to_ack <= 3), count(*),
       100.0 * count(*) FILTER (WHERE working_days_to_ack <= 3) / nullif(count(*), 0)
FROM acknowledged
UNION ALL
SELECT 'CMP-5', '', count(*) FILTER (WHERE in_time), count(*),
       100.0 * count(*) FILTER (WHERE in_time) / nullif(count(*), 0)
FROM responded
UNION ALL
SELECT 'CMP-6', '', NULL, count(*), median(working_days_to_response) FROM responded
UNION ALL
SELECT 'CMP-7', '', count(*) FILTER (WHERE lgsco_referred), NULL,
       count(*) FILTER (WHERE lgsco_referred)
FROM received
UNION ALL
SELECT 'CMP-10', '', count(*), NULL, count(*)
FROM c WHERE kind = 'compliment' AND received_date BETWEEN $period_start AND $period_end
UNION ALL
SELECT 'CMP-11', 'theme=' || t.theme, count(r.kind), (SELECT count(*) FROM received),
       100.0 * count(r.kind) / nullif((SELECT count(*) FROM received), 0)
FROM themes t LEFT JOIN received r ON coalesce(r.theme, 'not recorded') = t.theme
GROUP BY t.theme
