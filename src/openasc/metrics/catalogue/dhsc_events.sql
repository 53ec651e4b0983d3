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
    -- (a blank value of a key the pages share is `Unknown`)
    SELECT e.la_code, e.person_id, e.event_type, e.event_start_date, e.der_event_end_date,
           e.event_outcome, e.event_outcome_grouped, e.request_route_of_access,
           e.assessment_type, e.eligible_needs_identified, e.is_conversation, e.service_type,
           e.service_type_grouped, e.service_component, e.delivery_mechanism, e.review_type,
           e.review_reason, e.review_outcomes_achieved,
           coalesce(e.client_type, 'Unknown') AS client_type,
           coalesce(e.gender, 'Unknown') AS gender,
           coalesce(e.ethnicity, 'Unknown') AS ethnicity,
           coalesce(e.ethnicity_grouped, 'Unknown') AS ethnicity_group,
           coalesce(e.der_age_band, 'Unknown') AS age_band,
           coalesce(e.der_working_age_band, 'Unknown') AS working_age_band,
           coalesce(e.primary_support_reason, 'Unknown') AS psr
    FROM cld_events_single e
    JOIN compute_councils cc ON cc.la_code = e.la_code
    WHERE CASE WHEN event_type = 'Service'
               THEN event_start_date <= $period_end
                    AND (der_event_end_date IS NULL OR der_event_end_date >= $period_start)
               ELSE der_event_end_date BETWEEN $period_start AND $period_end END
),
-- DHSC's long-term support flag: the event started while the person had a long-term service
-- (started on or before it, ending on or after it or still open), in the same table.
flagged AS (
    SELECT e.*,
           CASE WHEN EXISTS (
               SELECT 1 FROM cld_events_single s
               WHERE s.la_code = e.la_code AND s.person_id = e.person_id
                 AND s.event_type = 'Service' AND s.service_type_grouped = 'Long term support'
                 AND e.event_start_date >= s.event_start_date
                 AND (s.der_event_end_date IS NULL OR e.event_start_date <= s.der_event_end_date))
                THEN 'Yes' ELSE 'No' END AS in_lts
    FROM ev e WHERE e.event_type <> 'Service'
    UNION ALL
    -- (the service pages have no such key)
    SELECT e.*, NULL FROM ev e WHERE e.event_type = 'Service'
),
-- Each code's events with the value of each of its own keys (blank: `Unknown`); a key the
-- code does not have is NULL, so the grouping below drops its rows.
coded AS (
    SELECT la_code, 'DHSC-REQ-1' AS code, client_type, gender, ethnicity, ethnicity_group,
           age_band, working_age_band, psr, in_lts,
           coalesce(request_route_of_access, 'Unknown') AS route,
           coalesce(event_outcome, 'Unknown') AS outcome,
           coalesce(event_outcome_grouped, 'Unknown') AS outcome_group
    FROM flagged WHERE event_type = 'Request'
    UNION ALL BY NAME
    SELECT la_code, 'DHSC-ASM-1' AS code, client_type, gender, ethnicity, ethnicity_group,
           age_band, working_age_band, psr, in_lts,
           coalesce(assessment_type, 'Unknown') AS assessment_type,
           coalesce(event_outcome, 'Unknown') AS outcome,
           coalesce(event_outcome_grouped, 'Unknown') AS outcome_group,
           coalesce(eligible_needs_identified, 'Unknown') AS eligible_needs,
           CASE WHEN coalesce(is_conversation, false) THEN 'Yes' ELSE 'No' END AS conversation
    FROM flagged WHERE event_type = 'Assessment'
    UNION ALL BY NAME
    SELECT la_code, 'DHSC-SRV-1' AS code, client_type, gender, ethnicity, ethnicity_group,
           age_band, working_age_band, psr,
           coalesce(service_type, 'Unknown') AS service_type,
           coalesce(service_type_grouped, 'Unknown') AS service_group,
           coalesce(service_component, 'Unknown') AS component,
           coalesce(delivery_mechanism, 'Unknown') AS mechanism,
           coalesce(CASE WHEN der_event_end_date IS NULL OR der_event_end_date > $period_end
                         THEN 'Open at the period end' ELSE event_outcome END, 'Unknown')
               AS outcome
    FROM flagged WHERE event_type = 'Service'
    UNION ALL BY NAME
    SELECT la_code, 'DHSC-SRV-2' AS code, client_type, gender, ethnicity, ethnicity_group,
           age_band, working_age_band, psr, coalesce(service_type, 'Unknown') AS service_type
    FROM flagged
    WHERE event_type = 'Service'
      AND service_type IN ('Short term support: Ongoing low level',
                           'Short term support: Other short term')
    UNION ALL BY NAME
    SELECT la_code, 'DHSC-REV-1' AS code, client_type, gender, ethnicity, ethnicity_group,
           age_band, working_age_band, psr, in_lts,
           coalesce(review_type, 'Unknown') AS review_type,
           coalesce(review_reason, 'Unknown') AS reason,
           coalesce(event_outcome, 'Unknown') AS outcome,
           coalesce(review_outcomes_achieved, 'Unknown') AS outcomes_achieved
    FROM flagged WHERE event_type = 'Review'
),
-- the headline (no key) and one row per value of each key: one grouping per key, not a row
-- per event and key (the pages' own keys, then the person's characteristics every page has)
cells AS (
    SELECT la_code, code,
           CASE WHEN grouping(route) = 0 THEN 'route=' || route
                WHEN grouping(assessment_type) = 0 THEN 'assessment_type=' || assessment_type
                WHEN grouping(service_type) = 0 THEN 'service_type=' || service_type
                WHEN grouping(service_group) = 0 THEN 'service_group=' || service_group
                WHEN grouping(component) = 0 THEN 'component=' || component
                WHEN grouping(mechanism) = 0 THEN 'mechanism=' || mechanism
                WHEN grouping(review_type) = 0 THEN 'review_type=' || review_type
                WHEN grouping(reason) = 0 THEN 'reason=' || reason
                WHEN grouping(outcome) = 0 THEN 'outcome=' || outcome
                WHEN grouping(outcome_group) = 0 THEN 'outcome_group=' || outcome_group
                WHEN grouping(eligible_needs) = 0 THEN 'eligible_needs=' || eligible_needs
                WHEN grouping(conversation) = 0 THEN 'conversation=' || conversation
                WHEN grouping(outcomes_achieved) = 0
                    THEN 'outcomes_achieved=' || outcomes_achieved
                WHEN grouping(in_lts) = 0 THEN 'in_lts=' || in_lts
                WHEN grouping(client_type) = 0 THEN 'client_type=' || client_type
                WHEN grouping(gender) = 0 THEN 'gender=' || gender
                WHEN grouping(ethnicity) = 0 THEN 'ethnicity=' || ethnicity
                WHEN grouping(ethnicity_group) = 0 THEN 'ethnicity_group=' || ethnicity_group
                WHEN grouping(age_band) = 0 THEN 'age_band=' || age_band
                WHEN grouping(working_age_band) = 0
                    THEN 'working_age_band=' || working_age_band
                WHEN grouping(psr) = 0 THEN 'psr=' || psr
                ELSE '' END AS breakdown,
           count(*) AS numerator
    FROM coded
    GROUP BY GROUPING SETS (
        (la_code, code), (la_code, code, route), (la_code, code, assessment_type),
        (la_code, code, service_type), (la_code, code, service_group),
        (la_code, code, component), (la_code, code, mechanism), (la_code, code, review_type),
        (la_code, code, reason), (la_code, code, outcome), (la_code, code, outcome_group),
        (la_code, code, eligible_needs), (la_code, code, conversation),
        (la_code, code, outcomes_achieved), (la_code, code, in_lts),
        (la_code, code, client_type), (la_code, code, gender), (la_code, code, ethnicity),
        (la_code, code, ethnicity_group), (la_code, code, age_band),
        (la_code, code, working_age_band), (la_code, code, psr))
)
SELECT la_code, code, breakdown, numerator FROM cells WHERE breakdown <> ''
UNION ALL
-- every page's headline for every council of the run, 0 when the council has no such event
SELECT l.la_code, c.code, '' AS breakdown, coalesce(h.numerator, 0) AS numerator
FROM compute_councils l
CROSS JOIN (VALUES ('DHSC-REQ-1'), ('DHSC-ASM-1'), ('DHSC-SRV-1'), ('DHSC-SRV-2'),
                   ('DHSC-REV-1')) c(code)
LEFT JOIN cells h ON h.breakdown = '' AND h.la_code = l.la_code AND h.code = c.code
