-- MPS service demand (docs/market-position.md, "Demand"): a constant usage rate model, for
-- each council of the run.
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
-- Projected people are added as exact decimals, so a sum does not depend on the order the
-- threads add it in.
WITH cur AS (  -- each council's current code: inputs for every council are stored under it
    SELECT a.la_code, coalesce(min(c.ons_code), a.la_code) AS code
    FROM compute_councils a
    LEFT JOIN councils c
           ON list_contains(string_split(coalesce(c.former_codes, ''), ';'), a.la_code)
    GROUP BY a.la_code
),
lt AS (
    SELECT la_code, person_id, birth_year, birth_month,
           CASE service_type WHEN 'Long term support: Nursing care' THEN 1
                             WHEN 'Long term support: Residential care' THEN 2
                             ELSE 3 END AS rank
    FROM cld_events
    WHERE la_code IN (SELECT la_code FROM compute_councils)
      AND client_type = 'Service user' AND event_type = 'Service'
      AND service_type IN ('Long term support: Nursing care',
                           'Long term support: Residential care',
                           'Long term support: Community')
      AND event_start_date <= $period_end
      AND coalesce(der_event_end_date, event_end_date, $period_end) >= $period_end
      AND (date_of_death IS NULL OR date_of_death >= $period_end)
),
people AS (
    SELECT la_code, person_id, min(rank) AS rank,
           arg_min(make_date(birth_year, birth_month, 1), rank) AS born
    FROM lt GROUP BY la_code, person_id
),
aged AS (
    SELECT la_code,
           CASE rank WHEN 1 THEN 'Nursing' WHEN 2 THEN 'Residential' ELSE 'Community' END
               AS setting,
           floor(date_diff('day', born, $period_end) / 365.25) AS age
    FROM people WHERE born IS NOT NULL
),
counts AS (
    SELECT la_code, setting, CASE WHEN age < 65 THEN '18-64' WHEN age < 75 THEN '65-74'
                                  WHEN age < 85 THEN '75-84' ELSE '85+' END AS band,
           count(*) AS n
    FROM aged WHERE age >= 18
    GROUP BY la_code, setting, CASE WHEN age < 65 THEN '18-64' WHEN age < 75 THEN '65-74'
                                    WHEN age < 85 THEN '75-84' ELSE '85+' END
),
settings AS (  -- every council has every setting and band, 0 when nobody
    SELECT a.la_code, s.setting, b.band
    FROM compute_councils a
    CROSS JOIN (VALUES ('Nursing'), ('Residential'), ('Community')) s(setting)
    CROSS JOIN (VALUES ('18-64'), ('65-74'), ('75-84'), ('85+')) b(band)
),
n AS (SELECT s.la_code, s.setting, s.band, coalesce(c.n, 0) AS n
      FROM settings s LEFT JOIN counts c USING (la_code, setting, band)),
banded AS (
    SELECT 'mye' AS kind, la_code, year,
           CASE WHEN age < 65 THEN '18-64' WHEN age < 75 THEN '65-74'
                WHEN age < 85 THEN '75-84' ELSE '85+' END AS band,
           CAST(sum(population) AS DECIMAL(38, 10)) AS pop
    FROM population
    WHERE la_code IN (SELECT la_code FROM compute_councils) AND sex = 'persons' AND age >= 18
      AND year = year($period_start)
    GROUP BY la_code, year, CASE WHEN age < 65 THEN '18-64' WHEN age < 75 THEN '65-74'
                                 WHEN age < 85 THEN '75-84' ELSE '85+' END
    UNION ALL
    SELECT 'proj', k.la_code, p.year,
           CASE WHEN p.age < 65 THEN '18-64' WHEN p.age < 75 THEN '65-74'
                WHEN p.age < 85 THEN '75-84' ELSE '85+' END,
           sum(CAST(p.population AS DECIMAL(38, 10)))
    FROM population_projections p JOIN cur k ON p.la_code = k.code
    WHERE p.sex = 'persons' AND p.age >= 18
      AND p.year IN (SELECT year($period_start) + k FROM (VALUES (0), (5), (10), (15)) v(k))
    GROUP BY k.la_code, p.year, CASE WHEN p.age < 65 THEN '18-64' WHEN p.age < 75 THEN '65-74'
                                     WHEN p.age < 85 THEN '75-84' ELSE '85+' END
),
mye AS (SELECT la_code, band, pop FROM banded WHERE kind = 'mye'),
mye_total AS (SELECT la_code, sum(pop) AS pop FROM mye GROUP BY la_code),
base AS (
    SELECT b.la_code, b.band, coalesce(p.pop, m.pop) AS pop
    FROM (SELECT DISTINCT la_code, band FROM banded) b
    LEFT JOIN banded p ON p.la_code = b.la_code AND p.kind = 'proj' AND p.band = b.band
         AND p.year = year($period_start)
    LEFT JOIN mye m ON m.la_code = b.la_code AND m.band = b.band
),
projected AS (
    SELECT n.la_code, n.setting, n.band, p.year, p.year - year($period_start) AS k,
           CAST(n.n * p.pop / base.pop AS DOUBLE) AS d
    FROM n JOIN banded p ON p.la_code = n.la_code AND p.kind = 'proj' AND p.band = n.band
    JOIN base ON base.la_code = n.la_code AND base.band = n.band
    WHERE base.pop > 0
),
older AS (
    SELECT la_code, year, k, CAST(sum(CAST(d AS DECIMAL(38, 10))) AS DOUBLE) AS d
    FROM projected
    WHERE band <> '18-64' AND setting IN ('Nursing', 'Residential')
    GROUP BY la_code, year, k
),
totals AS (  -- every council's headline, kept where its estimate for B has people
    SELECT n.la_code, sum(n.n) AS n, t.pop
    FROM n JOIN mye_total t ON t.la_code = n.la_code
    GROUP BY n.la_code, t.pop
)
SELECT la_code, 'MPS-U1' AS code, '' AS breakdown, n AS numerator, pop AS denominator,
       n / pop * 1000 AS value
FROM totals WHERE pop > 0
UNION ALL
SELECT la_code, 'MPS-U1', 'band=' || n.band || ';setting=' || setting, n, pop,
       n / pop * 1000
FROM n JOIN mye USING (la_code, band) WHERE pop > 0
UNION ALL
SELECT n.la_code, 'MPS-U1', 'setting=' || n.setting, sum(n.n), t.pop, sum(n.n) / t.pop * 1000
FROM n JOIN mye_total t ON t.la_code = n.la_code
WHERE t.pop > 0
GROUP BY n.la_code, n.setting, t.pop
UNION ALL
SELECT la_code, 'MPS-U3', 'band=' || band || ';setting=' || setting || ';year=' || year,
       round(d), NULL, round(d)
FROM projected
UNION ALL
SELECT la_code, 'MPS-U2', CASE WHEN k = 10 THEN '' ELSE 'year=' || year END, round(d), NULL,
       round(d) FROM older
UNION ALL
SELECT la_code, 'MPS-U2', 'year=' || year, round(d), NULL, round(d) FROM older WHERE k = 10
