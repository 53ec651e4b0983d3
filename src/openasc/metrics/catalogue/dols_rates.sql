-- DoLS applications received and completed per 100,000 adults (sac-dols-salt.md B5):
-- count / ONS adult (18+) persons population x 100,000; population year as for SAC
-- (calendar year in which the period starts, else the latest earlier, else the earliest).
WITH a AS (
    SELECT * FROM dols_applications WHERE la_code = $la_code
),
pop_year AS (
    SELECT coalesce(max(year) FILTER (WHERE year <= year($period_start)), min(year)) AS y
    FROM population WHERE la_code = $la_code AND lower(sex) = 'persons'
),
adults AS (
    SELECT sum(population) AS population FROM population, pop_year
    WHERE la_code = $la_code AND lower(sex) = 'persons' AND year = pop_year.y AND age >= 18
)
SELECT 'RECEIVED_PER_100K' AS code, '' AS breakdown,
       count(*) FILTER (WHERE received_date BETWEEN $period_start AND $period_end)
           AS numerator,
       (SELECT population FROM adults) AS denominator
FROM a
UNION ALL
SELECT 'COMPLETED_PER_100K', '',
       count(*) FILTER (WHERE sign_off_date BETWEEN $period_start AND $period_end
                        AND application_status IN ('Granted', 'Not granted', 'Withdrawn')),
       (SELECT population FROM adults)
FROM a
