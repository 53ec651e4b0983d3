-- STS001: requests (clusters) from new clients whose sequel was settled in the period, by
-- route of access and sequel ("what_next"), in all and by age band (tables 1a/1b).
-- salt_method 'corrected': openasc's clusters (salt_request_sequels), aged 18 and over.
-- salt_method 'nhse': the rows NHS England's code gives (salt_nhse_requests), which has no
-- age limit: requests of people under 18 are in the total and in `age_band=Under 18`.
WITH counted AS (
    SELECT la_code, age_band, route, what_next FROM salt_request_sequels
    WHERE $salt_method = 'corrected' AND in_period AND age_band IN ('18 to 64', '65 and above')
    UNION ALL
    SELECT la_code,
           CASE WHEN age < 18 THEN 'Under 18' WHEN age <= 64 THEN '18 to 64'
                ELSE '65 and above' END,
           route, what_next
    FROM salt_nhse_requests WHERE $salt_method = 'nhse' AND kind = 'request'
),
totals AS (SELECT la_code, count(*) AS requests FROM counted GROUP BY la_code)
-- the total for every council of the run, 0 when it has no such requests
SELECT c.la_code, '' AS breakdown, coalesce(t.requests, 0) AS numerator
FROM compute_councils c LEFT JOIN totals t USING (la_code)
UNION ALL
SELECT la_code,
       concat_ws(';',
           CASE WHEN grouping(age_band) = 0 THEN 'age_band=' || age_band END,
           CASE WHEN grouping(route) = 0 THEN 'route=' || route END,
           'what_next=' || what_next),
       count(*)
FROM counted
GROUP BY GROUPING SETS ((la_code, what_next), (la_code, route, what_next),
                        (la_code, age_band, route, what_next))
