-- CMP-8 and CMP-9 (docs/complaints.md) from the LGSCO's annual figures of each area of the
-- run (lgsco_area_rows: its own row, else its councils' sums) for the year ending 31 March
-- in the period. CMP-8: upheld / detailed investigations x 100. CMP-9: the published
-- satisfactory-remedy rate, for an area with its own row only. A marker (e.g. `*`) leaves
-- the figure NULL, never 0.
WITH yr AS (
    SELECT * FROM lgsco_area_rows WHERE year_start = CAST(year($period_start) AS INTEGER)
)
SELECT la_code, 'CMP-8' AS code, '' AS breakdown, upheld AS numerator,
       detailed_investigations AS denominator,
       100.0 * upheld / nullif(detailed_investigations, 0) AS value
FROM yr
UNION ALL
SELECT la_code, 'CMP-9', '', NULL, NULL, satisfactory_remedy_pct FROM yr
WHERE basis = 'published'
