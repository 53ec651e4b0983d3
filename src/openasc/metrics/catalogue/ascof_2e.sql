-- ASCOF 2E: people receiving long-term support who live in their own home or with family,
-- and its learning-disability variant 2E-LD (legacy 1G). Method: ascof.md §2.4.
-- Published by age band only (no all-age row); each band by sex and total.
-- Service types, their setting rank and the settled accommodation statuses come from
-- `cld_values` (the CLD specification's lists in the warehouse), compared lower-cased.
-- Every council of the run at once: `la_code` keys every person, window, join and group.
WITH service_types AS (
    SELECT lower(value) AS service_type, value_rank AS type_rank, value_group AS type_group
    FROM cld_values WHERE list = 'Service_Type'
),
settled_statuses AS (
    SELECT lower(value) AS accommodation FROM cld_values
    WHERE list = 'Accommodation_Status' AND value_group = 'Settled'
),
long_term AS (
    SELECT e.la_code, e.person_id,
           e.event_start_date AS start_date,
           coalesce(e.der_event_end_date, DATE '9999-01-01') AS end_date
    FROM cld_events e
    JOIN compute_councils cc ON cc.la_code = e.la_code
    WHERE lower(trim(e.event_type)) = 'service'
      AND lower(trim(e.client_type)) = 'service user'
      AND lower(trim(e.service_type)) IN (SELECT service_type FROM service_types
                                          WHERE type_group = 'Long term support')
      AND e.person_id IS NOT NULL
      AND e.event_start_date IS NOT NULL
      AND (e.der_event_end_date IS NULL OR e.der_event_end_date >= e.event_start_date)
      AND e.event_start_date <= $period_end
      AND (e.der_event_end_date IS NULL OR e.der_event_end_date >= $period_start)
),
-- Steps 1-3: the cohort, its age at the latest LTS end capped at the period end.
cohort AS (
    SELECT l.la_code, l.person_id,
           least(max(l.end_date), $period_end) AS age_date
    FROM long_term l
    GROUP BY l.la_code, l.person_id
),
people AS (
    SELECT c.la_code, c.person_id,
           p.gender,
           lower(trim(p.primary_support_reason)) AS support_reason,
           lower(trim(p.accommodation_status)) AS accommodation,
           floor(date_diff('day', make_date(p.birth_year, p.birth_month, 1), c.age_date)
                 / 365.25) AS age
    FROM cohort c
    JOIN cld_people p ON p.la_code = c.la_code AND p.person_id = c.person_id
    WHERE p.date_of_death IS NULL OR p.date_of_death >= $period_start
),
-- Step 4: where the latest known status is unknown, derive one from the latest service(s):
-- ranked by latest end (open first), then setting rank, then a mappable component, then
-- latest start. The ranking is one BIGINT per service, larger = ranked first (days from
-- 0001-01-01 fit 22 bits, the setting rank 4, the mappable flag 1), and the latest
-- services are those whose key is the person's largest: a grouped max and a join, where a
-- rank() window sorted every service of every person.
services AS (
    SELECT e.la_code, e.person_id,
           lower(trim(e.service_type)) AS service_type,
           lower(trim(e.service_component)) AS component,
           coalesce(t.type_rank, 8) AS type_rank,
           lower(trim(e.service_component)) IN ('shared lives', 'community supported living',
                                                'extra care housing',
                                                'home support or domiciliary care')
               AS mappable,
           ((CAST(date_diff('day', DATE '0001-01-01',
                            coalesce(e.der_event_end_date, DATE '9999-01-01')) AS BIGINT) * 16
             + 15 - coalesce(t.type_rank, 8)) * 2
            + CASE WHEN lower(trim(e.service_component)) IN (
                        'shared lives', 'community supported living', 'extra care housing',
                        'home support or domiciliary care') THEN 1 ELSE 0 END) * 4194304
           + date_diff('day', DATE '0001-01-01',
                       coalesce(e.event_start_date, DATE '0001-01-01')) AS k
    FROM cld_events e
    JOIN cohort co ON co.la_code = e.la_code AND co.person_id = e.person_id
    LEFT JOIN service_types t ON t.service_type = lower(trim(e.service_type))
    WHERE lower(trim(e.event_type)) = 'service'
),
latest_services AS (
    SELECT s.la_code, s.person_id,
           CASE WHEN count(DISTINCT CASE WHEN s.type_rank <= 7 THEN s.service_type END) = 1
                THEN max(CASE WHEN s.type_rank <= 7 THEN s.service_type END) END
               AS service_type,
           CASE WHEN count(DISTINCT CASE WHEN s.mappable THEN s.component END) = 1
                THEN max(CASE WHEN s.mappable THEN s.component END) END AS component
    FROM services s
    JOIN (SELECT la_code, person_id, max(k) AS k FROM services GROUP BY la_code, person_id) top
      ON top.la_code = s.la_code AND top.person_id = s.person_id AND top.k = s.k
    GROUP BY s.la_code, s.person_id
),
derived AS (
    SELECT la_code, person_id,
           CASE
               WHEN service_type = 'long term support: nursing care'
                   THEN 'registered nursing home'
               WHEN service_type = 'long term support: residential care'
                   THEN 'registered care home'
               WHEN component = 'shared lives' THEN 'shared lives scheme'
               WHEN component = 'extra care housing'
                   THEN 'sheltered housing, extra care housing or other sheltered housing'
               WHEN component = 'community supported living'
                   THEN 'supported accommodation, supported lodgings or supported group home'
               WHEN service_type = 'long term support: community'
                    AND component = 'home support or domiciliary care'
                   THEN 'unknown: presumed at home'
               WHEN service_type = 'long term support: community'
                   THEN 'unknown: presumed in community'
               WHEN service_type = 'long term support: prison'
                   THEN 'prison, young offenders institution or detention centre'
               ELSE 'unknown'
           END AS accommodation
    FROM latest_services
),
statuses AS (
    SELECT p.la_code, p.person_id, p.gender, p.support_reason, p.age,
           CASE WHEN p.accommodation IS NULL
                     OR p.accommodation IN ('', 'unknown', 'invalid and not mapped')
                THEN coalesce(d.accommodation, 'unknown')
                ELSE p.accommodation END AS accommodation
    FROM people p
    LEFT JOIN derived d ON d.la_code = p.la_code AND d.person_id = p.person_id
),
-- Step 5: settled statuses make the numerator; unknown age is in no published row.
classified AS (
    SELECT s.*,
           CASE WHEN s.age < 65 THEN '18 to 64' ELSE '65 and above' END AS age_band,
           CASE WHEN s.accommodation IN (SELECT accommodation FROM settled_statuses)
                     OR s.accommodation = 'unknown: presumed at home'
                THEN 1 ELSE 0 END AS settled,
           CASE lower(trim(s.gender)) WHEN 'male' THEN 'Male'
                                      WHEN 'female' THEN 'Female' END AS sex
    FROM statuses s
    WHERE s.age >= 18
),
rows_wanted (code, age_band, sex) AS (
    VALUES ('2E', '18 to 64', NULL), ('2E', '18 to 64', 'Female'),
           ('2E', '18 to 64', 'Male'), ('2E', '65 and above', NULL),
           ('2E', '65 and above', 'Female'), ('2E', '65 and above', 'Male'),
           ('2E-LD', '18 to 64', NULL), ('2E-LD', '18 to 64', 'Female'),
           ('2E-LD', '18 to 64', 'Male')
),
-- DHSC's unknowns (2E-UNKNOWN): people in 2E's denominator whose accommodation is still
-- unknown or only presumed from their services, or not a value of the list.
unknowns AS (
    SELECT c.la_code, count(DISTINCT c.person_id) AS people
    FROM classified c
    WHERE c.accommodation LIKE 'unknown%'
       OR c.accommodation NOT IN (SELECT lower(value) FROM cld_values
                                  WHERE list = 'Accommodation_Status')
    GROUP BY c.la_code
)
-- every published row for every council of the run (0 of 0 where it has nobody)
SELECT l.la_code, w.code,
       'age_band=' || w.age_band || coalesce(';sex=' || w.sex, '') AS breakdown,
       coalesce(sum(c.settled), 0) AS numerator,
       count(c.person_id) AS denominator,
       CASE WHEN count(c.person_id) > 0
            THEN 100.0 * sum(c.settled) / count(c.person_id) END AS value
FROM compute_councils l
CROSS JOIN rows_wanted w
LEFT JOIN classified c
  ON c.la_code = l.la_code
 AND c.age_band = w.age_band
 AND (w.sex IS NULL OR c.sex = w.sex)
 AND (w.code = '2E' OR c.support_reason = 'learning disability support')
GROUP BY l.la_code, w.code, w.age_band, w.sex
UNION ALL
SELECT l.la_code, '2E-UNKNOWN', '', coalesce(u.people, 0), NULL, coalesce(u.people, 0)
FROM compute_councils l
LEFT JOIN unknowns u ON u.la_code = l.la_code
