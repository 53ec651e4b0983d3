-- ASCOF 3D: self-directed support and direct payments, four parts (ascof.md §2.5).
-- Clients (1a, 2a): snapshot of long-term support at the period end date.
-- Carers (1b, 2b): support to unpaid carers at any time in the period.
-- Every council of the run at once: `la_code` keys every person, join and group.
WITH client_rows AS (
    SELECT e.la_code, e.person_id,
           CASE
               WHEN lower(trim(e.service_type)) = 'long term support: nursing care' THEN 1
               WHEN lower(trim(e.service_type)) = 'long term support: residential care' THEN 2
               WHEN lower(trim(e.service_type)) = 'long term support: community' THEN
                   CASE WHEN lower(trim(e.service_component)) = 'direct payment'
                             OR lower(trim(e.delivery_mechanism)) = 'direct payment' THEN 3
                        WHEN lower(trim(e.delivery_mechanism)) = 'cassr managed personal budget'
                            THEN 4
                        WHEN lower(trim(e.delivery_mechanism)) = 'cassr commissioned support'
                            THEN 5
                        ELSE 6 END
               ELSE
                   CASE WHEN lower(trim(e.service_component)) = 'direct payment' THEN 9
                        WHEN lower(trim(e.delivery_mechanism)) = 'cassr managed personal budget'
                            THEN 7
                        WHEN lower(trim(e.delivery_mechanism)) = 'cassr commissioned support'
                            THEN 8
                        ELSE 9 END
           END AS support_rank
    FROM cld_events e
    JOIN compute_councils cc ON cc.la_code = e.la_code
    WHERE lower(trim(e.event_type)) = 'service'
      AND lower(trim(e.client_type)) = 'service user'
      AND lower(trim(e.service_type)) IN (SELECT lower(value) FROM cld_values
                                          WHERE list = 'Service_Type'
                                            AND value_group = 'Long term support')
      AND e.person_id IS NOT NULL
      AND e.event_start_date <= $period_end
      AND (e.der_event_end_date IS NULL OR e.der_event_end_date >= $period_end)
      AND (e.der_event_end_date IS NULL OR e.der_event_end_date >= e.event_start_date)
),
clients AS (
    -- (one cld_people row a person: max, not any_value, which PostgreSQL lacks)
    SELECT c.la_code, c.person_id, min(c.support_rank) AS support_rank,
           floor(date_diff('day', make_date(max(p.birth_year), max(p.birth_month), 1),
                           $period_end) / 365.25) AS age
    FROM client_rows c
    LEFT JOIN cld_people p ON p.la_code = c.la_code AND p.person_id = c.person_id
    WHERE p.date_of_death IS NULL OR p.date_of_death >= $period_end
    GROUP BY c.la_code, c.person_id
),
-- Carers: rank 1 direct payment .. 6 no direct support. A "component is not Direct payment"
-- test is false for a null component, as in the national SQL (decisions.md).
carer_rows AS (
    SELECT e.la_code, e.person_id,
           CASE WHEN e.birth_year IS NOT NULL AND e.birth_month IS NOT NULL
                THEN make_date(e.birth_year, e.birth_month, 1) END AS proxy_birth,
           CASE
               WHEN lower(trim(e.service_type)) = 'unpaid carer support: direct to unpaid carer'
                   THEN CASE
                       WHEN lower(trim(e.delivery_mechanism)) = 'direct payment'
                            OR lower(trim(e.service_component)) = 'direct payment' THEN 1
                       WHEN lower(trim(e.service_component)) <> 'direct payment'
                            AND lower(trim(e.delivery_mechanism))
                                = 'cassr managed personal budget' THEN 2
                       WHEN lower(trim(e.service_component)) <> 'direct payment'
                            AND lower(trim(e.delivery_mechanism))
                                = 'cassr commissioned support' THEN 3
                       WHEN lower(trim(e.service_component)) <> 'direct payment' THEN 4
                   END
               WHEN lower(trim(e.service_type))
                    = 'unpaid carer support: support involving the person cared-for' THEN 6
               WHEN lower(trim(e.event_outcome)) = 'nfa: information and advice or signposting'
                   THEN 5
               WHEN lower(trim(e.event_type)) IN ('assessment', 'review') THEN 6
           END AS support_rank
    FROM cld_events e
    JOIN compute_councils cc ON cc.la_code = e.la_code
    LEFT JOIN cld_people p ON p.la_code = e.la_code AND p.person_id = e.person_id
    WHERE lower(trim(e.client_type)) IN ('unpaid carer', 'unpaid carer known by association')
      AND e.person_id IS NOT NULL
      AND e.event_start_date <= $period_end
      AND (e.der_event_end_date IS NULL OR e.der_event_end_date >= $period_start)
      AND (p.date_of_death IS NULL OR p.date_of_death >= $period_start)
      AND (lower(trim(e.service_type)) IN (
               SELECT lower(value) FROM cld_values
               WHERE list = 'Service_Type' AND value_group = 'Unpaid carer support')
           OR (e.service_type IS NULL
               AND lower(trim(e.event_type)) IN ('assessment', 'review'))
           OR (e.service_type IS NULL
               AND lower(trim(e.event_outcome)) = 'nfa: information and advice or signposting'))
),
carers AS (
    SELECT la_code, person_id, min(support_rank) AS support_rank,
           floor(date_diff('day', max(proxy_birth), $period_end) / 365.25) AS age
    FROM carer_rows
    WHERE support_rank IS NOT NULL
    GROUP BY la_code, person_id
),
counted AS (
    SELECT la_code, 'client' AS who, support_rank, age FROM clients
    UNION ALL
    SELECT la_code, 'carer', support_rank, age FROM carers
),
banded AS (
    SELECT la_code, who, support_rank,
           CASE WHEN age IS NULL THEN NULL
                WHEN age < 65 THEN '18 to 64' ELSE '65 and above' END AS age_band
    FROM counted
    WHERE age IS NULL OR age >= 18
),
parts (part, who, top_rank, low_rank, high_rank) AS (
    -- numerator ranks 1..top_rank (clients offset: ranks 3..), denominator low..high
    VALUES ('1a', 'client', 4, 3, 6), ('2a', 'client', 3, 3, 6),
           ('1b', 'carer', 2, 1, 3), ('2b', 'carer', 1, 1, 3)
),
bands (age_band) AS (VALUES (NULL), ('18 to 64'), ('65 and above'))
-- every part and band for every council of the run (0 of 0 where it has nobody)
SELECT c.la_code, '3D' AS code,
       coalesce('age_band=' || b.age_band || ';', '') || 'part=' || p.part AS breakdown,
       count(CASE WHEN x.support_rank <= p.top_rank THEN 1 END) AS numerator,
       count(x.who) AS denominator,
       CASE WHEN count(x.who) > 0
            THEN 100.0 * count(CASE WHEN x.support_rank <= p.top_rank THEN 1 END)
                 / count(x.who) END AS value
FROM compute_councils c
CROSS JOIN parts p
CROSS JOIN bands b
LEFT JOIN banded x
  ON x.la_code = c.la_code
 AND x.who = p.who
 AND x.support_rank BETWEEN p.low_rank AND p.high_rank
 AND (b.age_band IS NULL OR x.age_band = b.age_band)
GROUP BY c.la_code, p.part, b.age_band
UNION ALL
-- DHSC's unknowns (3D-UNKNOWN): clients whose support at the snapshot is long-term community
-- support with no known delivery mechanism and no direct payment component (rank 6); they
-- stay in part 1a's and 2a's denominators.
SELECT c.la_code, '3D-UNKNOWN', '', count(x.la_code), NULL, count(x.la_code)
FROM compute_councils c
LEFT JOIN banded x ON x.la_code = c.la_code AND x.who = 'client' AND x.support_rank = 6
GROUP BY c.la_code
