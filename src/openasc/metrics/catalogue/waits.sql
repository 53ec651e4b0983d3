-- WAITS: DHSC's waiting times method (DataS-DHSC/ASC-CLD-LA-Dashboard,
-- Waiting_times/waiting_times_method.sql, version 1.1, May 2026), in our own words over the
-- joined event table (`cld_events`, every quarter since April 2023), as DHSC reads its
-- joined-submissions table. docs/dhsc-dashboard.md walks through the stages.
--
-- A wait starts at a request from a new client aged 25+ that indicates some progress, and
-- ends at the first response to it (part 1, W1) and at the first service (part 2, W2). Each
-- wait counts in the quarter its ending event starts in, under that event's age band; DHSC
-- publishes the median days for each age band and quarter, with the number of waits behind it.
-- Every council of the run at once: `la_code` keys every person, window and join.
WITH ev AS (
    SELECT e.la_code, record_id, person_id, event_type, client_type,
           event_start_date AS start_date, der_event_end_date AS end_date,
           der_age_event_start AS age_at_start,
           -- the cohort is 25+, so DHSC relabels the working-age band
           CASE der_working_age_band WHEN '18 to 64' THEN '25 to 64'
                ELSE der_working_age_band END AS age_band,
           event_outcome, event_outcome_grouped, assessment_type, service_type,
           service_type_grouped, coalesce(is_conversation, false) AS conversation
    FROM cld_events e
    JOIN compute_councils cc ON cc.la_code = e.la_code
),
-- Stage 1.2: the assessments and services that can answer a request - short- and long-term
-- assessments; long- and short-term support (never unpaid carer support).
follow_ups AS (
    SELECT * FROM ev
    WHERE (event_type = 'Assessment'
           AND assessment_type IN ('Short term assessment', 'Long term assessment'))
       OR (event_type = 'Service'
           AND service_type_grouped IN ('Long term support', 'Short term support'))
),
-- Stage 1.3-1.4: service users' requests from 1 April 2023, aged 25+ at the request; not from
-- an existing client (a long-term service that started before the request and ended no more
-- than 12 months before it, or is still open; an ST-Max or other short-term service likewise
-- within 3 months); and not closed with no further action or an admission to hospital
-- (a request with no outcome fails DHSC's NOT IN as well).
requests AS (
    SELECT r.* FROM ev r
    WHERE r.event_type = 'Request' AND r.client_type = 'Service user'
      AND r.start_date >= DATE '2023-04-01' AND r.age_at_start >= 25
      AND r.event_outcome_grouped NOT IN ('NFA', 'Admitted to hospital')
      AND NOT EXISTS (
          SELECT 1 FROM follow_ups s
          WHERE s.la_code = r.la_code AND s.person_id = r.person_id
            AND s.event_type = 'Service'
            AND s.start_date < r.start_date
            AND ((s.service_type_grouped = 'Long term support'
                  AND (s.end_date IS NULL OR s.end_date >= r.start_date - INTERVAL 12 MONTH))
              OR (s.service_type IN ('Short term support: ST-Max',
                                     'Short term support: Other short term')
                  AND (s.end_date IS NULL OR s.end_date >= r.start_date - INTERVAL 3 MONTH))))
),
-- Stage 2.1-2.2: each person's chain of those requests and their follow-ups aged 25+, in
-- order: start date, then request before assessment before service on the same day, then
-- the most recently loaded record first (DHSC: import date, then record ID).
chain AS (
    SELECT *,
           row_number() OVER (PARTITION BY la_code, person_id ORDER BY start_date,
               CASE event_type WHEN 'Request' THEN 1 WHEN 'Assessment' THEN 2 ELSE 3 END,
               record_id DESC) AS ord
    FROM (SELECT * FROM requests
          UNION ALL
          SELECT * FROM follow_ups WHERE age_at_start >= 25) e
    WHERE EXISTS (SELECT 1 FROM requests q
                  WHERE q.la_code = e.la_code AND q.person_id = e.person_id)
),
-- Stage 2.3: consecutive assessments form a block; a block leads towards a service if any of
-- its assessments ended in reablement, support planning or continuation of support.
blocks AS (
    SELECT *,
           sum(CASE WHEN event_type <> 'Assessment' THEN 1 ELSE 0 END) OVER (
               PARTITION BY la_code, person_id ORDER BY ord ROWS UNBOUNDED PRECEDING) AS block,
           CASE WHEN event_type = 'Assessment' THEN coalesce(event_outcome IN (
               'Progress to reablement/ST-Max', 'Progress to support planning or services',
               'Continuation of support or services'), false) END AS towards_service,
           coalesce(event_outcome IN (
               'Progress to reablement/ST-Max', 'Progress to assessment, review or reassessment',
               'Progress to support planning or services', 'Continuation of support or services',
               'Release 1 specification only: Not mapped'), false) AS request_progress
    FROM chain
),
chained AS (
    SELECT *,
           CASE WHEN event_type = 'Assessment' THEN bool_or(towards_service) OVER (
               PARTITION BY la_code, person_id, block) END AS block_towards_service,
           -- the windows are written out, not named: T-SQL has no WINDOW clause
           min(CASE WHEN event_type = 'Assessment' THEN ord END) OVER (
               PARTITION BY la_code, person_id ORDER BY ord
               ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS next_assessment,
           min(CASE WHEN event_type = 'Service' THEN ord END) OVER (
               PARTITION BY la_code, person_id ORDER BY ord
               ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS next_service
    FROM blocks
),
-- Stage 2.4 and 3.1: each request with its first later assessment and service. Conversation
-- rule: a request started before 1 July 2025 (Release 1) that was a conversation and
-- indicates progress, with no assessment or one starting later, is its own first response.
linked AS (
    SELECT r.la_code, r.person_id, r.ord, r.start_date, r.age_band,
           r.conversation AND r.request_progress AND r.start_date < DATE '2025-07-01'
               AND (a.start_date IS NULL OR r.start_date < a.start_date) AS own_response,
           a.ord AS a_ord, a.start_date AS a_start, a.age_band AS a_band,
           a.assessment_type AS a_type, a.block_towards_service AS a_block,
           s.ord AS s_ord, s.start_date AS s_start, s.age_band AS s_band,
           s.service_type AS s_type
    FROM chained r
    LEFT JOIN chained a
        ON a.la_code = r.la_code AND a.person_id = r.person_id AND a.ord = r.next_assessment
    LEFT JOIN chained s
        ON s.la_code = r.la_code AND s.person_id = r.person_id AND s.ord = r.next_service
    WHERE r.event_type = 'Request'
),
first_assessment AS (
    SELECT *,
           CASE WHEN own_response THEN ord ELSE a_ord END AS t_ord,
           CASE WHEN own_response THEN 'Request'
                WHEN a_ord IS NOT NULL THEN 'Assessment' END AS t_event,
           CASE WHEN own_response THEN NULL ELSE a_type END AS t_type,
           CASE WHEN own_response THEN start_date ELSE a_start END AS t_start,
           CASE WHEN own_response THEN age_band ELSE a_band END AS t_band,
           CASE WHEN own_response THEN NULL ELSE a_block END AS t_block
    FROM linked
),
-- Stage 3.2: a service that comes before any assessment is the first response.
responded AS (
    SELECT *,
           CASE WHEN service_first THEN s_ord ELSE t_ord END AS resp_ord,
           CASE WHEN service_first THEN 'Service' ELSE t_event END AS resp_event,
           CASE WHEN service_first THEN NULL ELSE t_type END AS resp_type,
           CASE WHEN service_first THEN s_start ELSE t_start END AS resp_start,
           CASE WHEN service_first THEN s_band ELSE t_band END AS resp_band,
           CASE WHEN service_first THEN NULL ELSE t_block END AS resp_block
    FROM (SELECT *, coalesce(t_ord > s_ord, t_ord IS NULL AND s_ord IS NOT NULL)
                    AS service_first
          FROM first_assessment)
),
-- Stage 3.3: when the first response is an assessment block that led nowhere near a service,
-- the later service does not answer this request.
served AS (
    SELECT *,
           CASE WHEN resp_event = 'Assessment' AND resp_block = false THEN NULL
                ELSE s_ord END AS srv_ord,
           CASE WHEN resp_event = 'Assessment' AND resp_block = false THEN NULL
                ELSE s_start END AS srv_start,
           CASE WHEN resp_event = 'Assessment' AND resp_block = false THEN NULL
                ELSE s_band END AS srv_band,
           CASE WHEN resp_event = 'Assessment' AND resp_block = false THEN NULL
                ELSE s_type END AS srv_type
    FROM responded
),
-- Stage 3.4: a request made while an earlier request's follow-up is still to come (the
-- previous request's furthest follow-up lies after it, or its own first response or service
-- is one an earlier request already reached) starts no wait.
counted AS (
    SELECT * FROM (
        SELECT *,
               CASE WHEN lag(greatest(resp_ord, srv_ord)) OVER (
                        PARTITION BY la_code, person_id ORDER BY ord) > ord THEN true
                    WHEN resp_ord <= coalesce(max(resp_ord) OVER (
                        PARTITION BY la_code, person_id ORDER BY ord
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) THEN true
                    WHEN srv_ord <= coalesce(max(srv_ord) OVER (
                        PARTITION BY la_code, person_id ORDER BY ord
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) THEN true
                    ELSE false END AS overlapping
        FROM served) s
    WHERE NOT overlapping
),
-- Stage 4.1: the waits, each dated by the event that ends it.
waits AS (
    SELECT la_code, 'first response' AS wait, date_diff('day', start_date, resp_start) AS days,
           resp_start AS ended, resp_band AS age_band,
           CASE WHEN resp_event = 'Assessment' THEN resp_type ELSE resp_event END AS kind
    FROM counted WHERE resp_start IS NOT NULL
    UNION ALL
    SELECT la_code, 'first service', date_diff('day', start_date, srv_start), srv_start, srv_band,
           srv_type
    FROM counted WHERE srv_start IS NOT NULL
),
-- Stage 5.1: the cohort's events (the chain before people without a request are dropped),
-- each in the quarter it starts.
cohort_events AS (
    SELECT la_code, 'cohort' AS wait, NULL AS days, start_date AS ended, age_band,
           event_type AS kind
    FROM (SELECT * FROM requests UNION ALL SELECT * FROM follow_ups WHERE age_at_start >= 25)
),
-- The period's rows, in DHSC's two age bands, with the financial-year quarter (`2025-Q4` is
-- January-March 2026, DHSC's Q4 2025-26).
dated AS (
    SELECT *,
           CAST(year(ended) - CASE WHEN month(ended) < 4 THEN 1 ELSE 0 END AS VARCHAR)
               || '-Q' || CAST((month(ended) + 8) % 12 // 3 + 1 AS VARCHAR) AS quarter
    FROM (SELECT * FROM waits UNION ALL SELECT * FROM cohort_events)
    WHERE ended BETWEEN $period_start AND $period_end
      AND age_band IN ('25 to 64', '65 and above')
),
coded AS (
    SELECT la_code, 'W1' AS code, NULL AS key, NULL AS kind, days, age_band, quarter
    FROM dated WHERE wait = 'first response'
    UNION ALL SELECT la_code, 'W2', NULL, NULL, days, age_band, quarter
    FROM dated WHERE wait = 'first service'
    UNION ALL SELECT la_code, 'W3', 'wait', wait, days, age_band, quarter
    FROM dated WHERE wait <> 'cohort'
    UNION ALL SELECT la_code, 'WD1', 'response', kind, days, age_band, quarter
    FROM dated WHERE wait = 'first response'
    UNION ALL SELECT la_code, 'WD2', 'service', kind, days, age_band, quarter
    FROM dated WHERE wait = 'first service'
    UNION ALL SELECT la_code, 'WD3', 'event', kind, days, age_band, quarter
    FROM dated WHERE wait = 'cohort'
),
-- T-SQL has no aggregate median, so W1's and W2's medians are written out in SQL that every
-- dialect runs. Each of their waits is numbered in order of days (i = 1 to n) in each group
-- that has a median: its council and code, and within those its age band, its quarter, and
-- both. A group's median is the value at position (n + 1) / 2, or the mean of the two values
-- either side of it when n is even, as DuckDB's quantile_cont(days, 0.5) gives it (a DOUBLE).
-- The other codes publish counts only.
numbered AS (
    SELECT *, CAST(days AS DOUBLE) AS x,
           row_number() OVER (PARTITION BY la_code, code ORDER BY days) AS i,
           count(*) OVER (PARTITION BY la_code, code) AS n,
           row_number() OVER (PARTITION BY la_code, code, age_band ORDER BY days) AS i_age,
           count(*) OVER (PARTITION BY la_code, code, age_band) AS n_age,
           row_number() OVER (PARTITION BY la_code, code, quarter ORDER BY days) AS i_quarter,
           count(*) OVER (PARTITION BY la_code, code, quarter) AS n_quarter,
           row_number() OVER (PARTITION BY la_code, code, age_band, quarter ORDER BY days)
               AS i_both,
           count(*) OVER (PARTITION BY la_code, code, age_band, quarter) AS n_both
    FROM coded
    WHERE code IN ('W1', 'W2') AND days IS NOT NULL
    UNION ALL
    SELECT *, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM coded
    WHERE code NOT IN ('W1', 'W2') OR days IS NULL
),
-- (the key is the same on every row of a code: max, not any_value, which PostgreSQL lacks)
grouped AS (
    SELECT la_code, code, max(key) AS key, kind, age_band, quarter,
           grouping(kind) = 0 AS by_kind, grouping(age_band) = 0 AS by_age,
           grouping(quarter) = 0 AS by_quarter,
           count(*) AS numerator,
           -- the median from the numbering of the group's own grouping set
           CASE WHEN grouping(age_band) = 0 AND grouping(quarter) = 0
                THEN avg(CASE WHEN i_both IN (floor((n_both + 1) / 2.0),
                                              ceiling((n_both + 1) / 2.0)) THEN x END)
                WHEN grouping(age_band) = 0
                THEN avg(CASE WHEN i_age IN (floor((n_age + 1) / 2.0),
                                             ceiling((n_age + 1) / 2.0)) THEN x END)
                WHEN grouping(quarter) = 0
                THEN avg(CASE WHEN i_quarter IN (floor((n_quarter + 1) / 2.0),
                                                 ceiling((n_quarter + 1) / 2.0)) THEN x END)
                ELSE avg(CASE WHEN i IN (floor((n + 1) / 2.0),
                                         ceiling((n + 1) / 2.0)) THEN x END)
           END AS median_days
    FROM numbered
    GROUP BY GROUPING SETS ((la_code, code), (la_code, code, age_band),
                            (la_code, code, quarter), (la_code, code, age_band, quarter),
                            (la_code, code, kind), (la_code, code, kind, age_band, quarter))
)
SELECT la_code, code,
       array_to_string(list_sort(list_filter([
           CASE WHEN by_age THEN 'age_band=' || age_band END,
           CASE WHEN by_quarter THEN 'quarter=' || quarter END,
           CASE WHEN by_kind THEN key || '=' || kind END], lambda x: x IS NOT NULL)), ';')
           AS breakdown,
       numerator,
       CASE WHEN code IN ('W1', 'W2') THEN median_days ELSE numerator END AS value
FROM grouped
WHERE NOT (by_kind AND key IS NULL)
