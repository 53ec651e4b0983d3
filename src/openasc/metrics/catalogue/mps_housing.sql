-- MPS housing with care (docs/market-position.md, "Housing with care"): the council's own
-- planning ratios per 1,000 people aged 75+ (housing_benchmarks; openasc ships none) applied
-- to its projected population aged 75+, against today's units (housing_supply).
-- Need(type, tenure, Y) = ratio x P75+(Y) / 1,000 for Y = B+5, B+10, B+15.
-- Supply: each type and tenure at its latest as_at date; a ratio for tenure `any` is met by
-- the type's units of every tenure, a ratio for `rent` or `sale` only by units of that
-- tenure. Gap = need - supply (positive: a shortfall), only where some supply row matches
-- (no supply row means supply unknown, not none).
WITH cur AS (  -- the council's current code: inputs for every council are stored under it
    SELECT coalesce((SELECT min(ons_code) FROM councils WHERE list_contains(
        string_split(coalesce(former_codes, ''), ';'), $la_code)), $la_code) AS code
),
years AS (
    SELECT year($period_start) + k AS year FROM (VALUES (5), (10), (15)) v(k)
),
p75 AS (
    SELECT p.year, sum(p.population) AS p75
    FROM population_projections p JOIN years y ON y.year = p.year
    WHERE p.la_code = (SELECT code FROM cur) AND p.sex = 'persons' AND p.age >= 75
    GROUP BY p.year
),
latest AS (
    SELECT type_code, tenure, units
    FROM housing_supply
    WHERE la_code = (SELECT code FROM cur)
    QUALIFY as_at = max(as_at) OVER (PARTITION BY type_code, tenure)
),
b AS (
    SELECT b.type_code, b.tenure, b.per_1000_75plus AS ratio,
           (SELECT sum(s.units) FROM latest s WHERE s.type_code = b.type_code
                AND (b.tenure = 'any' OR s.tenure = b.tenure)) AS supply
    FROM housing_benchmarks b
    WHERE b.la_code = (SELECT code FROM cur)
),
need AS (
    SELECT b.type_code, b.tenure, b.supply, p.year, b.ratio * p.p75 / 1000 AS need
    FROM b CROSS JOIN p75 p
)
SELECT 'MPS-H1' AS code,
       'tenure=' || tenure || ';type=' || type_code || ';year=' || year AS breakdown,
       need - supply AS numerator, CAST(NULL AS DOUBLE) AS denominator, need - supply AS value
FROM need WHERE supply IS NOT NULL
UNION ALL
SELECT 'MPS-H2', 'tenure=' || tenure || ';type=' || type_code || ';year=' || year,
       need, CAST(NULL AS DOUBLE), need
FROM need
UNION ALL
SELECT 'MPS-H3', 'tenure=' || tenure || ';type=' || type_code, units, CAST(NULL AS DOUBLE),
       units
FROM (SELECT type_code, tenure, sum(units) AS units FROM latest GROUP BY ALL)
UNION ALL  -- every tenure of a type: the supply a ratio for tenure `any` is set against
SELECT 'MPS-H3', 'tenure=all;type=' || type_code, sum(units), CAST(NULL AS DOUBLE), sum(units)
FROM latest GROUP BY type_code
