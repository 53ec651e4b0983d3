-- MPS fees (docs/market-position.md, "Fees we pay"): each council's own fee rates
-- (fee_rates). For each service and unit: the rate in effect at the period end (the latest
-- effective_from on or before it; a rate agreed for later is not yet paid) and the rate in
-- effect a year before; the change is between the two, only where both exist.
WITH cur AS (  -- each council's current code: inputs for every council are stored under it
    SELECT a.la_code, coalesce(min(c.ons_code), a.la_code) AS code
    FROM compute_councils a
    LEFT JOIN councils c
           ON list_contains(string_split(coalesce(c.former_codes, ''), ';'), a.la_code)
    GROUP BY a.la_code
),
f AS (
    SELECT k.la_code, r.service_type, r.unit, r.rate_gbp, r.effective_from
    FROM fee_rates r JOIN cur k ON r.la_code = k.code
),
now AS (
    SELECT la_code, service_type, unit, arg_max(rate_gbp, effective_from) AS rate
    FROM f WHERE effective_from <= $period_end GROUP BY la_code, service_type, unit
),
before AS (
    SELECT la_code, service_type, unit, arg_max(rate_gbp, effective_from) AS rate
    FROM f WHERE effective_from <= CAST($period_end AS DATE) - INTERVAL 1 YEAR
    GROUP BY la_code, service_type, unit
)
SELECT la_code, CASE unit WHEN 'per_week' THEN 'MPS-F1' ELSE 'MPS-F2' END AS code,
       'service=' || service_type AS breakdown, rate AS numerator,
       CAST(NULL AS DOUBLE) AS denominator, rate AS value
FROM now
UNION ALL
SELECT n.la_code, 'MPS-F3', 'service=' || n.service_type || ';unit=' || n.unit,
       n.rate - b.rate, b.rate, 100 * (n.rate - b.rate) / b.rate
FROM now n JOIN before b USING (la_code, service_type, unit)
WHERE b.rate > 0
