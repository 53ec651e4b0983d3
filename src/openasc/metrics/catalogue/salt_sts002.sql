-- STS002a: completed ST-Max episodes of new clients (following an STS001 ST-Max sequel)
-- ending in the period, by what followed, in all and by route of access, PSR and age band.
-- STS002b: ST-Max episodes of existing clients overlapping the period (totals and age band
-- only: CLD gives no route of access or sequel for them, C4).
SELECT 'STS002a' AS code,
       concat_ws(';',
           CASE WHEN grouping(age_band) = 0 THEN 'age_band=' || age_band END,
           CASE WHEN grouping(psr) = 0 THEN 'psr=' || psr END,
           CASE WHEN grouping(route) = 0 THEN 'route=' || route END,
           CASE WHEN grouping(what_next) = 0 THEN 'what_next=' || what_next END) AS breakdown,
       count(*) AS numerator
FROM salt_st_max_episodes
WHERE new_client AND ep_end BETWEEN $period_start AND $period_end
  AND age_band IN ('18 to 64', '65 and above')
GROUP BY GROUPING SETS ((), (what_next), (route, what_next), (psr, what_next),
                        (age_band, what_next))
UNION ALL
SELECT 'STS002b',
       CASE WHEN grouping(age_band) = 0 THEN 'age_band=' || age_band ELSE '' END,
       count(*)
FROM salt_st_max_episodes
WHERE existing_client AND ep_start <= $period_end
  AND (ep_end IS NULL OR ep_end >= $period_start)
  AND age_band IN ('18 to 64', '65 and above')
GROUP BY GROUPING SETS ((), (age_band))
