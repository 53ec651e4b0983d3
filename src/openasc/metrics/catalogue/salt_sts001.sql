-- STS001: requests (clusters) from new clients aged 18+ whose sequel was settled in the
-- period, by route of access and sequel ("what_next"), in all and by age band (tables 1a/1b).
SELECT concat_ws(';',
           CASE WHEN grouping(age_band) = 0 THEN 'age_band=' || age_band END,
           CASE WHEN grouping(route) = 0 THEN 'route=' || route END,
           CASE WHEN grouping(what_next) = 0 THEN 'what_next=' || what_next END) AS breakdown,
       count(*) AS numerator
FROM salt_request_sequels
WHERE in_period AND age_band IN ('18 to 64', '65 and above')
GROUP BY GROUPING SETS ((), (what_next), (route, what_next), (age_band, route, what_next))
