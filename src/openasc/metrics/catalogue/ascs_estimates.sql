-- Adult Social Care Survey measures (NHS England, ASC-User-Survey methodology): every code at once, one row per code and
-- breakdown, plus its margin-of-error row. The engine keeps the rows of the measure it runs
-- (`code`). Set-based: every council of the run (compute_councils) at once, each council's
-- latest survey in the period and its own strata; a council with no survey has no rows.
--
-- Person values: a 0/1 for a proportion, the person's score for 1A and 1C; NULL
-- (left out) when an item it needs is missing.
-- Estimate: within stratum s, N_s eligible people and n_s respondents with a value;
-- for a subgroup g (age band, sex) N_sg = N_s * n_sg / n_s. Numerator = sum_s N_sg * mean_sg,
-- denominator = sum_s N_sg, value = their ratio (x 100 for a percentage).
-- Margin of error (95%): 1.96 * sqrt(sum_s v_s) / sum_s N_sg (x 100 for a percentage), with
-- v_s = var_sg * N_sg^2 * (1 - n_sg / N_sg) / (n_sg - 1), var_sg the stratum's variance with
-- divisor n (p(1 - p) for a proportion, so one formula serves both; decisions.md).
WITH latest AS (
    SELECT la_code, max(year_end) AS year_end FROM ascs_responses
    WHERE la_code IN (SELECT la_code FROM compute_councils)
      AND year_end BETWEEN $period_start AND $period_end
    GROUP BY la_code
),
r AS (
    SELECT a.* FROM ascs_responses a JOIN latest USING (la_code, year_end)
    WHERE a.responded
),
pop AS (
    -- the population file's N_s, else the one the return carries on its rows
    SELECT s.la_code, s.stratum, coalesce(p.eligible_population, s.on_rows) AS big_n
    FROM (SELECT la_code, stratum, max(survey_year) AS survey_year,
                 max(population_in_stratum) AS on_rows FROM r GROUP BY la_code, stratum) s
    LEFT JOIN ascs_population p
      ON p.la_code = s.la_code AND p.survey_year = s.survey_year AND p.stratum = s.stratum
),
scored AS (
    SELECT la_code, stratum, age_band, sex, q3a, q7a, q7b, q8a, q12,
           32 - (q3a + q4a + q5a + q6a + q7a + q8a + q9a + q11) AS scrqol,
           CASE WHEN questionnaire IN (3, 4) THEN q1 WHEN q1 <= 2 THEN 1
                WHEN q1 <= 5 THEN q1 - 1 WHEN q1 <= 7 THEN 5 END AS q1comb,
           CASE WHEN coalesce(support_setting, '') NOT IN ('Residential Care', 'Nursing Care')
                 AND coalesce(primary_support_reason, '') <> 'Learning Disability Support'
                 AND age_band IS NOT NULL THEN
               -- 1C (legacy 1J): preference-weighted SCRQoL minus the SCRQoL predicted
               -- without services; exact decimals, so the worked examples hold
               CAST(0.203 * (
                   CASE q3a WHEN 1 THEN 1 WHEN 2 THEN 0.919 WHEN 3 THEN 0.541 WHEN 4 THEN 0 END
                   + CASE q4a WHEN 1 THEN 0.911 WHEN 2 THEN 0.789 WHEN 3 THEN 0.265
                              WHEN 4 THEN 0.195 END
                   + CASE q5a WHEN 1 THEN 0.879 WHEN 2 THEN 0.775 WHEN 3 THEN 0.294
                              WHEN 4 THEN 0.184 END
                   + CASE q6a WHEN 1 THEN 0.863 WHEN 2 THEN 0.78 WHEN 3 THEN 0.374
                              WHEN 4 THEN 0.288 END
                   + CASE q7a WHEN 1 THEN 0.88 WHEN 2 THEN 0.452 WHEN 3 THEN 0.298
                              WHEN 4 THEN 0.114 END
                   + CASE q8a WHEN 1 THEN 0.873 WHEN 2 THEN 0.748 WHEN 3 THEN 0.497
                              WHEN 4 THEN 0.241 END
                   + CASE q9a WHEN 1 THEN 0.962 WHEN 2 THEN 0.927 WHEN 3 THEN 0.567
                              WHEN 4 THEN 0.17 END
                   + CASE q11 WHEN 1 THEN 0.847 WHEN 2 THEN 0.637 WHEN 3 THEN 0.295
                              WHEN 4 THEN 0.263 END)
                   - 0.466 AS DECIMAL(18, 6))
               - CAST(CASE q13 WHEN 1 THEN 0 WHEN 2 THEN 0 WHEN 3 THEN -0.0148
                               WHEN 4 THEN -0.109 WHEN 5 THEN -0.109 END
                   + CASE q17 WHEN 1 THEN 0 WHEN 2 THEN -0.0308 WHEN 3 THEN -0.125
                              WHEN 4 THEN -0.125 WHEN 5 THEN -0.125 END
                   + CASE q18 WHEN 1 THEN 0 WHEN 2 THEN -0.0603 WHEN 3 THEN -0.11
                              WHEN 4 THEN -0.11 END
                   + CASE WHEN age_band = '65 and above' THEN 0.0473 ELSE 0 END
                   + 0.5798 - 0.0202 * (q15a + q15b + q15c + q15d + q16a + q16b + q16c - 7)
                   AS DECIMAL(18, 6))
           END AS adjusted
    FROM r
),
person (la_code, code, stratum, age_band, sex, x) AS (
    SELECT la_code, '1A', stratum, age_band, sex, scrqol FROM scored WHERE scrqol IS NOT NULL
    UNION ALL SELECT la_code, '1B', stratum, age_band, sex, CASE WHEN q3a <= 2 THEN 1 ELSE 0 END
    FROM scored WHERE q3a IS NOT NULL
    UNION ALL SELECT la_code, '1C', stratum, age_band, sex, CAST(adjusted AS DOUBLE)
    FROM scored WHERE adjusted IS NOT NULL
    UNION ALL SELECT la_code, '3A', stratum, age_band, sex,
           CASE WHEN q12 IN (2, 3) THEN 1 ELSE 0 END
    FROM scored WHERE q12 BETWEEN 2 AND 5
    UNION ALL SELECT la_code, '4A', stratum, age_band, sex, CASE WHEN q7a = 1 THEN 1 ELSE 0 END
    FROM scored WHERE q7a IS NOT NULL
    UNION ALL SELECT la_code, '4B', stratum, age_band, sex, CASE WHEN q7b = 1 THEN 1 ELSE 0 END
    FROM scored WHERE q7b IS NOT NULL
    UNION ALL SELECT la_code, '5A', stratum, age_band, sex, CASE WHEN q8a = 1 THEN 1 ELSE 0 END
    FROM scored WHERE q8a IS NOT NULL
    UNION ALL SELECT la_code, 'SAT', stratum, age_band, sex, CASE WHEN q1comb = 1 THEN 1 ELSE 0 END
    FROM scored WHERE q1comb IS NOT NULL
),
grouped AS (
    SELECT la_code, code, '' AS breakdown, stratum, x FROM person
    UNION ALL SELECT la_code, code, 'age_band=' || age_band, stratum, x FROM person
    WHERE age_band IS NOT NULL
    UNION ALL SELECT la_code, code, 'sex=' || sex, stratum, x FROM person
    WHERE sex IN ('Male', 'Female')
),
stratum_n AS (SELECT la_code, code, stratum, count(*) AS n_s FROM person GROUP BY ALL),
cell AS (
    SELECT la_code, code, breakdown, stratum, count(*) AS n, avg(x) AS mean, var_pop(x) AS var
    FROM grouped GROUP BY ALL
),
est AS (
    SELECT c.*, p.big_n * c.n / s.n_s AS big_n_g,
           CASE WHEN c.code IN ('1A', '1C') THEN 1 ELSE 100 END AS factor
    FROM cell c JOIN stratum_n s USING (la_code, code, stratum)
    JOIN pop p USING (la_code, stratum)
    WHERE p.big_n IS NOT NULL
),
total AS (
    SELECT la_code, code, breakdown, factor, sum(n) AS respondents,
           sum(big_n_g * mean) AS numerator, sum(big_n_g) AS denominator,
           sum(CASE WHEN n > 1 THEN var * power(big_n_g, 2) * greatest(1 - n / big_n_g, 0) / (n - 1)
                    ELSE 0 END) AS variance
    FROM est GROUP BY ALL
)
SELECT la_code, code, breakdown, numerator, denominator,
       numerator / denominator * factor AS value
FROM total
UNION ALL
-- the margin of error, with the respondents it rests on (the base) as its numerator
SELECT la_code, code,
       CASE WHEN breakdown = '' THEN 'measure_part=margin_of_error'
            WHEN breakdown LIKE 'age_band=%' THEN breakdown || ';measure_part=margin_of_error'
            ELSE 'measure_part=margin_of_error;' || breakdown END,
       respondents, NULL, 1.96 * sqrt(variance) * factor / denominator
FROM total
