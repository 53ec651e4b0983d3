-- ASCOF 2B (18 to 64) and 2C (65 and above): people whose long-term support needs are met by
-- a new admission to residential or nursing care in the period, per 100,000 population.
-- Method: ascof.md §2.2. Labels compared lower-cased and trimmed (ascof.md §0).
-- Every council of the run at once: `la_code` keys every person, join and group.
WITH people AS (
    SELECT p.la_code, p.person_id,
           make_date(p.birth_year, p.birth_month, 1) AS proxy_birth,
           p.date_of_death
    FROM cld_people p
    JOIN compute_councils cc ON cc.la_code = p.la_code
    WHERE p.birth_year IS NOT NULL AND p.birth_month IS NOT NULL
),
-- Step 1: candidate care-home services; also the history for the 365-day test.
candidates AS (
    SELECT e.la_code, e.person_id, e.record_id, e.event_start_date AS start_date,
           e.der_event_end_date AS end_date,
           lower(trim(e.event_outcome)) AS outcome,
           pp.proxy_birth
    FROM cld_events e
    JOIN compute_councils cc ON cc.la_code = e.la_code
    JOIN people pp ON pp.la_code = e.la_code AND pp.person_id = e.person_id
    WHERE lower(trim(e.event_type)) = 'service'
      AND lower(trim(e.client_type)) = 'service user'
      AND lower(trim(e.service_type)) IN ('long term support: residential care',
                                          'long term support: nursing care')
      AND e.event_start_date IS NOT NULL
      AND (pp.date_of_death IS NULL OR pp.date_of_death >= $period_start)
      AND (e.service_component IS NULL
           OR ((lower(e.service_component) LIKE '%residential%'
                OR lower(e.service_component) LIKE '%nursing%')
               AND lower(e.service_component) NOT LIKE '%short%'))
),
-- Step 2: admissions in the period, less those who went on to self-fund.
admissions AS (
    SELECT c.*
    FROM candidates c
    WHERE c.start_date BETWEEN $period_start AND $period_end
      AND (c.outcome IS NULL OR c.outcome <> 'nfa: self-funded client or under 12wk disregard')
),
-- Step 3: new = no earlier candidate service open, or ended fewer than 365 days before.
new_admissions AS (
    SELECT a.la_code, a.person_id,
           floor(date_diff('day', a.proxy_birth, a.start_date) / 365.25) AS age
    FROM admissions a
    WHERE NOT EXISTS (
        SELECT 1 FROM candidates h
        WHERE h.la_code = a.la_code AND h.person_id = a.person_id
          AND h.start_date < a.start_date
          AND (h.end_date IS NULL OR date_diff('day', h.end_date, a.start_date) < 365))
),
-- Steps 4-5: age at admission; one band a person, the alphabetically smaller (DHSC).
people_counted AS (
    SELECT la_code, person_id,
           min(CASE WHEN age < 65 THEN '18 to 64' ELSE '65 and above' END) AS age_band
    FROM new_admissions
    WHERE age >= 18
    GROUP BY la_code, person_id
),
people_bands AS (
    SELECT la_code, age_band, count(*) AS people FROM people_counted GROUP BY la_code, age_band
),
-- Step 6: ONS mid-year estimate, persons. DHSC's procedure reads one mid-year table whatever
-- the period (its mid-2024 table), so the council's latest mid-year estimate loaded is used
-- for every period (docs/decisions.md, DHSC dashboard 4).
population_year AS (
    SELECT la_code, max(year) AS y FROM population
    WHERE la_code IN (SELECT la_code FROM compute_councils) AND lower(sex) = 'persons'
    GROUP BY la_code
),
population_bands AS (
    SELECT p.la_code, CASE WHEN p.age < 65 THEN '18 to 64' ELSE '65 and above' END AS age_band,
           sum(p.population) AS population
    FROM population p
    JOIN population_year py ON py.la_code = p.la_code AND p.year = py.y
    WHERE lower(p.sex) = 'persons'
      AND p.age >= 18
    GROUP BY p.la_code, CASE WHEN p.age < 65 THEN '18 to 64' ELSE '65 and above' END
),
measures (code, age_band) AS (VALUES ('2B', '18 to 64'), ('2C', '65 and above'))
-- both measures for every council of the run, 0 people when it admitted nobody
SELECT c.la_code, m.code,
       '' AS breakdown,
       coalesce(n.people, 0) AS numerator,
       p.population AS denominator,
       CASE WHEN p.population > 0
            THEN 100000.0 * coalesce(n.people, 0) / p.population END AS value
FROM compute_councils c
CROSS JOIN measures m
LEFT JOIN population_bands p ON p.la_code = c.la_code AND p.age_band = m.age_band
LEFT JOIN people_bands n ON n.la_code = c.la_code AND n.age_band = m.age_band
