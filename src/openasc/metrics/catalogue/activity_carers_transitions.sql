-- ACTIVITY carers and transitions: unpaid carers' requests (ACT-CAR-001) and assessments
-- (ACT-CAR-002) ending in the period; requests by the route `Planned entry (transition)`
-- from people aged 18 to 25 at the request (ACT-TRN-001, 0 for a council without any).
SELECT la_code, CASE event_type WHEN 'Request' THEN 'ACT-CAR-001' ELSE 'ACT-CAR-002' END AS code,
       '' AS breakdown, count(*) AS numerator
FROM cld_events JOIN compute_councils USING (la_code)
WHERE event_type IN ('Request', 'Assessment')
  AND client_type IN ('Unpaid carer', 'Unpaid carer known by association')
  AND coalesce(der_event_end_date, event_end_date) BETWEEN $period_start AND $period_end
GROUP BY la_code, event_type
UNION ALL
SELECT c.la_code, 'ACT-TRN-001', '', coalesce(t.requests, 0)
FROM compute_councils c
LEFT JOIN (
    SELECT la_code, count(*) AS requests
    FROM cld_events JOIN compute_councils USING (la_code)
    WHERE event_type = 'Request' AND client_type = 'Service user'
      AND request_route_of_access = 'Planned entry (transition)'
      AND coalesce(der_event_end_date, event_end_date) BETWEEN $period_start AND $period_end
      AND birth_year IS NOT NULL AND birth_month IS NOT NULL
      AND floor(date_diff('day', make_date(birth_year, birth_month, 1), event_start_date)
                / 365.25) BETWEEN 18 AND 25
    GROUP BY la_code) t USING (la_code)
