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
-- Only what the two scripts read of it: the columns they name and the rows both keep (long-
-- term service rows of service users with a known birth month and year, started by the
-- period end); each applies its own further filters.
SELECT r.la_code, r.nhs_number_pseudo, r.la_person_pseudo, r.event_type, r.event_start_date,
       r.event_end_date, r.date_of_death, r.birth_year, r.birth_month, r.client_type,
       r.service_type, r.delivery_mechanism, r.primary_support_reason, r.gender,
       r.ethnicity, r.has_unpaid_carer, r.employment_status, r.accommodation_status
FROM cld_records r JOIN cld_submissions s USING (submission_id)
JOIN latest l ON l.la_code = r.la_code AND l.submitted_on = s.submitted_on
WHERE r.service_type IN ('Long term support: Nursing care',
                         'Long term support: Residential care',
                         'Long term support: Community', 'Long term support: Prison')
  AND r.client_type = 'Service user' AND r.event_start_date <= $period_end
  AND r.birth_month IS NOT NULL AND r.birth_year IS NOT NULL
