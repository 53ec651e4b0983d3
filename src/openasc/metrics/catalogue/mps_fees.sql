-- MPS fees (docs/market-position.md, "Fees we pay"): the council's own fee rates (fee_rates).
-- For each service and unit: the rate in effect at the period end (the latest effective_from
-- on or before it; a rate agreed for later is not yet paid) and the rate in effect a year
-- before; the change is between the two, only where both exist.
WITH cur AS (  -- the council's current code: inputs for every council are stored under it
    SELECT coalesce((SELECT min(ons_code) FROM councils WHERE list_contains(
        string_split(coalesce(former_codes, ''), ';'), $la_code)), $la_code) AS code
),
f AS (SELECT * FROM fee_rates WHERE la_code = (SELECT code FROM cur)),
now AS (
    SELECT service_type, unit, arg_max(rate_gbp, effective_from) AS rate
    FROM f WHERE effective_from <= $period_end GROUP BY ALL
),
before AS (
    SELECT service_type, unit, arg_max(rate_gbp, effective_from) AS rate
    FROM f WHERE effective_from <= CAST($period_end AS DATE) - INTERVAL 1 YEAR GROUP BY ALL
)
SELECT CASE unit WHEN 'per_week' THEN 'MPS-F1' ELSE 'MPS-F2' END AS code,
       'service=' || service_type AS breakdown, rate AS numerator,
       CAST(NULL AS DOUBLE) AS denominator, rate AS value
FROM now
UNION ALL
SELECT 'MPS-F3', 'service=' || n.service_type || ';unit=' || n.unit, n.rate - b.rate, b.rate,
       100 * (n.rate - b.rate) / b.rate
FROM now n JOIN before b USING (service_type, unit)
WHERE b.rate > 0
