-- SAC percentages (sac-dols-salt.md A6), from unrounded counts. Conversion rate is the
-- national code's (Section 42 + Other enquiries started) / concerns received; the Section 42
-- only version is a separate measure (S42_CONVERSION_RATE), never called "conversion rate".
-- Set-based: every council of the run (compute_councils) at once. Each council's concerns
-- are joined to it with a LEFT JOIN, so a council with none still has its rows (0 / 0).
WITH c AS (
    SELECT cc.la_code, s.person_id,
           s.concern_received_date BETWEEN $period_start AND $period_end AS received,
           s.enquiry_type = 'Section 42 enquiry'
               AND s.enquiry_start_date BETWEEN $period_start AND $period_end AS s42,
           s.enquiry_type = 'Other enquiry'
               AND s.enquiry_start_date BETWEEN $period_start AND $period_end AS other,
           -- Section 42 enquiries concluded in the period
           s.enquiry_type = 'Section 42 enquiry'
               AND s.enquiry_conclusion_date BETWEEN $period_start AND $period_end AS concluded,
           s.msp_desired_outcomes_asked = 'Yes they were asked and outcomes were expressed'
               AS expressed,
           s.msp_outcomes_achieved AS achieved,
           s.risk_assessment_outcome = 'Risk identified and action taken' AS action_taken,
           s.risk_outcome
    FROM compute_councils cc LEFT JOIN safeguarding_concerns s ON s.la_code = cc.la_code
),
n AS (
    SELECT la_code,
        count(*) FILTER (WHERE received) AS concerns,
        count(*) FILTER (WHERE s42) AS s42,
        count(*) FILTER (WHERE other) AS other,
        count(*) FILTER (WHERE concluded AND expressed) AS expressed,
        count(*) FILTER (WHERE concluded) AS asked_all,
        count(*) FILTER (WHERE concluded AND expressed AND achieved = 'Fully Achieved') AS fully,
        count(*) FILTER (WHERE concluded AND expressed
                         AND achieved IN ('Fully Achieved', 'Partially Achieved'))
            AS fully_partly,
        count(*) FILTER (WHERE concluded AND expressed AND achieved IS NOT NULL)
            AS achieved_all,
        count(*) FILTER (WHERE concluded AND action_taken
                         AND risk_outcome IN ('Risk reduced', 'Risk removed')) AS reduced,
        count(*) FILTER (WHERE concluded AND action_taken AND risk_outcome IS NOT NULL)
            AS risk_all
    FROM c GROUP BY la_code
),
-- concerns received per person (0 for people whose concerns all fall outside the period)
concern_people AS (
    SELECT la_code, count(*) FILTER (WHERE received) AS n FROM c GROUP BY la_code, person_id
),
repeats AS (
    SELECT la_code, count(*) FILTER (WHERE n > 1) AS repeaters,
           count(*) FILTER (WHERE n > 0) AS people
    FROM concern_people GROUP BY la_code
)
SELECT la_code, 'CONVERSION_RATE' AS code, '' AS breakdown, s42 + other AS numerator,
       concerns AS denominator FROM n
UNION ALL SELECT la_code, 'S42_CONVERSION_RATE', '', s42, concerns FROM n
UNION ALL SELECT la_code, 'PROPORTION_S42', '', s42, s42 + other FROM n
UNION ALL SELECT la_code, 'RISK_REDUCED_REMOVED', '', reduced, risk_all FROM n
UNION ALL SELECT la_code, 'MSP_ASKED_EXPRESSED', '', expressed, asked_all FROM n
UNION ALL SELECT la_code, 'MSP_FULLY_ACHIEVED', '', fully, achieved_all FROM n
UNION ALL SELECT la_code, 'MSP_FULLY_PARTLY_ACHIEVED', '', fully_partly, achieved_all FROM n
UNION ALL SELECT la_code, 'REPEAT_CONCERNS_PCT', '', repeaters, people FROM repeats
