-- CMP-2 (docs/complaints.md): complaints received in the period per 1,000 people who had
-- long-term support at any time in it (SALT LTS001a's during-year basis:
-- salt_long_term_people, scope 'year'); 0 of either for a council without any.
SELECT c.la_code, 'CMP-2' AS code, '' AS breakdown, coalesce(k.complaints, 0) AS numerator,
       coalesce(p.people, 0) AS denominator
FROM compute_councils c
LEFT JOIN (SELECT la_code, count(*) AS complaints
           FROM complaints JOIN compute_councils USING (la_code)
           WHERE kind = 'complaint'
             AND received_date BETWEEN $period_start AND $period_end
           GROUP BY la_code) k USING (la_code)
LEFT JOIN (SELECT la_code, count(DISTINCT person_id) AS people FROM salt_long_term_people
           WHERE scope = 'year' GROUP BY la_code) p USING (la_code)
