-- SALT STS001 derivation (sac-dols-salt.md C4 "STS001"): every request cluster of a new
-- client that ended between a year before the period start and the period end, with its
-- route of access, its sequel ("what next") and, when the sequel is ST-Max, the start of
-- that ST-Max service (the STS002a cohort). `in_period` marks the clusters STS001 counts.
WITH ev AS (
    SELECT la_code, person_id, event_type, event_start_date AS s,
           coalesce(der_event_end_date, event_end_date) AS e,
           event_outcome, coalesce(request_route_of_access, 'Unknown') AS route,
           service_type, record_id, birth_year, birth_month
    FROM cld_events JOIN compute_councils USING (la_code)
    WHERE client_type = 'Service user'
      AND event_start_date <= $period_end
),
ranked AS (
    -- C4 step 4: the STS001 outcome hierarchy, in R2 labels (lower wins).
    SELECT *, CASE event_outcome
        WHEN 'Progress to reablement/ST-Max' THEN 1
        WHEN 'Progress to assessment, review or reassessment' THEN 2
        WHEN 'Admitted to hospital' THEN 3
        WHEN 'Progress to support planning or services' THEN 4
        WHEN 'Release 1 specification only: Not mapped' THEN 5
        WHEN 'Continuation of support or services' THEN 6
        WHEN 'NFA: Support ended as planned' THEN 7
        WHEN 'NFA: Deceased' THEN 8
        WHEN 'NFA: Responsibility moved to another local authority' THEN 9
        WHEN 'NFA: Referral to NHS services or NHS funded social care' THEN 10
        WHEN 'NFA: Information and advice or signposting' THEN 11
        WHEN 'NFA: Self-funded client or under 12wk disregard' THEN 12
        WHEN 'NFA: Support declined' THEN 13
        WHEN 'NFA: Support ended for other reason' THEN 14
        WHEN 'NFA: No services offered for other reason' THEN 15
        WHEN 'NFA: Referral to other service within the local authority' THEN 16
        WHEN 'NFA: Other' THEN 17
        ELSE 99 END AS outcome_rank
    FROM ev
),
req AS (
    SELECT *, max(e) OVER (PARTITION BY la_code, person_id ORDER BY s, e, record_id
                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
    FROM ranked WHERE event_type = 'Request' AND e IS NOT NULL
),
req_cl AS (
    -- C4 step 2: a request starting no more than 4 days after the cluster so far ended joins it.
    SELECT *, sum(CASE WHEN prev_end IS NULL OR date_diff('day', prev_end, s) > 4 THEN 1
                       ELSE 0 END)
              OVER (PARTITION BY la_code, person_id ORDER BY s, e, record_id
                    ROWS UNBOUNDED PRECEDING)
              AS cluster_no
    FROM req
),
clusters AS (
    SELECT la_code, person_id, cluster_no, min(s) AS cl_start, max(e) AS cl_end,
           arg_min(event_outcome, [-epoch(e), outcome_rank, -record_id]) AS outcome,
           arg_min(route, [-epoch(e), outcome_rank, -record_id]) AS route,
           min(birth_year) AS birth_year, min(birth_month) AS birth_month
    FROM req_cl GROUP BY la_code, person_id, cluster_no
),
new_clients AS (
    -- C4 step 3: drop clusters that start while a long-term service is open. Numbered within
    -- the council, so that the chain below sorts by one number, not by the 64-character
    -- person.
    SELECT c.*, dense_rank() OVER (PARTITION BY c.la_code ORDER BY c.person_id, c.cluster_no)
                    AS cid
    FROM clusters c
    WHERE c.cl_end BETWEEN $period_start - INTERVAL 1 YEAR AND $period_end
      AND NOT EXISTS (
        SELECT 1 FROM ranked l
        WHERE l.la_code = c.la_code AND l.person_id = c.person_id AND l.event_type = 'Service'
          AND l.service_type LIKE 'Long term support:%'
          AND l.s <= c.cl_start AND (l.e IS NULL OR l.e >= c.cl_start))
),
later AS (
    -- C4 step 5: the person's events starting on or after the cluster end, in order.
    SELECT c.la_code, c.cid, c.cl_end, r.event_type, r.s,
           coalesce(r.e, DATE '9999-12-31') AS e, r.event_outcome, r.service_type,
           row_number() OVER w AS n,
           max(coalesce(r.e, DATE '9999-12-31')) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING
                                                        AND 1 PRECEDING) AS chain_end
    FROM new_clients c
    JOIN ranked r ON r.la_code = c.la_code AND r.person_id = c.person_id AND r.s >= c.cl_end
         AND NOT (r.event_type = 'Request' AND r.e <= c.cl_end)
    WINDOW w AS (PARTITION BY c.la_code, c.cid ORDER BY r.s, r.e, r.record_id)
),
first_break AS (
    -- the first later event that breaks the chain: a request, a first event more than 28 days
    -- after the cluster end, or an event more than 3 days after the chain so far ended
    SELECT la_code, cid, min(n) AS n
    FROM later
    WHERE event_type = 'Request'
       OR (n = 1 AND date_diff('day', cl_end, s) > 28)
       OR (n > 1 AND date_diff('day', chain_end, s) > 3)
    GROUP BY la_code, cid
),
chain AS (
    SELECT l.la_code, l.cid,
           min(CASE l.service_type
               WHEN 'Short term support: ST-Max' THEN 1
               WHEN 'Long term support: Nursing care' THEN 2
               WHEN 'Long term support: Residential care' THEN 3
               WHEN 'Long term support: Community' THEN 4
               WHEN 'Long term support: Prison' THEN 5
               WHEN 'Short term support: Ongoing low level' THEN 6
               WHEN 'Short term support: Other short term' THEN 7 END) AS service_rank,
           min(l.s) FILTER (WHERE l.service_type = 'Short term support: ST-Max') AS st_max_start,
           count(DISTINCT l.event_outcome) FILTER (WHERE l.event_type <> 'Service'
               AND l.event_outcome LIKE 'NFA:%') AS nfa_outcomes,
           arg_max(l.event_outcome, l.e) FILTER (WHERE l.event_type <> 'Service'
               AND l.event_outcome LIKE 'NFA:%') AS latest_nfa
    FROM later l
    LEFT JOIN first_break b ON b.la_code = l.la_code AND b.cid = l.cid
    WHERE b.n IS NULL OR l.n < b.n
    GROUP BY l.la_code, l.cid
),
sequel AS (
    SELECT c.*, ch.st_max_start,
           CASE ch.service_rank
               WHEN 1 THEN 'Short term support: ST-Max'
               WHEN 2 THEN 'Long term support: Nursing care'
               WHEN 3 THEN 'Long term support: Residential care'
               WHEN 4 THEN 'Long term support: Community'
               WHEN 5 THEN 'Long term support: Prison'
               WHEN 6 THEN 'Short term support: Ongoing low level'
               WHEN 7 THEN 'Short term support: Other short term' END AS service_sequel,
           CASE WHEN ch.nfa_outcomes > 1 THEN 'NFA: Other' ELSE ch.latest_nfa END
               AS outcome_sequel
    FROM new_clients c
    LEFT JOIN chain ch ON ch.la_code = c.la_code AND ch.cid = c.cid
)
SELECT la_code, person_id, cluster_no, cl_start, cl_end, route, outcome,
       cl_end BETWEEN $period_start AND $period_end AS in_period,
       CASE WHEN service_sequel = 'Short term support: ST-Max' THEN st_max_start END
           AS st_max_start,
       CASE
           WHEN birth_year IS NULL OR birth_month IS NULL THEN 'Unknown'
           WHEN floor(date_diff('day', make_date(birth_year, birth_month, 1), $period_end)
                      / 365.25) < 18 THEN 'Under 18'
           WHEN floor(date_diff('day', make_date(birth_year, birth_month, 1), $period_end)
                      / 365.25) < 65 THEN '18 to 64'
           ELSE '65 and above' END AS age_band,
       -- C5: a service sequel keeps the CLD service type (the contract's spelling); an
       -- outcome sequel takes the STS001 column it maps to.
       coalesce(service_sequel, CASE coalesce(outcome_sequel, outcome)
           WHEN 'NFA: Referral to NHS services or NHS funded social care'
               THEN '100% NHS Funded Care'
           WHEN 'NFA: Information and advice or signposting'
               THEN 'Universal Services/ Signposted to other services'
           WHEN 'NFA: Deceased' THEN 'No Services Provided – Deceased'
           WHEN 'NFA: Responsibility moved to another local authority'
               THEN 'No Services Provided – other reason'
           WHEN 'NFA: Self-funded client or under 12wk disregard'
               THEN 'No Services Provided – other reason'
           WHEN 'NFA: Support declined' THEN 'No Services Provided – other reason'
           WHEN 'NFA: No services offered for other reason'
               THEN 'No Services Provided – other reason'
           WHEN 'NFA: Support ended for other reason'
               THEN 'No Services Provided – other reason'
           WHEN 'NFA: Referral to other service within the local authority'
               THEN 'No Services Provided – other reason'
           WHEN 'NFA: Other' THEN 'No Services Provided – other reason'
           ELSE 'Unable to classify' END) AS what_next
FROM sequel
