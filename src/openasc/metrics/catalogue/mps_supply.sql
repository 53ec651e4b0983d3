-- MPS supply and quality (docs/market-position.md, "Supply"): the CQC care directory
-- (care_locations, the latest snapshot) against the projected population, for each council
-- of the run.
-- Counted: adult social care locations (in scope), not dormant, and once per dual
-- registration (counted). A care home's beds are all of one type: nursing if registered
-- with nursing (a home registered for both too), residential if without nursing only.
-- Rates use the council's projection for the base year B (persons), for the council, its
-- region and England alike; region and England rows ('area=region', 'area=England') exist
-- only when every council of the area valid at the period end has a projection and
-- locations in the directory. A region's and England's figures are the same for every
-- council of the run, so they are worked out once per area ("zone") and shared.
-- Ratings: shares of rated locations (Not yet rated left out; its count is in MPS-Q5).
-- MPS-X1/X2: beds needed to keep today's beds per 1,000 aged 75+ in B+5, B+10, B+15.
-- Projected people are added as exact decimals, so a sum does not depend on the order the
-- threads add it in.
WITH cur AS (  -- each council's current code: inputs for every council are stored under it
    SELECT a.la_code, coalesce(min(c.ons_code), a.la_code) AS code
    FROM compute_councils a
    LEFT JOIN councils c
           ON list_contains(string_split(coalesce(c.former_codes, ''), ';'), a.la_code)
    GROUP BY a.la_code
),
me AS (  -- each council's region
    SELECT a.la_code, min(c.region_code) AS region_code
    FROM compute_councils a LEFT JOIN councils c ON c.ons_code = a.la_code
    GROUP BY a.la_code
),
valid AS (  -- the councils at the period end, by current code
    SELECT DISTINCT coalesce(s.ons_code, c.ons_code) AS ons_code, c.region_code
    FROM councils c LEFT JOIN councils s
         ON list_contains(string_split(coalesce(s.former_codes, ''), ';'), c.ons_code)
    WHERE (c.valid_from IS NULL OR c.valid_from <= $period_end)
      AND (c.valid_to IS NULL OR c.valid_to >= $period_end)
      AND substr(c.ons_code, 1, 3) IN ('E06', 'E08', 'E09', 'E10')
),
zones AS (  -- the areas compared, by member council: each council alone, regions, England
    SELECT 'own:' || la_code AS zone, code AS member FROM cur
    UNION ALL
    SELECT 'region:' || region_code, ons_code FROM valid
    WHERE region_code IN (SELECT region_code FROM me)
    UNION ALL
    SELECT 'England', ons_code FROM valid
),
council_zones AS (  -- the zone each of a council's breakdowns describes
    SELECT la_code, '' AS area, 'own:' || la_code AS zone FROM compute_councils
    UNION ALL
    SELECT la_code, 'area=region', 'region:' || region_code FROM me
    WHERE region_code IS NOT NULL
    UNION ALL
    SELECT la_code, 'area=England', 'England' FROM compute_councils
),
pop AS (
    SELECT la_code, year,
           sum(CAST(population AS DECIMAL(38, 10))) FILTER (WHERE age >= 65) AS p65,
           sum(CAST(population AS DECIMAL(38, 10))) FILTER (WHERE age >= 75) AS p75
    FROM population_projections
    WHERE sex = 'persons'
      AND year IN (SELECT year($period_start) + k FROM (VALUES (0), (5), (10), (15)) v(k))
    GROUP BY la_code, year
),
listed AS (SELECT DISTINCT la_code FROM care_locations WHERE in_scope),
zone_pop AS (
    SELECT z.zone, count(DISTINCT z.member) AS members,
           count(DISTINCT p.la_code) AS projected, count(DISTINCT d.la_code) AS covered,
           sum(p.p65) AS p65, sum(p.p75) AS p75
    FROM zones z
    LEFT JOIN pop p ON p.la_code = z.member AND p.year = year($period_start)
    LEFT JOIN listed d ON d.la_code = z.member
    GROUP BY z.zone
),
complete AS (  -- zones whose every council has a projection and locations
    SELECT zone, p65, p75 FROM zone_pop WHERE members = projected AND members = covered
),
loc AS (
    SELECT z.zone, l.location_id, l.care_home, l.beds, l.home_type, l.dementia,
           l.domiciliary, l.rating
    FROM care_locations l JOIN zones z ON z.member = l.la_code
    WHERE l.in_scope AND NOT l.dormant AND l.counted
),
s AS (
    SELECT p.zone, p.p65, p.p75,
           coalesce(sum(h.beds), 0) AS beds,
           coalesce(sum(h.beds) FILTER (WHERE h.home_type = 'nursing'), 0) AS nursing,
           coalesce(sum(h.beds) FILTER (WHERE h.home_type = 'residential'), 0) AS residential,
           coalesce(sum(h.beds) FILTER (WHERE h.dementia), 0) AS dementia
    FROM complete p LEFT JOIN loc h ON h.zone = p.zone AND h.care_home
    GROUP BY p.zone, p.p65, p.p75
),
agencies AS (
    SELECT p.zone, p.p65, count(l.location_id) AS n
    FROM complete p LEFT JOIN loc l ON l.zone = p.zone AND l.domiciliary
    GROUP BY p.zone, p.p65
),
rated AS (
    SELECT zone,
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
    WHERE zone IN (SELECT zone FROM complete)
    GROUP BY zone
),
zone_ratios AS (
    SELECT zone, 'MPS-S1' AS code, beds AS numerator, p75 AS denominator, 1000.0 AS scale
    FROM s
    UNION ALL SELECT zone, 'MPS-S2', nursing, p75, 1000 FROM s
    UNION ALL SELECT zone, 'MPS-S3', residential, p75, 1000 FROM s
    UNION ALL SELECT zone, 'MPS-S4', dementia, beds, 100 FROM s
    UNION ALL SELECT zone, 'MPS-S5', n, p65, 10000 FROM agencies
    UNION ALL SELECT zone, 'MPS-Q1', go, rated, 100 FROM rated
    UNION ALL SELECT zone, 'MPS-Q2', go_beds, rated_beds, 100 FROM rated
    UNION ALL SELECT zone, 'MPS-Q3', go_hc, rated_hc, 100 FROM rated
    UNION ALL SELECT zone, 'MPS-Q4', inadequate, rated, 100 FROM rated
),
ratios AS (
    SELECT c.la_code, r.code, c.area AS breakdown, r.numerator, r.denominator, r.scale
    FROM zone_ratios r JOIN council_zones c ON c.zone = r.zone
),
own AS (
    SELECT k.la_code, l.location_id, l.care_home, l.beds, l.home_type, l.dementia,
           l.both_types, l.domiciliary, l.supported_living, l.extra_care, l.shared_lives,
           l.rating, l.inherited
    FROM care_locations l JOIN cur k ON l.la_code = k.code
    WHERE l.in_scope AND NOT l.dormant AND l.counted
),
own_totals AS (  -- every council has these counts, 0 when it has no such location
    SELECT k.la_code,
           count(o.location_id) FILTER (WHERE o.care_home) AS homes,
           count(o.location_id) FILTER (WHERE o.care_home AND o.dementia) AS dementia_homes,
           count(o.location_id) FILTER (WHERE o.care_home AND o.both_types) AS both_homes,
           coalesce(sum(o.beds) FILTER (WHERE o.care_home), 0) AS beds,
           coalesce(sum(o.beds) FILTER (WHERE o.care_home AND o.dementia), 0)
               AS dementia_beds,
           count(o.location_id) FILTER (WHERE o.domiciliary OR o.supported_living
                                        OR o.extra_care OR o.shared_lives) AS community,
           count(o.location_id) FILTER (WHERE o.domiciliary) AS home_care,
           count(o.location_id) FILTER (WHERE o.supported_living) AS supported_living,
           count(o.location_id) FILTER (WHERE o.extra_care) AS extra_care,
           count(o.location_id) FILTER (WHERE o.shared_lives) AS shared_lives,
           count(o.location_id) AS locations,
           count(o.location_id) FILTER (WHERE o.inherited) AS inherited
    FROM cur k LEFT JOIN own o ON o.la_code = k.la_code
    GROUP BY k.la_code
),
dormant AS (  -- dormant locations too, for their count
    SELECT k.la_code, count(d.location_id) AS locations,
           coalesce(sum(d.beds) FILTER (WHERE d.care_home), 0) AS beds
    FROM cur k
    LEFT JOIN care_locations d ON d.la_code = k.code AND d.in_scope AND d.counted
         AND d.dormant
    GROUP BY k.la_code
),
counts AS (
    SELECT la_code, 'MPS-S6' AS code, '' AS breakdown, homes AS n FROM own_totals
    UNION ALL SELECT la_code, 'MPS-S6', 'type=' || home_type, count(*) FROM own
    WHERE care_home GROUP BY la_code, home_type
    UNION ALL SELECT la_code, 'MPS-S6', 'dementia=registered', dementia_homes FROM own_totals
    UNION ALL SELECT la_code, 'MPS-S6', 'both=registered with and without nursing', both_homes
    FROM own_totals
    UNION ALL SELECT la_code, 'MPS-S7', '', beds FROM own_totals
    UNION ALL SELECT la_code, 'MPS-S7', 'type=' || home_type, sum(beds) FROM own
    WHERE care_home GROUP BY la_code, home_type
    UNION ALL SELECT la_code, 'MPS-S7', 'dementia=registered', dementia_beds FROM own_totals
    UNION ALL SELECT la_code, 'MPS-S8', '', locations FROM dormant
    UNION ALL SELECT la_code, 'MPS-S8', 'what=care home beds', beds FROM dormant
    UNION ALL SELECT la_code, 'MPS-S9', '', community FROM own_totals
    UNION ALL SELECT la_code, 'MPS-S9', 'service=Home care', home_care FROM own_totals
    UNION ALL SELECT la_code, 'MPS-S9', 'service=Supported living', supported_living
    FROM own_totals
    UNION ALL SELECT la_code, 'MPS-S9', 'service=Extra care housing', extra_care
    FROM own_totals
    UNION ALL SELECT la_code, 'MPS-S9', 'service=Shared Lives', shared_lives FROM own_totals
    UNION ALL SELECT la_code, 'MPS-Q5', '', locations FROM own_totals
    UNION ALL SELECT la_code, 'MPS-Q5', 'rating=' || rating || ';service=' || service,
                     count(*)
    FROM (SELECT la_code, rating, 'Care homes' AS service FROM own WHERE care_home
          UNION ALL SELECT la_code, rating, 'Home care' FROM own WHERE domiciliary
          UNION ALL SELECT la_code, rating, 'All adult social care' FROM own) AS r
    GROUP BY la_code, rating, service
    UNION ALL SELECT la_code, 'MPS-Q6', '', inherited FROM own_totals
),
today AS (  -- the council's own beds and population aged 75+ in B
    SELECT c.la_code, s.beds, s.p75 AS b75
    FROM s JOIN council_zones c ON c.zone = s.zone AND c.area = ''
),
needed AS (
    SELECT t.la_code, p.year, p.year - year($period_start) AS k,
           t.beds * p.p75 / t.b75 AS need, t.beds
    FROM today t JOIN cur k ON k.la_code = t.la_code
    JOIN pop p ON p.la_code = k.code AND p.year > year($period_start)
    WHERE t.b75 > 0
)
SELECT la_code, code, breakdown, numerator, denominator,
       numerator / denominator * scale AS value
FROM ratios WHERE denominator > 0
UNION ALL
SELECT la_code, code, breakdown, n, NULL, n FROM counts
UNION ALL
SELECT la_code, 'MPS-X1', CASE WHEN k = 10 THEN '' ELSE 'year=' || year END, need, NULL, need
FROM needed
UNION ALL SELECT la_code, 'MPS-X1', 'year=' || year, need, NULL, need FROM needed
WHERE k = 10
UNION ALL
SELECT la_code, 'MPS-X2', CASE WHEN k = 10 THEN '' ELSE 'year=' || year END, need - beds,
       NULL, need - beds FROM needed
UNION ALL SELECT la_code, 'MPS-X2', 'year=' || year, need - beds, NULL, need - beds
FROM needed WHERE k = 10
