-- ACTIVITY requests: all service-user requests ending in the period by route and outcome
-- (ACT-REQ-001); new clients' requests as STS001 counts them (ACT-REQ-002); and the share of
-- new clients' requests resolved with information and advice, or followed by short-term or
-- long-term support (ACT-REQ-003..005), from the SALT sequel (salt_request_sequels).
WITH requests AS (
    SELECT coalesce(request_route_of_access, 'Unknown') AS route,
           coalesce(event_outcome, 'Unknown') AS outcome
    FROM cld_events
    WHERE la_code = $la_code AND client_type = 'Service user' AND event_type = 'Request'
      AND coalesce(der_event_end_date, event_end_date) BETWEEN $period_start AND $period_end
),
new_requests AS (
    SELECT route, what_next FROM salt_request_sequels
    WHERE in_period AND age_band IN ('18 to 64', '65 and above')
)
SELECT 'ACT-REQ-001' AS code, '' AS breakdown, count(*) AS numerator,
       NULL::BIGINT AS denominator FROM requests
UNION ALL
SELECT 'ACT-REQ-001', 'route=' || route, count(*), NULL FROM requests GROUP BY route
UNION ALL
SELECT 'ACT-REQ-001', 'outcome=' || outcome, count(*), NULL FROM requests GROUP BY outcome
UNION ALL
SELECT 'ACT-REQ-002', '', count(*), NULL FROM new_requests
UNION ALL
SELECT 'ACT-REQ-002', 'route=' || route, count(*), NULL FROM new_requests GROUP BY route
UNION ALL
SELECT 'ACT-REQ-003', '',
       count(*) FILTER (WHERE what_next = 'Universal Services/ Signposted to other services'),
       count(*) FROM new_requests
UNION ALL
SELECT 'ACT-REQ-004', '',
       count(*) FILTER (WHERE what_next IN (SELECT value FROM cld_values
                                            WHERE list = 'Service_Type'
                                              AND value_group = 'Short term support')),
       count(*) FROM new_requests
UNION ALL
SELECT 'ACT-REQ-005', '',
       count(*) FILTER (WHERE what_next LIKE 'Long term support:%'), count(*)
FROM new_requests
