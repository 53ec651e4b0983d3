-- Filled posts (all sectors, services and roles) of the area being computed, every year
-- loaded (for WF-4): the area's own published figure; for England or a region with none, the
-- sum of its councils' when every council of the area has a figure that year.
WITH members AS (
    SELECT DISTINCT ons_code AS member FROM councils
    WHERE ($la_code = 'E92000001' OR region_code = $la_code)
      AND (valid_from IS NULL OR valid_from <= $period_end)
      AND (valid_to IS NULL OR valid_to >= $period_end)
),
posts AS (
    SELECT la_code, year_start, value FROM workforce
    WHERE metric = 'filled_posts' AND sector = 'All sectors' AND service = 'All services'
      AND lower(job_role) IN ('all job roles', 'all roles', 'all')
)
SELECT year_start, value AS filled_posts FROM posts WHERE la_code = $la_code
UNION ALL
SELECT year_start, sum(value) FROM posts
WHERE la_code IN (SELECT member FROM members)
  AND year_start NOT IN (SELECT year_start FROM posts WHERE la_code = $la_code)
GROUP BY year_start
HAVING count(value) = (SELECT count(*) FROM members)
