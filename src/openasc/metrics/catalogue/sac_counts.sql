-- SAC counts (sac-dols-salt.md A4, A6): concerns and enquiries started in the period (SG1),
-- concluded Section 42 enquiries by case detail (SG2-SG4), and people with repeat concerns.
-- SG1 tables count concerns RECEIVED / enquiries STARTED in the period; SG2-SG4 count
-- Section 42 enquiries CONCLUDED in the period (A2). People (SG1a-c) are counted once, with
-- their details from their latest row; cases (SG1d, SG2-SG4) once per enquiry.
-- Set-based: every council of the run (compute_councils) at once, la_code in every key; a
-- council with nothing in the period still gets every headline 0 and every category 0.
WITH c AS (
    SELECT * FROM safeguarding_concerns
    WHERE la_code IN (SELECT la_code FROM compute_councils)
),
concerns AS (
    SELECT * FROM c WHERE concern_received_date BETWEEN $period_start AND $period_end
),
s42 AS (
    SELECT * FROM c WHERE enquiry_type = 'Section 42 enquiry'
      AND enquiry_start_date BETWEEN $period_start AND $period_end
),
other AS (
    SELECT * FROM c WHERE enquiry_type = 'Other enquiry'
      AND enquiry_start_date BETWEEN $period_start AND $period_end
),
concluded AS (
    SELECT * FROM c WHERE enquiry_type = 'Section 42 enquiry'
      AND enquiry_conclusion_date BETWEEN $period_start AND $period_end
),
-- One row per person and group, with the latest details; age on the last day of the period
-- (A3), birth taken as the 1st of the month (only year and month are kept).
people AS (
    SELECT la_code, grp, person_id, sex, ethnicity_group,
           CASE WHEN age IS NULL THEN 'Unknown' WHEN age < 65 THEN '18-64'
                WHEN age < 75 THEN '65-74' WHEN age < 85 THEN '75-84'
                WHEN age < 95 THEN '85-94' ELSE '95+' END AS age_band
    FROM (
        SELECT la_code, grp, person_id, sex, ethnicity_group,
               CAST(floor(((year($period_end) * 12 + month($period_end))
                          - (birth_year * 12 + birth_month)) / 12) AS INTEGER) AS age
        FROM (SELECT 'SG1a' AS grp, * FROM s42
              UNION ALL SELECT 'SG1a_CONCERNS', * FROM concerns
              UNION ALL SELECT 'SG1a_OTHER', * FROM other)
        QUALIFY row_number() OVER (PARTITION BY la_code, grp, person_id
                                   ORDER BY concern_received_date DESC, load_id DESC,
                                            row_number DESC) = 1
    )
),
risk AS (
    SELECT DISTINCT k.la_code, k.concern_id, t.risk_type
    FROM concluded k JOIN safeguarding_risk_types t
      ON t.la_code = k.la_code AND t.concern_id = k.concern_id
),
source AS (
    SELECT DISTINCT k.la_code, k.concern_id, s.source_of_risk
    FROM concluded k JOIN safeguarding_risk_sources s
      ON s.la_code = k.la_code AND s.concern_id = k.concern_id
),
repeaters AS (
    SELECT la_code, person_id FROM concerns GROUP BY la_code, person_id HAVING count(*) > 1
),
-- Counted per council; the codes a council has nothing for are filled with 0 below.
headline AS (
    SELECT la_code, 'CONCERNS' AS code, count(*) AS numerator FROM concerns GROUP BY ALL
    UNION ALL SELECT la_code, 'S42', count(*) FROM s42 GROUP BY ALL
    UNION ALL SELECT la_code, 'OTHER_ENQ', count(*) FROM other GROUP BY ALL
    UNION ALL SELECT la_code, 'TOTAL_ENQ', count(*)
    FROM (SELECT la_code FROM s42 UNION ALL SELECT la_code FROM other) GROUP BY ALL
    UNION ALL SELECT la_code, grp, count(*) FROM people GROUP BY ALL
    UNION ALL SELECT la_code, 'SG1b', count(*) FROM people WHERE grp = 'SG1a' GROUP BY ALL
    UNION ALL SELECT la_code, 'SG1c', count(*) FROM people WHERE grp = 'SG1a' GROUP BY ALL
    UNION ALL SELECT la_code, 'SG1d', count(*) FROM s42 GROUP BY ALL
    UNION ALL SELECT la_code, k.code, count(*)
    FROM concluded,
         (VALUES ('CONCLUDED_S42'), ('SG2a'), ('SG2b'), ('SG2_SOURCE'), ('SG2c'), ('SG3a'),
                 ('SG4a_ASKED')) k(code)
    GROUP BY ALL
    UNION ALL SELECT la_code, 'SG2e', count(*) FROM concluded
    WHERE risk_assessment_outcome = 'Risk identified and action taken' GROUP BY ALL
    UNION ALL SELECT la_code, 'SG3a_ADVOCACY', count(*) FROM concluded
    WHERE lacked_capacity = 'Yes, they lacked capacity' AND advocacy_support = 'Yes'
    GROUP BY ALL
    UNION ALL SELECT la_code, 'SG4a_ACHIEVED', count(*) FROM concluded
    WHERE msp_desired_outcomes_asked = 'Yes they were asked and outcomes were expressed'
    GROUP BY ALL
    UNION ALL SELECT la_code, 'REPEAT_CONCERNS', count(*) FROM repeaters GROUP BY ALL
),
parts AS (
    SELECT la_code, grp AS code, 'age_band=' || age_band AS breakdown, count(*) AS numerator
    FROM people GROUP BY ALL
    UNION ALL SELECT la_code, 'SG1b', 'sex=' || coalesce(sex, 'Not Known'), count(*)
    FROM people WHERE grp = 'SG1a' GROUP BY ALL
    UNION ALL SELECT la_code, 'SG1c',
           'ethnicity=' || coalesce(ethnicity_group, 'Undeclared / Not Known'), count(*)
    FROM people WHERE grp = 'SG1a' GROUP BY ALL
    UNION ALL SELECT la_code, 'SG1d', 'psr=' || coalesce(psr_group, 'Not Known'), count(*)
    FROM s42 GROUP BY ALL
    UNION ALL SELECT la_code, 'SG2a', 'abuse_type=' || risk_type, count(*) FROM risk GROUP BY ALL
    UNION ALL SELECT la_code, 'SG2b', 'location=' || location_of_risk, count(*)
    FROM concluded WHERE location_of_risk IS NOT NULL GROUP BY ALL
    UNION ALL SELECT la_code, 'SG2_SOURCE', 'source=' || source_of_risk, count(*) FROM source
    GROUP BY ALL
    UNION ALL SELECT la_code, 'SG2c', 'outcome=' || risk_assessment_outcome, count(*)
    FROM concluded WHERE risk_assessment_outcome IS NOT NULL GROUP BY ALL
    UNION ALL SELECT la_code, 'SG2e', 'outcome=' || risk_outcome, count(*)
    FROM concluded
    WHERE risk_assessment_outcome = 'Risk identified and action taken' AND risk_outcome IS NOT NULL
    GROUP BY ALL
    UNION ALL SELECT la_code, 'SG3a', 'outcome=' || coalesce(lacked_capacity, 'Not recorded'),
           count(*)
    FROM concluded GROUP BY ALL
    UNION ALL SELECT la_code, 'SG4a_ASKED',
           'outcome=' || coalesce(msp_desired_outcomes_asked, 'Not Recorded'), count(*)
    FROM concluded GROUP BY ALL
    UNION ALL SELECT la_code, 'SG4a_ACHIEVED', 'outcome=' || msp_outcomes_achieved, count(*)
    FROM concluded
    WHERE msp_desired_outcomes_asked = 'Yes they were asked and outcomes were expressed'
      AND msp_outcomes_achieved IS NOT NULL
    GROUP BY ALL
),
counted AS (
    SELECT la_code, code, '' AS breakdown, numerator FROM headline
    UNION ALL
    SELECT la_code, code, breakdown, numerator FROM parts
),
-- Each breakdown's national category list (the spec's lists, metrics/categories.py; the age
-- bands are this file's own) and every headline: a category with no cases is a row with 0,
-- not a missing row, for every council of the run.
categories AS (
    SELECT m.code, m.key || '=' || l.category AS breakdown
    FROM (VALUES ('SG1b', 'sex', 'Gender.group'), ('SG1c', 'ethnicity', 'Ethnicity.group'),
                 ('SG1d', 'psr', 'Primary_Support_Reason.group'),
                 ('SG2a', 'abuse_type', 'Type_of_Risk'), ('SG2b', 'location', 'Location_of_Risk'),
                 ('SG2_SOURCE', 'source', 'Source_of_Risk'),
                 ('SG2c', 'outcome', 'Risk_Assessment_Outcome'),
                 ('SG2e', 'outcome', 'Risk_Outcome'), ('SG3a', 'outcome', 'Lacked_Capacity'),
                 ('SG4a_ASKED', 'outcome', 'MSP_Asked'),
                 ('SG4a_ACHIEVED', 'outcome', 'MSP_Achieved')) m(code, key, list)
    JOIN category_lists l ON l.list = 'safeguarding.' || m.list
    UNION ALL
    SELECT g.code, 'age_band=' || b.band
    FROM (VALUES ('SG1a'), ('SG1a_CONCERNS'), ('SG1a_OTHER')) g(code),
         (VALUES ('18-64'), ('65-74'), ('75-84'), ('85-94'), ('95+')) b(band)
    UNION ALL
    SELECT code, '' FROM (VALUES
        ('CONCERNS'), ('S42'), ('OTHER_ENQ'), ('TOTAL_ENQ'), ('SG1a'), ('SG1a_CONCERNS'),
        ('SG1a_OTHER'), ('SG1b'), ('SG1c'), ('SG1d'), ('CONCLUDED_S42'), ('SG2a'), ('SG2b'),
        ('SG2_SOURCE'), ('SG2c'), ('SG2e'), ('SG3a'), ('SG3a_ADVOCACY'), ('SG4a_ASKED'),
        ('SG4a_ACHIEVED'), ('REPEAT_CONCERNS')) h(code)
)
SELECT la_code, code, breakdown, numerator FROM counted
UNION ALL
SELECT x.la_code, x.code, x.breakdown, 0
FROM (SELECT c.la_code, k.code, k.breakdown FROM compute_councils c CROSS JOIN categories k) x
ANTI JOIN counted USING (la_code, code, breakdown)
ORDER BY la_code, code, breakdown
