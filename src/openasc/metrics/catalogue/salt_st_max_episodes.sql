-- ST-Max episodes (sac-dols-salt.md C4 STS002a/b): a person's ST-Max services joined when one
-- starts no more than 1 day after the episode so far ended; with each episode's outcome
-- (latest end, then the outcome hierarchy), whether it follows an STS001 ST-Max sequel
-- (new client) or began while a long-term service was open (existing client), and what
-- followed it (3-day chain). Only salt_method 'corrected' reads these episodes (STS002 under
-- 'nhse' reads salt_nhse_st_max), so under 'nhse' the table is empty, as the nhse tables
-- are under 'corrected', instead of being derived for nothing.
WITH ev AS (
    SELECT la_code, person_id, record_id, event_type, event_start_date AS s,
           coalesce(der_event_end_date, event_end_date) AS e, event_outcome, service_type,
           primary_support_reason, birth_year, birth_month
    FROM cld_events JOIN compute_councils USING (la_code)
    WHERE $salt_method = 'corrected' AND client_type = 'Service user'
      AND event_start_date <= $period_end
),
stmax AS (
    SELECT *, max(coalesce(e, DATE '9999-12-31'))
              OVER (PARTITION BY la_code, person_id ORDER BY s, e NULLS LAST, record_id
                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
    FROM ev WHERE event_type = 'Service' AND service_type = 'Short term support: ST-Max'
),
numbered AS (
    SELECT *, sum(CASE WHEN prev_end IS NULL OR date_diff('day', prev_end, s) > 1 THEN 1
                       ELSE 0 END)
              OVER (PARTITION BY la_code, person_id ORDER BY s, e NULLS LAST, record_id
                    ROWS UNBOUNDED PRECEDING) AS episode_no
    FROM stmax
),
episodes AS (
    SELECT la_code, person_id, episode_no, min(s) AS ep_start,
           CASE WHEN bool_or(e IS NULL) THEN NULL ELSE max(e) END AS ep_end,
           arg_min(event_outcome, [-epoch(coalesce(e, DATE '9999-12-31')),
                                   CASE WHEN event_outcome LIKE 'NFA:%' THEN 0 ELSE 1 END,
                                   -record_id]) AS outcome,
           arg_min(primary_support_reason, [-epoch(coalesce(e, DATE '9999-12-31')),
                                            -record_id]) AS psr,
           list(s) AS starts,
           min(birth_year) AS birth_year, min(birth_month) AS birth_month
    FROM numbered GROUP BY la_code, person_id, episode_no
),
cohort AS (
    SELECT e.*, r.route,
           r.person_id IS NOT NULL AS new_client,
           EXISTS (SELECT 1 FROM ev l WHERE l.la_code = e.la_code AND l.person_id = e.person_id
                   AND l.event_type = 'Service' AND l.service_type LIKE 'Long term support:%'
                   AND l.s < e.ep_start AND (l.e IS NULL OR l.e >= e.ep_start))
               AS existing_client
    FROM episodes e
    LEFT JOIN (SELECT la_code, person_id, st_max_start, arg_max(route, cl_end) AS route
               FROM salt_request_sequels WHERE st_max_start IS NOT NULL
               GROUP BY la_code, person_id, st_max_start) r
      ON r.la_code = e.la_code AND r.person_id = e.person_id
     AND list_contains(e.starts, r.st_max_start)
),
later AS (
    SELECT c.la_code, c.person_id, c.episode_no, c.ep_end, v.event_type, v.s, v.event_outcome,
           v.service_type, row_number() OVER w AS n,
           max(coalesce(v.e, DATE '9999-12-31')) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING
                                                        AND 1 PRECEDING) AS chain_end
    FROM cohort c
    JOIN ev v ON v.la_code = c.la_code AND v.person_id = c.person_id AND c.ep_end IS NOT NULL
         AND v.s >= c.ep_end
         AND NOT (v.service_type = 'Short term support: ST-Max' AND v.s <= c.ep_end)
    WINDOW w AS (PARTITION BY c.la_code, c.person_id, c.episode_no
                 ORDER BY v.s, v.e NULLS LAST, v.record_id)
),
chain AS (
    SELECT la_code, person_id, episode_no,
           min(CASE WHEN service_type LIKE 'Long term support:%' THEN 1
                    WHEN service_type = 'Short term support: Ongoing low level' THEN 2
                    WHEN service_type = 'Short term support: Other short term' THEN 3 END)
               AS service_rank,
           count(DISTINCT event_outcome) FILTER (WHERE event_type <> 'Service'
               AND event_outcome LIKE 'NFA:%') AS nfa_outcomes,
           arg_max(event_outcome, s) FILTER (WHERE event_type <> 'Service'
               AND event_outcome LIKE 'NFA:%') AS latest_nfa
    FROM (SELECT *, sum(CASE
                  WHEN service_type = 'Short term support: ST-Max' THEN 1
                  WHEN n = 1 AND date_diff('day', ep_end, s) > 3 THEN 1
                  WHEN n > 1 AND date_diff('day', chain_end, s) > 3 THEN 1
                  ELSE 0 END) OVER (PARTITION BY la_code, person_id, episode_no ORDER BY n
                                    ROWS UNBOUNDED PRECEDING) AS broken
          FROM later)
    WHERE broken = 0
    GROUP BY la_code, person_id, episode_no
)
SELECT c.la_code, c.person_id, c.episode_no, c.ep_start, c.ep_end, c.new_client, c.existing_client,
       coalesce(c.route, 'Unknown') AS route, coalesce(c.psr, 'Unknown') AS psr,
       CASE WHEN c.birth_year IS NULL OR c.birth_month IS NULL THEN 'Unknown'
            WHEN floor(date_diff('day', make_date(c.birth_year, c.birth_month, 1), $period_end)
                       / 365.25) < 18 THEN 'Under 18'
            WHEN floor(date_diff('day', make_date(c.birth_year, c.birth_month, 1), $period_end)
                       / 365.25) < 65 THEN '18 to 64'
            ELSE '65 and above' END AS age_band,
       CASE ch.service_rank
           WHEN 1 THEN 'Long Term Support (any setting)'
           WHEN 2 THEN 'Ongoing Low Level Support'
           WHEN 3 THEN 'Short Term Support (other)'
           ELSE CASE CASE WHEN ch.nfa_outcomes > 1 THEN 'NFA: Other'
                          ELSE coalesce(ch.latest_nfa, c.outcome) END
               WHEN 'NFA: Referral to NHS services or NHS funded social care' THEN
                   'Early cessation of service (not leading to long term support) – 100% NHS funded care/End of Life/deceased'
               WHEN 'NFA: Deceased' THEN
                   'Early cessation of service (not leading to long term support) – 100% NHS funded care/End of Life/deceased'
               WHEN 'NFA: Self-funded client or under 12wk disregard' THEN
                   'No services provided – needs identified but self-funding'
               WHEN 'NFA: Support declined' THEN
                   'No services provided – needs identified but support declined'
               WHEN 'NFA: Information and advice or signposting' THEN
                   'No Services Provided – Universal Services / signposted to other services'
               ELSE 'No services provided – other' END END AS what_next
FROM cohort c
LEFT JOIN chain ch ON ch.la_code = c.la_code AND ch.person_id = c.person_id
     AND ch.episode_no = c.episode_no
