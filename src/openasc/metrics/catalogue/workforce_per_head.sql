-- WF-4 (docs/money.md): filled posts (workforce_area_posts: the area's own published figure,
-- else its councils' sum) per 100 people aged 65 and over (area_population: ONS mid-year
-- persons, the mid-year the year starts in, else the area's latest earlier one), for each
-- area of the run.
WITH pop_year AS (
    SELECT la_code, max(year) AS year FROM area_population
    WHERE year <= CAST(year($period_start) AS INTEGER)
    GROUP BY la_code
),
pop AS (
    SELECT p.la_code, p.population
    FROM area_population p JOIN pop_year y ON y.la_code = p.la_code AND y.year = p.year
    WHERE p.age_band = '65 and Over'
)
SELECT a.la_code, 'WF-4' AS code, '' AS breakdown, a.filled_posts AS numerator,
       p.population AS denominator
FROM workforce_area_posts a LEFT JOIN pop p ON p.la_code = a.la_code
WHERE a.year_start = CAST(year($period_start) AS INTEGER)
