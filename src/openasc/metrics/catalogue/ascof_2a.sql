-- ASCOF 2A: short-term support (ST-Max) episodes of new clients ending in the period, where
-- no further request was made for ongoing support. Method: ascof.md §2.0.4, §2.0.5, §2.1.
-- Counts are of clusters (episodes), not people. Labels are compared lower-cased and trimmed
-- (ascof.md §0), so R2 labels in any letter case match.
-- Outcome and service-type ranks come from `cld_values`, the CLD specification's lists as the
-- warehouse holds them (docs/warehouse.md), compared lower-cased like the events.
-- Every council of the run at once: `la_code` keys every person, window, join and group.
WITH outcome_hierarchy AS (
    SELECT lower(value) AS label, value_rank AS outcome_rank, value_group AS outcome_group
    FROM cld_values WHERE list = 'Event_Outcome'
),
service_types AS (
    SELECT lower(value) AS service_type, value_rank AS service_rank, value_group AS service_group
    FROM cld_values WHERE list = 'Service_Type'
),
-- Step 0: the service-user cohort, every event type, open ends as 9999-01-01.
events AS (
    SELECT e.la_code,
           e.person_id,
           e.record_id,
           lower(trim(e.event_type)) AS event_type,
           lower(trim(e.service_type)) AS service_type,
           lower(trim(e.service_component)) AS component,
           lower(trim(e.event_outcome)) AS outcome,
           e.event_start_date AS start_date,
           coalesce(e.der_event_end_date, DATE '9999-01-01') AS end_date
    FROM cld_events e
    JOIN compute_councils cc ON cc.la_code = e.la_code
    WHERE lower(trim(e.client_type)) = 'service user'
      AND e.person_id IS NOT NULL
      AND e.event_start_date IS NOT NULL
      AND (e.der_event_end_date IS NULL OR e.der_event_end_date >= e.event_start_date)
),
-- Outcome rank adjusted for 2A: non-concluding outcomes get +100 (ascof.md §2.0.4).
-- Concluding = admitted to hospital or any NFA (the outcome's group); the listed outcomes of
-- other groups, and "Invalid and not mapped", are non-concluding.
ranked AS (
    SELECT ev.*,
           coalesce(h.outcome_rank, 999)
             + CASE WHEN h.outcome_group NOT IN ('Admitted to hospital', 'NFA')
                         OR ev.outcome = 'invalid and not mapped'
                    THEN 100 ELSE 0 END AS adj_rank
    FROM events ev
    LEFT JOIN outcome_hierarchy h ON h.label = ev.outcome
),
-- Step 1: the 7-day rule. A row joins the running cluster when it starts no more than 7 days
-- after the latest end seen so far in the person's earlier rows.
st_max AS (
    SELECT r.*,
           max(r.end_date) OVER (
               PARTITION BY r.la_code, r.person_id
               ORDER BY r.start_date, r.end_date, r.adj_rank, r.record_id DESC
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS latest_end_before
    FROM ranked r
    WHERE r.event_type = 'service' AND r.service_type = 'short term support: st-max'
),
st_max_numbered AS (
    SELECT s.*,
           sum(CASE WHEN s.latest_end_before IS NULL
                      OR date_diff('day', s.latest_end_before, s.start_date) > 7
                    THEN 1 ELSE 0 END) OVER (
               PARTITION BY s.la_code, s.person_id
               ORDER BY s.start_date, s.end_date, s.adj_rank, s.record_id DESC
               ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cluster_no
    FROM st_max s
),
-- Cluster outcome: the row with the latest end; ties to the lower adjusted rank, then the
-- higher record ID (ascof.md §2.0.5 step 5).
cluster_rows AS (
    SELECT n.*,
           min(n.start_date) OVER (PARTITION BY n.la_code, n.person_id, n.cluster_no)
               AS cluster_start,
           max(n.end_date) OVER (PARTITION BY n.la_code, n.person_id, n.cluster_no)
               AS cluster_end,
           row_number() OVER (PARTITION BY n.la_code, n.person_id, n.cluster_no
                              ORDER BY n.end_date DESC, n.adj_rank, n.record_id DESC) AS pick
    FROM st_max_numbered n
),
clusters AS (
    SELECT c.la_code, c.person_id, c.cluster_no, c.cluster_start, c.cluster_end,
           c.outcome AS cluster_outcome, c.adj_rank AS cluster_rank,
           c.adj_rank < 100 AS cluster_usable
    FROM cluster_rows c
    WHERE c.pick = 1
      AND c.cluster_end BETWEEN $period_start AND $period_end
),
-- Step 2: person filters from the latest person details.
people AS (
    SELECT p.la_code, p.person_id,
           CASE WHEN p.birth_year IS NOT NULL AND p.birth_month IS NOT NULL
                THEN make_date(p.birth_year, p.birth_month, 1) END AS proxy_birth,
           p.date_of_death
    FROM cld_people p
    JOIN compute_councils cc ON cc.la_code = p.la_code
),
filtered AS (
    SELECT c.*,
           pp.date_of_death,
           floor(date_diff('day', pp.proxy_birth, c.cluster_end) / 365.25) AS age
    FROM clusters c
    LEFT JOIN people pp ON pp.la_code = c.la_code AND pp.person_id = c.person_id
    WHERE (pp.date_of_death IS NULL OR pp.date_of_death >= c.cluster_start)
),
-- Step 3: new clients only. Existing = a long-term support service started before the
-- cluster and open, or ended fewer than 91 days before the cluster start.
new_clients AS (
    SELECT f.*
    FROM filtered f
    WHERE (f.age IS NULL OR f.age >= 18)
      AND NOT EXISTS (
          SELECT 1 FROM ranked l
          WHERE l.la_code = f.la_code AND l.person_id = f.person_id
            AND l.event_type = 'service'
            AND l.service_type IN (SELECT service_type FROM service_types
                                   WHERE service_group = 'Long term support')
            AND l.start_date < f.cluster_start
            AND date_diff('day', l.end_date, f.cluster_start) < 91)
),
-- Step 4.3-4.4 candidates: events starting in the cluster or up to 7 days after its end and
-- still running after the cluster end. (r.* brings the council's `la_code` and the person:
-- naming n.person_id too would give the CTE two columns of that name, which Spark refuses.)
candidates AS (
    SELECT n.cluster_no, n.cluster_usable, r.*
    FROM new_clients n
    JOIN ranked r
      ON r.la_code = n.la_code
     AND r.person_id = n.person_id
     AND r.start_date >= n.cluster_start
     AND r.end_date > n.cluster_end
     AND date_diff('day', n.cluster_end, r.start_date) <= 7
),
candidate_services AS (
    SELECT c.la_code, c.person_id, c.cluster_no,
           t.service_rank,
           c.service_type,
           c.component IN ('short term residential care', 'short term nursing care')
               AS residential_or_nursing
    FROM candidates c
    LEFT JOIN service_types t ON t.service_type = c.service_type
    WHERE c.event_type = 'service'
),
service_sequel AS (
    SELECT s.la_code, s.person_id, s.cluster_no,
           CASE WHEN s.service_type = 'short term support: other short term'
                     AND bool_or(s.residential_or_nursing)
                THEN 'short term support: residential or nursing care'
                ELSE s.service_type END AS sequel
    FROM candidate_services s
    JOIN (SELECT la_code, person_id, cluster_no, min(service_rank) AS best
          FROM candidate_services WHERE service_rank IS NOT NULL
          GROUP BY la_code, person_id, cluster_no) b
      ON b.la_code = s.la_code AND b.person_id = s.person_id AND b.cluster_no = s.cluster_no
     AND b.best = s.service_rank
    GROUP BY s.la_code, s.person_id, s.cluster_no, s.service_type
),
candidate_counts AS (
    SELECT n.la_code, n.person_id, n.cluster_no,
           count(c.record_id) AS n_candidates,
           count(CASE WHEN c.event_type <> 'service'
                           AND c.outcome IS NOT NULL
                           AND c.outcome <> 'nfa: support ended as planned'
                           AND (n.cluster_usable OR c.adj_rank < 100)
                      THEN 1 END) AS n_qualifying
    FROM new_clients n
    LEFT JOIN candidates c
           ON c.la_code = n.la_code AND c.person_id = n.person_id
          AND c.cluster_no = n.cluster_no
    GROUP BY n.la_code, n.person_id, n.cluster_no
),
-- Nested assessments and reviews (4c) and nested services (step 5): inside the cluster.
nested AS (
    SELECT n.cluster_no, n.cluster_end, r.*
    FROM new_clients n
    JOIN ranked r
      ON r.la_code = n.la_code
     AND r.person_id = n.person_id
     AND r.start_date >= n.cluster_start
     AND r.end_date > n.cluster_start
     AND r.end_date <= n.cluster_end
),
nested_assessment AS (
    SELECT la_code, person_id, cluster_no, outcome, adj_rank,
           row_number() OVER (PARTITION BY la_code, person_id, cluster_no
                              ORDER BY end_date DESC, adj_rank, record_id DESC) AS pick
    FROM nested
    WHERE event_type IN ('assessment', 'review')
      AND date_diff('day', end_date, cluster_end) < 14
      AND adj_rank < 100
),
equipment AS (
    SELECT DISTINCT la_code, person_id, cluster_no
    FROM nested
    WHERE event_type = 'service' AND component = 'equipment'
),
-- Step 4.4: the concluding outcome, best adjusted rank; ties prefer 4a, then 4b, then 4c.
concluding_options AS (
    SELECT n.la_code, n.person_id, n.cluster_no, n.cluster_outcome AS outcome,
           n.cluster_rank AS adj_rank, 1 AS source_order
    FROM new_clients n
    JOIN candidate_counts k
      ON k.la_code = n.la_code AND k.person_id = n.person_id AND k.cluster_no = n.cluster_no
    WHERE (k.n_candidates = 0 AND n.cluster_usable) OR k.n_qualifying > 0
    UNION ALL
    SELECT c.la_code, c.person_id, c.cluster_no, c.outcome, c.adj_rank, 2
    FROM candidates c
    WHERE c.event_type <> 'service'
      AND c.outcome IS NOT NULL
      AND c.outcome <> 'nfa: support ended as planned'
      AND c.adj_rank < 100
    UNION ALL
    SELECT la_code, person_id, cluster_no, outcome, adj_rank, 3
    FROM nested_assessment
    WHERE pick = 1
),
concluding AS (
    SELECT la_code, person_id, cluster_no, outcome, source_order
    FROM (SELECT o.*,
                 row_number() OVER (PARTITION BY la_code, person_id, cluster_no
                                    ORDER BY adj_rank, source_order) AS pick
          FROM concluding_options o) x
    WHERE pick = 1
),
-- Step 4, in order: death, hospital, service sequel, concluding outcome, equipment, else.
sequels AS (
    SELECT n.la_code, n.person_id, n.cluster_no, n.age,
           CASE
               WHEN n.date_of_death IS NOT NULL
                    AND date_diff('day', n.cluster_end, n.date_of_death) <= 7
                   THEN 'nfa: deceased'
               WHEN n.cluster_outcome = 'admitted to hospital' THEN 'admitted to hospital'
               WHEN s.sequel IS NOT NULL THEN s.sequel
               WHEN k.outcome IS NOT NULL THEN k.outcome
               WHEN q.person_id IS NOT NULL THEN 'short term support: ongoing low level'
               ELSE n.cluster_outcome
           END AS final_outcome,
           -- DHSC's sequel type, in the same order (its disaggregated table)
           CASE
               WHEN n.date_of_death IS NOT NULL
                    AND date_diff('day', n.cluster_end, n.date_of_death) <= 7 THEN '1'
               WHEN n.cluster_outcome = 'admitted to hospital' THEN '2'
               WHEN s.sequel IS NOT NULL THEN '3'
               WHEN k.outcome IS NOT NULL THEN '4' || chr(96 + k.source_order)
               WHEN q.person_id IS NOT NULL THEN '5'
               ELSE '6'
           END AS sequel_type
    FROM new_clients n
    LEFT JOIN service_sequel s
           ON s.la_code = n.la_code AND s.person_id = n.person_id
          AND s.cluster_no = n.cluster_no
    LEFT JOIN concluding k
           ON k.la_code = n.la_code AND k.person_id = n.person_id
          AND k.cluster_no = n.cluster_no
    LEFT JOIN equipment q
           ON q.la_code = n.la_code AND q.person_id = n.person_id
          AND q.cluster_no = n.cluster_no
),
-- Step 5: classify.
classified AS (
    SELECT s.*,
           CASE WHEN s.age IS NULL THEN NULL
                WHEN s.age < 65 THEN '18 to 64'
                ELSE '65 and above' END AS age_band,
           CASE WHEN s.final_outcome IN (
                    'short term support: ongoing low level',
                    'short term support: other short term',
                    'nfa: information and advice or signposting',
                    'nfa: support ended as planned',
                    'nfa: responsibility moved to another local authority',
                    'nfa: other',
                    'nfa: no services offered for other reason',
                    'nfa: support ended for other reason',
                    'nfa: referral to other service within the local authority')
                THEN 1 ELSE 0 END AS in_numerator,
           CASE WHEN s.final_outcome IN (SELECT service_type FROM service_types
                                         WHERE service_group = 'Long term support')
                  OR s.final_outcome IN (
                    'short term support: residential or nursing care',
                    'short term support: ongoing low level',
                    'short term support: other short term',
                    'nfa: information and advice or signposting',
                    'nfa: support ended as planned',
                    'nfa: responsibility moved to another local authority',
                    'nfa: other',
                    'nfa: no services offered for other reason',
                    'nfa: support ended for other reason',
                    'nfa: referral to other service within the local authority')
                THEN 1 ELSE 0 END AS in_denominator
    FROM sequels s
),
breakdowns (breakdown, age_band) AS (
    VALUES ('', NULL), ('age_band=18 to 64', '18 to 64'),
           ('age_band=65 and above', '65 and above')
),
-- DHSC's disaggregation (2A-EPISODES): every episode by its final outcome, spelled as the
-- specification spells it, with DHSC's flags (in the numerator, in the denominator only,
-- unable to classify: an outcome that still points to more support, or none known).
episodes AS (
    SELECT c.la_code, coalesce(c.age_band, 'Unknown') AS age_band, c.sequel_type AS sequel,
           coalesce(v.value, c.final_outcome, 'Unknown') AS final_outcome,
           CASE WHEN c.in_numerator = 1 THEN 'numerator'
                WHEN c.in_denominator = 1 THEN 'denominator only'
                WHEN c.final_outcome IS NULL OR c.final_outcome IN (
                    'continuation of support or services',
                    'progress to support planning or services',
                    'progress to assessment, review or reassessment',
                    'progress to reablement/st-max', 'invalid and not mapped',
                    'release 1 specification only: not mapped') OR v.value IS NULL
                    THEN 'unable to classify'
                ELSE 'left out' END AS counted
    FROM classified c
    LEFT JOIN (SELECT DISTINCT value FROM cld_values
               WHERE list IN ('Event_Outcome', 'Service_Type')) v
           ON lower(v.value) = c.final_outcome
),
episode_counts AS (
    SELECT la_code,
           array_to_string(list_sort(list_filter([
               CASE WHEN grouping(age_band) = 0 THEN 'age_band=' || age_band END,
               CASE WHEN grouping(sequel) = 0 THEN 'sequel=' || sequel END,
               CASE WHEN grouping(final_outcome) = 0 THEN 'final_outcome=' || final_outcome END,
               CASE WHEN grouping(counted) = 0 THEN 'counted=' || counted END],
               lambda x: x IS NOT NULL)), ';') AS breakdown,
           count(*) AS episodes
    FROM episodes
    GROUP BY GROUPING SETS ((la_code, age_band), (la_code, sequel), (la_code, final_outcome),
                            (la_code, counted),
                            (la_code, age_band, sequel, final_outcome, counted))
)
-- 2A's rows and the episodes' headline for every council of the run (0 where it has none)
SELECT l.la_code, '2A' AS code, b.breakdown,
       coalesce(sum(c.in_numerator), 0) AS numerator,
       coalesce(sum(c.in_denominator), 0) AS denominator,
       CASE WHEN coalesce(sum(c.in_denominator), 0) > 0
            THEN 100.0 * sum(c.in_numerator) / sum(c.in_denominator) END AS value
FROM compute_councils l
CROSS JOIN breakdowns b
LEFT JOIN classified c
       ON c.la_code = l.la_code AND (b.age_band IS NULL OR c.age_band = b.age_band)
GROUP BY l.la_code, b.breakdown
UNION ALL
SELECT l.la_code, '2A-EPISODES', '', count(e.la_code), NULL, count(e.la_code)
FROM compute_councils l
LEFT JOIN episodes e ON e.la_code = l.la_code
GROUP BY l.la_code
UNION ALL
SELECT la_code, '2A-EPISODES', breakdown, episodes, NULL, episodes
FROM episode_counts
