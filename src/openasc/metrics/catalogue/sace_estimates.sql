-- Survey of Adult Carers in England measures (NHS England, SACE methodology): every code at once, as
-- ascs_estimates.sql does for the users' survey (see its header for the estimate and the
-- margin of error). A council is one stratum, N = its eligible carer population, so the
-- council's figure is the simple response proportion or mean; N scales the counts and gives
-- the finite population correction of the margin. The latest survey ending in the period or
-- in the two years before it is used (the survey is biennial; DHSC, Measures from ASCOF 2024-25).
-- Set-based: every council of the run (compute_councils) at once, each with its own latest
-- survey and population; a council with no survey or no population has no rows.
WITH latest AS (
    SELECT la_code, max(year_end) AS year_end FROM sace_responses
    WHERE la_code IN (SELECT la_code FROM compute_councils) AND year_end <= $period_end
      AND year_end > $period_end - INTERVAL 2 YEAR
    GROUP BY la_code
),
r AS (
    SELECT a.* FROM sace_responses a JOIN latest USING (la_code, year_end)
    WHERE a.responded
),
pop AS (
    SELECT p.la_code, p.eligible_population AS big_n
    FROM (SELECT la_code, max(survey_year) AS survey_year FROM r GROUP BY la_code) s
    JOIN sace_population p ON p.la_code = s.la_code AND p.survey_year = s.survey_year
),
scored AS (
    SELECT *,
           -- 1D: six items, first option 2, second 1, last 0 (ASCOF handbook, 1D)
           (3 - qol_occupation) + (3 - qol_control) + (3 - qol_self_care) + (3 - qol_safety)
           + (3 - qol_social) + (3 - qol_encouragement) AS carer_qol
    FROM r
),
person (la_code, code, age_band, sex, x) AS (
    SELECT la_code, '1D', age_band, sex, carer_qol FROM scored WHERE carer_qol IS NOT NULL
    UNION ALL SELECT la_code, '3B', age_band, sex, CASE WHEN information <= 2 THEN 1 ELSE 0 END
    FROM scored WHERE information BETWEEN 1 AND 4
    UNION ALL SELECT la_code, '3C', age_band, sex, CASE WHEN involved <= 2 THEN 1 ELSE 0 END
    FROM scored WHERE involved BETWEEN 1 AND 4
    UNION ALL SELECT la_code, '5B', age_band, sex, CASE WHEN qol_social = 1 THEN 1 ELSE 0 END
    FROM scored WHERE qol_social IS NOT NULL
    UNION ALL SELECT la_code, 'SAT', age_band, sex, CASE WHEN satisfaction <= 2 THEN 1 ELSE 0 END
    FROM scored WHERE satisfaction BETWEEN 1 AND 7
),
grouped AS (
    SELECT la_code, code, '' AS breakdown, x FROM person
    UNION ALL SELECT la_code, code, 'age_band=' || age_band, x FROM person
    WHERE age_band IS NOT NULL
    UNION ALL SELECT la_code, code, 'sex=' || sex, x FROM person WHERE sex IN ('Male', 'Female')
),
all_n AS (SELECT la_code, code, count(*) AS n_s FROM person GROUP BY ALL),
est AS (
    SELECT g.la_code, g.code, g.breakdown, count(*) AS n, avg(g.x) AS mean,
           var_pop(g.x) AS var,
           -- one value per council and code: N / n_s
           max(pop.big_n * 1.0 / a.n_s) * count(*) AS big_n_g,
           CASE WHEN g.code = '1D' THEN 1 ELSE 100 END AS factor
    FROM grouped g JOIN all_n a USING (la_code, code) JOIN pop USING (la_code)
    GROUP BY g.la_code, g.code, g.breakdown
),
total AS (
    SELECT la_code, code, breakdown, factor, n AS respondents, big_n_g * mean AS numerator,
           big_n_g AS denominator,
           CASE WHEN n > 1 THEN var * power(big_n_g, 2) * greatest(1 - n / big_n_g, 0) / (n - 1)
                ELSE 0 END AS variance
    FROM est
)
SELECT la_code, code, breakdown, numerator, denominator,
       numerator / denominator * factor AS value
FROM total
UNION ALL
SELECT la_code, code,
       CASE WHEN breakdown = '' THEN 'measure_part=margin_of_error'
            WHEN breakdown LIKE 'age_band=%' THEN breakdown || ';measure_part=margin_of_error'
            ELSE 'measure_part=margin_of_error;' || breakdown END,
       respondents, NULL, 1.96 * sqrt(variance) * factor / denominator
FROM total
