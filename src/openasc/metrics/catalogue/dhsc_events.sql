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
-- (code, the event's value of each key of that code): one row per event and page (an
-- other short-term service is on two pages), then one per key; each step streams, as no
-- relation is read twice (DuckDB would hold every event in memory)
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
-- the breakdowns every page offers: client type and the person's characteristics
pairs AS (
    SELECT la_code, code, unnest(CASE code
        WHEN 'DHSC-REQ-1' THEN [
            {'key': 'route', 'val': request_route_of_access},
            {'key': 'outcome', 'val': event_outcome},
            {'key': 'outcome_group', 'val': event_outcome_grouped},
            {'key': 'in_lts', 'val': in_lts}]
        WHEN 'DHSC-ASM-1' THEN [
            {'key': 'assessment_type', 'val': assessment_type},
            {'key': 'outcome', 'val': event_outcome},
            {'key': 'outcome_group', 'val': event_outcome_grouped},
            {'key': 'eligible_needs', 'val': eligible_needs_identified},
            {'key': 'conversation',
             'val': CASE WHEN coalesce(is_conversation, false) THEN 'Yes' ELSE 'No' END},
            {'key': 'in_lts', 'val': in_lts}]
        WHEN 'DHSC-SRV-1' THEN [
            {'key': 'service_type', 'val': service_type},
            {'key': 'service_group', 'val': service_type_grouped},
            {'key': 'component', 'val': service_component},
            {'key': 'mechanism', 'val': delivery_mechanism},
            {'key': 'outcome',
             'val': CASE WHEN der_event_end_date IS NULL OR der_event_end_date > $period_end
                         THEN 'Open at the period end' ELSE event_outcome END}]
        WHEN 'DHSC-SRV-2' THEN [{'key': 'service_type', 'val': service_type}]
        ELSE [
            {'key': 'review_type', 'val': review_type},
            {'key': 'reason', 'val': review_reason},
            {'key': 'outcome', 'val': event_outcome},
            {'key': 'outcomes_achieved', 'val': review_outcomes_achieved},
            {'key': 'in_lts', 'val': in_lts}] END || [
        {'key': 'client_type', 'val': client_type},
        {'key': 'gender', 'val': gender},
        {'key': 'ethnicity', 'val': ethnicity},
        {'key': 'ethnicity_group', 'val': ethnicity_grouped},
        {'key': 'age_band', 'val': der_age_band},
        {'key': 'working_age_band', 'val': der_working_age_band},
        {'key': 'psr', 'val': primary_support_reason}]) AS p
    FROM paged
),
-- (the pairs are counted once: every event has one client_type pair, so a page's headline
-- is the sum of those rows)
cells AS (
    SELECT la_code, code, p.key AS key, p.key || '=' || coalesce(p.val, 'Unknown') AS breakdown,
           count(*) AS numerator
    FROM pairs GROUP BY la_code, code, p.key, coalesce(p.val, 'Unknown')
)
SELECT la_code, code, breakdown, numerator FROM cells
UNION ALL
-- every page's headline for every council of the run, 0 when the council has no such event
SELECT l.la_code, c.code, '' AS breakdown, coalesce(sum(h.numerator), 0) AS numerator
FROM compute_councils l
CROSS JOIN (VALUES ('DHSC-REQ-1'), ('DHSC-ASM-1'), ('DHSC-SRV-1'), ('DHSC-SRV-2'),
                   ('DHSC-REV-1')) c(code)
LEFT JOIN cells h ON h.key = 'client_type' AND h.la_code = l.la_code AND h.code = c.code
GROUP BY l.la_code, c.code
