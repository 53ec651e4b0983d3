-- STS001 as NHS England's published replication code derives it (salt_method = 'nhse';
-- docs/decisions.md "SALT: NHS England's published code"). One row per row the code's
-- final #STS001 table would hold (kind 'request': the code can give one request two rows
-- or none, and so can this), and one row per ST-Max start of its STS002a cohort (kind
-- 'st_max_cohort'). "Code Lnnn" cites "SALT STS001/STS001 replication code.txt".
-- The code's R1 outcome lists are restated in R2 labels (the CLD specification's R1 -> R2
-- map); outcomes that the code spells differently from the data, or that R2 added, find no
-- entry, as they do in the code.
WITH hierarchy(outcome, rank) AS (
    -- Code L85-114. 'NFA - 100% NHS-funded care', 'NFA - Support ended – other reason' and
    -- 'NFA - No services offered - other reason' are misspelt there and never match: their
    -- R2 outcomes rank 99 with everything unlisted.
    VALUES ('Progress to reablement/ST-Max', 1),
           ('Progress to assessment, review or reassessment', 2),
           ('Admitted to hospital', 3),
           ('Progress to support planning or services', 5),
           ('Continuation of support or services', 7),
           ('NFA: Support ended as planned', 8),
           ('NFA: Deceased', 11),
           ('NFA: Responsibility moved to another local authority', 12),
           ('NFA: Information and advice or signposting', 14),
           ('NFA: Self-funded client or under 12wk disregard', 15),
           ('NFA: Support declined', 16),
           ('NFA: Other', 19)
),
sequel_map(outcome, nfa, column_label) AS (
    -- Code L20-50: nfa = Mapping_Code 1. No entry for the R2-only outcome 'NFA: Referral to
    -- other service within the local authority' (nor for R1's 'Progress to End of Life
    -- Care', which R2 files cannot carry).
    VALUES ('Progress to reablement/ST-Max', false, 'Unable to classify'),
           ('Progress to assessment, review or reassessment', false, 'Unable to classify'),
           ('Admitted to hospital', false, 'Unable to classify'),
           ('Progress to support planning or services', false, 'Unable to classify'),
           ('Continuation of support or services', false, 'Unable to classify'),
           ('NFA: Support ended as planned', false, 'Unable to classify'),
           ('NFA: Responsibility moved to another local authority', true,
            'No Services Provided – other reason'),
           ('NFA: Referral to NHS services or NHS funded social care', true,
            '100% NHS Funded Care'),
           ('NFA: Self-funded client or under 12wk disregard', true,
            'No Services Provided – other reason'),
           ('NFA: Support declined', true, 'No Services Provided – other reason'),
           ('NFA: Information and advice or signposting', true,
            'Universal Services/ Signposted to other services'),
           ('NFA: Deceased', true, 'No Services Provided – Deceased'),
           ('NFA: No services offered for other reason', true,
            'No Services Provided – other reason'),
           ('NFA: Support ended for other reason', true, 'No Services Provided – other reason'),
           ('NFA: Other', true, 'No Services Provided – other reason')
),
service_rank(service_type, rank) AS (
    -- Code L58-77
    VALUES ('Short term support: ST-Max', 1), ('Long term support: Nursing care', 2),
           ('Long term support: Residential care', 3), ('Long term support: Community', 4),
           ('Long term support: Prison', 5), ('Short term support: Ongoing low level', 6),
           ('Short term support: Other short term', 7)
),
rows_in AS (
    -- Code L133-144: every submission's rows (the code reads the stacked raw table), no
    -- age limit; people with no birth month or year, or dead before the period, left out.
    SELECT r.la_code, r.record_id, r.nhs_number_pseudo, r.la_person_pseudo, r.event_type,
           r.event_start_date AS s, r.event_end_date AS e, r.event_outcome AS outcome,
           r.request_route_of_access AS route, r.service_type, r.service_component,
           r.delivery_mechanism, s.submitted_on,
           floor(date_diff('day', make_date(r.birth_year, r.birth_month, 1), $period_end)
                 / 365.25) AS age
    FROM cld_records r JOIN cld_submissions s USING (submission_id)
    JOIN compute_councils cc ON cc.la_code = r.la_code
    WHERE $salt_method = 'nhse'
      AND r.event_type IN ('Service', 'Request', 'Review', 'Assessment')
      AND r.event_start_date <= $period_end
      AND r.birth_month IS NOT NULL AND r.birth_year IS NOT NULL
      AND (r.date_of_death >= $period_start OR r.date_of_death IS NULL)
      AND r.client_type = 'Service user'
),
paired AS (
    -- the council IDs this subset pairs with an NHS number
    SELECT DISTINCT la_code, la_person_pseudo FROM rows_in
    WHERE nhs_number_pseudo IS NOT NULL AND la_person_pseudo IS NOT NULL
),
identified AS (
    -- Code L152-198: the NHS number, else the council's ID when no row of this subset pairs
    -- it with an NHS number; rows with neither are dropped.
    SELECT *, coalesce(nhs_number_pseudo, la_person_pseudo) AS person,
           CASE WHEN event_type = 'Request' THEN coalesce(route, '')
                WHEN event_type = 'Service'
                    THEN concat(service_type, service_component, delivery_mechanism) END
               AS import_key
    FROM rows_in n
    WHERE nhs_number_pseudo IS NOT NULL
       OR NOT EXISTS (SELECT 1 FROM paired p
                      WHERE p.la_code = n.la_code AND p.la_person_pseudo = n.la_person_pseudo)
),
latest AS (
    -- the latest import of each request and service (its key without the end date)
    SELECT la_code, person, event_type, s, import_key, max(submitted_on) AS submitted_on
    FROM identified WHERE event_type IN ('Request', 'Service')
    GROUP BY la_code, person, event_type, s, import_key
),
events AS (
    -- Code L212-285: requests and services in their latest import only (keyed without the
    -- end date); assessments and reviews from every import.
    SELECT * FROM identified WHERE event_type NOT IN ('Request', 'Service')
    UNION ALL
    SELECT i.* FROM identified i
    JOIN latest l ON l.la_code = i.la_code AND l.person IS NOT DISTINCT FROM i.person
     AND l.event_type = i.event_type AND l.s = i.s AND l.import_key = i.import_key
     AND l.submitted_on = i.submitted_on
),
requests AS (
    -- Code L302-360: an open request ends "today" (any day after the data); a request
    -- joins the cluster when it starts no more than 4 days after the previous request
    -- (ordered by start, then end) ended.
    SELECT DISTINCT la_code, person, age, s, coalesce(e, DATE '9999-12-31') AS e, route,
           outcome, island
    FROM (SELECT *, sum(new_island) OVER (PARTITION BY la_code, person ORDER BY step) AS island
          FROM (SELECT *, dense_rank() OVER (PARTITION BY la_code, person
                                             ORDER BY s, coalesce(e, DATE '9999-12-31'))
                              AS step,
                       CASE WHEN lag(coalesce(e, DATE '9999-12-31')) OVER (
                                     PARTITION BY la_code, person
                                     ORDER BY s, coalesce(e, DATE '9999-12-31'))
                                 >= s - INTERVAL 4 DAY THEN 0 ELSE 1 END AS new_island
                FROM events WHERE event_type = 'Request'))
),
clusters AS (
    -- Code L372-384: the cluster ends on its latest end inside the period (a later end
    -- outside it is ignored); every request row ending that day is kept.
    SELECT DISTINCT la_code, person, age, cl_start, e AS cl_end, route, outcome, island
    FROM (SELECT *, min(s) OVER (PARTITION BY la_code, person, island) AS cl_start
          FROM requests)
    WHERE e BETWEEN $period_start AND $period_end
    QUALIFY e = max(e) OVER (PARTITION BY la_code, person, island)
),
new_clients AS (
    -- Code L395-454: a cluster starting inside a long-term service is an existing client's;
    -- the code matches on route and outcome too, so a row with either blank stays "new".
    SELECT c.* FROM clusters c
    WHERE c.route IS NULL OR c.outcome IS NULL OR NOT EXISTS (
        SELECT 1 FROM events l
        WHERE l.la_code = c.la_code AND l.person = c.person
          AND l.service_type LIKE 'Long term support:%'
          AND (c.cl_start BETWEEN l.s AND l.e OR (l.e IS NULL AND c.cl_start >= l.s)))
),
ranked AS (
    SELECT c.*, coalesce(h.rank, 99) AS rank
    FROM new_clients c LEFT JOIN hierarchy h ON h.outcome = c.outcome
),
chosen AS (
    -- Code L482-494: rows at the cluster's best outcome rank, each repeated once for every
    -- such row with the same route (the code's join); a blank route matches none.
    SELECT a.* FROM ranked a
    JOIN ranked b ON b.la_code = a.la_code AND b.person = a.person AND b.island = a.island
     AND b.route = a.route AND b.rank = a.rank
    WHERE a.rank = (SELECT min(rank) FROM ranked m
                    WHERE m.la_code = a.la_code AND m.person = a.person AND m.island = a.island)
),
later AS (
    -- Code L510-530: every event starting on or after the cluster end, numbered by start
    -- day; requests sharing the cluster's start or end dropped after the numbering.
    SELECT * FROM (
        SELECT c.*, v.record_id, v.event_type AS v_type, v.s AS v_s, v.e AS v_e,
               v.outcome AS v_outcome, v.service_type AS v_service,
               dense_rank() OVER (PARTITION BY c.la_code, c.person, c.island ORDER BY v.s)
                   AS day_no
        FROM chosen c
        JOIN events v ON v.la_code = c.la_code AND v.person = c.person AND v.s >= c.cl_end)
    WHERE NOT (v_type = 'Request'
               AND (v_s = cl_start OR coalesce(v_e = cl_end, false)))
),
chained AS (
    -- Code L623-650: the gap is measured from the previous row's end only; an open first
    -- event is in the chain however late it starts; the 28-day test applies only to events
    -- on the first numbered start day (which may have been dropped above).
    SELECT *, min(in_chain) OVER (PARTITION BY la_code, person, island ORDER BY v_s) AS in_scope,
           min(CASE WHEN v_type = 'Request' THEN 0 ELSE 1 END)
               OVER (PARTITION BY la_code, person, island ORDER BY v_s) AS before_request
    FROM (SELECT *, CASE WHEN v_e IS NULL AND day_no = 1 THEN 1
                         WHEN date_diff('day', cl_end, v_s) > 28 AND day_no = 1 THEN 0
                         ELSE min(joined) OVER (PARTITION BY la_code, person, island
                                                ORDER BY v_s)
                         END AS in_chain
          FROM (SELECT *, CASE WHEN date_diff('day', lag(v_e) OVER (
                                    PARTITION BY la_code, person, island
                                    ORDER BY v_s, v_e ASC NULLS FIRST, record_id), v_s) > 3
                               THEN 0 ELSE 1 END AS joined
                FROM later))
),
chain AS (
    SELECT c.*, coalesce(r.rank, 99) AS service_rank,
           min(coalesce(r.rank, 99)) OVER (PARTITION BY c.la_code, c.person, c.island) AS best
    FROM chained c LEFT JOIN service_rank r ON r.service_type = c.v_service
    WHERE c.in_scope = 1 AND c.before_request = 1
),
with_service AS (
    -- Code L690-740: the best service of the chain (record type 2).
    SELECT DISTINCT la_code, person, age, route, cl_start, cl_end, outcome, island, v_service
    FROM chain WHERE best < 99 AND service_rank = best
),
other AS (
    -- Code L754-771: chains without a service, their events numbered by end (latest first).
    SELECT DISTINCT la_code, person, age, route, cl_start, cl_end, outcome, island, v_type, v_s,
           v_e, v_outcome,
           dense_rank() OVER (PARTITION BY la_code, person, island ORDER BY v_e DESC NULLS LAST)
               AS end_no
    FROM chain WHERE best = 99
),
nfa AS (
    -- Code L778-793: every event ending on the latest day that has an NFA outcome, and how
    -- many (of any outcome, across the cluster's route rows) end that day.
    SELECT o.*, count(*) OVER (PARTITION BY o.la_code, o.person, o.island) AS n_that_day
    FROM other o
    WHERE o.end_no = (SELECT min(x.end_no) FROM other x JOIN sequel_map m
                      ON m.outcome = x.v_outcome AND m.nfa
                      WHERE x.la_code = o.la_code AND x.person = o.person
                        AND x.island = o.island)
),
no_nfa AS (
    -- Code L819-826
    SELECT DISTINCT la_code, person, age, route, island, outcome FROM other o
    WHERE NOT EXISTS (SELECT 1 FROM nfa n WHERE n.la_code = o.la_code AND n.person = o.person
                      AND n.island = o.island)
),
out_of_scope AS (
    -- Code L858-865: clusters whose later events are all outside the chain (by the code's
    -- match on start, end and outcome: a blank outcome never matches).
    SELECT DISTINCT la_code, person, age, route, cl_start, cl_end, outcome FROM chained c
    WHERE NOT EXISTS (SELECT 1 FROM chain k WHERE k.la_code = c.la_code AND k.person = c.person
                      AND k.cl_start = c.cl_start AND k.cl_end = c.cl_end
                      AND k.outcome = c.outcome)
),
no_later AS (
    -- Code L541-549: clusters with no later event at all (same blank-outcome match).
    SELECT c.* FROM chosen c
    WHERE NOT EXISTS (SELECT 1 FROM later l WHERE l.la_code = c.la_code AND l.person = c.person
                      AND l.island = c.island
                      AND l.cl_start = c.cl_start AND l.cl_end = c.cl_end
                      AND l.outcome = c.outcome)
),
sts001 AS (
    -- Code L585-604, record type 1: the request's own outcome, or "Unable to classify".
    SELECT la_code, person, age, route,
           coalesce(m.column_label, 'Unable to classify') AS what_next
    FROM no_later c LEFT JOIN sequel_map m ON m.outcome = c.outcome
    UNION ALL
    SELECT la_code, person, age, route, v_service FROM with_service
    UNION ALL
    -- Code L800-811, record type 3: DISTINCT on the outcome without the cluster, so one
    -- person's two requests with the same route and NFA sequel make one row.
    SELECT DISTINCT ON (la_code, person, age, route, final_outcome, what_next)
           la_code, person, age, route, what_next
    FROM (SELECT n.*, CASE WHEN n_that_day = 1 THEN n.v_outcome ELSE 'NFA: Other' END
                          AS final_outcome,
                 CASE WHEN n_that_day = 1 THEN m.column_label
                      ELSE 'No Services Provided – other reason' END AS what_next
          FROM nfa n LEFT JOIN sequel_map m ON m.outcome = n.v_outcome)
    UNION ALL
    -- Code L832-841, record type 4: the request's own outcome if it is an NFA, else
    -- "No Service Found" (unable to classify).
    SELECT la_code, person, age, route,
           CASE WHEN m.nfa THEN m.column_label ELSE 'Unable to classify' END
    FROM no_nfa c LEFT JOIN sequel_map m ON m.outcome = c.outcome
    UNION ALL
    -- Code L872-879, record type 5: an outcome with no entry concatenates to NULL.
    SELECT la_code, person, age, route, coalesce(m.column_label, 'No category')
    FROM out_of_scope c LEFT JOIN sequel_map m ON m.outcome = c.outcome
)
SELECT la_code, 'request' AS kind, person AS person_id, age, route, what_next,
       NULL::DATE AS st_max_start
FROM sts001
UNION ALL
-- Code L714-729: the STS002a cohort, the ST-Max services that were a request's sequel.
SELECT DISTINCT la_code, 'st_max_cohort', person, NULL, NULL, NULL, v_s
FROM chain WHERE best = 1 AND service_rank = 1
