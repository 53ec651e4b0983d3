-- LTS002a: unplanned reviews in the period of people in LTS001a, by reason (significant
-- event), setting and age band; plus planned reviews followed, by the period end, by a
-- nursing or residential service starting after the review (what_next). LTS002b: unplanned and
-- planned reviews of people in LTS001c. Reviews: service-user reviews (method of review
-- `Service user only` or `Service user and unpaid carer`) ending in the period.
WITH reviews AS (
    SELECT r.la_code, r.person_id, r.record_id, r.review_reason AS reason,
           coalesce(r.der_event_end_date, r.event_end_date) AS e
    FROM cld_events r JOIN compute_councils USING (la_code)
    WHERE r.client_type = 'Service user'
      AND r.event_type = 'Review'
      AND r.method_of_review IN ('Service user only', 'Service user and unpaid carer')
      AND coalesce(r.der_event_end_date, r.event_end_date) BETWEEN $period_start AND $period_end
),
admissions AS (
    SELECT la_code, person_id, event_start_date AS s, service_type
    FROM cld_events JOIN compute_councils USING (la_code)
    WHERE event_type = 'Service'
      AND service_type IN ('Long term support: Nursing care',
                           'Long term support: Residential care')
      AND event_start_date <= $period_end
),
counted AS (
    SELECT p.la_code, p.scope, p.age_band,
           CASE WHEN p.setting IN ('Nursing', 'Residential') THEN 'Nursing or residential'
                ELSE p.setting END AS setting,
           v.record_id, v.reason,
           (SELECT min(a.service_type) FROM admissions a
             WHERE a.la_code = v.la_code AND a.person_id = v.person_id AND a.s > v.e)
               AS admitted_to
    FROM reviews v
    JOIN salt_long_term_people p ON p.la_code = v.la_code AND p.person_id = v.person_id
         AND p.scope IN ('year', '12 months')
),
kept AS (
    SELECT la_code, CASE scope WHEN 'year' THEN 'LTS002a' ELSE 'LTS002b' END AS code, age_band,
           setting, reason, record_id,
           CASE WHEN reason = 'Planned' THEN admitted_to END AS what_next
    FROM counted
    WHERE reason LIKE 'Unplanned:%'
       OR (reason = 'Planned' AND scope = '12 months')
       OR (reason = 'Planned' AND scope = 'year' AND admitted_to IS NOT NULL)
)
SELECT la_code, code,
       concat_ws(';',
           CASE WHEN grouping(age_band) = 0 THEN 'age_band=' || age_band END,
           CASE WHEN grouping(reason) = 0 THEN 'reason=' || reason END,
           CASE WHEN grouping(setting) = 0 THEN 'setting=' || setting END,
           CASE WHEN grouping(what_next) = 0 AND what_next IS NOT NULL
                THEN 'what_next=' || what_next END) AS breakdown,
       count(DISTINCT record_id) AS numerator
FROM kept
GROUP BY GROUPING SETS ((la_code, code), (la_code, code, reason, what_next),
                        (la_code, code, age_band, setting, reason, what_next))
