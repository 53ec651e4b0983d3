-- CMP-1, CMP-3 to CMP-7, CMP-10, CMP-11 (docs/complaints.md) from the council's complaints
-- log. Received in the period: CMP-1, CMP-4, CMP-7, CMP-10, CMP-11. Responded to in the
-- period (the written response date): CMP-3, CMP-5, CMP-6. Working days exclude weekends
-- and bank holidays in England and Wales and start the day after receipt (working_days).
-- Where no response date was agreed, the target is 20 working days (decisions.md).
-- Set-based: every council of the run (compute_councils) at once. Each measure joins the
-- council list to its cases with a LEFT JOIN, so a council with no case in the period still
-- has its row; count(case_pseudo) counts cases (0 for such a council).
WITH c AS (
    SELECT * FROM complaints WHERE la_code IN (SELECT la_code FROM compute_councils)
),
received AS (
    SELECT * FROM c WHERE kind = 'complaint'
      AND received_date BETWEEN $period_start AND $period_end
),
responded AS (
    SELECT c.la_code, c.case_pseudo, c.outcome, wr.n - w0.n AS working_days_to_response,
           CASE WHEN c.agreed_response_date IS NOT NULL
                THEN c.response_date <= c.agreed_response_date
                ELSE wr.n - w0.n <= 20 END AS in_time
    FROM c
    JOIN working_days w0 ON w0.day = c.received_date
    JOIN working_days wr ON wr.day = c.response_date
    WHERE c.kind = 'complaint' AND c.response_date BETWEEN $period_start AND $period_end
),
acknowledged AS (
    SELECT r.la_code, r.case_pseudo, wa.n - w0.n AS working_days_to_ack
    FROM received r
    JOIN working_days w0 ON w0.day = r.received_date
    LEFT JOIN working_days wa ON wa.day = r.acknowledged_date
),
received_n AS (
    SELECT cc.la_code, count(r.case_pseudo) AS n,
           count(*) FILTER (WHERE r.lgsco_referred) AS referred
    FROM compute_councils cc LEFT JOIN received r ON r.la_code = cc.la_code
    GROUP BY cc.la_code
),
-- T-SQL has no aggregate median, so CMP-6's median is written out in SQL that every dialect
-- runs: each council's responses are numbered in order of working days (i = 1 to n), and the
-- median is the value at position (n + 1) / 2, or the mean of the two values either side of
-- it when n is even, as DuckDB's median gives it (a DOUBLE).
response_order AS (
    SELECT la_code, CAST(working_days_to_response AS DOUBLE) AS days,
           row_number() OVER (PARTITION BY la_code ORDER BY working_days_to_response) AS i,
           count(*) OVER (PARTITION BY la_code) AS n
    FROM responded
    WHERE working_days_to_response IS NOT NULL
),
response_median AS (
    SELECT la_code,
           avg(CASE WHEN i IN (floor((n + 1) / 2.0), ceiling((n + 1) / 2.0)) THEN days END)
               AS days
    FROM response_order
    GROUP BY la_code
),
themes(theme, position) AS (
    VALUES ('communication', 1), ('delay', 2), ('quality_of_care', 3), ('staff_conduct', 4),
           ('charging', 5), ('decision_disputed', 6), ('information', 7), ('other', 8),
           ('not recorded', 9))
SELECT la_code, 'CMP-1' AS code, '' AS breakdown, n AS numerator,
       CAST(NULL AS BIGINT) AS denominator, CAST(n AS DOUBLE) AS value
FROM received_n
UNION ALL
SELECT cc.la_code, 'CMP-3', '', count(*) FILTER (WHERE r.outcome IN ('upheld', 'partly_upheld')),
       count(r.case_pseudo),
       100.0 * count(*) FILTER (WHERE r.outcome IN ('upheld', 'partly_upheld'))
             / nullif(count(r.case_pseudo), 0)
FROM compute_councils cc
LEFT JOIN responded r
  ON r.la_code = cc.la_code AND r.outcome IN ('upheld', 'partly_upheld', 'not_upheld')
GROUP BY cc.la_code
UNION ALL
SELECT cc.la_code, 'CMP-4', '', count(*) FILTER (WHERE a.working_days_to_ack <= 3),
       count(a.case_pseudo),
       100.0 * count(*) FILTER (WHERE a.working_days_to_ack <= 3)
             / nullif(count(a.case_pseudo), 0)
FROM compute_councils cc LEFT JOIN acknowledged a ON a.la_code = cc.la_code
GROUP BY cc.la_code
UNION ALL
SELECT cc.la_code, 'CMP-5', '', count(*) FILTER (WHERE r.in_time), count(r.case_pseudo),
       100.0 * count(*) FILTER (WHERE r.in_time) / nullif(count(r.case_pseudo), 0)
FROM compute_councils cc LEFT JOIN responded r ON r.la_code = cc.la_code
GROUP BY cc.la_code
UNION ALL
SELECT cc.la_code, 'CMP-6', '', NULL, count(r.case_pseudo), m.days
FROM compute_councils cc
LEFT JOIN responded r ON r.la_code = cc.la_code
LEFT JOIN response_median m ON m.la_code = cc.la_code
GROUP BY cc.la_code, m.days
UNION ALL
SELECT la_code, 'CMP-7', '', referred, NULL, referred FROM received_n
UNION ALL
SELECT cc.la_code, 'CMP-10', '', count(k.case_pseudo), NULL, count(k.case_pseudo)
FROM compute_councils cc
LEFT JOIN c k
  ON k.la_code = cc.la_code AND k.kind = 'compliment'
 AND k.received_date BETWEEN $period_start AND $period_end
GROUP BY cc.la_code
UNION ALL
SELECT cc.la_code, 'CMP-11', 'theme=' || t.theme, count(r.case_pseudo), rn.n,
       100.0 * count(r.case_pseudo) / nullif(rn.n, 0)
FROM compute_councils cc
CROSS JOIN themes t
JOIN received_n rn ON rn.la_code = cc.la_code
LEFT JOIN received r
  ON r.la_code = cc.la_code AND coalesce(r.theme, 'not recorded') = t.theme
GROUP BY cc.la_code, t.theme, rn.n
