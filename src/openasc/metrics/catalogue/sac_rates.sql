-- SAC rates per 100,000 adults (sac-dols-salt.md A6): counts / ONS adult (18+) population.
-- Population: persons, the mid-year estimate for the calendar year in which the period
-- starts, else the latest earlier one, else the earliest loaded (docs/decisions.md).
-- Age-specific rates use people in Section 42 enquiries (SG1a) in the bands 18-64, 65-74,
-- 75-84 and 85+; the age-standardised rate weights them by England's shares of the adult
-- population (direct standardisation): England rows of `population` (E92000001) when loaded,
-- else the fixed approximate mid-2022 shares below.
-- Set-based: every council of the run (compute_councils) at once; the headline rows of a
-- council come from compute_councils, so a council with no concern still has them.
WITH pop_year AS (
    SELECT cc.la_code,
           coalesce(max(p.year) FILTER (WHERE p.year <= year($period_start)), min(p.year)) AS y
    FROM compute_councils cc
    LEFT JOIN population p ON p.la_code = cc.la_code AND lower(p.sex) = 'persons'
    GROUP BY cc.la_code
),
band_pop AS (
    SELECT p.la_code,
           CASE WHEN p.age < 65 THEN '18-64' WHEN p.age < 75 THEN '65-74'
                WHEN p.age < 85 THEN '75-84' ELSE '85+' END AS age_band,
           sum(p.population) AS population
    FROM population p JOIN pop_year y ON y.la_code = p.la_code AND y.y = p.year
    WHERE lower(p.sex) = 'persons' AND p.age >= 18
    GROUP BY ALL
),
adults AS (
    SELECT cc.la_code, sum(b.population) AS population
    FROM compute_councils cc LEFT JOIN band_pop b ON b.la_code = cc.la_code
    GROUP BY cc.la_code
),
england_year AS (
    SELECT coalesce(max(year) FILTER (WHERE year <= year($period_start)), min(year)) AS y
    FROM population WHERE la_code = 'E92000001' AND lower(sex) = 'persons'
),
england_loaded AS (
    SELECT CASE WHEN age < 65 THEN '18-64' WHEN age < 75 THEN '65-74'
                WHEN age < 85 THEN '75-84' ELSE '85+' END AS age_band,
           sum(population) AS population
    FROM population, england_year
    WHERE la_code = 'E92000001' AND lower(sex) = 'persons' AND year = england_year.y
      AND age >= 18
    GROUP BY 1
),
england_fixed (age_band, population) AS (
    VALUES ('18-64', 34100000), ('65-74', 5600000), ('75-84', 3900000), ('85+', 1400000)
),
england AS (
    SELECT * FROM england_loaded
    UNION ALL
    SELECT * FROM england_fixed WHERE NOT EXISTS (SELECT 1 FROM england_loaded)
),
weights AS (
    SELECT age_band, population / sum(population) OVER () AS weight FROM england
),
n AS (
    SELECT cc.la_code,
        count(*) FILTER (WHERE s.concern_received_date BETWEEN $period_start AND $period_end)
            AS concerns,
        count(*) FILTER (WHERE s.enquiry_type = 'Section 42 enquiry'
                         AND s.enquiry_start_date BETWEEN $period_start AND $period_end) AS s42,
        count(*) FILTER (WHERE s.enquiry_type = 'Other enquiry'
                         AND s.enquiry_start_date BETWEEN $period_start AND $period_end)
            AS other
    FROM compute_councils cc LEFT JOIN safeguarding_concerns s ON s.la_code = cc.la_code
    GROUP BY cc.la_code
),
s42_people AS (
    SELECT la_code,
           CASE WHEN age < 65 THEN '18-64' WHEN age < 75 THEN '65-74'
                WHEN age < 85 THEN '75-84' ELSE '85+' END AS age_band
    FROM (
        SELECT la_code,
               CAST(floor(((year($period_end) * 12 + month($period_end))
                          - (birth_year * 12 + birth_month)) / 12) AS INTEGER) AS age
        FROM safeguarding_concerns
        WHERE la_code IN (SELECT la_code FROM compute_councils)
          AND enquiry_type = 'Section 42 enquiry'
          AND enquiry_start_date BETWEEN $period_start AND $period_end
        QUALIFY row_number() OVER (PARTITION BY la_code, person_id
                                   ORDER BY concern_received_date DESC, load_id DESC,
                                            row_number DESC) = 1
    )
    WHERE age IS NOT NULL
),
age_rates AS (
    SELECT b.la_code, b.age_band, coalesce(p.people, 0) AS people, b.population,
           CASE WHEN b.population > 0
                THEN 100000.0 * coalesce(p.people, 0) / b.population END AS rate
    FROM band_pop b
    LEFT JOIN (SELECT la_code, age_band, count(*) AS people FROM s42_people GROUP BY ALL) p
      ON p.la_code = b.la_code AND p.age_band = b.age_band
),
weighted AS (  -- the bands England has a weight for; every council, none when no population
    SELECT cc.la_code, a.age_band, a.people, a.population, a.rate, w.weight
    FROM compute_councils cc
    LEFT JOIN (age_rates a JOIN weights w ON w.age_band = a.age_band)
      ON a.la_code = cc.la_code
),
rows AS (
SELECT la_code, 'CONCERNS_PER_100K' AS code, '' AS breakdown, n.concerns AS numerator,
       a.population AS denominator, NULL::DOUBLE AS value
FROM n JOIN adults a USING (la_code)
UNION ALL SELECT la_code, 'S42_PER_100K', '', n.s42, a.population, NULL
FROM n JOIN adults a USING (la_code)
UNION ALL SELECT la_code, 'OTHER_PER_100K', '', n.other, a.population, NULL
FROM n JOIN adults a USING (la_code)
UNION ALL SELECT la_code, 'TOTAL_ENQ_PER_100K', '', n.s42 + n.other, a.population, NULL
FROM n JOIN adults a USING (la_code)
UNION ALL SELECT la_code, 'S42_AGE_RATE', 'age_band=' || age_band, people, population, rate
FROM age_rates
UNION ALL SELECT la_code, 'S42_ASR', '', sum(people), sum(population),
       CASE WHEN count(age_band) = 4 AND bool_and(rate IS NOT NULL) THEN sum(rate * weight) END
FROM weighted GROUP BY la_code
)
SELECT la_code, code, breakdown, numerator, denominator,
       CASE WHEN code = 'S42_ASR' THEN value
            ELSE coalesce(value, CASE WHEN denominator > 0
                                      THEN 100000.0 * numerator / denominator END) END AS value
FROM rows
ORDER BY la_code, code, breakdown
