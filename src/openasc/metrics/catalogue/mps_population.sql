-- MPS population (docs/market-position.md, "Population"): each council's projected
-- population (population_projections, districts already summed to the council) for the base
-- year B (the year the period starts in: mid-B for 1 April B to 31 March B+1) and B+5, B+10,
-- B+15. The horizon year of a headline is B+10. Age 90 stands for 90 and over. Projected
-- people are fractional: they are added as exact decimals, so a sum does not depend on the
-- order the threads add it in.
WITH cur AS (  -- each council's current code: inputs for every council are stored under it
    SELECT a.la_code, coalesce(min(c.ons_code), a.la_code) AS code
    FROM compute_councils a
    LEFT JOIN councils c
           ON list_contains(string_split(coalesce(c.former_codes, ''), ';'), a.la_code)
    GROUP BY a.la_code
),
years AS (
    SELECT year($period_start) + k AS year, k FROM (VALUES (0), (5), (10), (15)) v(k)
),
p AS (
    SELECT k.la_code, p.year, y.k, p.age, p.sex,
           CAST(p.population AS DECIMAL(38, 10)) AS population
    FROM population_projections p JOIN years y ON y.year = p.year
    JOIN cur k ON p.la_code = k.code
),
persons AS (
    SELECT la_code, year, k,
           CASE WHEN age < 18 THEN '0-17' WHEN age < 65 THEN '18-64' WHEN age < 75 THEN '65-74'
                WHEN age < 85 THEN '75-84' ELSE '85+' END AS band,
           sum(population) AS pop,
           sum(population) FILTER (WHERE age >= 65) AS p65,
           sum(population) FILTER (WHERE age >= 85) AS p85
    FROM p WHERE sex = 'persons'
    GROUP BY la_code, year, k,
             CASE WHEN age < 18 THEN '0-17' WHEN age < 65 THEN '18-64' WHEN age < 75 THEN '65-74'
                  WHEN age < 85 THEN '75-84' ELSE '85+' END
),
older AS (
    SELECT la_code, year, k, sum(p65) AS p65, sum(p85) AS p85 FROM persons
    GROUP BY la_code, year, k
),
base AS (SELECT la_code, p65 AS b65, p85 AS b85 FROM older WHERE k = 0),
rows AS (
    -- the headline: every council has one, empty when it has no projection for B
    SELECT k.la_code, 'MPS-P1' AS code, '' AS breakdown, sum(s.pop) AS numerator
    FROM cur k LEFT JOIN persons s ON s.la_code = k.la_code AND s.k = 0
    GROUP BY k.la_code
    UNION ALL
    SELECT la_code, 'MPS-P1', 'band=' || band || ';year=' || year, sum(pop) FROM persons
    GROUP BY la_code, band, year
    UNION ALL
    -- the pyramid: five-year bands by sex
    SELECT la_code, 'MPS-P2', 'band=' || CASE WHEN age >= 90 THEN '90+'
                                    ELSE (age // 5 * 5) || '-' || (age // 5 * 5 + 4) END
                     || ';sex=' || sex || ';year=' || year, sum(population)
    FROM p WHERE sex IN ('male', 'female')
    GROUP BY la_code, CASE WHEN age >= 90 THEN '90+'
                           ELSE (age // 5 * 5) || '-' || (age // 5 * 5 + 4) END, sex, year
),
change AS (
    SELECT o.la_code, o.year, o.k, o.p65 - b.b65 AS d65, b.b65, o.p85 - b.b85 AS d85, b.b85
    FROM older o JOIN base b ON b.la_code = o.la_code
)
SELECT la_code, code, breakdown, CAST(numerator AS DOUBLE) AS numerator,
       CAST(NULL AS DOUBLE) AS denominator, CAST(numerator AS DOUBLE) AS value
FROM rows
UNION ALL
SELECT la_code, code, breakdown, CAST(numerator AS DOUBLE), CAST(denominator AS DOUBLE),
       numerator / denominator * 100
FROM (
    SELECT la_code, 'MPS-D1' AS code,
           CASE WHEN k = 10 THEN '' ELSE 'year=' || year END AS breakdown,
           d65 AS numerator, b65 AS denominator FROM change WHERE k > 0
    UNION ALL
    SELECT la_code, 'MPS-D1', 'year=' || year, d65, b65 FROM change WHERE k = 10
    UNION ALL
    SELECT la_code, 'MPS-D2', CASE WHEN k = 10 THEN '' ELSE 'year=' || year END, d85, b85
    FROM change WHERE k > 0
    UNION ALL
    SELECT la_code, 'MPS-D2', 'year=' || year, d85, b85 FROM change WHERE k = 10
) AS d
WHERE denominator > 0
