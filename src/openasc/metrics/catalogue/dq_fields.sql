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
-- Records alike in everything the profile reads of them (the fields given, the lists of
-- failed fields, what decides applicability), counted once: the profile below runs over
-- these few kinds of record, n records each, instead of 46 rows for every record.
kinds AS (
    SELECT la_code, dq_invalid, dq_release_1, event_type, client_type, ct, et, kba,
           ld_working_age, costed_service, cost_frequency_unit_type,
           review_reason LIKE 'Planned%' AS planned_review,
           -- given in the file: a kept field's cleaned value, else the record's blank list
           NOT list_contains(r.dq_blank, 'LA_Code') AS given_la_code,
           r.reporting_period_end_date IS NOT NULL AS given_reporting_period_end_date,
           r.reporting_period_start_date IS NOT NULL AS given_reporting_period_start_date,
           r.nhs_number_pseudo IS NOT NULL AS given_nhs_number,
           r.la_person_pseudo IS NOT NULL AS given_la_person_unique_identifier,
           r.gp_practice_code IS NOT NULL AS given_gp_practice_code,
           r.gender IS NOT NULL AS given_gender,
           r.ethnicity IS NOT NULL AS given_ethnicity,
           r.birth_year IS NOT NULL AS given_date_of_birth,
           r.date_of_death IS NOT NULL AS given_date_of_death,
           r.client_type IS NOT NULL AS given_client_type,
           r.primary_support_reason IS NOT NULL AS given_primary_support_reason,
           r.postcode_district IS NOT NULL AS given_postcode,
           r.accommodation_status IS NOT NULL AS given_accommodation_status,
           r.employment_status IS NOT NULL AS given_employment_status,
           r.has_unpaid_carer IS NOT NULL AS given_has_unpaid_carer,
           r.autism_spectrum_disorder_asd IS NOT NULL AS given_autism_spectrum_disorder_asd,
           r.visual_impairment IS NOT NULL AS given_visual_impairment,
           r.hearing_impairment IS NOT NULL AS given_hearing_impairment,
           r.dementia IS NOT NULL AS given_dementia,
           r.client_funding_status IS NOT NULL AS given_client_funding_status,
           r.event_type IS NOT NULL AS given_event_type,
           NOT list_contains(r.dq_blank, 'Event_Reference') AS given_event_reference,
           r.event_start_date IS NOT NULL AS given_event_start_date,
           r.event_end_date IS NOT NULL AS given_event_end_date,
           NOT list_contains(r.dq_blank, 'Event_Description') AS given_event_description,
           r.event_outcome IS NOT NULL AS given_event_outcome,
           r.request_route_of_access IS NOT NULL AS given_request_route_of_access,
           r.assessment_type IS NOT NULL AS given_assessment_type,
           r.eligible_needs_identified IS NOT NULL AS given_eligible_needs_identified,
           r.method_of_assessment IS NOT NULL AS given_method_of_assessment,
           r.total_hrs_caring_per_week IS NOT NULL AS given_total_hrs_caring_per_week,
           r.no_of_adults_being_cared_for IS NOT NULL AS given_no_of_adults_being_cared_for,
           r.adult_1_linked_person_pseudo IS NOT NULL AS given_adult_1_linked_person_id,
           r.adult_2_linked_person_pseudo IS NOT NULL AS given_adult_2_linked_person_id,
           r.adult_3_linked_person_pseudo IS NOT NULL AS given_adult_3_linked_person_id,
           r.service_type IS NOT NULL AS given_service_type,
           r.service_component IS NOT NULL AS given_service_component,
           r.delivery_mechanism IS NOT NULL AS given_delivery_mechanism,
           r.provider_cqc_location_id IS NOT NULL AS given_provider_cqc_location_id,
           r.review_reason IS NOT NULL AS given_review_reason,
           r.review_outcomes_achieved IS NOT NULL AS given_review_outcomes_achieved,
           r.method_of_review IS NOT NULL AS given_method_of_review,
           r.unit_cost IS NOT NULL AS given_unit_cost,
           r.cost_frequency_unit_type IS NOT NULL AS given_cost_frequency_unit_type,
           r.planned_units_per_week IS NOT NULL AS given_planned_units_per_week,
           count(*) AS n
    FROM rec r
    GROUP BY ALL
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
    SELECT r.la_code, f.field, r.dq_invalid, r.dq_release_1, r.n,
           CASE f.field
               WHEN 'LA_Code' THEN r.given_la_code
               WHEN 'Reporting_Period_End_Date' THEN r.given_reporting_period_end_date
               WHEN 'Reporting_Period_Start_Date' THEN r.given_reporting_period_start_date
               WHEN 'NHS_Number' THEN r.given_nhs_number
               WHEN 'LA_Person_Unique_Identifier' THEN r.given_la_person_unique_identifier
               WHEN 'GP_Practice_Code' THEN r.given_gp_practice_code
               WHEN 'Gender' THEN r.given_gender
               WHEN 'Ethnicity' THEN r.given_ethnicity
               WHEN 'Date_of_Birth' THEN r.given_date_of_birth
               WHEN 'Date_of_Death' THEN r.given_date_of_death
               WHEN 'Client_Type' THEN r.given_client_type
               WHEN 'Primary_Support_Reason' THEN r.given_primary_support_reason
               WHEN 'Postcode' THEN r.given_postcode
               WHEN 'Accommodation_Status' THEN r.given_accommodation_status
               WHEN 'Employment_Status' THEN r.given_employment_status
               WHEN 'Has_Unpaid_Carer' THEN r.given_has_unpaid_carer
               WHEN 'Autism_Spectrum_Disorder_ASD' THEN r.given_autism_spectrum_disorder_asd
               WHEN 'Visual_Impairment' THEN r.given_visual_impairment
               WHEN 'Hearing_Impairment' THEN r.given_hearing_impairment
               WHEN 'Dementia' THEN r.given_dementia
               WHEN 'Client_Funding_Status' THEN r.given_client_funding_status
               WHEN 'Event_Type' THEN r.given_event_type
               WHEN 'Event_Reference' THEN r.given_event_reference
               WHEN 'Event_Start_Date' THEN r.given_event_start_date
               WHEN 'Event_End_Date' THEN r.given_event_end_date
               WHEN 'Event_Description' THEN r.given_event_description
               WHEN 'Event_Outcome' THEN r.given_event_outcome
               WHEN 'Request_Route_of_Access' THEN r.given_request_route_of_access
               WHEN 'Assessment_Type' THEN r.given_assessment_type
               WHEN 'Eligible_Needs_Identified' THEN r.given_eligible_needs_identified
               WHEN 'Method_of_Assessment' THEN r.given_method_of_assessment
               WHEN 'Total_Hrs_Caring_per_week' THEN r.given_total_hrs_caring_per_week
               WHEN 'No_of_adults_being_cared_for' THEN r.given_no_of_adults_being_cared_for
               WHEN 'Adult_1_Linked_Person_ID' THEN r.given_adult_1_linked_person_id
               WHEN 'Adult_2_Linked_Person_ID' THEN r.given_adult_2_linked_person_id
               WHEN 'Adult_3_Linked_Person_ID' THEN r.given_adult_3_linked_person_id
               WHEN 'Service_Type' THEN r.given_service_type
               WHEN 'Service_Component' THEN r.given_service_component
               WHEN 'Delivery_Mechanism' THEN r.given_delivery_mechanism
               WHEN 'Provider_CQC_Location_ID' THEN r.given_provider_cqc_location_id
               WHEN 'Review_Reason' THEN r.given_review_reason
               WHEN 'Review_Outcomes_Achieved' THEN r.given_review_outcomes_achieved
               WHEN 'Method_of_Review' THEN r.given_method_of_review
               WHEN 'Unit_Cost' THEN r.given_unit_cost
               WHEN 'Cost_Frequency_Unit_Type' THEN r.given_cost_frequency_unit_type
               WHEN 'Planned_units_per_week' THEN r.given_planned_units_per_week
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
                                           OR r.given_date_of_death))
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
                            AND r.planned_review)
                        OR (f.field IN ('Unit_Cost', 'Cost_Frequency_Unit_Type')
                            AND r.costed_service)
                        OR (f.field = 'Planned_units_per_week' AND r.costed_service
                            AND r.cost_frequency_unit_type IN ('Per session', 'Hourly', 'Daily'))
                       THEN 'Mandatory'
                   ELSE 'Applicable but not mandatory' END
           END AS applicability
    FROM kinds r CROSS JOIN fields f
),
profiled AS (
    SELECT la_code, field, applicability, n,
           CASE WHEN dq_invalid IS NULL THEN 'Not recorded'
                WHEN list_contains(dq_invalid, field) THEN 'Failed: Invalid'
                WHEN list_contains(dq_release_1, field) THEN 'Failed: Release 1'
                WHEN given THEN 'Passed: Valid'
                WHEN applicability = 'Mandatory' THEN 'Failed: Blank (Mandatory)'
                ELSE 'Passed: Blank (Not Mandatory)' END AS status
    FROM cells
),
records AS (
    SELECT c.la_code, coalesce(CAST(sum(k.n) AS BIGINT), 0) AS n
    FROM compute_councils c LEFT JOIN kinds k ON k.la_code = c.la_code
    GROUP BY c.la_code
)
-- the headline: every record profiled, 0 when the council has none in the period
SELECT la_code, '' AS breakdown, n AS numerator, n AS denominator
FROM records
UNION ALL
SELECT p.la_code,
       'field=' || p.field || ';applicability=' || p.applicability || ';status=' || p.status,
       CAST(sum(p.n) AS BIGINT), min(r.n)
FROM profiled p JOIN records r ON r.la_code = p.la_code
GROUP BY p.la_code, p.field, p.applicability, p.status
