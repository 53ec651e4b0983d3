-- SALT LTS001a/b/c cohorts (sac-dols-salt.md C4 "LTS001a/b/c"): one row per person and scope
-- -- `year` (long-term support at any time in the period, alive at its start), `snapshot`
-- (open at the period end, alive then) and `12 months` (snapshot people whose chain of
-- long-term services, gaps of at most 1 day, began at least 12 months before the period
-- end) -- placed once at the highest setting and delivery mechanism.
WITH lt AS (
    SELECT person_id, record_id, event_start_date AS s,
           coalesce(der_event_end_date, event_end_date) AS e,
           CASE service_type
               WHEN 'Long term support: Nursing care' THEN 'Nursing'
               WHEN 'Long term support: Residential care' THEN 'Residential'
               WHEN 'Long term support: Community' THEN 'Community'
               WHEN 'Long term support: Prison' THEN 'Prison' END AS setting,
           CASE
               WHEN service_type = 'Long term support: Community'
                    AND delivery_mechanism IN ('Direct payment', 'CASSR managed personal budget',
                                               'CASSR commissioned support')
                   THEN delivery_mechanism
               WHEN service_type = 'Long term support: Prison'
                    AND delivery_mechanism IN ('CASSR managed personal budget',
                                               'CASSR commissioned support')
                   THEN delivery_mechanism
               WHEN service_type IN ('Long term support: Community', 'Long term support: Prison')
                   THEN 'Unknown' END AS mechanism,
           nullif(primary_support_reason, 'Unknown') AS psr,
           coalesce(has_unpaid_carer, 'Unknown') AS carer,
           coalesce(gender, 'Unknown') AS sex,
           coalesce(ethnicity, 'No data - Undeclared or Not known') AS ethnicity,
           birth_year, birth_month, date_of_death
    FROM cld_events
    WHERE la_code = $la_code AND client_type = 'Service user' AND event_type = 'Service'
      AND service_type IN (SELECT value FROM cld_values
                           WHERE list = 'Service_Type' AND value_group = 'Long term support')
      AND event_start_date <= $period_end
),
chained AS (
    SELECT *, sum(CASE WHEN prev_end IS NULL OR date_diff('day', prev_end, s) > 1 THEN 1
                       ELSE 0 END)
              OVER (PARTITION BY person_id ORDER BY s, e NULLS LAST, record_id
                    ROWS UNBOUNDED PRECEDING) AS chain_no
    FROM (SELECT *, max(coalesce(e, DATE '9999-12-31'))
                    OVER (PARTITION BY person_id ORDER BY s, e NULLS LAST, record_id
                          ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
          FROM lt)
),
chain_start AS (
    SELECT *, min(s) OVER (PARTITION BY person_id, chain_no) AS chain_began FROM chained
),
scoped AS (
    SELECT 'year' AS scope, * FROM chain_start
    WHERE (e IS NULL OR e >= $period_start)
      AND (date_of_death IS NULL OR date_of_death >= $period_start)
    UNION ALL
    SELECT 'snapshot', * FROM chain_start
    WHERE (e IS NULL OR e >= $period_end)
      AND (date_of_death IS NULL OR date_of_death >= $period_end)
    UNION ALL
    -- CLD starts on 1 April 2023: a chain begun by then is accepted as the 12-month proxy.
    SELECT '12 months', * FROM chain_start
    WHERE (e IS NULL OR e >= $period_end)
      AND (date_of_death IS NULL OR date_of_death >= $period_end)
      AND (chain_began <= $period_end - INTERVAL 1 YEAR OR chain_began <= DATE '2023-04-01')
),
ordered AS (
    SELECT *, CASE setting
                  WHEN 'Nursing' THEN 1 WHEN 'Residential' THEN 2
                  WHEN 'Community' THEN CASE mechanism WHEN 'Direct payment' THEN 3
                      WHEN 'CASSR managed personal budget' THEN 4
                      WHEN 'CASSR commissioned support' THEN 5 ELSE 6 END
                  ELSE CASE mechanism WHEN 'CASSR managed personal budget' THEN 7
                      WHEN 'CASSR commissioned support' THEN 8 ELSE 9 END END AS setting_rank
    FROM scoped
),
best AS (
    SELECT *, row_number() OVER (PARTITION BY scope, person_id
                                 ORDER BY setting_rank, psr IS NULL, s DESC, record_id DESC) AS n,
           -- (iv) PSRs that still conflict at the same setting and start become Unknown.
           min(psr) OVER tie AS psr_low, max(psr) OVER tie AS psr_high
    FROM ordered
    WINDOW tie AS (PARTITION BY scope, person_id, setting_rank, psr IS NULL, s)
)
SELECT scope, person_id, setting, mechanism, sex, ethnicity, carer,
       CASE WHEN psr_low IS NULL THEN 'Unknown'
            WHEN psr_low <> psr_high THEN 'Unknown' ELSE psr_low END AS psr,
       CASE WHEN floor(date_diff('day', make_date(birth_year, birth_month, 1), $period_end)
                       / 365.25) < 65 THEN '18 to 64' ELSE '65 and above' END AS age_band
FROM best
WHERE n = 1 AND birth_year IS NOT NULL AND birth_month IS NOT NULL
  AND floor(date_diff('day', make_date(birth_year, birth_month, 1), $period_end) / 365.25) >= 18
