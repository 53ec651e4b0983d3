-- STS002a: completed ST-Max episodes of new clients (following an STS001 ST-Max sequel)
-- ending in the period, by what followed. STS002b: ST-Max episodes of existing clients.
-- salt_method 'corrected' (salt_st_max_episodes): STS002a also by route of access, PSR and
-- age band, aged 18 and over; STS002b episodes overlapping the period, by age band.
-- salt_method 'nhse' (salt_nhse_st_max): what NHS England's code produces, totals and (2a)
-- the sequel only: STS002b episodes ending in the period, no age limit.
WITH new_clients AS (
    SELECT la_code, age_band, psr, route, what_next FROM salt_st_max_episodes
    WHERE $salt_method = 'corrected' AND new_client
      AND ep_end BETWEEN $period_start AND $period_end
      AND age_band IN ('18 to 64', '65 and above')
),
existing_clients AS (
    SELECT la_code, age_band FROM salt_st_max_episodes
    WHERE $salt_method = 'corrected' AND existing_client AND ep_start <= $period_end
      AND (ep_end IS NULL OR ep_end >= $period_start)
      AND age_band IN ('18 to 64', '65 and above')
),
nhse AS (SELECT la_code, code, what_next FROM salt_nhse_st_max WHERE $salt_method = 'nhse'),
totals AS (
    -- (under each method the other method's relations are empty)
    SELECT la_code, 'STS002a' AS code, count(*) AS episodes FROM new_clients GROUP BY la_code
    UNION ALL
    SELECT la_code, 'STS002b', count(*) FROM existing_clients GROUP BY la_code
    UNION ALL
    SELECT la_code, code, count(*) FROM nhse GROUP BY la_code, code
)
-- both totals for every council of the run, 0 when it has no such episodes
SELECT c.la_code, k.code, '' AS breakdown, coalesce(t.episodes, 0) AS numerator
FROM compute_councils c
CROSS JOIN (VALUES ('STS002a'), ('STS002b')) AS k(code)
LEFT JOIN totals t ON t.la_code = c.la_code AND t.code = k.code
UNION ALL
SELECT la_code, 'STS002a',
       concat_ws(';',
           CASE WHEN grouping(age_band) = 0 THEN 'age_band=' || age_band END,
           CASE WHEN grouping(psr) = 0 THEN 'psr=' || psr END,
           CASE WHEN grouping(route) = 0 THEN 'route=' || route END,
           'what_next=' || what_next),
       count(*)
FROM new_clients
GROUP BY GROUPING SETS ((la_code, what_next), (la_code, route, what_next),
                        (la_code, psr, what_next), (la_code, age_band, what_next))
UNION ALL
SELECT la_code, 'STS002b', 'age_band=' || age_band, count(*)
FROM existing_clients GROUP BY la_code, age_band
UNION ALL
SELECT la_code, 'STS002a', 'what_next=' || what_next, count(*)
FROM nhse WHERE code = 'STS002a' GROUP BY la_code, what_next
