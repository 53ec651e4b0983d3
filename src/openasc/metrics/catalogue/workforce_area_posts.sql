-- Filled posts (all sectors, services and roles) of each area of the run, every year loaded
-- (for WF-4): the area's own published figure; for England or a region with none, the sum of
-- its councils' when every council of the area has a figure that year.
WITH members AS (  -- England's or a region's councils valid at the period end
    SELECT DISTINCT a.la_code, c.ons_code AS member
    FROM compute_councils a
    JOIN councils c ON a.la_code = 'E92000001' OR c.region_code = a.la_code
    WHERE (c.valid_from IS NULL OR c.valid_from <= $period_end)
      AND (c.valid_to IS NULL OR c.valid_to >= $period_end)
),
member_count AS (SELECT la_code, count(*) AS members FROM members GROUP BY la_code),
posts AS (
    SELECT la_code, year_start, value FROM workforce
    WHERE metric = 'filled_posts' AND sector = 'All sectors' AND service = 'All services'
      AND lower(job_role) IN ('all job roles', 'all roles', 'all')
),
own AS (
    SELECT p.la_code, p.year_start, p.value AS filled_posts
    FROM posts p JOIN compute_councils a ON a.la_code = p.la_code
),
own_years AS (SELECT DISTINCT la_code, year_start FROM own)
SELECT la_code, year_start, filled_posts FROM own
UNION ALL
SELECT m.la_code, p.year_start, sum(p.value)
FROM posts p
JOIN members m ON m.member = p.la_code
JOIN member_count n ON n.la_code = m.la_code
LEFT JOIN own_years o ON o.la_code = m.la_code AND o.year_start = p.year_start
WHERE o.year_start IS NULL
GROUP BY m.la_code, p.year_start
HAVING count(p.value) = max(n.members)
