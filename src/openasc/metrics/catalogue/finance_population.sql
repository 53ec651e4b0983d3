-- Adults of each area of the run (compute_councils) by ASC-FR age band, for every year
-- loaded (shared by FIN and WF per-head measures): ONS mid-year persons. The area's own
-- estimates; for England or a region without them, the sum of its councils' when every
-- council of the area has them for that year.
WITH members AS (  -- England's or a region's councils valid at the period end
    SELECT DISTINCT a.la_code, c.ons_code AS member
    FROM compute_councils a
    JOIN councils c ON a.la_code = 'E92000001' OR c.region_code = a.la_code
    WHERE (c.valid_from IS NULL OR c.valid_from <= $period_end)
      AND (c.valid_to IS NULL OR c.valid_to >= $period_end)
),
member_count AS (
    SELECT a.la_code, count(m.member) AS members
    FROM compute_councils a LEFT JOIN members m ON m.la_code = a.la_code
    GROUP BY a.la_code
),
adults AS (
    SELECT la_code AS place, year, age, population FROM population
    WHERE lower(sex) = 'persons' AND age >= 18
),
rows AS (  -- each area's own rows and its councils' rows
    SELECT a.la_code, p.place, p.year, p.age, p.population
    FROM compute_councils a JOIN adults p ON p.place = a.la_code
    UNION ALL
    SELECT m.la_code, p.place, p.year, p.age, p.population
    FROM members m JOIN adults p ON p.place = m.member
),
own_years AS (SELECT DISTINCT la_code, year FROM rows WHERE place = la_code),
banded AS (
    SELECT r.la_code, r.year,
           CASE WHEN r.age < 65 THEN '18 to 64' ELSE '65 and Over' END AS age_band,
           sum(r.population) AS population, count(DISTINCT r.place) AS places,
           max(CASE WHEN o.year IS NULL THEN 0 ELSE 1 END) AS own
    FROM rows r LEFT JOIN own_years o ON o.la_code = r.la_code AND o.year = r.year
    WHERE r.place = r.la_code OR o.year IS NULL
    GROUP BY r.la_code, r.year, CASE WHEN r.age < 65 THEN '18 to 64' ELSE '65 and Over' END
),
kept AS (
    SELECT b.la_code, b.year, b.age_band, b.population
    FROM banded b JOIN member_count n ON n.la_code = b.la_code
    WHERE b.own = 1 OR b.places = n.members
)
SELECT la_code, year, age_band, population FROM kept
UNION ALL
SELECT la_code, year, '18 and over', sum(population) FROM kept
GROUP BY la_code, year
