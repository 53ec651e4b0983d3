-- WF-4 (docs/money.md): filled posts (workforce_area_posts: the area's own published figure,
-- else its councils' sum) per 100 people aged 65 and over (area_population: ONS mid-year
-- persons, the mid-year the year starts in, else the latest earlier one).
WITH pop AS (
    SELECT population FROM area_population
    WHERE age_band = '65 and Over' AND year = (
        SELECT max(year) FROM area_population
        WHERE year <= CAST(year($period_start) AS INTEGER))
)
SELECT 'WF-4' AS code, '' AS breakdown, a.filled_posts AS numerator,
       p.population AS denominator
FROM workforce_area_posts a LEFT JOIN pop p ON TRUE
WHERE a.year_start = CAST(year($period_start) AS INTEGER)
