-- FIN-10 (docs/money.md): real-terms change in total gross current expenditure on the year
-- before, for each area of the run. Numerator: GCE(t) at the prices of year t-1,
-- GCE(t) x deflator(t-1) / deflator(t) (the GDP deflator the user loads); denominator:
-- GCE(t-1); value: (numerator / denominator - 1) x 100. No value when either year's total
-- was not submitted or suppressed.
WITH total AS (
    SELECT la_code, year_start, value_gbp FROM finance_area_rows
    WHERE data_level = 'Gross Current Expenditure' AND finance_type = 'Expenditure'
      AND care_type = 'Total' AND finance_description = '99' AND age_band = '99'
      AND psr = '99' AND support_setting = '99' AND purpose = '99' AND value_type = ''
)
SELECT t.la_code, 'FIN-10' AS code, '' AS breakdown,
       t.value_gbp * d0.deflator_index / d1.deflator_index AS numerator,
       p.value_gbp AS denominator,
       100.0 * (t.value_gbp * d0.deflator_index / d1.deflator_index / nullif(p.value_gbp, 0)
                - 1) AS value
FROM total t
JOIN total p ON p.la_code = t.la_code AND p.year_start = t.year_start - 1
JOIN gdp_deflator d1 ON d1.year_start = t.year_start
JOIN gdp_deflator d0 ON d0.year_start = t.year_start - 1
WHERE t.year_start = CAST(year($period_start) AS INTEGER)
