-- FIN-1 to FIN-3 (docs/money.md): ASC-FR gross current expenditure (GCE) per head, from the
-- area's published total lines (finance_area_rows: the area's own rows, else the sum of its
-- councils') for the financial year starting in the period, over the ONS mid-year persons
-- (area_population) of the mid-year the year starts in, else the latest earlier one.
-- `99` is "all" in a dimension: totals are read, never added up from finer lines. A line not
-- submitted (`:`) or suppressed (`*`) has no value, so the measure has none (never 0).
WITH y AS (SELECT CAST(year($period_start) AS INTEGER) AS y),
gce AS (
    SELECT * FROM finance_area_rows
    WHERE year_start = (SELECT y FROM y) AND data_level = 'Gross Current Expenditure'
      AND finance_type = 'Expenditure' AND value_type = '' AND purpose = '99'
      AND finance_description = '99' AND support_setting = '99'
),
pop AS (
    SELECT age_band, population FROM area_population
    WHERE year = (SELECT max(year) FROM area_population WHERE year <= (SELECT y FROM y))
)
SELECT 'FIN-1' AS code, '' AS breakdown, g.value_gbp AS numerator, p.population AS denominator
FROM gce g LEFT JOIN pop p ON p.age_band = '18 and over'
WHERE g.care_type = 'Total' AND g.age_band = '99' AND g.psr = '99'
UNION ALL
SELECT CASE g.age_band WHEN '18 to 64' THEN 'FIN-2' ELSE 'FIN-3' END,
       CASE WHEN g.psr = '99' THEN '' ELSE 'psr=' || g.psr END, g.value_gbp, p.population
FROM gce g LEFT JOIN pop p ON p.age_band = g.age_band
WHERE g.care_type = 'Long Term Care' AND g.age_band IN ('18 to 64', '65 and Over')
