-- SALT LTS001a/b/c cohorts (sac-dols-salt.md C4 "LTS001a/b/c"): one row per person and scope
-- -- `year` (long-term support at any time in the period, alive at its start), `snapshot`
-- (open at the period end, alive then) and `12 months` (snapshot people whose chain of
-- long-term services, gaps of at most 1 day, began at least 12 months before the period
-- end) -- placed once at the highest setting and delivery mechanism.
WITH imports AS (
    -- salt_method 'nhse' (NHS England's code, "Latest_Submission"): the council's rows are
    -- those of its last import date whose rows cover the period (earliest reporting period
    -- start on or before the period start, latest end on or after the period end) and that
    -- was imported after the period end. 'corrected' reads the joined, de-duplicated
    -- cld_events (docs/decisions.md 15).
    SELECT r.la_code, s.submitted_on
    FROM cld_records r JOIN cld_submissions s USING (submission_id)
    JOIN compute_councils cc ON cc.la_code = r.la_code
    WHERE $salt_method = 'nhse'
    GROUP BY r.la_code, s.submitted_on
    HAVING min(r.reporting_period_start_date) <= $period_start
       AND max(r.reporting_period_end_date) >= $period_end AND s.submitted_on > $period_end
),
latest_import AS (
    SELECT la_code, max(submitted_on) AS submitted_on FROM imports GROUP BY la_code
),
nhse_rows AS (
    -- the rows of each script (LTS001a: in the period, alive at its start; LTS001b: open at
    -- its end, alive then; LTS001c: alive at its end), as flags on one copy of the row; each
    -- script pairs identifiers in its own
    SELECT r.la_code, r.nhs_number_pseudo, r.la_person_pseudo, r.record_id,
           r.event_start_date, r.event_end_date, r.client_type, r.event_type, r.service_type,
           r.delivery_mechanism, r.primary_support_reason, r.has_unpaid_carer, r.gender,
           r.ethnicity, r.birth_year, r.birth_month, r.date_of_death,
           CASE WHEN (r.event_end_date >= $period_start OR r.event_end_date IS NULL)
                     AND (r.date_of_death >= $period_start OR r.date_of_death IS NULL)
                THEN 1 ELSE 0 END AS in_year,
           CASE WHEN (r.event_end_date >= $period_end OR r.event_end_date IS NULL)
                     AND (r.date_of_death >= $period_end OR r.date_of_death IS NULL)
                THEN 1 ELSE 0 END AS in_snapshot,
           CASE WHEN r.date_of_death >= $period_end OR r.date_of_death IS NULL
                THEN 1 ELSE 0 END AS in_12_months
    FROM cld_records r JOIN cld_submissions s USING (submission_id)
    JOIN latest_import i ON i.la_code = r.la_code AND i.submitted_on = s.submitted_on
    WHERE r.birth_year IS NOT NULL AND r.birth_month IS NOT NULL
      AND r.client_type = 'Service user' AND r.service_type LIKE 'Long term support:%'
      AND r.event_start_date <= $period_end
),
paired AS (
    -- the council IDs that a row of each script pairs with an NHS number
    SELECT la_code, la_person_pseudo, max(in_year) AS in_year,
           max(in_snapshot) AS in_snapshot, max(in_12_months) AS in_12_months
    FROM nhse_rows
    WHERE nhs_number_pseudo IS NOT NULL AND la_person_pseudo IS NOT NULL
    GROUP BY la_code, la_person_pseudo
),
source AS (
    SELECT 'all' AS tag, la_code, person_id, record_id, event_start_date, event_end_date,
           der_event_end_date,
           client_type, event_type, service_type, delivery_mechanism, primary_support_reason,
           has_unpaid_carer, gender, ethnicity, birth_year, birth_month, date_of_death
    FROM cld_events JOIN compute_councils USING (la_code)
    WHERE $salt_method = 'corrected'
    UNION ALL
    -- the code's person: the NHS number, else the council's ID if never paired with one in
    -- the script's rows; the end date as submitted
    SELECT tag, n.la_code, coalesce(n.nhs_number_pseudo, n.la_person_pseudo), n.record_id,
           n.event_start_date,
           n.event_end_date, n.event_end_date, n.client_type, n.event_type, n.service_type,
           n.delivery_mechanism, n.primary_support_reason, n.has_unpaid_carer, n.gender,
           n.ethnicity, n.birth_year, n.birth_month, n.date_of_death
    FROM nhse_rows n
    LEFT JOIN paired p ON p.la_code = n.la_code AND p.la_person_pseudo = n.la_person_pseudo
    CROSS JOIN (VALUES ('year'), ('snapshot'), ('12 months')) AS scripts(tag)
    WHERE CASE tag WHEN 'year' THEN n.in_year WHEN 'snapshot' THEN n.in_snapshot
                   ELSE n.in_12_months END = 1
      AND (n.nhs_number_pseudo IS NOT NULL
           OR coalesce(CASE tag WHEN 'year' THEN p.in_year WHEN 'snapshot' THEN p.in_snapshot
                                ELSE p.in_12_months END, 0) = 0)
),
lt AS (
    SELECT tag, la_code, person_id, record_id, event_start_date AS s,
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
    FROM source
    WHERE client_type = 'Service user' AND event_type = 'Service'
      AND service_type IN (SELECT value FROM cld_values
                           WHERE list = 'Service_Type' AND value_group = 'Long term support')
      AND event_start_date <= $period_end
),
chained AS (
    -- a row begins a chain when its start is more than 1 day after the previous end.
    -- 'corrected': the gap from the latest end so far; 'nhse': from the previous row's
    -- end only (the code's LAG, ordered by start then end).
    SELECT *, CASE WHEN prev_end IS NULL OR date_diff('day', prev_end, s) > 1 THEN 1
                   ELSE 0 END AS begins_chain
    FROM (SELECT *, CASE WHEN $salt_method = 'nhse'
                         THEN lag(coalesce(e, DATE '9999-12-31')) OVER (
                                  PARTITION BY la_code, tag, person_id
                                  ORDER BY s, coalesce(e, DATE '9999-12-31'), record_id)
                         ELSE max(coalesce(e, DATE '9999-12-31')) OVER (
                                  PARTITION BY la_code, tag, person_id
                                  ORDER BY s, e NULLS LAST, record_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) END
                        AS prev_end
          FROM lt WHERE tag IN ('all', '12 months'))
),
chain_start AS (
    -- A chain is the rows from one that begins a chain to the next, in start order; its
    -- first start (the earliest, as starts are in order) is the latest chain-beginning
    -- start so far, or the first start for rows before any (one pass, no second window
    -- partitioned by chain).
    SELECT *,
           coalesce(max(CASE WHEN begins_chain = 1 THEN s END) OVER (
                        PARTITION BY la_code, tag, person_id ORDER BY s, e NULLS LAST, record_id
                        ROWS UNBOUNDED PRECEDING),
                    min(s) OVER (
                        PARTITION BY la_code, tag, person_id ORDER BY s, e NULLS LAST, record_id
                        ROWS UNBOUNDED PRECEDING)) AS chain_began
    FROM chained
),
scoped AS (
    -- (only the '12 months' scope reads the chains: the others take their rows from `lt`)
    SELECT 'year' AS scope, la_code, person_id, record_id, s, setting, mechanism, psr, carer,
           sex, ethnicity, birth_year, birth_month
    FROM lt
    WHERE tag IN ('all', 'year') AND (e IS NULL OR e >= $period_start)
      AND (date_of_death IS NULL OR date_of_death >= $period_start)
    UNION ALL
    SELECT 'snapshot', la_code, person_id, record_id, s, setting, mechanism, psr, carer, sex,
           ethnicity, birth_year, birth_month
    FROM lt
    WHERE tag IN ('all', 'snapshot') AND (e IS NULL OR e >= $period_end)
      AND (date_of_death IS NULL OR date_of_death >= $period_end)
    UNION ALL
    -- 'corrected' (decision 23): began on or before the snapshot less one year, or by
    -- 1 April 2023 (the start of CLD, NHS England's 12-month proxy). 'nhse': the code's
    -- test, begun strictly before the snapshot less one year, with no proxy.
    SELECT '12 months', la_code, person_id, record_id, s, setting, mechanism, psr, carer, sex,
           ethnicity, birth_year, birth_month
    FROM chain_start
    WHERE (e IS NULL OR e >= $period_end)
      AND (date_of_death IS NULL OR date_of_death >= $period_end)
      AND CASE WHEN $salt_method = 'nhse'
               THEN chain_began < $period_end - INTERVAL 1 YEAR
               ELSE chain_began <= $period_end - INTERVAL 1 YEAR
                    OR chain_began <= DATE '2023-04-01' END
),
ordered AS (
    -- the order of preference as one number, lower first: setting rank, then a known PSR,
    -- then the latest start (days from 1900 lie well within 5 million either way)
    SELECT *, (setting_rank * 2 + CASE WHEN psr IS NULL THEN 1 ELSE 0 END) * 10000000
              - date_diff('day', DATE '1900-01-01', s) AS preference
    FROM (SELECT *, CASE setting
                  WHEN 'Nursing' THEN 1 WHEN 'Residential' THEN 2
                  WHEN 'Community' THEN CASE mechanism WHEN 'Direct payment' THEN 3
                      WHEN 'CASSR managed personal budget' THEN 4
                      WHEN 'CASSR commissioned support' THEN 5 ELSE 6 END
                  ELSE CASE mechanism WHEN 'CASSR managed personal budget' THEN 7
                      WHEN 'CASSR commissioned support' THEN 8 ELSE 9 END END AS setting_rank
          FROM scoped) r
),
tie AS (
    -- each person's rows at their most preferred setting, PSR and start (grouped, not a
    -- window: a sort of every row by person costs more than two hash passes)
    SELECT o.* FROM ordered o
    JOIN (SELECT la_code, scope, person_id, min(preference) AS preference FROM ordered
          GROUP BY la_code, scope, person_id) f
      ON f.la_code = o.la_code AND f.scope = o.scope
     AND f.person_id IS NOT DISTINCT FROM o.person_id AND f.preference = o.preference
),
best AS (
    -- of those the latest record; (iv) PSRs that still conflict there become Unknown
    SELECT la_code, scope, person_id, max(record_id) AS record_id, min(psr) AS psr_low,
           max(psr) AS psr_high
    FROM tie GROUP BY la_code, scope, person_id
)
SELECT t.la_code, t.scope, t.person_id, t.setting, t.mechanism, t.sex, t.ethnicity, t.carer,
       CASE WHEN b.psr_low IS NULL THEN 'Unknown'
            WHEN b.psr_low <> b.psr_high THEN 'Unknown' ELSE b.psr_low END AS psr,
       CASE WHEN floor(date_diff('day', make_date(t.birth_year, t.birth_month, 1), $period_end)
                       / 365.25) < 65 THEN '18 to 64' ELSE '65 and above' END AS age_band
FROM tie t
JOIN best b ON b.la_code = t.la_code AND b.scope = t.scope
 AND b.person_id IS NOT DISTINCT FROM t.person_id AND b.record_id = t.record_id
WHERE t.birth_year IS NOT NULL AND t.birth_month IS NOT NULL
  AND floor(date_diff('day', make_date(t.birth_year, t.birth_month, 1), $period_end) / 365.25) >= 18
