-- The ASC-FR rows of the area being computed, for every year loaded (shared by the FIN
-- measures). A council's own rows; England's or a region's published rows where the file
-- has them; otherwise the sum of its councils' rows, kept only when every council of the
-- area in that year has the line with a value (a sum of some councils is not England, and
-- council rates are never averaged). `basis` says which.
WITH members AS (
    SELECT DISTINCT ons_code AS member FROM councils
    WHERE ($la_code = 'E92000001' OR region_code = $la_code)
      AND (valid_from IS NULL OR valid_from <= $period_end)
      AND (valid_to IS NULL OR valid_to >= $period_end)
),
own AS (
    SELECT year_start, data_level, care_type, finance_type, finance_description, age_band,
           psr, support_setting, purpose, value_type,
           sum(value_gbp) AS value_gbp, bool_and(status = 'ok') AS complete,
           'published' AS basis
    FROM ascfr WHERE la_code = $la_code
    GROUP BY ALL
),
summed AS (
    SELECT a.year_start, a.data_level, a.care_type, a.finance_type, a.finance_description,
           a.age_band, a.psr, a.support_setting, a.purpose, a.value_type,
           sum(a.value_gbp) AS value_gbp,
           bool_and(a.status = 'ok')
               AND count(DISTINCT a.la_code) = (SELECT count(*) FROM members) AS complete,
           'sum of councils' AS basis
    FROM ascfr a JOIN members m ON m.member = a.la_code
    WHERE a.value_type <> 'UNIT COST'
      AND a.year_start NOT IN (SELECT year_start FROM own)
    GROUP BY ALL
)
SELECT * EXCLUDE (complete, value_gbp),
       CASE WHEN complete THEN value_gbp END AS value_gbp
FROM (SELECT * FROM own UNION ALL SELECT * FROM summed)
