-- WF-1, WF-2, WF-3, WF-5, WF-6, WF-7 (docs/money.md): Skills for Care's published figures
-- for each area of the run (a council area, a region or England, each its own published row)
-- and the year starting in the period, as published: openasc never recomputes a rate from
-- counts and never averages councils' rates. A suppressed figure (`*`) has no value (NULL,
-- never 0).
WITH w AS (
    SELECT *, lower(job_role) IN ('all job roles', 'all roles', 'all') AS all_roles
    FROM workforce
    WHERE la_code IN (SELECT la_code FROM compute_councils)
      AND year_start = CAST(year($period_start) AS INTEGER)
),
picked AS (
    SELECT la_code, 'WF-1' AS code, value FROM w WHERE metric = 'vacancy_rate'
        AND sector = 'All sectors' AND service = 'All services' AND all_roles
    UNION ALL
    SELECT la_code, 'WF-2', value FROM w WHERE metric = 'turnover_rate'
        AND sector = 'All sectors' AND service = 'All services' AND all_roles
    UNION ALL
    SELECT la_code, 'WF-3', value FROM w WHERE metric = 'turnover_rate'
        AND sector = 'All sectors'
        AND lower(service) IN ('domiciliary care', 'domiciliary care services')
        AND job_role = 'Care worker'
    UNION ALL
    SELECT la_code, 'WF-5', value FROM w WHERE metric = 'sickness_days_mean'
        AND sector = 'All sectors' AND service = 'All services' AND all_roles
    UNION ALL
    SELECT la_code, 'WF-6', value FROM w WHERE metric = 'zero_hours_pct'
        AND sector = 'All sectors' AND service = 'All services' AND all_roles
    UNION ALL
    SELECT la_code, 'WF-7', value FROM w WHERE metric = 'median_hourly_pay_gbp'
        AND lower(sector) IN ('independent', 'independent sector') AND service = 'All services'
        AND job_role = 'Care worker'
)
SELECT la_code, code, '' AS breakdown, CAST(NULL AS DOUBLE) AS numerator,
       CAST(NULL AS DOUBLE) AS denominator, value
FROM picked
