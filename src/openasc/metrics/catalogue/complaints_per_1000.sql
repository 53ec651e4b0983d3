-- CMP-2 (docs/complaints.md): complaints received in the period per 1,000 people who had
-- long-term support at any time in it (SALT LTS001a's during-year basis:
-- salt_long_term_people, scope 'year').
SELECT 'CMP-2' AS code, '' AS breakdown,
       (SELECT count(*) FROM complaints WHERE la_code = $la_code AND kind = 'complaint'
          AND received_date BETWEEN $period_start AND $period_end) AS numerator,
       (SELECT count(DISTINCT person_id) FROM salt_long_term_people WHERE scope = 'year')
           AS denominator
