-- The rows NHS England's LTS001b and LTS004 scripts read (salt_method 'nhse'; empty under
-- 'corrected'): each council's last whole submission, the code's "Latest_Submission"
-- (LTS001b L145-174, LTS004 L96-125): the latest import date whose rows start on or before
-- the period start and end on or after its end, imported after the period end. The code's
-- upper limit on the import date (a date the user types) is left out: the files loaded are
-- the user's choice (docs/decisions.md, "SALT: NHS England's published code" 7).
WITH imports AS (
    SELECT r.la_code, s.submitted_on
    FROM cld_records r JOIN cld_submissions s USING (submission_id)
    WHERE $salt_method = 'nhse' AND r.la_code IN (SELECT la_code FROM compute_councils)
    GROUP BY r.la_code, s.submitted_on
    HAVING min(r.reporting_period_start_date) <= $period_start
       AND max(r.reporting_period_end_date) >= $period_end AND s.submitted_on > $period_end
),
latest AS (
    SELECT la_code, max(submitted_on) AS submitted_on FROM imports GROUP BY la_code
)
SELECT r.*
FROM cld_records r JOIN cld_submissions s USING (submission_id)
JOIN latest l ON l.la_code = r.la_code AND l.submitted_on = s.submitted_on
