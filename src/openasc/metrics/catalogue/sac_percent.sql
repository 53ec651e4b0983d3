-- SAC percentages (sac-dols-salt.md A6), from unrounded counts. Conversion rate is the
-- national code's (Section 42 + Other enquiries started) / concerns received; the Section 42
-- only version is a separate measure (S42_CONVERSION_RATE), never called "conversion rate".
WITH c AS (
    SELECT * FROM safeguarding_concerns WHERE la_code = $la_code
),
n AS (
    SELECT
        count(*) FILTER (WHERE concern_received_date BETWEEN $period_start AND $period_end)
            AS concerns,
        count(*) FILTER (WHERE enquiry_type = 'Section 42 enquiry'
                         AND enquiry_start_date BETWEEN $period_start AND $period_end) AS s42,
        count(*) FILTER (WHERE enquiry_type = 'Other enquiry'
                         AND enquiry_start_date BETWEEN $period_start AND $period_end) AS other
    FROM c
),
k AS (
    SELECT * FROM c WHERE enquiry_type = 'Section 42 enquiry'
      AND enquiry_conclusion_date BETWEEN $period_start AND $period_end
),
msp AS (
    SELECT
        count(*) FILTER (WHERE msp_desired_outcomes_asked
                         = 'Yes they were asked and outcomes were expressed') AS expressed,
        count(*) AS asked_all,
        count(*) FILTER (WHERE msp_desired_outcomes_asked
                         = 'Yes they were asked and outcomes were expressed'
                         AND msp_outcomes_achieved = 'Fully Achieved') AS fully,
        count(*) FILTER (WHERE msp_desired_outcomes_asked
                         = 'Yes they were asked and outcomes were expressed'
                         AND msp_outcomes_achieved IN ('Fully Achieved', 'Partially Achieved'))
            AS fully_partly,
        count(*) FILTER (WHERE msp_desired_outcomes_asked
                         = 'Yes they were asked and outcomes were expressed'
                         AND msp_outcomes_achieved IS NOT NULL) AS achieved_all,
        count(*) FILTER (WHERE risk_assessment_outcome = 'Risk identified and action taken'
                         AND risk_outcome IN ('Risk reduced', 'Risk removed')) AS reduced,
        count(*) FILTER (WHERE risk_assessment_outcome = 'Risk identified and action taken'
                         AND risk_outcome IS NOT NULL) AS risk_all
    FROM k
),
concern_people AS (
    SELECT person_id, count(*) AS n FROM c
    WHERE concern_received_date BETWEEN $period_start AND $period_end GROUP BY person_id
)
SELECT 'CONVERSION_RATE' AS code, '' AS breakdown, s42 + other AS numerator,
       concerns AS denominator FROM n
UNION ALL SELECT 'S42_CONVERSION_RATE', '', s42, concerns FROM n
UNION ALL SELECT 'PROPORTION_S42', '', s42, s42 + other FROM n
UNION ALL SELECT 'RISK_REDUCED_REMOVED', '', reduced, risk_all FROM msp
UNION ALL SELECT 'MSP_ASKED_EXPRESSED', '', expressed, asked_all FROM msp
UNION ALL SELECT 'MSP_FULLY_ACHIEVED', '', fully, achieved_all FROM msp
UNION ALL SELECT 'MSP_FULLY_PARTLY_ACHIEVED', '', fully_partly, achieved_all FROM msp
UNION ALL SELECT 'REPEAT_CONCERNS_PCT', '', count(*) FILTER (WHERE n > 1), count(*)
FROM concern_people
