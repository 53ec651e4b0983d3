-- DQ-FIELDS: DHSC's field-level data-quality profile of its de-duplicated table
-- (DataS-DHSC/ASC-CLD-LA-Dashboard, 8.DQ_Values_table.sql and the procedure it calls,
-- Stored_procedures/create_GetDQValues_procedure.sql), in our own words. DHSC pivots, for each
-- record of its dashboard master table (the single-submission table), every CLD field into one
-- row with the field's status on that record (mandatory, applicable but not mandatory, not
-- applicable, undetermined) and its validity (passed valid, passed blank, failed blank,
-- failed invalid, failed Release 1), and counts them by council.
--
-- openasc reads `cld_events_single`, the records the DHSC pages count (requests, assessments
-- and reviews ending in the period, services active in it). Applicability is the CLD
-- specification's, as `spec/cld_r2.yaml` states it and `openasc validate cld` applies it:
-- a field whose rule names an event or client type the row does not have (blank or not a
-- list value) is `Undetermined`. Validity: the record's own lists say which fields failed as
-- invalid or were Release 1 values (kept at ingest: the cleaned values cannot show it);
-- otherwise a field is valid when given, and a blank fails only where it is mandatory.
-- Records loaded before openasc kept those lists are `Not recorded`.
--
-- Rows: `field=...;applicability=...;status=...`, the number of records, out of every record
-- profiled (the headline), so each field's rows add up to the headline.
WITH rec AS (
    SELECT e.*,
           CASE WHEN e.client_type = 'Invalid and not mapped' THEN NULL
                ELSE e.client_type END AS ct,
           CASE WHEN e.event_type = 'Invalid and not mapped' THEN NULL
                ELSE e.event_type END AS et,
           coalesce(e.client_type = 'Unpaid carer known by association', false) AS kba,
           -- the specification's named conditions (spec/cld_r2.yaml `conditions`)
           coalesce(e.primary_support_reason = 'Learning disability support'
                    -- age at the period end from year and month of birth: exact for a period
                    -- ending on a month's last day (docs/decisions.md)
                    AND year(e.reporting_period_end_date) - e.birth_year
                        - CASE WHEN e.birth_month > month(e.reporting_period_end_date)
                               THEN 1 ELSE 0 END BETWEEN 18 AND 64, false) AS ld_working_age,
           coalesce(e.delivery_mechanism IS DISTINCT FROM 'CASSR commissioned support'
                    AND (e.service_type LIKE 'Long term support:%'
                         OR e.service_type LIKE 'Unpaid carer support:%'
                         OR e.service_component IN ('Short term residential care',
                                                    'Short term nursing care',
                                                    'Unpaid carer respite')), false)
               AS costed_service
    FROM cld_events_single e
    WHERE e.la_code IN (SELECT la_code FROM compute_councils)
      AND CASE WHEN e.event_type = 'Service'
               THEN e.event_start_date <= $period_end
                    AND (e.der_event_end_date IS NULL OR e.der_event_end_date >= $period_start)
               ELSE e.der_event_end_date BETWEEN $period_start AND $period_end END
),
-- DHSC's fields, in its order
fields (field) AS (
    VALUES ('LA_Code'), ('Reporting_Period_End_Date'), ('Reporting_Period_Start_Date'),
           ('NHS_Number'), ('LA_Person_Unique_Identifier'), ('GP_Practice_Code'), ('Gender'),
           ('Ethnicity'), ('Date_of_Birth'), ('Date_of_Death'), ('Client_Type'),
           ('Primary_Support_Reason'), ('Postcode'), ('Accommodation_Status'),
           ('Employment_Status'), ('Has_Unpaid_Carer'), ('Autism_Spectrum_Disorder_ASD'),
           ('Visual_Impairment'), ('Hearing_Impairment'), ('Dementia'),
           ('Client_Funding_Status'), ('Event_Type'), ('Event_Reference'), ('Event_Start_Date'),
           ('Event_End_Date'), ('Event_Description'), ('Event_Outcome'),
           ('Request_Route_of_Access'), ('Assessment_Type'), ('Eligible_Needs_Identified'),
           ('Method_of_Assessment'), ('Total_Hrs_Caring_per_week'),
           ('No_of_adults_being_cared_for'), ('Adult_1_Linked_Person_ID'),
           ('Adult_2_Linked_Person_ID'), ('Adult_3_Linked_Person_ID'), ('Service_Type'),
           ('Service_Component'), ('Delivery_Mechanism'), ('Provider_CQC_Location_ID'),
           ('Review_Reason'), ('Review_Outcomes_Achieved'), ('Method_of_Review'), ('Unit_Cost'),
           ('Cost_Frequency_Unit_Type'), ('Planned_units_per_week')
),
cells AS (
    SELECT r.la_code, f.field, r.dq_invalid, r.dq_release_1,
           -- given in the file: a kept field's cleaned value, else the record's blank list
           CASE f.field
               WHEN 'LA_Code' THEN NOT list_contains(r.dq_blank, 'LA_Code')
               WHEN 'Reporting_Period_End_Date' THEN r.reporting_period_end_date IS NOT NULL
               WHEN 'Reporting_Period_Start_Date' THEN r.reporting_period_start_date IS NOT NULL
               WHEN 'NHS_Number' THEN r.nhs_number_pseudo IS NOT NULL
               WHEN 'LA_Person_Unique_Identifier' THEN r.la_person_pseudo IS NOT NULL
               WHEN 'GP_Practice_Code' THEN r.gp_practice_code IS NOT NULL
               WHEN 'Gender' THEN r.gender IS NOT NULL
               WHEN 'Ethnicity' THEN r.ethnicity IS NOT NULL
               WHEN 'Date_of_Birth' THEN r.birth_year IS NOT NULL
               WHEN 'Date_of_Death' THEN r.date_of_death IS NOT NULL
               WHEN 'Client_Type' THEN r.client_type IS NOT NULL
               WHEN 'Primary_Support_Reason' THEN r.primary_support_reason IS NOT NULL
               WHEN 'Postcode' THEN r.postcode_district IS NOT NULL
               WHEN 'Accommodation_Status' THEN r.accommodation_status IS NOT NULL
               WHEN 'Employment_Status' THEN r.employment_status IS NOT NULL
               WHEN 'Has_Unpaid_Carer' THEN r.has_unpaid_carer IS NOT NULL
               WHEN 'Autism_Spectrum_Disorder_ASD' THEN r.autism_spectrum_disorder_asd IS NOT NULL
               WHEN 'Visual_Impairment' THEN r.visual_impairment IS NOT NULL
               WHEN 'Hearing_Impairment' THEN r.hearing_impairment IS NOT NULL
               WHEN 'Dementia' THEN r.dementia IS NOT NULL
               WHEN 'Client_Funding_Status' THEN r.client_funding_status IS NOT NULL
               WHEN 'Event_Type' THEN r.event_type IS NOT NULL
               WHEN 'Event_Reference' THEN NOT list_contains(r.dq_blank, 'Event_Reference')
               WHEN 'Event_Start_Date' THEN r.event_start_date IS NOT NULL
               WHEN 'Event_End_Date' THEN r.event_end_date IS NOT NULL
               WHEN 'Event_Description' THEN NOT list_contains(r.dq_blank, 'Event_Description')
               WHEN 'Event_Outcome' THEN r.event_outcome IS NOT NULL
               WHEN 'Request_Route_of_Access' THEN r.request_route_of_access IS NOT NULL
               WHEN 'Assessment_Type' THEN r.assessment_type IS NOT NULL
               WHEN 'Eligible_Needs_Identified' THEN r.eligible_needs_identified IS NOT NULL
               WHEN 'Method_of_Assessment' THEN r.method_of_assessment IS NOT NULL
               WHEN 'Total_Hrs_Caring_per_week' THEN r.total_hrs_caring_per_week IS NOT NULL
               WHEN 'No_of_adults_being_cared_for'
                   THEN r.no_of_adults_being_cared_for IS NOT NULL
               WHEN 'Adult_1_Linked_Person_ID' THEN r.adult_1_linked_person_pseudo IS NOT NULL
               WHEN 'Adult_2_Linked_Person_ID' THEN r.adult_2_linked_person_pseudo IS NOT NULL
               WHEN 'Adult_3_Linked_Person_ID' THEN r.adult_3_linked_person_pseudo IS NOT NULL
               WHEN 'Service_Type' THEN r.service_type IS NOT NULL
               WHEN 'Service_Component' THEN r.service_component IS NOT NULL
               WHEN 'Delivery_Mechanism' THEN r.delivery_mechanism IS NOT NULL
               WHEN 'Provider_CQC_Location_ID' THEN r.provider_cqc_location_id IS NOT NULL
               WHEN 'Review_Reason' THEN r.review_reason IS NOT NULL
               WHEN 'Review_Outcomes_Achieved' THEN r.review_outcomes_achieved IS NOT NULL
               WHEN 'Method_of_Review' THEN r.method_of_review IS NOT NULL
               WHEN 'Unit_Cost' THEN r.unit_cost IS NOT NULL
               WHEN 'Cost_Frequency_Unit_Type' THEN r.cost_frequency_unit_type IS NOT NULL
               WHEN 'Planned_units_per_week' THEN r.planned_units_per_week IS NOT NULL
           END AS given,
           -- applicability (spec/cld_r2.yaml `mandatory` and `applies`)
           CASE
               WHEN f.field IN ('LA_Code', 'Reporting_Period_End_Date',
                                'Reporting_Period_Start_Date', 'NHS_Number',
                                'LA_Person_Unique_Identifier', 'Gender', 'Ethnicity',
                                'Date_of_Birth', 'Client_Type', 'Postcode',
                                'Accommodation_Status', 'Has_Unpaid_Carer')
                   THEN 'Mandatory'
               WHEN f.field IN ('GP_Practice_Code', 'Date_of_Death')
                   THEN 'Applicable but not mandatory'
               WHEN f.field = 'Primary_Support_Reason'
                   THEN CASE WHEN r.event_type IS DISTINCT FROM 'Request' THEN 'Mandatory'
                             ELSE 'Applicable but not mandatory' END
               WHEN f.field = 'Employment_Status'
                   THEN CASE WHEN r.client_type = 'Service user' AND r.ld_working_age
                             THEN 'Mandatory' ELSE 'Applicable but not mandatory' END
               WHEN f.field IN ('Autism_Spectrum_Disorder_ASD', 'Visual_Impairment',
                                'Hearing_Impairment', 'Dementia', 'Client_Funding_Status')
                   THEN CASE WHEN f.field = 'Client_Funding_Status'
                                  AND r.client_type = 'Service user'
                                  AND r.event_type IN ('Service', 'Review') THEN 'Mandatory'
                             WHEN r.ct = 'Service user' THEN 'Applicable but not mandatory'
                             WHEN r.ct IS NULL THEN 'Undetermined'
                             ELSE 'Not applicable' END
               WHEN f.field IN ('Total_Hrs_Caring_per_week', 'No_of_adults_being_cared_for',
                                'Adult_1_Linked_Person_ID', 'Adult_2_Linked_Person_ID',
                                'Adult_3_Linked_Person_ID')
                   THEN CASE WHEN r.ct IN ('Unpaid carer', 'Unpaid carer known by association')
                             THEN 'Applicable but not mandatory'
                             WHEN r.ct IS NULL THEN 'Undetermined'
                             ELSE 'Not applicable' END
               -- the event fields: not on a row for an unpaid carer known by association
               WHEN f.field IN ('Event_Type', 'Event_Reference', 'Event_Start_Date',
                                'Event_End_Date', 'Event_Description', 'Event_Outcome')
                   THEN CASE WHEN r.kba THEN 'Not applicable'
                             WHEN f.field IN ('Event_Type', 'Event_Start_Date', 'Event_Outcome')
                                  OR (f.field = 'Event_End_Date'
                                      AND (r.event_type IN ('Request', 'Assessment', 'Review')
                                           OR r.date_of_death IS NOT NULL))
                                 THEN 'Mandatory'
                             ELSE 'Applicable but not mandatory' END
               -- the fields of one event type
               ELSE CASE
                   WHEN r.et IS NULL THEN 'Undetermined'
                   WHEN r.et <> CASE
                            WHEN f.field = 'Request_Route_of_Access' THEN 'Request'
                            WHEN f.field IN ('Assessment_Type', 'Eligible_Needs_Identified',
                                             'Method_of_Assessment') THEN 'Assessment'
                            WHEN f.field IN ('Review_Reason', 'Review_Outcomes_Achieved',
                                             'Method_of_Review') THEN 'Review'
                            ELSE 'Service' END
                       THEN 'Not applicable'
                   WHEN f.field IN ('Request_Route_of_Access', 'Assessment_Type',
                                    'Method_of_Assessment', 'Service_Type',
                                    'Service_Component', 'Review_Reason', 'Method_of_Review')
                        OR (f.field = 'Review_Outcomes_Achieved'
                            AND r.review_reason LIKE 'Planned%')
                        OR (f.field IN ('Unit_Cost', 'Cost_Frequency_Unit_Type')
                            AND r.costed_service)
                        OR (f.field = 'Planned_units_per_week' AND r.costed_service
                            AND r.cost_frequency_unit_type IN ('Per session', 'Hourly', 'Daily'))
                       THEN 'Mandatory'
                   ELSE 'Applicable but not mandatory' END
           END AS applicability
    FROM rec r CROSS JOIN fields f
),
profiled AS (
    SELECT la_code, field, applicability,
           CASE WHEN dq_invalid IS NULL THEN 'Not recorded'
                WHEN list_contains(dq_invalid, field) THEN 'Failed: Invalid'
                WHEN list_contains(dq_release_1, field) THEN 'Failed: Release 1'
                WHEN given THEN 'Passed: Valid'
                WHEN applicability = 'Mandatory' THEN 'Failed: Blank (Mandatory)'
                ELSE 'Passed: Blank (Not Mandatory)' END AS status
    FROM cells
),
records AS (
    SELECT c.la_code, count(r.la_code) AS n
    FROM compute_councils c LEFT JOIN rec r ON r.la_code = c.la_code
    GROUP BY c.la_code
)
-- the headline: every record profiled, 0 when the council has none in the period
SELECT la_code, '' AS breakdown, n AS numerator, n AS denominator
FROM records
UNION ALL
SELECT p.la_code,
       'field=' || p.field || ';applicability=' || p.applicability || ';status=' || p.status,
       count(*), min(r.n)
FROM profiled p JOIN records r ON r.la_code = p.la_code
GROUP BY p.la_code, p.field, p.applicability, p.status
