-- DoLS applications received and completed per 100,000 adults (sac-dols-salt.md B5):
-- count / ONS adult (18+) persons population x 100,000; population year as for SAC
-- (calendar year in which the period starts, else the latest earlier, else the earliest).
-- Set-based: every council of the run (compute_councils) at once, each with its rows even
-- when it has no application (0) or no population (no denominator).
WITH pop_year AS (
    SELECT cc.la_code,
           coalesce(max(p.year) FILTER (WHERE p.year <= year($period_start)), min(p.year)) AS y
    FROM compute_councils cc
    LEFT JOIN population p ON p.la_code = cc.la_code AND lower(p.sex) = 'persons'
    GROUP BY cc.la_code
),
adults AS (
    SELECT y.la_code, sum(p.population) AS population
    FROM pop_year y
    LEFT JOIN population p ON p.la_code = y.la_code AND p.year = y.y
     AND lower(p.sex) = 'persons' AND p.age >= 18
    GROUP BY y.la_code
),
n AS (
    SELECT cc.la_code,
           count(*) FILTER (WHERE a.received_date BETWEEN $period_start AND $period_end)
               AS received,
           count(*) FILTER (WHERE a.sign_off_date BETWEEN $period_start AND $period_end
                            AND a.application_status IN ('Granted', 'Not granted', 'Withdrawn'))
               AS completed
    FROM compute_councils cc LEFT JOIN dols_applications a ON a.la_code = cc.la_code
    GROUP BY cc.la_code
)
SELECT la_code, 'RECEIVED_PER_100K' AS code, '' AS breakdown, n.received AS numerator,
       adults.population AS denominator
FROM n JOIN adults USING (la_code)
UNION ALL
SELECT la_code, 'COMPLETED_PER_100K', '', n.completed, adults.population
FROM n JOIN adults USING (la_code)
