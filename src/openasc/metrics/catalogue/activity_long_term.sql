-- ACTIVITY long-term support: people during the period (ACT-LTS-001) and at its end
-- (ACT-LTS-002), each once at the SALT setting hierarchy (salt_long_term_people), by setting
-- and mechanism and by primary support reason; and of people in long-term support for 12
-- months or more at the period end, the share with a review ending in the period
-- (ACT-REV-001).
WITH people AS (
    SELECT CASE scope WHEN 'year' THEN 'ACT-LTS-001' ELSE 'ACT-LTS-002' END AS code, *
    FROM salt_long_term_people WHERE scope IN ('year', 'snapshot')
),
reviewed AS (
    SELECT p.la_code, p.person_id, EXISTS (
        SELECT 1 FROM cld_events r
        WHERE r.la_code = p.la_code AND r.person_id = p.person_id
          AND r.event_type = 'Review' AND r.client_type = 'Service user'
          AND coalesce(r.der_event_end_date, r.event_end_date)
              BETWEEN $period_start AND $period_end) AS was_reviewed
    FROM salt_long_term_people p WHERE p.scope = '12 months'
)
SELECT la_code, code,
       concat_ws(';',
           CASE WHEN grouping(mechanism) = 0 AND mechanism IS NOT NULL
                THEN 'mechanism=' || mechanism END,
           CASE WHEN grouping(psr) = 0 THEN 'psr=' || psr END,
           CASE WHEN grouping(setting) = 0 THEN 'setting=' || setting END) AS breakdown,
       count(DISTINCT person_id) AS numerator, NULL::BIGINT AS denominator
FROM people
GROUP BY GROUPING SETS ((la_code, code), (la_code, code, setting, mechanism),
                        (la_code, code, psr))
UNION ALL
-- every council of the run (0 of 0 without such people)
SELECT c.la_code, 'ACT-REV-001', '', coalesce(r.reviewed, 0), coalesce(r.people, 0)
FROM compute_councils c
LEFT JOIN (SELECT la_code, count(*) FILTER (WHERE was_reviewed) AS reviewed, count(*) AS people
           FROM reviewed GROUP BY la_code) r USING (la_code)
