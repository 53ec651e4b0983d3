-- COSTS: DHSC's cost of services (DataS-DHSC/ASC-CLD-LA-Dashboard, 6.Costs_fact.sql), in our
-- own words, over the single-submission event table (`cld_events_single`: the only table that
-- keeps the cost fields). DHSC costs only the latest quarter, because a council sends the
-- latest cost of a service; here that is the quarter the compute period ends in.
--
-- Units per week: from the cost frequency when it says how often the unit cost recurs
-- (weekly 1, fortnightly 1/2, 4-weekly 1/4, monthly 12/52, quarterly 4/52, annually 1/52),
-- else (per session, hourly, daily, none) the planned units per week. Negative costs and units
-- count as positive. A service with no cost, or with no usable units unless it is one-off,
-- is not costed. Cost per week = unit cost x units per week; weeks of service = the days of
-- the service inside the quarter (both ends counted) / 7; cost in the quarter = cost per week x
-- weeks, or the unit cost of a one-off item. Every council of the run at once (`la_code`).
WITH quarter AS (
    SELECT CAST(date_trunc('quarter', CAST($period_end AS DATE)) AS DATE) AS qs,
           CAST($period_end AS DATE) AS qe
),
services AS (
    SELECT s.*, q.qs, q.qe,
           abs(s.unit_cost) AS cost,
           coalesce(lower(s.cost_frequency_unit_type) = 'one-off', false) AS one_off,
           CASE WHEN s.cost_frequency_unit_type ILIKE 'week%' THEN 1.0
                WHEN s.cost_frequency_unit_type ILIKE 'fortnight%' THEN 1.0 / 2
                WHEN s.cost_frequency_unit_type ILIKE '4-week%' THEN 1.0 / 4
                WHEN s.cost_frequency_unit_type ILIKE 'month%' THEN 12.0 / 52
                WHEN s.cost_frequency_unit_type ILIKE 'quarter%' THEN 4.0 / 52
                WHEN s.cost_frequency_unit_type ILIKE 'annual%' THEN 1.0 / 52
                ELSE abs(s.planned_units_per_week) END AS units_per_week
    FROM cld_events_single s
    JOIN compute_councils cc ON cc.la_code = s.la_code
    CROSS JOIN quarter q
    WHERE s.event_type = 'Service'
      AND s.event_start_date <= q.qe
      AND (s.der_event_end_date IS NULL OR s.der_event_end_date >= q.qs)
),
costed AS (
    SELECT *,
           -- exact decimals (to 10 places), so that a sum does not depend on the order in
           -- which threads add up its rows: two runs give the same figures to the last digit
           CAST(CASE WHEN NOT one_off THEN cost * units_per_week END AS DECIMAL(38, 10))
             AS cost_per_week,
           CAST(CASE WHEN NOT one_off THEN (date_diff('day', greatest(event_start_date, qs),
                least(coalesce(der_event_end_date, qe), qe)) + 1) / 7.0 END AS DECIMAL(38, 10))
             AS weeks
    FROM services
    WHERE cost IS NOT NULL AND cost <> 0
      AND (one_off OR coalesce(units_per_week, 0) <> 0)
),
rows AS (
    SELECT *, CAST(CASE WHEN one_off THEN cost ELSE cost_per_week * weeks END
                   AS DECIMAL(38, 10)) AS total
    FROM costed
),
-- every costed service under each breakdown DHSC's costs table carries (blank = `Unknown`)
pairs AS (
    SELECT la_code, total, cost_per_week, weeks, unnest([
        {'key': 'service_type', 'val': service_type},
        {'key': 'service_group', 'val': service_type_grouped},
        {'key': 'component', 'val': service_component},
        {'key': 'frequency', 'val': cost_frequency_unit_type},
        {'key': 'outcome', 'val': event_outcome},
        {'key': 'client_type', 'val': client_type},
        {'key': 'gender', 'val': gender},
        {'key': 'ethnicity', 'val': ethnicity},
        {'key': 'age_band', 'val': der_age_band},
        {'key': 'working_age_band', 'val': der_working_age_band},
        {'key': 'psr', 'val': primary_support_reason}]) AS p
    FROM rows
),
-- the headline of every council of the run, with 0 services when it has none costed
grouped AS (
    SELECT c.la_code, '' AS breakdown, sum(r.total) AS total, sum(r.cost_per_week) AS weekly,
           count(r.cost_per_week) AS weekly_services, sum(r.weeks) AS weeks,
           count(r.la_code) AS services
    FROM compute_councils c LEFT JOIN rows r ON r.la_code = c.la_code
    GROUP BY c.la_code
    UNION ALL
    SELECT la_code, p.key || '=' || coalesce(p.val, 'Unknown'), sum(total), sum(cost_per_week),
           count(cost_per_week), sum(weeks), count(*)
    FROM pairs GROUP BY la_code, p.key, coalesce(p.val, 'Unknown')
)
-- with nothing costed only the count says so (0); a total of £0 would read as a fact
SELECT la_code, 'COST-1' AS code, breakdown, total AS numerator, NULL AS denominator,
       total AS value
FROM grouped WHERE services > 0
UNION ALL
SELECT la_code, 'COST-2', breakdown, weekly, weekly_services, weekly / nullif(weekly_services, 0)
FROM grouped WHERE services > 0
UNION ALL
SELECT la_code, 'COST-3', breakdown, weeks, NULL, weeks FROM grouped WHERE services > 0
UNION ALL
SELECT la_code, 'COST-4', breakdown, services, NULL, services FROM grouped
