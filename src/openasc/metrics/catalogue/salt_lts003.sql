-- LTS003: unpaid carers supported in the period, each once at the highest support category
-- (sac-dols-salt.md C5 carer support mapping), in all, by support and by the carer's age band.
WITH carer_events AS (
    SELECT person_id, birth_year, birth_month,
           CASE
               WHEN event_type = 'Service'
                    AND service_type = 'Unpaid carer support: Direct to unpaid carer' THEN
                   CASE delivery_mechanism WHEN 'Direct payment' THEN 1
                       WHEN 'CASSR managed personal budget' THEN 2
                       WHEN 'CASSR commissioned support' THEN 3 ELSE 4 END
               WHEN event_type = 'Service'
                    AND service_type = 'Unpaid carer support: Support involving the person cared-for'
                   THEN 6
               WHEN event_type = 'Request' THEN 5
               WHEN event_type IN ('Assessment', 'Review')
                    AND event_outcome = 'NFA: Information and advice or signposting' THEN 5
               WHEN event_type IN ('Assessment', 'Review') THEN 6 END AS support_rank
    FROM cld_events
    WHERE la_code = $la_code
      AND client_type IN ('Unpaid carer', 'Unpaid carer known by association')
      AND event_start_date <= $period_end
      AND (coalesce(der_event_end_date, event_end_date) IS NULL
           OR coalesce(der_event_end_date, event_end_date) >= $period_start)
      AND (date_of_death IS NULL OR date_of_death >= $period_start)
),
carers AS (
    SELECT person_id, min(support_rank) AS support_rank,
           any_value(birth_year) AS birth_year, any_value(birth_month) AS birth_month
    FROM carer_events WHERE support_rank IS NOT NULL GROUP BY person_id
),
labelled AS (
    SELECT person_id,
           CASE support_rank WHEN 1 THEN 'Direct Payment only'
               WHEN 2 THEN 'CASSR Managed Personal Budget'
               WHEN 3 THEN 'CASSR Commissioned Support only'
               WHEN 4 THEN 'Support Direct to Carer: Unknown Delivery Mech'
               WHEN 5 THEN 'Information, Advice and Other Universal Services / Signposting'
               ELSE 'No Direct Support Provided to Carer' END AS support,
           CASE WHEN birth_year IS NULL OR birth_month IS NULL THEN 'Unknown'
                WHEN floor(date_diff('day', make_date(birth_year, birth_month, 1),
                                     $period_end) / 365.25) < 18 THEN 'Under 18'
                WHEN floor(date_diff('day', make_date(birth_year, birth_month, 1),
                                     $period_end) / 365.25) < 65 THEN '18 to 64'
                ELSE '65 and above' END AS age_band
    FROM carers
)
SELECT concat_ws(';',
           CASE WHEN grouping(age_band) = 0 THEN 'age_band=' || age_band END,
           CASE WHEN grouping(support) = 0 THEN 'support=' || support END) AS breakdown,
       count(*) AS numerator
FROM labelled
GROUP BY GROUPING SETS ((), (support), (age_band, support))
