-- STS002a: completed ST-Max episodes of new clients (following an STS001 ST-Max sequel)
-- ending in the period, by what followed. STS002b: ST-Max episodes of existing clients.
-- salt_method 'corrected' (salt_st_max_episodes): STS002a also by route of access, PSR and
-- age band, aged 18 and over; STS002b episodes overlapping the period, by age band.
-- salt_method 'nhse' (salt_nhse_st_max): what NHS England's code produces, totals and (2a)
-- the sequel only: STS002b episodes ending in the period, no age limit.
SELECT 'STS002a' AS code,
       concat_ws(';',
           CASE WHEN grouping(age_band) = 0 THEN 'age_band=' || age_band END,
           CASE WHEN grouping(psr) = 0 THEN 'psr=' || psr END,
           CASE WHEN grouping(route) = 0 THEN 'route=' || route END,
           CASE WHEN grouping(what_next) = 0 THEN 'what_next=' || what_next END) AS breakdown,
       count(*) AS numerator
FROM salt_st_max_episodes
WHERE $salt_method = 'corrected' AND new_client AND ep_end BETWEEN $period_start AND $period_end
  AND age_band IN ('18 to 64', '65 and above')
GROUP BY GROUPING SETS ((), (what_next), (route, what_next), (psr, what_next),
                        (age_band, what_next))
HAVING $salt_method = 'corrected'
UNION ALL
SELECT 'STS002b',
       CASE WHEN grouping(age_band) = 0 THEN 'age_band=' || age_band ELSE '' END,
       count(*)
FROM salt_st_max_episodes
WHERE $salt_method = 'corrected' AND existing_client AND ep_start <= $period_end
  AND (ep_end IS NULL OR ep_end >= $period_start)
  AND age_band IN ('18 to 64', '65 and above')
GROUP BY GROUPING SETS ((), (age_band))
HAVING $salt_method = 'corrected'
UNION ALL
SELECT 'STS002a', CASE WHEN grouping(what_next) = 0 THEN 'what_next=' || what_next ELSE '' END,
       count(*)
FROM salt_nhse_st_max WHERE $salt_method = 'nhse' AND code = 'STS002a'
GROUP BY GROUPING SETS ((), (what_next))
HAVING $salt_method = 'nhse'
UNION ALL
SELECT 'STS002b', '', count(*)
FROM salt_nhse_st_max WHERE $salt_method = 'nhse' AND code = 'STS002b'
HAVING $salt_method = 'nhse'
