-- SAC rates per 100,000 adults (sac-dols-salt.md A6): counts / ONS adult (18+) population.
-- Population: persons, the mid-year estimate for the calendar year in which the period
-- starts, else the latest earlier one, else the earliest loaded (docs/decisions.md).
-- Age-specific rates use people in Section 42 enquiries (SG1a) in the bands 18-64, 65-74,
-- 75-84 and 85+; the age-standardised rate weights them by England's shares of the adult
-- population (direct standardisation): England rows of `population` (E92000001) when loaded,
-- else the fixed approximate mid-2022 shares below.
WITH c AS (
    SELECT * FROM safeguarding_concerns WHERE la_code = $la_code
),
pop_year AS (
    SELECT coalesce(max(year) FILTER (WHERE year <= year($period_start)), min(year)) AS y
    FROM population WHERE la_code = $la_code AND lower(sex) = 'persons'
),
band_pop AS (
    SELECT CASE WHEN age < 65 THEN '18-64' WHEN age < 75 THEN '65-74'
                WHEN age < 85 THEN '75-84' ELSE '85+' END AS age_band,
           sum(population) AS population
    FROM population, pop_year
    WHERE la_code = $la_code AND lower(sex) = 'persons' AND year = pop_year.y AND age >= 18
    GROUP BY 1
),
adults AS (SELECT sum(population) AS population FROM band_pop),
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
    SELECT
        count(*) FILTER (WHERE concern_received_date BETWEEN $period_start AND $period_end)
            AS concerns,
        count(*) FILTER (WHERE enquiry_type = 'Section 42 enquiry'
                         AND enquiry_start_date BETWEEN $period_start AND $period_end) AS s42,
        count(*) FILTER (WHERE enquiry_type = 'Other enquiry'
                         AND enquiry_start_date BETWEEN $period_start AND $period_end) AS other
    FROM c
),
s42_people AS (
    SELECT CASE WHEN age < 65 THEN '18-64' WHEN age < 75 THEN '65-74'
                WHEN age < 85 THEN '75-84' ELSE '85+' END AS age_band
    FROM (
        SELECT CAST(floor(((year($period_end) * 12 + month($period_end))
                          - (birth_year * 12 + birth_month)) / 12) AS INTEGER) AS age
        FROM c
        WHERE enquiry_type = 'Section 42 enquiry'
          AND enquiry_start_date BETWEEN $period_start AND $period_end
        QUALIFY row_number() OVER (PARTITION BY person_id
                                   ORDER BY concern_received_date DESC, load_id DESC,
                                            row_number DESC) = 1
    )
    WHERE age IS NOT NULL
),
age_rates AS (
    SELECT b.age_band, coalesce(p.people, 0) AS people, b.population,
           CASE WHEN b.population > 0
                THEN 100000.0 * coalesce(p.people, 0) / b.population END AS rate
    FROM band_pop b
    LEFT JOIN (SELECT age_band, count(*) AS people FROM s42_people GROUP BY 1) p
      USING (age_band)
),
rows AS (
SELECT 'CONCERNS_PER_100K' AS code, '' AS breakdown, concerns AS numerator,
       (SELECT population FROM adults) AS denominator, NULL::DOUBLE AS value FROM n
UNION ALL SELECT 'S42_PER_100K', '', s42, (SELECT population FROM adults), NULL FROM n
UNION ALL SELECT 'OTHER_PER_100K', '', other, (SELECT population FROM adults), NULL FROM n
UNION ALL SELECT 'TOTAL_ENQ_PER_100K', '', s42 + other, (SELECT population FROM adults), NULL
FROM n
UNION ALL SELECT 'S42_AGE_RATE', 'age_band=' || age_band, people, population, rate
FROM age_rates
UNION ALL SELECT 'S42_ASR', '', sum(a.people), sum(a.population),
       CASE WHEN count(*) = 4 AND bool_and(a.rate IS NOT NULL) THEN sum(a.rate * w.weight) END
FROM age_rates a JOIN weights w USING (age_band)
)
SELECT code, breakdown, numerator, denominator,
       CASE WHEN code = 'S42_ASR' THEN value
            ELSE coalesce(value, CASE WHEN denominator > 0
                                      THEN 100000.0 * numerator / denominator END) END AS value
FROM rows
ORDER BY code, breakdown
