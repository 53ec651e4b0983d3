-- ACTIVITY requests: all service-user requests ending in the period by route and outcome
-- (ACT-REQ-001); new clients' requests as STS001 counts them (ACT-REQ-002); and the share of
-- new clients' requests resolved with information and advice, or followed by short-term or
-- long-term support (ACT-REQ-003..005), from the SALT sequel (salt_request_sequels).
WITH requests AS (
    SELECT la_code, coalesce(request_route_of_access, 'Unknown') AS route,
           coalesce(event_outcome, 'Unknown') AS outcome
    FROM cld_events JOIN compute_councils USING (la_code)
    WHERE client_type = 'Service user' AND event_type = 'Request'
      AND coalesce(der_event_end_date, event_end_date) BETWEEN $period_start AND $period_end
),
new_requests AS (
    SELECT la_code, route, what_next FROM salt_request_sequels
    WHERE in_period AND age_band IN ('18 to 64', '65 and above')
),
request_totals AS (SELECT la_code, count(*) AS requests FROM requests GROUP BY la_code),
new_totals AS (
    SELECT la_code, count(*) AS requests,
           count(*) FILTER (WHERE what_next = 'Universal Services/ Signposted to other services')
               AS signposted,
           count(*) FILTER (WHERE what_next IN (SELECT value FROM cld_values
                                                WHERE list = 'Service_Type'
                                                  AND value_group = 'Short term support'))
               AS short_term,
           count(*) FILTER (WHERE what_next LIKE 'Long term support:%') AS long_term
    FROM new_requests GROUP BY la_code
),
headlines AS (
    -- every council of the run has the headline rows (0 without requests)
    SELECT c.la_code, coalesce(r.requests, 0) AS requests,
           coalesce(n.requests, 0) AS new_clients,
           coalesce(n.signposted, 0) AS signposted, coalesce(n.short_term, 0) AS short_term,
           coalesce(n.long_term, 0) AS long_term
    FROM compute_councils c
    LEFT JOIN request_totals r USING (la_code)
    LEFT JOIN new_totals n USING (la_code)
)
SELECT la_code, 'ACT-REQ-001' AS code, '' AS breakdown, requests AS numerator,
       NULL::BIGINT AS denominator FROM headlines
UNION ALL
SELECT la_code, 'ACT-REQ-001', 'route=' || route, count(*), NULL FROM requests
GROUP BY la_code, route
UNION ALL
SELECT la_code, 'ACT-REQ-001', 'outcome=' || outcome, count(*), NULL FROM requests
GROUP BY la_code, outcome
UNION ALL
SELECT la_code, 'ACT-REQ-002', '', new_clients, NULL FROM headlines
UNION ALL
SELECT la_code, 'ACT-REQ-002', 'route=' || route, count(*), NULL FROM new_requests
GROUP BY la_code, route
UNION ALL
SELECT la_code, 'ACT-REQ-003', '', signposted, new_clients FROM headlines
UNION ALL
SELECT la_code, 'ACT-REQ-004', '', short_term, new_clients FROM headlines
UNION ALL
SELECT la_code, 'ACT-REQ-005', '', long_term, new_clients FROM headlines
