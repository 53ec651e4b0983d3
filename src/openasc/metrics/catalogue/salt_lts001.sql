-- LTS001a (during the year), LTS001b (at the period end), LTS001c (more than 12 months at
-- the period end): distinct people, placed once (salt_long_term_people). Breakdowns: the
-- SALT tables 1a/1b (age band x PSR x setting and mechanism), table 2 of LTS001b (support
-- from carer) and tables 3a/3b (sex x ethnicity); tables 2 and 3 are LTS001b's only.
-- salt_long_term_people holds a person once per scope, so counting its rows (not NULL
-- person IDs) counts distinct people without a DISTINCT aggregate.
-- That filter is a column (`kept`) read outside the grouping, not a HAVING on grouping():
-- Spark SQL cannot resolve grouping() of a column in HAVING.
SELECT la_code, code, breakdown, numerator
FROM (
    SELECT la_code,
           CASE scope WHEN 'year' THEN 'LTS001a' WHEN 'snapshot' THEN 'LTS001b'
                      ELSE 'LTS001c' END AS code,
           concat_ws(';',
               CASE WHEN grouping(age_band) = 0 THEN 'age_band=' || age_band END,
               CASE WHEN grouping(carer) = 0 THEN 'carer=' || carer END,
               CASE WHEN grouping(ethnicity) = 0 THEN 'ethnicity=' || ethnicity END,
               CASE WHEN grouping(mechanism) = 0 AND mechanism IS NOT NULL
                    THEN 'mechanism=' || mechanism END,
               CASE WHEN grouping(psr) = 0 THEN 'psr=' || psr END,
               CASE WHEN grouping(setting) = 0 THEN 'setting=' || setting END,
               CASE WHEN grouping(sex) = 0 THEN 'sex=' || sex END) AS breakdown,
           count(person_id) AS numerator,
           grouping(carer) = 1 AND grouping(sex) = 1 OR scope = 'snapshot' AS kept
    FROM salt_long_term_people
    GROUP BY GROUPING SETS (
        (la_code, scope), (la_code, scope, age_band), (la_code, scope, setting, mechanism),
        (la_code, scope, age_band, psr, setting, mechanism),
        (la_code, scope, carer, setting, mechanism),
        (la_code, scope, sex, ethnicity, setting, mechanism))
) cells
WHERE kept
