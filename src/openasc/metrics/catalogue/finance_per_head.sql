-- FIN-1 to FIN-3 (docs/money.md): ASC-FR gross current expenditure (GCE) per head, for each
-- area of the run, from its published total lines (finance_area_rows: the area's own rows,
-- else the sum of its councils') for the financial year starting in the period, over the ONS
-- mid-year persons (area_population) of the mid-year the year starts in, else the area's
-- latest earlier one. `99` is "all" in a dimension: totals are read, never added up from
-- finer lines. A line not submitted (`:`) or suppressed (`*`) has no value, so the measure
-- has none (never 0).
WITH gce AS (
    SELECT * FROM finance_area_rows
    WHERE year_start = CAST(year($period_start) AS INTEGER)
      AND data_level = 'Gross Current Expenditure'
      AND finance_type = 'Expenditure' AND value_type = '' AND purpose = '99'
      AND finance_description = '99' AND support_setting = '99'
),
pop_year AS (
    SELECT la_code, max(year) AS year FROM area_population
    WHERE year <= CAST(year($period_start) AS INTEGER)
    GROUP BY la_code
),
pop AS (
    SELECT p.la_code, p.age_band, p.population
    FROM area_population p JOIN pop_year y ON y.la_code = p.la_code AND y.year = p.year
)
SELECT g.la_code, 'FIN-1' AS code, '' AS breakdown, g.value_gbp AS numerator,
       p.population AS denominator
FROM gce g LEFT JOIN pop p ON p.la_code = g.la_code AND p.age_band = '18 and over'
WHERE g.care_type = 'Total' AND g.age_band = '99' AND g.psr = '99'
UNION ALL
SELECT g.la_code, CASE g.age_band WHEN '18 to 64' THEN 'FIN-2' ELSE 'FIN-3' END,
       CASE WHEN g.psr = '99' THEN '' ELSE 'psr=' || g.psr END, g.value_gbp, p.population
FROM gce g LEFT JOIN pop p ON p.la_code = g.la_code AND p.age_band = g.age_band
WHERE g.care_type = 'Long Term Care' AND g.age_band IN ('18 to 64', '65 and Over')
