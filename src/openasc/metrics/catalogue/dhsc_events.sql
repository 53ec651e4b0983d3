-- DHSC: the event counts of DHSC's CLD dashboard pages (DataS-DHSC/ASC-CLD-LA-Dashboard,
-- 1.Create_master_table.sql to 5.Reviews_fact.sql), in our own words. DHSC's pages read the
-- single-submission table (the latest rolling 12 months from one file per council), so these
-- read `cld_events_single`, every client type. Requests, assessments and reviews count when
-- they end in the period; services when active in it (as the table keeps them).
--
-- Each event is counted once (DHSC's fact tables hold an event count per row; its Power BI
-- sums them - docs/decisions.md). Every breakdown key is one field; a blank field is
-- `Unknown`, so the rows of each key add up to the headline. Every council of the run at once.
WITH ev AS (
    SELECT e.* FROM cld_events_single e
    JOIN compute_councils cc ON cc.la_code = e.la_code
    WHERE CASE WHEN event_type = 'Service'
               THEN event_start_date <= $period_end
                    AND (der_event_end_date IS NULL OR der_event_end_date >= $period_start)
               ELSE der_event_end_date BETWEEN $period_start AND $period_end END
),
-- DHSC's long-term support flag: the event started while the person had a long-term service
-- (started on or before it, ending on or after it or still open), in the same table. Found
-- for each person and start day the pages flag (requests, assessments and reviews) and
-- joined on, so that the events themselves are read once and stream.
in_service AS (
    SELECT DISTINCT e.la_code, e.person_id, e.event_start_date
    FROM cld_events_single e
    JOIN compute_councils cc ON cc.la_code = e.la_code
    JOIN cld_events_single s
      ON s.la_code = e.la_code AND s.person_id = e.person_id
     AND s.event_type = 'Service' AND s.service_type_grouped = 'Long term support'
     AND e.event_start_date >= s.event_start_date
     AND (s.der_event_end_date IS NULL OR e.event_start_date <= s.der_event_end_date)
    WHERE e.event_type IN ('Request', 'Assessment', 'Review')
      AND e.der_event_end_date BETWEEN $period_start AND $period_end
),
flagged AS (
    SELECT e.*, CASE WHEN f.la_code IS NULL THEN 'No' ELSE 'Yes' END AS in_lts
    FROM ev e
    LEFT JOIN in_service f ON f.la_code = e.la_code AND f.person_id = e.person_id
     AND f.event_start_date = e.event_start_date
),
-- one row per event and page (an other short-term service is on two pages); each step
-- streams, as no relation is read twice (DuckDB would hold every event in memory)
paged AS (
    SELECT *, unnest(CASE
        WHEN event_type = 'Request' THEN ['DHSC-REQ-1']
        WHEN event_type = 'Assessment' THEN ['DHSC-ASM-1']
        WHEN event_type = 'Review' THEN ['DHSC-REV-1']
        WHEN service_type IN ('Short term support: Ongoing low level',
                              'Short term support: Other short term')
            THEN ['DHSC-SRV-1', 'DHSC-SRV-2']
        ELSE ['DHSC-SRV-1'] END) AS code
    FROM flagged
    WHERE event_type IN ('Request', 'Assessment', 'Service', 'Review')
),
-- the breakdowns: each page's own keys, then client type and the person's characteristics
-- on every page; a key a page does not offer is NULL there, a blank field `Unknown`
keyed AS (
    SELECT la_code, code,
           CASE WHEN code = 'DHSC-REQ-1'
                THEN coalesce(request_route_of_access, 'Unknown') END AS k_route,
           CASE WHEN code = 'DHSC-ASM-1'
                THEN coalesce(assessment_type, 'Unknown') END AS k_assessment_type,
           CASE WHEN code IN ('DHSC-REQ-1', 'DHSC-ASM-1', 'DHSC-REV-1')
                THEN coalesce(event_outcome, 'Unknown')
                WHEN code = 'DHSC-SRV-1' THEN CASE
                    WHEN der_event_end_date IS NULL OR der_event_end_date > $period_end
                    THEN 'Open at the period end' ELSE coalesce(event_outcome, 'Unknown') END
           END AS k_outcome,
           CASE WHEN code IN ('DHSC-REQ-1', 'DHSC-ASM-1')
                THEN coalesce(event_outcome_grouped, 'Unknown') END AS k_outcome_group,
           CASE WHEN code = 'DHSC-ASM-1'
                THEN coalesce(eligible_needs_identified, 'Unknown') END AS k_eligible_needs,
           CASE WHEN code = 'DHSC-ASM-1'
                THEN CASE WHEN coalesce(is_conversation, false) THEN 'Yes' ELSE 'No' END
           END AS k_conversation,
           CASE WHEN code IN ('DHSC-REQ-1', 'DHSC-ASM-1', 'DHSC-REV-1')
                THEN coalesce(in_lts, 'Unknown') END AS k_in_lts,
           CASE WHEN code IN ('DHSC-SRV-1', 'DHSC-SRV-2')
                THEN coalesce(service_type, 'Unknown') END AS k_service_type,
           CASE WHEN code = 'DHSC-SRV-1'
                THEN coalesce(service_type_grouped, 'Unknown') END AS k_service_group,
           CASE WHEN code = 'DHSC-SRV-1'
                THEN coalesce(service_component, 'Unknown') END AS k_component,
           CASE WHEN code = 'DHSC-SRV-1'
                THEN coalesce(delivery_mechanism, 'Unknown') END AS k_mechanism,
           CASE WHEN code = 'DHSC-REV-1'
                THEN coalesce(review_type, 'Unknown') END AS k_review_type,
           CASE WHEN code = 'DHSC-REV-1' THEN coalesce(review_reason, 'Unknown') END AS k_reason,
           CASE WHEN code = 'DHSC-REV-1'
                THEN coalesce(review_outcomes_achieved, 'Unknown') END AS k_outcomes_achieved,
           coalesce(client_type, 'Unknown') AS k_client_type,
           coalesce(gender, 'Unknown') AS k_gender,
           coalesce(ethnicity, 'Unknown') AS k_ethnicity,
           coalesce(ethnicity_grouped, 'Unknown') AS k_ethnicity_group,
           coalesce(der_age_band, 'Unknown') AS k_age_band,
           coalesce(der_working_age_band, 'Unknown') AS k_working_age_band,
           coalesce(primary_support_reason, 'Unknown') AS k_psr
    FROM paged
),
-- each key counted on its own (one grouping set per key: the events are read once, and no
-- row is made per event and key); the NULL group of a key is the pages without it
cells AS (
    SELECT la_code, code, key, key || '=' || val AS breakdown, numerator
    FROM (SELECT la_code, code,
                 CASE WHEN grouping(k_route) = 0 THEN 'route'
                      WHEN grouping(k_assessment_type) = 0 THEN 'assessment_type'
                      WHEN grouping(k_outcome) = 0 THEN 'outcome'
                      WHEN grouping(k_outcome_group) = 0 THEN 'outcome_group'
                      WHEN grouping(k_eligible_needs) = 0 THEN 'eligible_needs'
                      WHEN grouping(k_conversation) = 0 THEN 'conversation'
                      WHEN grouping(k_in_lts) = 0 THEN 'in_lts'
                      WHEN grouping(k_service_type) = 0 THEN 'service_type'
                      WHEN grouping(k_service_group) = 0 THEN 'service_group'
                      WHEN grouping(k_component) = 0 THEN 'component'
                      WHEN grouping(k_mechanism) = 0 THEN 'mechanism'
                      WHEN grouping(k_review_type) = 0 THEN 'review_type'
                      WHEN grouping(k_reason) = 0 THEN 'reason'
                      WHEN grouping(k_outcomes_achieved) = 0 THEN 'outcomes_achieved'
                      WHEN grouping(k_client_type) = 0 THEN 'client_type'
                      WHEN grouping(k_gender) = 0 THEN 'gender'
                      WHEN grouping(k_ethnicity) = 0 THEN 'ethnicity'
                      WHEN grouping(k_ethnicity_group) = 0 THEN 'ethnicity_group'
                      WHEN grouping(k_age_band) = 0 THEN 'age_band'
                      WHEN grouping(k_working_age_band) = 0 THEN 'working_age_band'
                      WHEN grouping(k_psr) = 0 THEN 'psr'
                 END AS key,
                 coalesce(k_route, k_assessment_type, k_outcome, k_outcome_group,
                          k_eligible_needs, k_conversation, k_in_lts, k_service_type,
                          k_service_group, k_component, k_mechanism, k_review_type, k_reason,
                          k_outcomes_achieved, k_client_type, k_gender, k_ethnicity,
                          k_ethnicity_group, k_age_band, k_working_age_band, k_psr) AS val,
                 count(*) AS numerator
          FROM keyed
          GROUP BY GROUPING SETS (
              (la_code, code, k_route), (la_code, code, k_assessment_type),
              (la_code, code, k_outcome), (la_code, code, k_outcome_group),
              (la_code, code, k_eligible_needs), (la_code, code, k_conversation),
              (la_code, code, k_in_lts), (la_code, code, k_service_type),
              (la_code, code, k_service_group), (la_code, code, k_component),
              (la_code, code, k_mechanism), (la_code, code, k_review_type),
              (la_code, code, k_reason), (la_code, code, k_outcomes_achieved),
              (la_code, code, k_client_type), (la_code, code, k_gender),
              (la_code, code, k_ethnicity), (la_code, code, k_ethnicity_group),
              (la_code, code, k_age_band), (la_code, code, k_working_age_band),
              (la_code, code, k_psr)))
    WHERE val IS NOT NULL
)
-- (every event has one client_type cell, so a page's headline is the sum of those rows)
SELECT la_code, code, breakdown, numerator FROM cells
UNION ALL
-- every page's headline for every council of the run, 0 when the council has no such event
SELECT l.la_code, c.code, '' AS breakdown, coalesce(sum(h.numerator), 0) AS numerator
FROM compute_councils l
CROSS JOIN (VALUES ('DHSC-REQ-1'), ('DHSC-ASM-1'), ('DHSC-SRV-1'), ('DHSC-SRV-2'),
                   ('DHSC-REV-1')) c(code)
LEFT JOIN cells h ON h.key = 'client_type' AND h.la_code = l.la_code AND h.code = c.code
GROUP BY l.la_code, c.code
