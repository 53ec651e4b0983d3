-- Adults of the area being computed by ASC-FR age band, for every year loaded (shared by
-- FIN and WF per-head measures): ONS mid-year persons. The area's own estimates; for England
-- or a region without them, the sum of its councils' when every council of the area has
-- them for that year.
WITH members AS (
    SELECT DISTINCT ons_code AS member FROM councils
    WHERE ($la_code = 'E92000001' OR region_code = $la_code)
      AND (valid_from IS NULL OR valid_from <= $period_end)
      AND (valid_to IS NULL OR valid_to >= $period_end)
),
rows AS (
    SELECT la_code, year, age, population FROM population
    WHERE lower(sex) = 'persons' AND age >= 18
      AND (la_code = $la_code OR la_code IN (SELECT member FROM members))
),
own_years AS (SELECT DISTINCT year FROM rows WHERE la_code = $la_code),
banded AS (
    SELECT year, CASE WHEN age < 65 THEN '18 to 64' ELSE '65 and Over' END AS age_band,
           sum(population) AS population, count(DISTINCT la_code) AS places
    FROM rows
    WHERE la_code = $la_code OR year NOT IN (SELECT year FROM own_years)
    GROUP BY ALL
)
SELECT year, age_band, population FROM banded
WHERE year IN (SELECT year FROM own_years) OR places = (SELECT count(*) FROM members)
UNION ALL
SELECT year, '18 and over', sum(population) FROM banded
WHERE year IN (SELECT year FROM own_years) OR places = (SELECT count(*) FROM members)
GROUP BY year
