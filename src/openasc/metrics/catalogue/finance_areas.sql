-- The ASC-FR rows of each area of the run (compute_councils), for every year loaded (shared
-- by the FIN measures). A council's own rows; England's or a region's published rows where
-- the file has them; otherwise the sum of its councils' rows, kept only when every council
-- of the area in that year has the line with a value (a sum of some councils is not England,
-- and council rates are never averaged). `basis` says which. Money is added as an exact
-- decimal, so a sum does not depend on the order the threads add it in.
WITH members AS (  -- England's or a region's councils valid at the period end
    SELECT DISTINCT a.la_code, c.ons_code AS member
    FROM compute_councils a
    JOIN councils c ON a.la_code = 'E92000001' OR c.region_code = a.la_code
    WHERE (c.valid_from IS NULL OR c.valid_from <= $period_end)
      AND (c.valid_to IS NULL OR c.valid_to >= $period_end)
),
member_count AS (SELECT la_code, count(*) AS members FROM members GROUP BY la_code),
own AS (
    SELECT f.la_code, f.year_start, f.data_level, f.care_type, f.finance_type,
           f.finance_description, f.age_band, f.psr, f.support_setting, f.purpose,
           f.value_type, sum(CAST(f.value_gbp AS DECIMAL(38, 10))) AS value_gbp,
           bool_and(f.status = 'ok') AS complete, 'published' AS basis
    FROM ascfr f JOIN compute_councils a ON a.la_code = f.la_code
    GROUP BY f.la_code, f.year_start, f.data_level, f.care_type, f.finance_type,
             f.finance_description, f.age_band, f.psr, f.support_setting, f.purpose,
             f.value_type
),
own_years AS (SELECT DISTINCT la_code, year_start FROM own),
summed AS (
    SELECT m.la_code, f.year_start, f.data_level, f.care_type, f.finance_type,
           f.finance_description, f.age_band, f.psr, f.support_setting, f.purpose,
           f.value_type, sum(CAST(f.value_gbp AS DECIMAL(38, 10))) AS value_gbp,
           bool_and(f.status = 'ok') AND count(DISTINCT f.la_code) = max(n.members)
               AS complete,
           'sum of councils' AS basis
    FROM ascfr f
    JOIN members m ON m.member = f.la_code
    JOIN member_count n ON n.la_code = m.la_code
    LEFT JOIN own_years o ON o.la_code = m.la_code AND o.year_start = f.year_start
    WHERE f.value_type <> 'UNIT COST' AND o.year_start IS NULL
    GROUP BY m.la_code, f.year_start, f.data_level, f.care_type, f.finance_type,
             f.finance_description, f.age_band, f.psr, f.support_setting, f.purpose,
             f.value_type
)
SELECT la_code, year_start, data_level, care_type, finance_type, finance_description,
       age_band, psr, support_setting, purpose, value_type, basis,
       CAST(CASE WHEN complete THEN value_gbp END AS DOUBLE) AS value_gbp
FROM (SELECT * FROM own UNION ALL SELECT * FROM summed) AS area_rows
