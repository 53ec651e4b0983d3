-- Adult Social Care Survey measures (NHS England, ASC-User-Survey methodology): every code at once, one row per code and
-- breakdown, plus its margin-of-error row. The engine keeps the rows of the measure it runs
-- (`code`); the file runs once per council.
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
    SELECT max(year_end) AS year_end FROM ascs_responses
    WHERE la_code = $la_code AND year_end BETWEEN $period_start AND $period_end
),
r AS (
    SELECT a.* FROM ascs_responses a JOIN latest USING (year_end)
    WHERE a.la_code = $la_code AND a.responded
),
pop AS (
    -- the population file's N_s, else the one the return carries on its rows
    SELECT s.stratum, coalesce(p.eligible_population, s.on_rows) AS big_n
    FROM (SELECT stratum, any_value(survey_year) AS survey_year,
                 max(population_in_stratum) AS on_rows FROM r GROUP BY stratum) s
    LEFT JOIN ascs_population p
      ON p.la_code = $la_code AND p.survey_year = s.survey_year AND p.stratum = s.stratum
),
scored AS (
    SELECT stratum, age_band, sex, q3a, q7a, q7b, q8a, q12,
           32 - (q3a + q4a + q5a + q6a + q7a + q8a + q9a + q11) AS scrqol,
           CASE WHEN questionnaire IN (3, 4) THEN q1
                ELSE [1, 1, 2, 3, 4, 5, 5][q1] END AS q1comb,
           CASE WHEN coalesce(support_setting, '') NOT IN ('Residential Care', 'Nursing Care')
                 AND coalesce(primary_support_reason, '') <> 'Learning Disability Support'
                 AND age_band IS NOT NULL THEN
               -- 1C (legacy 1J): preference-weighted SCRQoL minus the SCRQoL
               -- predicted without services; exact decimals, so the worked examples hold
               CAST(0.203 * ([1, 0.919, 0.541, 0][q3a] + [0.911, 0.789, 0.265, 0.195][q4a]
                   + [0.879, 0.775, 0.294, 0.184][q5a] + [0.863, 0.78, 0.374, 0.288][q6a]
                   + [0.88, 0.452, 0.298, 0.114][q7a] + [0.873, 0.748, 0.497, 0.241][q8a]
                   + [0.962, 0.927, 0.567, 0.17][q9a] + [0.847, 0.637, 0.295, 0.263][q11])
                   - 0.466 AS DECIMAL(18, 6))
               - CAST([0, 0, -0.0148, -0.109, -0.109][q13]
                   + [0, -0.0308, -0.125, -0.125, -0.125][q17]
                   + [0, -0.0603, -0.11, -0.11][q18]
                   + CASE WHEN age_band = '65 and above' THEN 0.0473 ELSE 0 END
                   + 0.5798 - 0.0202 * (q15a + q15b + q15c + q15d + q16a + q16b + q16c - 7)
                   AS DECIMAL(18, 6))
           END AS adjusted
    FROM r
),
person (code, stratum, age_band, sex, x) AS (
    SELECT '1A', stratum, age_band, sex, scrqol FROM scored WHERE scrqol IS NOT NULL
    UNION ALL SELECT '1B', stratum, age_band, sex, CASE WHEN q3a <= 2 THEN 1 ELSE 0 END
    FROM scored WHERE q3a IS NOT NULL
    UNION ALL SELECT '1C', stratum, age_band, sex, CAST(adjusted AS DOUBLE)
    FROM scored WHERE adjusted IS NOT NULL
    UNION ALL SELECT '3A', stratum, age_band, sex, CASE WHEN q12 IN (2, 3) THEN 1 ELSE 0 END
    FROM scored WHERE q12 BETWEEN 2 AND 5
    UNION ALL SELECT '4A', stratum, age_band, sex, CASE WHEN q7a = 1 THEN 1 ELSE 0 END
    FROM scored WHERE q7a IS NOT NULL
    UNION ALL SELECT '4B', stratum, age_band, sex, CASE WHEN q7b = 1 THEN 1 ELSE 0 END
    FROM scored WHERE q7b IS NOT NULL
    UNION ALL SELECT '5A', stratum, age_band, sex, CASE WHEN q8a = 1 THEN 1 ELSE 0 END
    FROM scored WHERE q8a IS NOT NULL
    UNION ALL SELECT 'SAT', stratum, age_band, sex, CASE WHEN q1comb = 1 THEN 1 ELSE 0 END
    FROM scored WHERE q1comb IS NOT NULL
),
grouped AS (
    SELECT code, '' AS breakdown, stratum, x FROM person
    UNION ALL SELECT code, 'age_band=' || age_band, stratum, x FROM person
    WHERE age_band IS NOT NULL
    UNION ALL SELECT code, 'sex=' || sex, stratum, x FROM person WHERE sex IN ('Male', 'Female')
),
stratum_n AS (SELECT code, stratum, count(*) AS n_s FROM person GROUP BY ALL),
cell AS (
    SELECT code, breakdown, stratum, count(*) AS n, avg(x) AS mean, var_pop(x) AS var
    FROM grouped GROUP BY ALL
),
est AS (
    SELECT c.*, p.big_n * c.n / s.n_s AS big_n_g,
           CASE WHEN c.code IN ('1A', '1C') THEN 1 ELSE 100 END AS factor
    FROM cell c JOIN stratum_n s USING (code, stratum) JOIN pop p USING (stratum)
    WHERE p.big_n IS NOT NULL
),
total AS (
    SELECT code, breakdown, any_value(factor) AS factor, sum(n) AS respondents,
           sum(big_n_g * mean) AS numerator, sum(big_n_g) AS denominator,
           sum(CASE WHEN n > 1 THEN var * big_n_g ^ 2 * greatest(1 - n / big_n_g, 0) / (n - 1)
                    ELSE 0 END) AS variance
    FROM est GROUP BY ALL
)
SELECT code, breakdown, numerator, denominator, numerator / denominator * factor AS value
FROM total
UNION ALL
-- the margin of error, with the respondents it rests on (the base) as its numerator
SELECT code,
       CASE WHEN breakdown = '' THEN 'measure_part=margin_of_error'
            WHEN breakdown LIKE 'age_band=%' THEN breakdown || ';measure_part=margin_of_error'
            ELSE 'measure_part=margin_of_error;' || breakdown END,
       respondents, NULL, 1.96 * sqrt(variance) * factor / denominator
FROM total
