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
    SELECT s.la_code, s.event_start_date, s.der_event_end_date, q.qs, q.qe,
           s.service_type, s.service_type_grouped, s.service_component,
           s.cost_frequency_unit_type, s.event_outcome, s.client_type, s.gender, s.ethnicity,
           s.der_age_band, s.der_working_age_band, s.primary_support_reason,
           CAST(abs(s.unit_cost) AS DOUBLE) AS cost,
           coalesce(lower(s.cost_frequency_unit_type) = 'one-off', false) AS one_off,
           -- in DOUBLE, written out: a decimal fraction such as 12.0 / 52 is a double in
           -- DuckDB but a decimal of 6 places in Spark, and the engines must agree
           CASE WHEN s.cost_frequency_unit_type ILIKE 'week%' THEN CAST(1 AS DOUBLE)
                WHEN s.cost_frequency_unit_type ILIKE 'fortnight%' THEN CAST(1 AS DOUBLE) / 2
                WHEN s.cost_frequency_unit_type ILIKE '4-week%' THEN CAST(1 AS DOUBLE) / 4
                WHEN s.cost_frequency_unit_type ILIKE 'month%' THEN CAST(12 AS DOUBLE) / 52
                WHEN s.cost_frequency_unit_type ILIKE 'quarter%' THEN CAST(4 AS DOUBLE) / 52
                WHEN s.cost_frequency_unit_type ILIKE 'annual%' THEN CAST(1 AS DOUBLE) / 52
                ELSE CAST(abs(s.planned_units_per_week) AS DOUBLE) END AS units_per_week
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
                least(coalesce(der_event_end_date, qe), qe)) + 1) / CAST(7 AS DOUBLE) END
                AS DECIMAL(38, 10)) AS weeks
    FROM services
    WHERE cost IS NOT NULL AND cost <> 0
      AND (one_off OR coalesce(units_per_week, 0) <> 0)
),
-- each costed service with its total, and its value of each breakdown DHSC's costs table
-- carries (blank = `Unknown`)
rows AS (
    SELECT la_code, cost_per_week, weeks,
           -- the product in DOUBLE: a product of two decimals of 10 places keeps 20 in
           -- DuckDB and 6 in Spark
           CAST(CASE WHEN one_off THEN cost
                     ELSE CAST(cost_per_week AS DOUBLE) * CAST(weeks AS DOUBLE) END
                AS DECIMAL(38, 10)) AS total,
           coalesce(service_type, 'Unknown') AS k_service_type,
           coalesce(service_type_grouped, 'Unknown') AS k_service_group,
           coalesce(service_component, 'Unknown') AS k_component,
           coalesce(cost_frequency_unit_type, 'Unknown') AS k_frequency,
           coalesce(event_outcome, 'Unknown') AS k_outcome,
           coalesce(client_type, 'Unknown') AS k_client_type,
           coalesce(gender, 'Unknown') AS k_gender,
           coalesce(ethnicity, 'Unknown') AS k_ethnicity,
           coalesce(der_age_band, 'Unknown') AS k_age_band,
           coalesce(der_working_age_band, 'Unknown') AS k_working_age_band,
           coalesce(primary_support_reason, 'Unknown') AS k_psr
    FROM costed
),
-- the headline and each breakdown, one grouping set each (the services are read once)
cells AS (
    SELECT la_code,
           CASE WHEN grouping(k_service_type) = 0 THEN 'service_type=' || k_service_type
                WHEN grouping(k_service_group) = 0 THEN 'service_group=' || k_service_group
                WHEN grouping(k_component) = 0 THEN 'component=' || k_component
                WHEN grouping(k_frequency) = 0 THEN 'frequency=' || k_frequency
                WHEN grouping(k_outcome) = 0 THEN 'outcome=' || k_outcome
                WHEN grouping(k_client_type) = 0 THEN 'client_type=' || k_client_type
                WHEN grouping(k_gender) = 0 THEN 'gender=' || k_gender
                WHEN grouping(k_ethnicity) = 0 THEN 'ethnicity=' || k_ethnicity
                WHEN grouping(k_age_band) = 0 THEN 'age_band=' || k_age_band
                WHEN grouping(k_working_age_band) = 0
                THEN 'working_age_band=' || k_working_age_band
                WHEN grouping(k_psr) = 0 THEN 'psr=' || k_psr
                ELSE '' END AS breakdown,
           sum(total) AS total, sum(cost_per_week) AS weekly,
           count(cost_per_week) AS weekly_services, sum(weeks) AS weeks, count(*) AS services
    FROM rows
    GROUP BY GROUPING SETS ((la_code),
        (la_code, k_service_type), (la_code, k_service_group), (la_code, k_component),
        (la_code, k_frequency), (la_code, k_outcome), (la_code, k_client_type),
        (la_code, k_gender), (la_code, k_ethnicity), (la_code, k_age_band),
        (la_code, k_working_age_band), (la_code, k_psr))
),
-- a council of the run with no service costed has a headline of 0 services
grouped AS (
    SELECT * FROM cells
    UNION ALL
    SELECT c.la_code, '', NULL, NULL, 0, NULL, 0
    FROM compute_councils c
    WHERE c.la_code NOT IN (SELECT la_code FROM cells)
)
-- with nothing costed only the count says so (0); a total of £0 would read as a fact
SELECT la_code, 'COST-1' AS code, breakdown, total AS numerator, NULL AS denominator,
       total AS value
FROM grouped WHERE services > 0
UNION ALL
SELECT la_code, 'COST-2', breakdown, weekly, weekly_services,
       CAST(weekly AS DOUBLE) / nullif(weekly_services, 0)
FROM grouped WHERE services > 0
UNION ALL
SELECT la_code, 'COST-3', breakdown, weeks, NULL, weeks FROM grouped WHERE services > 0
UNION ALL
SELECT la_code, 'COST-4', breakdown, services, NULL, services FROM grouped
