-- MPS supply and quality (docs/market-position.md, "Supply"): the CQC care directory
-- (care_locations, the latest snapshot) against the projected population.
-- Counted: adult social care locations (in scope), not dormant, and once per dual
-- registration (counted). A care home's beds are all of one type: nursing if registered
-- with nursing (a home registered for both too), residential if without nursing only.
-- Rates use the council's projection for the base year B (persons), for the council, its
-- region and England alike; region and England rows ('area=region', 'area=England') exist
-- only when every council of the area valid at the period end has a projection and
-- locations in the directory.
-- Ratings: shares of rated locations (Not yet rated left out; its count is in MPS-Q5).
-- MPS-X1/X2: beds needed to keep today's beds per 1,000 aged 75+ in B+5, B+10, B+15.
WITH cur AS (  -- the council's current code: inputs for every council are stored under it
    SELECT coalesce((SELECT min(ons_code) FROM councils WHERE list_contains(
        string_split(coalesce(former_codes, ''), ';'), $la_code)), $la_code) AS code
),
me AS (SELECT region_code FROM councils WHERE ons_code = $la_code LIMIT 1),
valid AS (  -- the councils at the period end, by current code
    SELECT DISTINCT coalesce(s.ons_code, c.ons_code) AS ons_code, c.region_code
    FROM councils c LEFT JOIN councils s
         ON list_contains(string_split(coalesce(s.former_codes, ''), ';'), c.ons_code)
    WHERE (c.valid_from IS NULL OR c.valid_from <= $period_end)
      AND (c.valid_to IS NULL OR c.valid_to >= $period_end)
      AND substr(c.ons_code, 1, 3) IN ('E06', 'E08', 'E09', 'E10')
),
areas AS (
    SELECT '' AS area, (SELECT code FROM cur) AS la_code
    UNION ALL SELECT 'area=region', ons_code FROM valid WHERE region_code = (SELECT
                                                                region_code FROM me)
    UNION ALL SELECT 'area=England', ons_code FROM valid
),
pop AS (
    SELECT la_code, year,
           sum(population) FILTER (WHERE age >= 65) AS p65,
           sum(population) FILTER (WHERE age >= 75) AS p75
    FROM population_projections
    WHERE sex = 'persons'
      AND year IN (SELECT year($period_start) + k FROM (VALUES (0), (5), (10), (15)) v(k))
    GROUP BY ALL
),
area_pop AS (
    SELECT a.area, count(DISTINCT a.la_code) AS members,
           count(DISTINCT p.la_code) AS projected,
           count(DISTINCT a.la_code) FILTER (WHERE a.la_code IN
               (SELECT la_code FROM care_locations WHERE in_scope)) AS covered,
           sum(p.p65) AS p65, sum(p.p75) AS p75
    FROM areas a LEFT JOIN pop p ON p.la_code = a.la_code AND p.year = year($period_start)
    GROUP BY a.area
),
loc AS (
    SELECT a.area, l.*
    FROM care_locations l JOIN areas a ON a.la_code = l.la_code
    WHERE l.in_scope AND NOT l.dormant AND l.counted
),
homes AS (SELECT * FROM loc WHERE care_home),
s AS (
    SELECT p.area, p.p65, p.p75,
           coalesce(sum(h.beds), 0) AS beds,
           coalesce(sum(h.beds) FILTER (WHERE h.home_type = 'nursing'), 0) AS nursing,
           coalesce(sum(h.beds) FILTER (WHERE h.home_type = 'residential'), 0) AS residential,
           coalesce(sum(h.beds) FILTER (WHERE h.dementia), 0) AS dementia
    FROM area_pop p LEFT JOIN homes h ON h.area = p.area
    WHERE p.members = p.projected AND p.members = p.covered
    GROUP BY ALL
),
agencies AS (
    SELECT p.area, p.p65, count(l.location_id) AS n
    FROM area_pop p LEFT JOIN loc l ON l.area = p.area AND l.domiciliary
    WHERE p.members = p.projected AND p.members = p.covered GROUP BY ALL
),
rated AS (
    SELECT area,
           count(*) FILTER (WHERE rating IN ('Good', 'Outstanding')) AS go,
           count(*) FILTER (WHERE rating = 'Inadequate') AS inadequate,
           count(*) FILTER (WHERE rating <> 'Not yet rated') AS rated,
           coalesce(sum(beds) FILTER (WHERE care_home AND rating IN ('Good', 'Outstanding')),
                    0) AS go_beds,
           coalesce(sum(beds) FILTER (WHERE care_home AND rating <> 'Not yet rated'), 0)
               AS rated_beds,
           count(*) FILTER (WHERE domiciliary AND rating IN ('Good', 'Outstanding')) AS go_hc,
           count(*) FILTER (WHERE domiciliary AND rating <> 'Not yet rated') AS rated_hc
    FROM loc
    WHERE area IN (SELECT area FROM area_pop WHERE members = projected AND members = covered)
    GROUP BY area
),
ratios AS (
    SELECT 'MPS-S1' AS code, area AS breakdown, beds AS numerator, p75 AS denominator,
           1000.0 AS scale FROM s
    UNION ALL SELECT 'MPS-S2', area, nursing, p75, 1000 FROM s
    UNION ALL SELECT 'MPS-S3', area, residential, p75, 1000 FROM s
    UNION ALL SELECT 'MPS-S4', area, dementia, beds, 100 FROM s
    UNION ALL SELECT 'MPS-S5', area, n, p65, 10000 FROM agencies
    UNION ALL SELECT 'MPS-Q1', area, go, rated, 100 FROM rated
    UNION ALL SELECT 'MPS-Q2', area, go_beds, rated_beds, 100 FROM rated
    UNION ALL SELECT 'MPS-Q3', area, go_hc, rated_hc, 100 FROM rated
    UNION ALL SELECT 'MPS-Q4', area, inadequate, rated, 100 FROM rated
),
own AS (SELECT * FROM loc WHERE area = ''),
all_own AS (  -- dormant ones too, for their count
    SELECT * FROM care_locations WHERE la_code = (SELECT code FROM cur) AND in_scope AND counted
),
counts AS (
    SELECT 'MPS-S6' AS code, '' AS breakdown, count(*) AS n FROM own WHERE care_home
    UNION ALL SELECT 'MPS-S6', 'type=' || home_type, count(*) FROM own WHERE care_home
    GROUP BY ALL
    UNION ALL SELECT 'MPS-S6', 'dementia=registered', count(*) FROM own
    WHERE care_home AND dementia
    UNION ALL SELECT 'MPS-S6', 'both=registered with and without nursing', count(*) FROM own
    WHERE care_home AND both_types
    UNION ALL SELECT 'MPS-S7', '', coalesce(sum(beds), 0) FROM own WHERE care_home
    UNION ALL SELECT 'MPS-S7', 'type=' || home_type, sum(beds) FROM own WHERE care_home
    GROUP BY ALL
    UNION ALL SELECT 'MPS-S7', 'dementia=registered', coalesce(sum(beds), 0) FROM own
    WHERE care_home AND dementia
    UNION ALL SELECT 'MPS-S8', '', count(*) FROM all_own WHERE dormant
    UNION ALL SELECT 'MPS-S8', 'what=care home beds', coalesce(sum(beds), 0) FROM all_own
    WHERE dormant AND care_home
    UNION ALL SELECT 'MPS-S9', '', count(*) FROM own
    WHERE domiciliary OR supported_living OR extra_care OR shared_lives
    UNION ALL SELECT 'MPS-S9', 'service=Home care', count(*) FROM own WHERE domiciliary
    UNION ALL SELECT 'MPS-S9', 'service=Supported living', count(*) FROM own
    WHERE supported_living
    UNION ALL SELECT 'MPS-S9', 'service=Extra care housing', count(*) FROM own
    WHERE extra_care
    UNION ALL SELECT 'MPS-S9', 'service=Shared Lives', count(*) FROM own WHERE shared_lives
    UNION ALL SELECT 'MPS-Q5', '', count(*) FROM own
    UNION ALL SELECT 'MPS-Q5', 'rating=' || rating || ';service=' || service, count(*)
    FROM (SELECT rating, 'Care homes' AS service FROM own WHERE care_home
          UNION ALL SELECT rating, 'Home care' FROM own WHERE domiciliary
          UNION ALL SELECT rating, 'All adult social care' FROM own) GROUP BY ALL
    UNION ALL SELECT 'MPS-Q6', '', count(*) FROM own WHERE inherited
),
today AS (
    SELECT s.beds, s.p75 AS b75 FROM s WHERE s.area = ''
),
needed AS (
    SELECT p.year, p.year - year($period_start) AS k, t.beds * p.p75 / t.b75 AS need, t.beds
    FROM pop p, today t
    WHERE p.la_code = (SELECT code FROM cur) AND p.year > year($period_start) AND t.b75 > 0
)
SELECT code, breakdown, numerator, denominator, numerator / denominator * scale AS value
FROM ratios WHERE denominator > 0
UNION ALL
SELECT code, breakdown, n, NULL, n FROM counts
UNION ALL
SELECT 'MPS-X1', CASE WHEN k = 10 THEN '' ELSE 'year=' || year END, need, NULL, need
FROM needed
UNION ALL SELECT 'MPS-X1', 'year=' || year, need, NULL, need FROM needed WHERE k = 10
UNION ALL
SELECT 'MPS-X2', CASE WHEN k = 10 THEN '' ELSE 'year=' || year END, need - beds, NULL,
       need - beds FROM needed
UNION ALL SELECT 'MPS-X2', 'year=' || year, need - beds, NULL, need - beds FROM needed
WHERE k = 10
