-- MPS housing with care (docs/market-position.md, "Housing with care"): each council's own
-- planning ratios per 1,000 people aged 75+ (housing_benchmarks; openasc ships none) applied
-- to its projected population aged 75+, against today's units (housing_supply).
-- Need(type, tenure, Y) = ratio x P75+(Y) / 1,000 for Y = B+5, B+10, B+15.
-- Supply: each type and tenure at its latest as_at date; a ratio for tenure `any` is met by
-- the type's units of every tenure, a ratio for `rent` or `sale` only by units of that
-- tenure. Gap = need - supply (positive: a shortfall), only where some supply row matches
-- (no supply row means supply unknown, not none). Projected people are added as exact
-- decimals, so a sum does not depend on the order the threads add it in.
WITH cur AS (  -- each council's current code: inputs for every council are stored under it
    SELECT a.la_code, coalesce(min(c.ons_code), a.la_code) AS code
    FROM compute_councils a
    LEFT JOIN councils c
           ON list_contains(string_split(coalesce(c.former_codes, ''), ';'), a.la_code)
    GROUP BY a.la_code
),
years AS (
    SELECT year($period_start) + k AS year FROM (VALUES (5), (10), (15)) v(k)
),
p75 AS (
    SELECT k.la_code, p.year,
           CAST(sum(CAST(p.population AS DECIMAL(38, 10))) AS DOUBLE) AS p75
    FROM population_projections p JOIN years y ON y.year = p.year
    JOIN cur k ON p.la_code = k.code
    WHERE p.sex = 'persons' AND p.age >= 75
    GROUP BY k.la_code, p.year
),
latest AS (
    SELECT k.la_code, s.type_code, s.tenure, s.units
    FROM housing_supply s JOIN cur k ON s.la_code = k.code
    QUALIFY s.as_at = max(s.as_at) OVER (PARTITION BY k.la_code, s.type_code, s.tenure)
),
b AS (
    SELECT k.la_code, b.type_code, b.tenure, b.per_1000_75plus AS ratio,
           (SELECT sum(s.units) FROM latest s WHERE s.la_code = k.la_code
                AND s.type_code = b.type_code
                AND (b.tenure = 'any' OR s.tenure = b.tenure)) AS supply
    FROM housing_benchmarks b JOIN cur k ON b.la_code = k.code
),
need AS (
    SELECT b.la_code, b.type_code, b.tenure, b.supply, p.year, b.ratio * p.p75 / 1000 AS need
    FROM b JOIN p75 p ON p.la_code = b.la_code
)
SELECT la_code, 'MPS-H1' AS code,
       'tenure=' || tenure || ';type=' || type_code || ';year=' || year AS breakdown,
       need - supply AS numerator, CAST(NULL AS DOUBLE) AS denominator, need - supply AS value
FROM need WHERE supply IS NOT NULL
UNION ALL
SELECT la_code, 'MPS-H2', 'tenure=' || tenure || ';type=' || type_code || ';year=' || year,
       need, CAST(NULL AS DOUBLE), need
FROM need
UNION ALL
SELECT la_code, 'MPS-H3', 'tenure=' || tenure || ';type=' || type_code, units,
       CAST(NULL AS DOUBLE), units
FROM (SELECT la_code, type_code, tenure, sum(units) AS units FROM latest
      GROUP BY la_code, type_code, tenure) AS t
UNION ALL  -- every tenure of a type: the supply a ratio for tenure `any` is set against
SELECT la_code, 'MPS-H3', 'tenure=all;type=' || type_code, sum(units), CAST(NULL AS DOUBLE),
       sum(units)
FROM latest GROUP BY la_code, type_code
