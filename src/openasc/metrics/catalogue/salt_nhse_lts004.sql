-- LTS004, both methods: salt_lts004.sql's rows under 'corrected' (prepare table
-- salt_lts004_corrected); under 'nhse' (the default) NHS England's published LTS004 code,
-- quirks included ("Lnnn": line of "SALT LTS004/LTS004 replication code.txt";
-- docs/decisions.md "SALT: LTS001b tables 2 and 3, LTS004"): only service rows whose own
-- PSR is learning disability support, prison included (6); statuses from the rows of the
-- person's latest start with a valid status (7); a person of two genders counts in both
-- (8); people with no valid status at all are `NULL/Invalid` (9). Cells: employment status
-- (part 1), settled (2a) and other (2b, with the NULL/Invalid count) accommodation, by sex;
-- the headline is the code's cohort (#LTS004_Raw), which it does not print. The code's
-- lists are the specification's, restated in R2 spelling (cld_values).
WITH build AS (
    -- L156-178: long-term service rows (prison too) whose PSR is learning disability
    -- support, in the period, alive at its start, 18-64 at its end
    SELECT la_code, nhs_number_pseudo, la_person_pseudo, event_start_date, gender,
           employment_status, accommodation_status
    FROM salt_nhse_lts_rows
    WHERE event_type = 'Service'
      AND service_type IN ('Long term support: Nursing care', 'Long term support: Residential care',
                           'Long term support: Community', 'Long term support: Prison')
      AND client_type = 'Service user'
      AND primary_support_reason = 'Learning disability support'
      AND event_start_date <= $period_end
      AND (event_end_date >= $period_start OR event_end_date IS NULL)
      AND (date_of_death >= $period_start OR date_of_death IS NULL)
      AND birth_month IS NOT NULL AND birth_year IS NOT NULL
      AND floor(date_diff('day', make_date(birth_year, birth_month, 1), $period_end) / 365.25)
          BETWEEN 18 AND 64
),
person_rows AS (
    -- L186-231: the NHS number, else the council's ID when no row of this subset pairs it
    -- with an NHS number; rows with neither are dropped
    SELECT b.*, coalesce(b.nhs_number_pseudo, b.la_person_pseudo) AS person
    FROM build b
    WHERE b.nhs_number_pseudo IS NOT NULL
       OR b.la_person_pseudo IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM build p
                          WHERE p.la_code = b.la_code AND p.nhs_number_pseudo IS NOT NULL
                            AND p.la_person_pseudo = b.la_person_pseudo)
),
statuses AS (
    -- Tables 1 (employment, L249-270) and 2 (accommodation, L388-407) run the same steps;
    -- `valid`: the status is in the code's list (else the table's NULL/Invalid count)
    SELECT 'employment' AS tab, la_code, person, coalesce(gender, 'NULL') AS sex,
           event_start_date, employment_status AS status,
           coalesce(employment_status IN (SELECT value FROM cld_values
                                          WHERE list = 'Employment_Status'), false) AS valid,
           CASE WHEN employment_status = 'Unknown' OR employment_status IS NULL THEN 0
                ELSE 1 END AS known
    FROM person_rows
    UNION ALL
    SELECT 'accommodation', la_code, person, coalesce(gender, 'NULL'), event_start_date,
           accommodation_status,
           coalesce(accommodation_status IN (SELECT value FROM cld_values
                                             WHERE list = 'Accommodation_Status'), false),
           CASE WHEN accommodation_status = 'Unknown' OR accommodation_status IS NULL THEN 0
                ELSE 1 END
    FROM person_rows
),
latest AS (
    -- L282-296, L416-430: the rows of the person's latest start among valid statuses ...
    SELECT * FROM (SELECT *, max(event_start_date) OVER (PARTITION BY tab, la_code, person)
                                 AS last_start
                   FROM statuses WHERE valid) t
    WHERE event_start_date = last_start
),
latest_known AS (
    -- L300-320, L434-454: ... of those a known status if there is one
    SELECT * FROM (SELECT tab, la_code, person, sex, status, known,
                          max(known) OVER (PARTITION BY tab, la_code, person) AS best
                   FROM latest) t
    WHERE known = best
),
final AS (
    -- L324-349, L457-478: per person and gender, statuses that still conflict are Unknown
    SELECT tab, la_code, person, sex,
           CASE WHEN count(DISTINCT status) = 1 THEN min(status) ELSE 'Unknown' END AS status
    FROM latest_known
    GROUP BY tab, la_code, person, sex
    UNION ALL
    -- L366-377, L519-531: people with no valid status in the table, by gender
    SELECT DISTINCT tab, la_code, person, sex, 'NULL/Invalid'
    FROM statuses s
    WHERE NOT valid
      AND NOT EXISTS (SELECT 1 FROM statuses v
                      WHERE v.valid AND v.tab = s.tab AND v.la_code = s.la_code
                        AND v.person = s.person)
)
SELECT la_code, breakdown, numerator
FROM salt_lts004_corrected
WHERE $salt_method = 'corrected'
UNION ALL
SELECT la_code,
       CASE WHEN tab = 'employment' THEN 'employment=' || status || ';part=1'
            -- L484-516: settled (group 1) is 2a, the rest 2b
            WHEN status IN (SELECT value FROM cld_values
                            WHERE list = 'Accommodation_Status' AND value_group = 'Settled')
                THEN 'accommodation=' || status || ';part=2a'
            ELSE 'accommodation=' || status || ';part=2b' END || ';sex=' || sex AS breakdown,
       count(DISTINCT person) AS numerator
FROM final
GROUP BY la_code, tab, status, sex
UNION ALL
SELECT c.la_code, '', count(DISTINCT p.person)
FROM compute_councils c LEFT JOIN person_rows p ON p.la_code = c.la_code
WHERE $salt_method = 'nhse'
GROUP BY c.la_code
