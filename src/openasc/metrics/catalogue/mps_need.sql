-- MPS need (docs/market-position.md, "Need"): prevalence-based estimates in the POPPI/PANSI
-- manner, for each council of the run. For condition c and year y: N(c, y) = sum over the
-- rates' bands b and sexes s of rate(c, b, s) x population(b, s, y), the population summed
-- over the band's single years (age_to blank: up to 90 and over). Rates held constant; years
-- B, B+5, B+10, B+15; the headline is B+10. Unrounded here; published to the nearest 10
-- (disclosure.yaml). The products are added as exact decimals, so a sum does not depend on
-- the order the threads add it in.
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
est AS (
    SELECT k.la_code, r.condition_code, y.year, y.k,
           CAST(sum(CAST(r.rate * p.population AS DECIMAL(38, 10))) AS DOUBLE) AS estimate
    FROM prevalence_rates r
    JOIN population_projections p ON p.sex = r.sex AND p.age >= r.age_from
         AND p.age <= coalesce(r.age_to, 90)
    JOIN years y ON y.year = p.year
    JOIN cur k ON p.la_code = k.code
    GROUP BY k.la_code, r.condition_code, y.year, y.k
),
rows AS (
    SELECT la_code, 'MPS-N1' AS code,
           CASE WHEN k = 10 THEN '' ELSE 'year=' || year END AS breakdown,
           estimate AS numerator FROM est WHERE condition_code = 'DEM65'
    UNION ALL SELECT la_code, 'MPS-N1', 'year=' || year, estimate FROM est
    WHERE condition_code = 'DEM65' AND k = 10
    UNION ALL
    SELECT la_code, 'MPS-N2', CASE WHEN k = 10 THEN '' ELSE 'year=' || year END, estimate
    FROM est WHERE condition_code = 'LD1864'
    UNION ALL SELECT la_code, 'MPS-N2', 'year=' || year, estimate FROM est
    WHERE condition_code = 'LD1864' AND k = 10
    UNION ALL
    SELECT la_code, 'MPS-N3', 'condition=' || condition_code || ';year=' || year, estimate
    FROM est
)
SELECT la_code, code, breakdown, numerator, CAST(NULL AS DOUBLE) AS denominator,
       numerator AS value
FROM rows
