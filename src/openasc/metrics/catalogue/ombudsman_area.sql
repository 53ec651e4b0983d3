-- The LGSCO's annual figures for each area of the run, every year loaded (shared by CMP-8
-- and CMP-9): the area's own row; for England or a region with none, the sums of its
-- councils' upheld and detailed investigations, kept only when every council of the area has
-- a figure that year (never an average of uphold rates). `basis` says which.
WITH members AS (  -- England's or a region's councils valid at the period end
    SELECT DISTINCT a.la_code, c.ons_code AS member
    FROM compute_councils a
    JOIN councils c ON a.la_code = 'E92000001' OR c.region_code = a.la_code
    WHERE (c.valid_from IS NULL OR c.valid_from <= $period_end)
      AND (c.valid_to IS NULL OR c.valid_to >= $period_end)
),
member_count AS (SELECT la_code, count(*) AS members FROM members GROUP BY la_code),
own AS (
    SELECT g.la_code, g.year_start, g.upheld, g.detailed_investigations,
           g.satisfactory_remedy_pct, 'published' AS basis
    FROM lgsco_annual g JOIN compute_councils a ON a.la_code = g.la_code
),
own_years AS (SELECT DISTINCT la_code, year_start FROM own)
SELECT la_code, year_start, upheld, detailed_investigations, satisfactory_remedy_pct, basis
FROM own
UNION ALL
SELECT m.la_code, g.year_start, sum(g.upheld), sum(g.detailed_investigations), NULL,
       'sum of councils'
FROM lgsco_annual g
JOIN members m ON m.member = g.la_code
JOIN member_count n ON n.la_code = m.la_code
LEFT JOIN own_years o ON o.la_code = m.la_code AND o.year_start = g.year_start
WHERE o.year_start IS NULL
GROUP BY m.la_code, g.year_start
HAVING count(g.upheld) = max(n.members)
   AND count(g.detailed_investigations) = max(n.members)
