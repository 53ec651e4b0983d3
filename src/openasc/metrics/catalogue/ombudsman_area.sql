-- The LGSCO's annual figures for the area being computed, every year loaded (shared by
-- CMP-8 and CMP-9): the area's own row; for England or a region with none, the sums of its
-- councils' upheld and detailed investigations, kept only when every council of the area has
-- a figure that year (never an average of uphold rates). `basis` says which.
WITH members AS (
    SELECT DISTINCT ons_code AS member FROM councils
    WHERE ($la_code = 'E92000001' OR region_code = $la_code)
      AND (valid_from IS NULL OR valid_from <= $period_end)
      AND (valid_to IS NULL OR valid_to >= $period_end)
)
SELECT year_start, upheld, detailed_investigations, satisfactory_remedy_pct,
       'published' AS basis
FROM lgsco_annual WHERE la_code = $la_code
UNION ALL
SELECT year_start, sum(upheld), sum(detailed_investigations), NULL, 'sum of councils'
FROM lgsco_annual
WHERE la_code IN (SELECT member FROM members)
  AND year_start NOT IN (SELECT year_start FROM lgsco_annual WHERE la_code = $la_code)
GROUP BY year_start
HAVING count(upheld) = (SELECT count(*) FROM members)
   AND count(detailed_investigations) = (SELECT count(*) FROM members)
