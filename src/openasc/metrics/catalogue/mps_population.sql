-- MPS population (docs/market-position.md, "Population"): the council's projected population
-- (population_projections, districts already summed to the council) for the base year B (the
-- year the period starts in: mid-B for 1 April B to 31 March B+1) and B+5, B+10, B+15. The
-- horizon year of a headline is B+10. Age 90 stands for 90 and over.
WITH cur AS (  -- the council's current code: inputs for every council are stored under it
    SELECT coalesce((SELECT min(ons_code) FROM councils WHERE list_contains(
        string_split(coalesce(former_codes, ''), ';'), $la_code)), $la_code) AS code
),
years AS (
    SELECT year($period_start) + k AS year, k FROM (VALUES (0), (5), (10), (15)) v(k)
),
p AS (
    SELECT p.year, y.k, p.age, p.sex, p.population
    FROM population_projections p JOIN years y USING (year)
    WHERE p.la_code = (SELECT code FROM cur)
),
persons AS (
    SELECT year, k,
           CASE WHEN age < 18 THEN '0-17' WHEN age < 65 THEN '18-64' WHEN age < 75 THEN '65-74'
                WHEN age < 85 THEN '75-84' ELSE '85+' END AS band,
           sum(population) AS pop,
           sum(population) FILTER (WHERE age >= 65) AS p65,
           sum(population) FILTER (WHERE age >= 85) AS p85
    FROM p WHERE sex = 'persons' GROUP BY ALL
),
older AS (
    SELECT year, k, sum(p65) AS p65, sum(p85) AS p85 FROM persons GROUP BY ALL
),
base AS (SELECT p65 AS b65, p85 AS b85 FROM older WHERE k = 0),
rows AS (
    SELECT 'MPS-P1' AS code, '' AS breakdown, sum(pop) AS numerator
    FROM persons WHERE k = 0
    UNION ALL
    SELECT 'MPS-P1', 'band=' || band || ';year=' || year, sum(pop) FROM persons GROUP BY ALL
    UNION ALL
    -- the pyramid: five-year bands by sex
    SELECT 'MPS-P2', 'band=' || CASE WHEN age >= 90 THEN '90+'
                                    ELSE (age // 5 * 5) || '-' || (age // 5 * 5 + 4) END
                     || ';sex=' || sex || ';year=' || year, sum(population)
    FROM p WHERE sex IN ('male', 'female') GROUP BY ALL
)
SELECT code, breakdown, numerator, CAST(NULL AS DOUBLE) AS denominator, numerator AS value
FROM rows
UNION ALL
SELECT code, breakdown, numerator, denominator, numerator / denominator * 100
FROM (
    SELECT 'MPS-D1' AS code, CASE WHEN k = 10 THEN '' ELSE 'year=' || year END AS breakdown,
           p65 - b65 AS numerator, b65 AS denominator FROM older, base WHERE k > 0
    UNION ALL
    SELECT 'MPS-D1', 'year=' || year, p65 - b65, b65 FROM older, base WHERE k = 10
    UNION ALL
    SELECT 'MPS-D2', CASE WHEN k = 10 THEN '' ELSE 'year=' || year END, p85 - b85, b85
    FROM older, base WHERE k > 0
    UNION ALL
    SELECT 'MPS-D2', 'year=' || year, p85 - b85, b85 FROM older, base WHERE k = 10
)
WHERE denominator > 0
