-- MPS service demand (docs/market-position.md, "Demand"): a constant usage rate model.
-- People in long-term support on the snapshot date T = the period end (service events of
-- service users, long-term nursing, residential or community support open on T; prison
-- excluded; nobody who died before T), one setting each by nursing > residential >
-- community, age at T from the proxy date of birth (1st of the birth month,
-- floor(days / 365.25)), adults only; unknown age left out.
-- U1: people per 1,000 of the mid-year estimate for B (the `population` table).
-- U3: D(s, b, Y) = N(s, b) x P(b, Y) / P(b, B) from one projection release (ratio form);
--     the estimate for B is the denominator only when the release has no year B.
-- U2: U3 summed over 65-74, 75-84 and 85+ for residential and nursing; headline B+10.
-- A projected number of people is a whole number: U2 and U3 are rounded to the nearest
-- person (U2 from the unrounded parts), before publication rounds them to 5 like any count.
WITH cur AS (  -- the council's current code: inputs for every council are stored under it
    SELECT coalesce((SELECT min(ons_code) FROM councils WHERE list_contains(
        string_split(coalesce(former_codes, ''), ';'), $la_code)), $la_code) AS code
),
lt AS (
    SELECT person_id, birth_year, birth_month,
           CASE service_type WHEN 'Long term support: Nursing care' THEN 1
                             WHEN 'Long term support: Residential care' THEN 2
                             ELSE 3 END AS rank
    FROM cld_events
    WHERE la_code = $la_code AND client_type = 'Service user' AND event_type = 'Service'
      AND service_type IN ('Long term support: Nursing care',
                           'Long term support: Residential care',
                           'Long term support: Community')
      AND event_start_date <= $period_end
      AND coalesce(der_event_end_date, event_end_date, $period_end) >= $period_end
      AND (date_of_death IS NULL OR date_of_death >= $period_end)
),
people AS (
    SELECT person_id, min(rank) AS rank,
           arg_min(make_date(birth_year, birth_month, 1), rank) AS born
    FROM lt GROUP BY person_id
),
aged AS (
    SELECT CASE rank WHEN 1 THEN 'Nursing' WHEN 2 THEN 'Residential' ELSE 'Community' END
               AS setting,
           floor(date_diff('day', born, $period_end) / 365.25) AS age
    FROM people WHERE born IS NOT NULL
),
counts AS (
    SELECT setting, CASE WHEN age < 65 THEN '18-64' WHEN age < 75 THEN '65-74'
                         WHEN age < 85 THEN '75-84' ELSE '85+' END AS band,
           count(*) AS n
    FROM aged WHERE age >= 18 GROUP BY ALL
),
settings AS (
    SELECT * FROM (VALUES ('Nursing'), ('Residential'), ('Community')) s(setting),
                  (VALUES ('18-64'), ('65-74'), ('75-84'), ('85+')) b(band)
),
n AS (SELECT s.setting, s.band, coalesce(c.n, 0) AS n
      FROM settings s LEFT JOIN counts c USING (setting, band)),
banded AS (
    SELECT 'mye' AS kind, year, CASE WHEN age < 65 THEN '18-64' WHEN age < 75 THEN '65-74'
                          WHEN age < 85 THEN '75-84' ELSE '85+' END AS band,
           sum(population) AS pop
    FROM population WHERE la_code = $la_code AND sex = 'persons' AND age >= 18
      AND year = year($period_start) GROUP BY ALL
    UNION ALL
    SELECT 'proj', year, CASE WHEN age < 65 THEN '18-64' WHEN age < 75 THEN '65-74'
                          WHEN age < 85 THEN '75-84' ELSE '85+' END,
           sum(population)
    FROM population_projections WHERE la_code = (SELECT code FROM cur) AND sex = 'persons' AND age >= 18
      AND year IN (SELECT year($period_start) + k FROM (VALUES (0), (5), (10), (15)) v(k))
    GROUP BY ALL
),
mye AS (SELECT band, pop FROM banded WHERE kind = 'mye'),
base AS (
    SELECT b.band, coalesce(p.pop, m.pop) AS pop
    FROM (SELECT DISTINCT band FROM banded) b
    LEFT JOIN banded p ON p.kind = 'proj' AND p.band = b.band AND p.year = year($period_start)
    LEFT JOIN mye m ON m.band = b.band
),
projected AS (
    SELECT n.setting, n.band, p.year, p.year - year($period_start) AS k,
           n.n * p.pop / base.pop AS d
    FROM n JOIN banded p ON p.kind = 'proj' AND p.band = n.band
    JOIN base ON base.band = n.band
    WHERE base.pop > 0
),
older AS (
    SELECT year, k, sum(d) AS d FROM projected
    WHERE band <> '18-64' AND setting IN ('Nursing', 'Residential') GROUP BY ALL
)
SELECT 'MPS-U1' AS code, '' AS breakdown, sum(n) AS numerator,
       (SELECT sum(pop) FROM mye) AS denominator,
       sum(n) / (SELECT sum(pop) FROM mye) * 1000 AS value
FROM n HAVING (SELECT sum(pop) FROM mye) > 0
UNION ALL
SELECT 'MPS-U1', 'band=' || n.band || ';setting=' || setting, n, pop, n / pop * 1000
FROM n JOIN mye USING (band) WHERE pop > 0
UNION ALL
SELECT 'MPS-U1', 'setting=' || setting, sum(n), (SELECT sum(pop) FROM mye),
       sum(n) / (SELECT sum(pop) FROM mye) * 1000
FROM n GROUP BY setting HAVING (SELECT sum(pop) FROM mye) > 0
UNION ALL
SELECT 'MPS-U3', 'band=' || band || ';setting=' || setting || ';year=' || year, round(d),
       NULL, round(d)
FROM projected
UNION ALL
SELECT 'MPS-U2', CASE WHEN k = 10 THEN '' ELSE 'year=' || year END, round(d), NULL,
       round(d) FROM older
UNION ALL
SELECT 'MPS-U2', 'year=' || year, round(d), NULL, round(d) FROM older WHERE k = 10
