-- LTS004: working-age (18-64 at the period end) people with long-term support in the period
-- in a nursing, residential or community setting whose primary support reason is learning
-- disability support, by sex and their latest known employment status (part=1) and
-- accommodation status (part=2a settled, 2b not settled or unknown). openasc's method: only
-- salt_method 'corrected' reads it (salt_nhse_lts004.sql), so under 'nhse' no person is
-- derived (the councils' zero rows remain), as the nhse tables are empty under 'corrected'.
WITH lt AS (
    SELECT la_code, person_id, record_id, event_start_date AS s, gender, birth_year, birth_month,
           nullif(employment_status, 'Unknown') AS employment,
           nullif(accommodation_status, 'Unknown') AS accommodation,
           primary_support_reason
    FROM cld_events JOIN compute_councils USING (la_code)
    WHERE $salt_method = 'corrected' AND client_type = 'Service user' AND event_type = 'Service'
      AND service_type IN ('Long term support: Nursing care',
                           'Long term support: Residential care',
                           'Long term support: Community')
      AND event_start_date <= $period_end
      AND (coalesce(der_event_end_date, event_end_date) IS NULL
           OR coalesce(der_event_end_date, event_end_date) >= $period_start)
      AND (date_of_death IS NULL OR date_of_death >= $period_start)
      AND birth_year IS NOT NULL AND birth_month IS NOT NULL
      AND floor(date_diff('day', make_date(birth_year, birth_month, 1), $period_end) / 365.25)
          BETWEEN 18 AND 64
),
latest AS (
    -- The person's most recent long-term service decides their PSR, sex and statuses;
    -- a known status is preferred, and statuses that conflict on that date are Unknown.
    SELECT la_code, person_id,
           arg_max(primary_support_reason, [epoch(s), record_id]) AS psr,
           coalesce(arg_max(gender, [epoch(s), record_id]), 'Unknown') AS sex,
           CASE WHEN count(DISTINCT employment) FILTER (WHERE s = last_known_emp) > 1
                THEN 'Unknown'
                ELSE coalesce(max(employment) FILTER (WHERE s = last_known_emp), 'Unknown')
                END AS employment,
           CASE WHEN count(DISTINCT accommodation) FILTER (WHERE s = last_known_acc) > 1
                THEN 'Unknown'
                ELSE coalesce(max(accommodation) FILTER (WHERE s = last_known_acc), 'Unknown')
                END AS accommodation
    -- (a CASE inside the window's max, not FILTER: Spark has no FILTER on a window)
    FROM (SELECT *, max(CASE WHEN employment IS NOT NULL THEN s END)
                        OVER (PARTITION BY la_code, person_id) AS last_known_emp,
                    max(CASE WHEN accommodation IS NOT NULL THEN s END)
                        OVER (PARTITION BY la_code, person_id) AS last_known_acc
          FROM lt)
    GROUP BY la_code, person_id
),
ld AS (
    -- settled accommodation (part 2a): the specification's `Settled` group (cld_values)
    SELECT *, CASE WHEN accommodation IN (SELECT value FROM cld_values
                                          WHERE list = 'Accommodation_Status'
                                            AND value_group = 'Settled')
              THEN '2a' ELSE '2b' END AS accommodation_part
    FROM latest WHERE psr = 'Learning disability support'
)
-- the total is 0 for a council without such people
SELECT c.la_code, '' AS breakdown, coalesce(n.people, 0) AS numerator
FROM compute_councils c
LEFT JOIN (SELECT la_code, count(*) AS people FROM ld GROUP BY la_code) n USING (la_code)
UNION ALL
SELECT la_code, 'employment=' || employment || ';part=1;sex=' || sex, count(*)
FROM ld GROUP BY la_code, employment, sex
UNION ALL
SELECT la_code,
       'accommodation=' || accommodation || ';part=' || accommodation_part || ';sex=' || sex,
       count(*)
FROM ld GROUP BY la_code, accommodation, accommodation_part, sex
