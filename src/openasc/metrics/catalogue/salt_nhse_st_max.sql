-- STS002a and STS002b as NHS England's published replication code derives them
-- (salt_method = 'nhse'; docs/decisions.md "SALT: NHS England's published code"): one row
-- per row of the code's final #STS002a table (code 'STS002a', with its sequel) and one row
-- per existing client's ST-Max episode it counts (code 'STS002b'). "Code Lnnn" cites the
-- non-comment line of "SALT STS002a/STS002a replication code.txt"; "2b" the STS002b file.
WITH sequel_map(outcome, column_label) AS (
    -- STS002a #REF_ST_MAX_Sequel_Mappings in R2 labels (no entry for 'NFA: Referral to
    -- other service within the local authority' or 'NFA: Support ended as planned').
    VALUES ('NFA: Referral to NHS services or NHS funded social care',
            'Early cessation of service (not leading to long term support) – 100% NHS funded care/End of Life/deceased'),
           ('NFA: Deceased',
            'Early cessation of service (not leading to long term support) – 100% NHS funded care/End of Life/deceased'),
           ('NFA: Self-funded client or under 12wk disregard',
            'No services provided – needs identified but self-funding'),
           ('NFA: Support declined', 'No services provided – needs identified but support declined'),
           ('NFA: Information and advice or signposting',
            'No Services Provided – Universal Services / signposted to other services'),
           ('NFA: Responsibility moved to another local authority', 'No services provided – other'),
           ('NFA: Other', 'No services provided – other'),
           ('NFA: No services offered for other reason', 'No services provided – other'),
           ('NFA: Support ended for other reason', 'No services provided – other'),
           ('Admitted to hospital', 'No services provided – other'),
           ('Long term support: Nursing care', 'Long Term Support (any setting)'),
           ('Long term support: Residential care', 'Long Term Support (any setting)'),
           ('Long term support: Community', 'Long Term Support (any setting)'),
           ('Long term support: Prison', 'Long Term Support (any setting)'),
           ('Short term support: Ongoing low level', 'Ongoing Low Level Support'),
           ('Short term support: Other short term', 'Short Term Support (other)')
),
hierarchy(outcome, rank) AS (
    -- as in salt_nhse_requests.sql (the same table in both scripts)
    VALUES ('Progress to reablement/ST-Max', 1),
           ('Progress to assessment, review or reassessment', 2),
           ('Admitted to hospital', 3), ('Progress to support planning or services', 5),
           ('Continuation of support or services', 7), ('NFA: Support ended as planned', 8),
           ('NFA: Deceased', 11), ('NFA: Responsibility moved to another local authority', 12),
           ('NFA: Information and advice or signposting', 14),
           ('NFA: Self-funded client or under 12wk disregard', 15), ('NFA: Support declined', 16),
           ('NFA: Other', 19)
),
service_rank(service_type, rank) AS (
    VALUES ('Long term support: Nursing care', 1), ('Long term support: Residential care', 2),
           ('Long term support: Community', 3), ('Long term support: Prison', 4),
           ('Short term support: Ongoing low level', 5), ('Short term support: Other short term', 6)
),
rows_in AS (
    -- Code: #SUBSET_BUILD. Every submission's rows; no age, birth or death filter here.
    SELECT r.la_code, r.record_id, r.nhs_number_pseudo, r.la_person_pseudo, r.event_type,
           r.event_start_date AS s, r.event_end_date AS e, r.event_outcome AS outcome,
           r.service_type, r.service_component, r.delivery_mechanism, r.date_of_death,
           s.submitted_on
    FROM cld_records r JOIN cld_submissions s USING (submission_id)
    JOIN compute_councils cc ON cc.la_code = r.la_code
    WHERE $salt_method = 'nhse'
      AND r.event_start_date <= $period_end AND r.client_type = 'Service user'
      AND r.event_type IN ('Request', 'Assessment', 'Service', 'Review')
),
identified AS (
    -- the amalgamated identifier
    SELECT la_code, record_id, event_type, s, e, outcome, service_type, date_of_death,
           submitted_on, coalesce(nhs_number_pseudo, la_person_pseudo) AS person,
           concat(service_type, service_component, delivery_mechanism) AS import_key
    FROM rows_in n
    WHERE nhs_number_pseudo IS NOT NULL
       OR NOT EXISTS (SELECT 1 FROM rows_in p
                      WHERE p.la_code = n.la_code AND p.la_person_pseudo = n.la_person_pseudo
                        AND p.nhs_number_pseudo IS NOT NULL)
),
reimported AS (
    -- councils with more than one import date: only their services can have an older import
    -- to drop (a submission is one council's file; with one import, every row is in the
    -- latest)
    SELECT s.la_code FROM cld_submissions s JOIN compute_councils cc ON cc.la_code = s.la_code
    GROUP BY s.la_code HAVING count(DISTINCT s.submitted_on) > 1
),
latest AS (
    -- the latest import of each service (its key without the end date): a grouped maximum,
    -- not a window over every row
    SELECT la_code, person, s, import_key, max(submitted_on) AS submitted_on
    FROM identified
    WHERE event_type = 'Service' AND la_code IN (SELECT la_code FROM reimported)
    GROUP BY la_code, person, s, import_key
),
events AS (
    -- services in their latest import only (requests, assessments and reviews from every
    -- import)
    SELECT la_code, record_id, event_type, s, e, outcome, service_type, date_of_death, person
    FROM identified
    WHERE event_type <> 'Service' OR la_code NOT IN (SELECT la_code FROM reimported)
    UNION ALL
    SELECT i.la_code, i.record_id, i.event_type, i.s, i.e, i.outcome, i.service_type,
           i.date_of_death, i.person
    FROM identified i
    JOIN latest l ON l.la_code = i.la_code AND l.person IS NOT DISTINCT FROM i.person
     AND l.s = i.s AND l.import_key = i.import_key AND l.submitted_on = i.submitted_on
    WHERE i.event_type = 'Service'
),
st_max_rows AS (
    -- Code: #ST_MAX_BUILD (STS002a: only the cohort's ST-Max starts; 2b: every ST-Max).
    -- Open services end "today" (any day after the data).
    SELECT DISTINCT v.la_code, v.person, v.s, coalesce(v.e, DATE '9999-12-31') AS e, v.outcome,
           c.person_id IS NOT NULL AS in_cohort
    FROM events v
    LEFT JOIN (SELECT DISTINCT la_code, person_id, st_max_start FROM salt_nhse_requests
               WHERE kind = 'st_max_cohort') c
           ON c.la_code = v.la_code AND c.person_id = v.person AND c.st_max_start = v.s
    WHERE v.event_type = 'Service' AND v.service_type = 'Short term support: ST-Max'
      AND (v.date_of_death >= $period_start OR v.date_of_death IS NULL)
),
islands AS (
    -- ST-Max rows one day or less apart (after the previous row's end) are one episode;
    -- the cohort's and all ST-Max rows are clustered separately.
    SELECT *, min(s) OVER (PARTITION BY la_code, cohort, person, island) AS cl_start
    FROM (SELECT *, sum(new_island) OVER (PARTITION BY la_code, cohort, person ORDER BY step)
                        AS island
          FROM (SELECT *, dense_rank() OVER (PARTITION BY la_code, cohort, person ORDER BY s, e)
                              AS step,
                       CASE WHEN lag(e) OVER (PARTITION BY la_code, cohort, person
                                              ORDER BY s, e)
                                 >= s - INTERVAL 1 DAY THEN 0 ELSE 1 END AS new_island
                FROM (SELECT *, true AS cohort FROM st_max_rows WHERE in_cohort
                      UNION ALL
                      SELECT *, false FROM st_max_rows)))
),
episodes AS (
    -- Code: #ST_MAX_Latest_End and #ST_MAX: the latest end's rows; episodes ending in the
    -- period (open ones never do).
    SELECT DISTINCT la_code, cohort, person, cl_start, e AS cl_end, outcome, island
    FROM islands
    QUALIFY e = max(e) OVER (PARTITION BY la_code, cohort, person, island)
        AND e BETWEEN $period_start AND $period_end
),
existing AS (
    -- 2b: an episode starting on or after a long-term service's start (the same day
    -- included) and on or before its end; matched on the outcome too, so an episode whose
    -- outcome is blank is never counted.
    SELECT DISTINCT la_code, person, island FROM episodes p
    WHERE NOT p.cohort AND p.outcome IS NOT NULL AND EXISTS (
        SELECT 1 FROM events l
        WHERE l.la_code = p.la_code AND l.person = p.person
          AND l.service_type LIKE 'Long term support:%'
          AND (p.cl_start BETWEEN l.s AND l.e OR (l.e IS NULL AND p.cl_start >= l.s)))
),
ranked AS (
    SELECT p.*, coalesce(h.rank, 99) AS rank FROM episodes p
    LEFT JOIN hierarchy h ON h.outcome = p.outcome WHERE p.cohort
),
chosen AS (
    -- Code: #ST_MAX_NEW_CLIENTS_DeDupe: rows at the best outcome rank, each repeated once
    -- for every row at that rank (the code's join).
    SELECT a.* FROM ranked a
    JOIN ranked b ON b.la_code = a.la_code AND b.person = a.person AND b.island = a.island
     AND b.rank = a.rank
    WHERE a.rank = (SELECT min(rank) FROM ranked m
                    WHERE m.la_code = a.la_code AND m.person = a.person AND m.island = a.island)
),
later AS (
    SELECT * FROM (
        SELECT c.*, v.record_id, v.event_type AS v_type, v.s AS v_s, v.e AS v_e,
               v.outcome AS v_outcome, v.service_type AS v_service,
               dense_rank() OVER (PARTITION BY c.la_code, c.person, c.island ORDER BY v.s)
                   AS day_no
        FROM chosen c
        JOIN events v ON v.la_code = c.la_code AND v.person = c.person AND v.s >= c.cl_end)
    WHERE NOT (coalesce(v_service = 'Short term support: ST-Max', false)
               AND (v_s = cl_start OR coalesce(v_e = cl_end, false)))
),
chained AS (
    -- 3-day chains: the gap from the previous row's end; an open first event is in the
    -- chain however late it starts; another ST-Max ends the chain.
    SELECT *, min(in_chain) OVER (PARTITION BY la_code, person, island ORDER BY v_s) AS in_scope,
           min(CASE WHEN v_service = 'Short term support: ST-Max' THEN 0 ELSE 1 END)
               OVER (PARTITION BY la_code, person, island ORDER BY v_s) AS before_st_max
    FROM (SELECT *, CASE WHEN v_e IS NULL AND day_no = 1 THEN 1
                         WHEN date_diff('day', cl_end, v_s) > 3 AND day_no = 1 THEN 0
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
    WHERE c.in_scope = 1 AND c.before_st_max = 1
),
other AS (
    SELECT DISTINCT la_code, person, cl_start, cl_end, outcome, island, v_type, v_s, v_e,
           v_outcome,
           dense_rank() OVER (PARTITION BY la_code, person, island ORDER BY v_e DESC NULLS LAST)
               AS end_no
    FROM chain WHERE best = 99
),
nfa AS (
    -- NFA outcomes in the code's R1 spelling: every 'NFA: ...' but 'NFA: Support ended as
    -- planned' (R1 'Service ended as planned'); the latest day's, and how many.
    SELECT *, count(*) OVER (PARTITION BY la_code, person, island) AS n_that_day
    FROM (SELECT * FROM other
          WHERE v_outcome LIKE 'NFA%' AND v_outcome <> 'NFA: Support ended as planned'
          QUALIFY end_no = min(end_no) OVER (PARTITION BY la_code, person, island))
),
sts002a AS (
    -- record type 1: no later event at all
    SELECT la_code, person, coalesce(m.column_label,
                                     CASE WHEN c.outcome = 'NFA: Support ended as planned'
                                          THEN 'No services provided – other'
                                          ELSE 'Unable to classify' END) AS what_next
    FROM (SELECT DISTINCT la_code, person, cl_start, cl_end, island, outcome FROM chosen c
          WHERE NOT EXISTS (SELECT 1 FROM later l WHERE l.la_code = c.la_code
                            AND l.person = c.person AND l.island = c.island AND l.cl_start = c.cl_start
                            AND l.cl_end = c.cl_end AND l.outcome = c.outcome)) c
    LEFT JOIN sequel_map m ON m.outcome = c.outcome
    UNION ALL
    -- record type 2: the best service of the chain
    SELECT la_code, person, m.column_label
    FROM (SELECT DISTINCT la_code, person, cl_start, cl_end, outcome, island, v_service
          FROM chain
          WHERE best < 99 AND service_rank = best) c
    LEFT JOIN sequel_map m ON m.outcome = c.v_service
    UNION ALL
    -- record type 3: DISTINCT per person and outcome, across the person's episodes
    SELECT DISTINCT ON (la_code, person, final_outcome, what_next) la_code, person, what_next
    FROM (SELECT n.la_code, n.person,
                 CASE WHEN n_that_day = 1 THEN n.v_outcome ELSE 'NFA: Other' END AS final_outcome,
                 CASE WHEN n_that_day = 1 THEN coalesce(m.column_label, 'No category')
                      ELSE 'No services provided – other' END AS what_next
          FROM nfa n LEFT JOIN sequel_map m ON m.outcome = n.v_outcome)
    UNION ALL
    -- record type 4: the episode's own outcome
    SELECT la_code, person,
           CASE WHEN c.outcome LIKE 'NFA%' AND c.outcome <> 'NFA: Support ended as planned'
                    THEN coalesce(m.column_label, 'No category')
                WHEN c.outcome = 'NFA: Support ended as planned'
                    THEN 'No services provided – other'
                ELSE 'Unable to classify' END
    FROM (SELECT DISTINCT la_code, person, island, outcome FROM other o
          WHERE NOT EXISTS (SELECT 1 FROM nfa n WHERE n.la_code = o.la_code
                            AND n.person = o.person AND n.island = o.island)) c
    LEFT JOIN sequel_map m ON m.outcome = c.outcome
    UNION ALL
    -- record type 5: later events, none of them in the chain
    SELECT la_code, person, coalesce(m.column_label,
                                     CASE WHEN c.outcome = 'NFA: Support ended as planned'
                                          THEN 'No services provided – other'
                                          ELSE 'Unable to classify' END)
    FROM (SELECT DISTINCT la_code, person, cl_start, cl_end, island, outcome FROM chained c
          WHERE NOT EXISTS (SELECT 1 FROM chain k WHERE k.la_code = c.la_code
                            AND k.person = c.person AND k.cl_start = c.cl_start AND k.cl_end = c.cl_end
                            AND k.outcome = c.outcome)) c
    LEFT JOIN sequel_map m ON m.outcome = c.outcome
)
SELECT la_code, 'STS002a' AS code, person AS person_id, what_next FROM sts002a
UNION ALL
SELECT la_code, 'STS002b', person, NULL FROM existing
