-- LTS003: unpaid carers supported in the period, each once at the highest support category
-- (sac-dols-salt.md C5 carer support mapping), in all, by support and by the carer's age band.
WITH carer_events AS (
    SELECT la_code, person_id, birth_year, birth_month,
           CASE
               WHEN event_type = 'Service'
                    AND service_type = 'Unpaid carer support: Direct to unpaid carer' THEN
                   CASE delivery_mechanism WHEN 'Direct payment' THEN 1
                       WHEN 'CASSR managed personal budget' THEN 2
                       WHEN 'CASSR commissioned support' THEN 3 ELSE 4 END
               WHEN event_type = 'Service'
                    AND service_type = 'Unpaid carer support: Support involving the person cared-for'
                   THEN 6
               WHEN event_type = 'Request' THEN 5
               WHEN event_type IN ('Assessment', 'Review')
                    AND event_outcome = 'NFA: Information and advice or signposting' THEN 5
               WHEN event_type IN ('Assessment', 'Review') THEN 6 END AS support_rank
    FROM cld_events JOIN compute_councils USING (la_code)
    WHERE $salt_method = 'corrected'
      AND client_type IN ('Unpaid carer', 'Unpaid carer known by association')
      AND event_start_date <= $period_end
      AND (coalesce(der_event_end_date, event_end_date) IS NULL
           OR coalesce(der_event_end_date, event_end_date) >= $period_start)
      AND (date_of_death IS NULL OR date_of_death >= $period_start)
),
imports AS (
    -- salt_method 'nhse': NHS England's LTS003 code ("SALT LTS003/LTS003 replication
    -- code.txt"): the last whole submission (as LTS001, salt_long_term_people.sql), by type
    -- of support only (its product), and only these events: requests and other events
    -- without a service type whose outcome is information and advice; carer services;
    -- assessments and reviews without a service type. A carer request with another
    -- outcome is not counted (openasc's 'corrected' counts every carer request as
    -- information and advice).
    SELECT r.la_code, s.submitted_on
    FROM cld_records r JOIN cld_submissions s USING (submission_id)
    JOIN compute_councils cc ON cc.la_code = r.la_code
    WHERE $salt_method = 'nhse'
    GROUP BY r.la_code, s.submitted_on
    HAVING min(r.reporting_period_start_date) <= $period_start
       AND max(r.reporting_period_end_date) >= $period_end AND s.submitted_on > $period_end
),
latest_import AS (
    SELECT la_code, max(submitted_on) AS submitted_on FROM imports GROUP BY la_code
),
nhse_rows AS (
    SELECT r.* FROM cld_records r JOIN cld_submissions s USING (submission_id)
    JOIN latest_import i ON i.la_code = r.la_code AND i.submitted_on = s.submitted_on
    WHERE r.client_type IN ('Unpaid carer', 'Unpaid carer known by association')
      AND r.event_start_date <= $period_end
      AND (r.event_end_date >= $period_start OR r.event_end_date IS NULL)
      AND (r.date_of_death >= $period_start OR r.date_of_death IS NULL)
      AND r.event_type IN ('Request', 'Assessment', 'Service', 'Review')
      AND ((r.service_type IS NULL
            AND r.event_outcome = 'NFA: Information and advice or signposting')
           OR r.service_type IN (SELECT value FROM cld_values WHERE list = 'Service_Type'
                                 AND value_group = 'Unpaid carer support')
           OR (r.event_type IN ('Assessment', 'Review') AND r.service_type IS NULL))
),
nhse_ranked AS (
    -- the code's person (NHS number, else a council ID never paired with one) and support
    -- rank; an event none of its cases names (a service without a type) has no rank
    SELECT la_code, coalesce(nhs_number_pseudo, la_person_pseudo) AS person,
           CASE
               WHEN service_type = 'Unpaid carer support: Direct to unpaid carer' THEN
                   CASE delivery_mechanism WHEN 'Direct payment' THEN 1
                       WHEN 'CASSR managed personal budget' THEN 2
                       WHEN 'CASSR commissioned support' THEN 3 ELSE 4 END
               WHEN service_type = 'Unpaid carer support: Support involving the person cared-for'
                   THEN 6
               WHEN event_type IN ('Assessment', 'Review')
                    AND event_outcome = 'NFA: Information and advice or signposting' THEN 5
               WHEN event_type IN ('Assessment', 'Review') THEN 6
               WHEN event_type = 'Request' THEN 5 END AS support_rank
    FROM nhse_rows n
    WHERE nhs_number_pseudo IS NOT NULL
       OR NOT EXISTS (SELECT 1 FROM nhse_rows p
                      WHERE p.la_code = n.la_code AND p.la_person_pseudo = n.la_person_pseudo
                        AND p.nhs_number_pseudo IS NOT NULL)
),
nhse_carers AS (
    SELECT la_code, person,
           CASE min(support_rank) WHEN 1 THEN 'Direct Payment only'
               WHEN 2 THEN 'CASSR Managed Personal Budget'
               WHEN 3 THEN 'CASSR Commissioned Support only'
               WHEN 4 THEN 'Support Direct to Carer: Unknown Delivery Mech'
               WHEN 5 THEN 'Information, Advice and Other Universal Services / Signposting'
               ELSE 'No Direct Support Provided to Carer' END AS support
    FROM nhse_ranked GROUP BY la_code, person HAVING min(support_rank) IS NOT NULL
),
carers AS (
    SELECT la_code, person_id, min(support_rank) AS support_rank,
           min(birth_year) AS birth_year, min(birth_month) AS birth_month
    FROM carer_events WHERE support_rank IS NOT NULL GROUP BY la_code, person_id
),
labelled AS (
    SELECT la_code, person_id,
           CASE support_rank WHEN 1 THEN 'Direct Payment only'
               WHEN 2 THEN 'CASSR Managed Personal Budget'
               WHEN 3 THEN 'CASSR Commissioned Support only'
               WHEN 4 THEN 'Support Direct to Carer: Unknown Delivery Mech'
               WHEN 5 THEN 'Information, Advice and Other Universal Services / Signposting'
               ELSE 'No Direct Support Provided to Carer' END AS support,
           CASE WHEN birth_year IS NULL OR birth_month IS NULL THEN 'Unknown'
                WHEN floor(date_diff('day', make_date(birth_year, birth_month, 1),
                                     $period_end) / 365.25) < 18 THEN 'Under 18'
                WHEN floor(date_diff('day', make_date(birth_year, birth_month, 1),
                                     $period_end) / 365.25) < 65 THEN '18 to 64'
                ELSE '65 and above' END AS age_band
    FROM carers
)
-- the total for every council of the run (0 without carers), under either method
SELECT c.la_code, '' AS breakdown, coalesce(n.carers, 0) AS numerator
FROM compute_councils c
LEFT JOIN (SELECT la_code, count(*) AS carers FROM labelled GROUP BY la_code
           UNION ALL
           SELECT la_code, count(DISTINCT person) FROM nhse_carers GROUP BY la_code) n
       USING (la_code)
UNION ALL
SELECT la_code,
       concat_ws(';',
           CASE WHEN grouping(age_band) = 0 THEN 'age_band=' || age_band END,
           'support=' || support),
       count(*)
FROM labelled
GROUP BY GROUPING SETS ((la_code, support), (la_code, age_band, support))
UNION ALL
SELECT la_code, 'support=' || support, count(DISTINCT person)
FROM nhse_carers
GROUP BY la_code, support
