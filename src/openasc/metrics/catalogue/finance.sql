-- FIN-4 to FIN-9 (docs/money.md) from the ASC-FR lines of each area of the run
-- (finance_area_rows: the area's own published rows, else the sum of its councils') for the
-- financial year starting in the period. Each measure reads the published total lines
-- (`99` = "all" in a dimension), never adding up finer lines. A line not submitted (`:`) or
-- suppressed (`*`) has no value, so the measure has none (never 0).
WITH lines AS (
    SELECT * FROM finance_area_rows WHERE year_start = CAST(year($period_start) AS INTEGER)
),
lts AS (  -- long-term support gross current expenditure
    SELECT * FROM lines
    WHERE data_level = 'Gross Current Expenditure' AND finance_type = 'Expenditure'
      AND care_type = 'Long Term Care' AND value_type = '' AND purpose = '99' AND psr = '99'
),
unit_costs AS (  -- long-term residential and nursing care, 65 and over, per resident week
    SELECT la_code, support_setting, max(basis) AS basis,  -- one basis per area and year
           max(value_gbp) FILTER (WHERE value_type = 'UNIT COST') AS unit_cost,
           max(value_gbp) FILTER (WHERE value_type = 'NUMERATOR') AS num,
           max(value_gbp) FILTER (WHERE value_type = 'DENOMINATOR') AS den
    FROM lines
    WHERE care_type = 'Long Term Care' AND support_setting IN ('Residential', 'Nursing')
      AND age_band = '65 and Over' AND psr = '99' AND finance_description = '99'
      AND value_type IN ('UNIT COST', 'NUMERATOR', 'DENOMINATOR')
    GROUP BY la_code, support_setting
)
-- FIN-4, FIN-5: the published unit cost; for England or a region that publishes none, its
-- councils' summed numerators over summed denominators (never an average of unit costs).
SELECT la_code, CASE support_setting WHEN 'Residential' THEN 'FIN-4' ELSE 'FIN-5' END AS code,
       '' AS breakdown, num AS numerator, den AS denominator,
       CASE WHEN basis = 'published' THEN unit_cost ELSE num / nullif(den, 0) END AS value
FROM unit_costs
UNION ALL
-- FIN-6: the published (weighted) average standard hourly rate of external home care
SELECT la_code, 'FIN-6', '', NULL, NULL, value_gbp FROM lines
WHERE care_type = 'Long Term Care' AND support_setting = 'Community: Home Care'
  AND finance_description = 'Provision by Others' AND value_type = 'UNIT COST'
  AND age_band = '99' AND psr = '99' AND basis = 'published'
UNION ALL
SELECT s.la_code, 'FIN-7', 'age_band=' || s.age_band || ';setting=' || s.support_setting,
       s.value_gbp, b.value_gbp, 100.0 * s.value_gbp / nullif(b.value_gbp, 0)
FROM lts s
JOIN lts b ON b.la_code = s.la_code AND b.age_band = s.age_band AND b.support_setting = '99'
     AND b.finance_description = '99'
WHERE s.age_band IN ('18 to 64', '65 and Over') AND s.support_setting <> '99'
  AND s.finance_description = '99'
UNION ALL
SELECT t.la_code, 'FIN-8', '', c.value_gbp, t.value_gbp,
       100.0 * c.value_gbp / nullif(t.value_gbp, 0)
FROM lines t
JOIN lines c ON c.la_code = t.la_code AND c.finance_type = 'Client Contributions'
     AND c.care_type = 'Total' AND c.finance_description = '99' AND c.age_band = '99'
     AND c.psr = '99' AND c.support_setting = '99' AND c.purpose = '99' AND c.value_type = ''
WHERE t.data_level = 'Gross Current Expenditure' AND t.finance_type = 'Expenditure'
  AND t.care_type = 'Total' AND t.finance_description = '99' AND t.age_band = '99'
  AND t.psr = '99' AND t.support_setting = '99' AND t.purpose = '99' AND t.value_type = ''
UNION ALL
SELECT o.la_code, 'FIN-9', '', o.value_gbp, o.value_gbp + w.value_gbp,
       100.0 * o.value_gbp / nullif(o.value_gbp + w.value_gbp, 0)
FROM lts o
JOIN lts w ON w.la_code = o.la_code AND w.age_band = '99' AND w.support_setting = '99'
     AND w.finance_description = 'Own Provision'
WHERE o.age_band = '99' AND o.support_setting = '99'
  AND o.finance_description = 'Provision by Others'
