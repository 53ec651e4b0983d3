-- ASCOF 2D: people aged 65 and over discharged from hospital into reablement who remained in
-- the community within 12 weeks (84 days) of discharge. Method: ascof.md §2.0.5, §2.3.
-- Part 1 (headline, breakdown ''): of reablement clusters linked to a discharge, those with no
-- emergency readmission, death or residential/nursing admission within 84 days.
-- Part 2 (`part=2`): linked clusters / eligible discharges of residents of the council.
-- Every council of the run at once: `la_code` is the council whose reablement is counted;
-- discharges and long-term support are linked by person from every council, as nationally.
WITH people AS (
    SELECT p.la_code, p.person_id, p.date_of_death
    FROM cld_people p
    JOIN compute_councils cc ON cc.la_code = p.la_code
),
-- CLD side: ST-Max services with component Reablement, clustered by the 7-day rule.
reablement AS (
    SELECT e.la_code, e.person_id, e.record_id,
           e.event_start_date AS start_date,
           coalesce(e.der_event_end_date, DATE '9999-01-01') AS end_date
    FROM cld_events e
    JOIN compute_councils cc ON cc.la_code = e.la_code
    LEFT JOIN people pp ON pp.la_code = e.la_code AND pp.person_id = e.person_id
    WHERE lower(trim(e.event_type)) = 'service'
      AND lower(trim(e.client_type)) = 'service user'
      AND lower(trim(e.service_type)) = 'short term support: st-max'
      AND lower(trim(e.service_component)) = 'reablement'
      AND e.person_id IS NOT NULL
      AND e.event_start_date IS NOT NULL
      AND (e.der_event_end_date IS NULL OR e.der_event_end_date >= e.event_start_date)
      AND (pp.date_of_death IS NULL OR pp.date_of_death >= $period_start)
),
running AS (
    SELECT r.*,
           max(r.end_date) OVER (PARTITION BY r.la_code, r.person_id
                                 ORDER BY r.start_date, r.end_date, r.record_id DESC
                                 ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
               AS latest_end_before
    FROM reablement r
),
numbered AS (
    SELECT r.*,
           sum(CASE WHEN r.latest_end_before IS NULL
                      OR date_diff('day', r.latest_end_before, r.start_date) > 7
                    THEN 1 ELSE 0 END) OVER (
               PARTITION BY r.la_code, r.person_id
               ORDER BY r.start_date, r.end_date, r.record_id DESC
               ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cluster_no
    FROM running r
),
clusters AS (
    SELECT la_code, person_id, cluster_no, min(start_date) AS cluster_start
    FROM numbered
    GROUP BY la_code, person_id, cluster_no
),
-- Long-term support of the person in any council's records (national linkage).
long_term AS (
    SELECT e.person_id,
           lower(trim(e.service_type)) AS service_type,
           e.event_start_date AS start_date,
           coalesce(e.der_event_end_date, DATE '9999-01-01') AS end_date
    FROM cld_events e
    WHERE lower(trim(e.event_type)) = 'service'
      AND lower(trim(e.service_type)) LIKE 'long term support%'
      AND e.person_id IS NOT NULL
      AND e.event_start_date IS NOT NULL
),
-- Eligible discharges (part 2 denominator filters), of residents of any council.
eligible AS (
    SELECT d.*,
           floor(date_diff('day', make_date(d.birth_year, d.birth_month, 1), d.discharge_date)
                 / 365.25) AS age,
           EXISTS (SELECT 1 FROM long_term l
                   WHERE l.person_id = d.person_id
                     AND l.service_type = 'long term support: community'
                     AND d.admission_date BETWEEN l.start_date AND l.end_date)
               AS in_community_support
    FROM hospital_discharges d
    WHERE d.person_id IS NOT NULL
      AND coalesce(d.last_episode_in_spell, true)
      AND coalesce(d.admission_method, '') NOT IN ('31', '32', '82', '83')
      AND coalesce(d.discharge_method, '') NOT IN ('4', '5')
      AND coalesce(d.discharge_destination, '') NOT IN ('49', '50', '51', '52', '79', '87',
                                                         '88')
      AND coalesce(d.treatment_function_code, '') NOT IN (
              '199', '223', '290', '291', '331', '344', '345', '346', '424', '499', '501',
              '504', '560', '660', '661', '662', '840', '920')
      AND coalesce(d.treatment_function_code, '') NOT LIKE '65%'
      AND coalesce(d.treatment_function_code, '') NOT LIKE '7%'
      AND d.admission_date >= DATE '2023-04-01'
      AND d.admission_date < d.discharge_date
      AND d.discharge_date BETWEEN $period_start AND $period_end
      AND NOT EXISTS (SELECT 1 FROM long_term l
                      WHERE l.person_id = d.person_id
                        AND l.service_type IN ('long term support: nursing care',
                                               'long term support: residential care',
                                               'long term support: prison')
                        AND d.admission_date BETWEEN l.start_date AND l.end_date)
),
discharges AS (
    SELECT e.*,
           CASE WHEN e.age < 75 THEN '65 to 74'
                WHEN e.age < 85 THEN '75 to 84'
                ELSE '85 and above' END AS age_band,
           CASE WHEN e.in_community_support THEN 'Those in LT community support'
                ELSE 'Those not in any LTS' END AS setting
    FROM eligible e
    WHERE e.age >= 65
),
-- Linking: discharge from 7 days before to 3 days after the cluster start, admitted on or
-- before it; the latest discharge wins.
links AS (
    SELECT c.la_code, c.person_id, c.cluster_no, c.cluster_start, d.spell_pseudo,
           d.discharge_date, d.age_band, d.sex, d.setting,
           row_number() OVER (PARTITION BY c.la_code, c.person_id, c.cluster_no
                              ORDER BY d.discharge_date DESC, d.admission_date DESC,
                                       d.spell_pseudo) AS pick
    FROM clusters c
    JOIN discharges d
      ON d.person_id = c.person_id
     AND date_diff('day', d.discharge_date, c.cluster_start) BETWEEN -3 AND 7
     AND d.admission_date <= c.cluster_start
),
linked AS (
    SELECT l.*,
           EXISTS (SELECT 1 FROM hospital_discharges r
                   WHERE r.person_id = l.person_id
                     AND upper(r.management_type) IN ('EM', 'NE')
                     AND coalesce(r.last_episode_in_spell, true)
                     AND coalesce(r.discharge_method, '') <> '5'
                     AND r.admission_date < r.discharge_date
                     AND r.admission_date >= $period_start
                     AND r.admission_date > l.cluster_start
                     AND r.admission_date > l.discharge_date
                     AND date_diff('day', l.discharge_date, r.admission_date) <= 84)
               AS readmitted,
           EXISTS (SELECT 1 FROM people pp
                   WHERE pp.la_code = l.la_code AND pp.person_id = l.person_id
                     AND date_diff('day', l.discharge_date, pp.date_of_death) BETWEEN 0 AND 84)
               AS died,
           EXISTS (SELECT 1 FROM long_term t
                   WHERE t.person_id = l.person_id
                     AND t.service_type IN ('long term support: nursing care',
                                            'long term support: residential care')
                     AND date_diff('day', l.discharge_date, t.start_date) BETWEEN 0 AND 84)
               AS care_home
    FROM links l
    WHERE l.pick = 1
),
groups (breakdown_key, group_value) AS (
    VALUES ('', NULL),
           ('age_band', '65 to 74'), ('age_band', '75 to 84'), ('age_band', '85 and above'),
           ('sex', 'Female'), ('sex', 'Male'),
           ('setting', 'Those in LT community support'), ('setting', 'Those not in any LTS')
),
part_1 AS (
    SELECT c.la_code,
           CASE WHEN g.breakdown_key = '' THEN ''
                ELSE g.breakdown_key || '=' || g.group_value END AS breakdown,
           count(CASE WHEN NOT (k.readmitted OR k.died OR k.care_home) THEN 1 END) AS numerator,
           count(k.person_id) AS denominator
    FROM compute_councils c
    CROSS JOIN groups g
    LEFT JOIN linked k
      ON k.la_code = c.la_code
     AND (g.breakdown_key = ''
          OR (g.breakdown_key = 'age_band' AND k.age_band = g.group_value)
          OR (g.breakdown_key = 'sex' AND k.sex = g.group_value)
          OR (g.breakdown_key = 'setting' AND k.setting = g.group_value))
    GROUP BY c.la_code, g.breakdown_key, g.group_value
),
part_2_denominator AS (
    SELECT c.la_code, g.breakdown_key, g.group_value,
           count(DISTINCT d.spell_pseudo) AS denominator
    FROM compute_councils c
    CROSS JOIN groups g
    LEFT JOIN discharges d
      ON d.la_code = c.la_code
     AND (g.breakdown_key = ''
          OR (g.breakdown_key = 'age_band' AND d.age_band = g.group_value)
          OR (g.breakdown_key = 'sex' AND d.sex = g.group_value)
          OR (g.breakdown_key = 'setting' AND d.setting = g.group_value))
    GROUP BY c.la_code, g.breakdown_key, g.group_value
),
part_2 AS (
    SELECT g.la_code,
           CASE WHEN g.breakdown_key = '' THEN 'part=2'
                WHEN g.breakdown_key = 'age_band'
                    THEN 'age_band=' || g.group_value || ';part=2'
                ELSE 'part=2;' || g.breakdown_key || '=' || g.group_value END AS breakdown,
           p.denominator AS numerator,
           g.denominator
    FROM part_2_denominator g
    JOIN part_1 p
      ON p.la_code = g.la_code
     AND p.breakdown = CASE WHEN g.breakdown_key = '' THEN ''
                            ELSE g.breakdown_key || '=' || g.group_value END
),
-- DHSC's outcome combinations (2D-OUTCOMES): each part 1 episode by which of the three
-- outcomes followed within 84 days - death, emergency readmission, care home admission.
outcomes AS (
    SELECT la_code,
           coalesce(nullif(array_to_string(list_filter([
               CASE WHEN died THEN 'death' END, CASE WHEN readmitted THEN 'readmission' END,
               CASE WHEN care_home THEN 'care home' END], lambda x: x IS NOT NULL), ' + '),
               ''), 'none') AS combination,
           CASE WHEN died THEN 'Yes' ELSE 'No' END AS death,
           CASE WHEN readmitted THEN 'Yes' ELSE 'No' END AS readmission,
           CASE WHEN care_home THEN 'Yes' ELSE 'No' END AS care_home
    FROM linked
),
outcome_counts AS (
    SELECT la_code,
           CASE WHEN grouping(combination) = 0 THEN 'outcomes=' || combination
                WHEN grouping(death) = 0 THEN 'death=' || death
                WHEN grouping(readmission) = 0 THEN 'readmission=' || readmission
                ELSE 'care_home=' || care_home END AS breakdown,
           count(*) AS episodes
    FROM outcomes
    GROUP BY GROUPING SETS ((la_code, combination), (la_code, death), (la_code, readmission),
                            (la_code, care_home))
)
SELECT la_code, '2D' AS code, breakdown, numerator, denominator,
       CASE WHEN denominator > 0 THEN 100.0 * numerator / denominator END AS value
FROM part_1
UNION ALL
SELECT la_code, '2D', breakdown, numerator, denominator,
       CASE WHEN denominator > 0 THEN 100.0 * numerator / denominator END AS value
FROM part_2
UNION ALL
-- the outcomes' headline for every council of the run, 0 where it linked no episode
SELECT c.la_code, '2D-OUTCOMES', '', count(o.la_code), NULL, count(o.la_code)
FROM compute_councils c
LEFT JOIN outcomes o ON o.la_code = c.la_code
GROUP BY c.la_code
UNION ALL
SELECT la_code, '2D-OUTCOMES', breakdown, episodes, NULL, episodes
FROM outcome_counts
