-- STS001: requests (clusters) from new clients whose sequel was settled in the period, by
-- route of access and sequel ("what_next"), in all and by age band (tables 1a/1b).
-- salt_method 'corrected': openasc's clusters (salt_request_sequels), aged 18 and over.
-- salt_method 'nhse': the rows NHS England's code gives (salt_nhse_requests), which has no
-- age limit: requests of people under 18 are in the total and in `age_band=Under 18`.
WITH counted AS (
    SELECT age_band, route, what_next FROM salt_request_sequels
    WHERE $salt_method = 'corrected' AND in_period AND age_band IN ('18 to 64', '65 and above')
    UNION ALL
    SELECT CASE WHEN age < 18 THEN 'Under 18' WHEN age <= 64 THEN '18 to 64'
                ELSE '65 and above' END,
           route, what_next
    FROM salt_nhse_requests WHERE $salt_method = 'nhse' AND kind = 'request'
)
SELECT concat_ws(';',
           CASE WHEN grouping(age_band) = 0 THEN 'age_band=' || age_band END,
           CASE WHEN grouping(route) = 0 THEN 'route=' || route END,
           CASE WHEN grouping(what_next) = 0 THEN 'what_next=' || what_next END) AS breakdown,
       count(*) AS numerator
FROM counted
GROUP BY GROUPING SETS ((), (what_next), (route, what_next), (age_band, route, what_next))
