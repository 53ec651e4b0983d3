-- Every table of the warehouse that is not generated from an input specification.
-- docs/warehouse.md describes each. The file is split into groups by `-- group: NAME` lines:
-- `core` is created when a warehouse is opened for writing; the others are created by the
-- ingest that first needs them (`warehouse.ensure_tables`), so that a measure whose input was
-- never loaded is reported as "no data" rather than computed from an empty table.
-- A change to any table here is a new numbered migration in warehouse.py.

-- group: core
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR PRIMARY KEY,
    command VARCHAR NOT NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    status VARCHAR NOT NULL,
    inputs JSON,
    spec_version VARCHAR,
    method_version VARCHAR,
    as_of DATE,
    user_name VARCHAR,
    detail JSON
);

CREATE TABLE IF NOT EXISTS quarantine (
    run_id VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    file_sha256 VARCHAR NOT NULL,
    source_name VARCHAR NOT NULL,
    row_number INTEGER,
    field VARCHAR,
    reason VARCHAR NOT NULL,
    person_pseudo VARCHAR
);

CREATE TABLE IF NOT EXISTS councils (
    ons_code VARCHAR NOT NULL,
    la_code VARCHAR,
    name VARCHAR NOT NULL,
    region VARCHAR,
    region_code VARCHAR,
    council_type VARCHAR,
    valid_from DATE,
    valid_to DATE,
    former_codes VARCHAR,
    dfe_la_code VARCHAR
);

CREATE TABLE IF NOT EXISTS population (
    la_code VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    sex VARCHAR NOT NULL,
    age INTEGER NOT NULL,
    population BIGINT NOT NULL,
    PRIMARY KEY (la_code, year, sex, age)
);

CREATE TABLE IF NOT EXISTS metric_values (
    family VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    la_code VARCHAR NOT NULL,
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    breakdown VARCHAR NOT NULL DEFAULT '',
    numerator DOUBLE,
    denominator DOUBLE,
    value DOUBLE,
    unit VARCHAR NOT NULL,
    run_id VARCHAR,
    PRIMARY KEY (family, code, la_code, period_start, period_end, breakdown)
);

-- Every file an ingest has loaded, whatever the input: the same file (same SHA-256) loaded
-- again for the same input is "already loaded" and changes nothing.
CREATE TABLE IF NOT EXISTS loaded_files (
    source VARCHAR NOT NULL,
    file_sha256 VARCHAR NOT NULL,
    source_name VARCHAR NOT NULL,
    rows_in INTEGER,
    rows_loaded INTEGER,
    rows_quarantined INTEGER,
    run_id VARCHAR,
    loaded_at TIMESTAMP,
    PRIMARY KEY (source, file_sha256)
);

CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER NOT NULL,
    applied_at TIMESTAMP NOT NULL,
    note VARCHAR
);

-- The fingerprint of the pseudonymisation key (an HMAC of a fixed text under the key, never
-- the key): a load with another key is refused. A row is added by `openasc key rekey`.
CREATE TABLE IF NOT EXISTS key_fingerprint (
    fingerprint VARCHAR NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    reason VARCHAR NOT NULL
);

-- group: cld
CREATE TABLE IF NOT EXISTS cld_submissions (
    submission_id INTEGER PRIMARY KEY,
    la_code VARCHAR NOT NULL,
    cassr_code VARCHAR NOT NULL,
    source_name VARCHAR NOT NULL,
    file_sha256 VARCHAR NOT NULL UNIQUE,
    submitted_on DATE NOT NULL,
    release INTEGER,
    stated_period_start DATE,
    stated_period_end DATE,
    derived_period_start DATE,
    derived_period_end DATE,
    rows_in INTEGER NOT NULL,
    rows_loaded INTEGER NOT NULL,
    rows_quarantined INTEGER NOT NULL,
    run_id VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS cld_records (
    record_id BIGINT NOT NULL,
    submission_id INTEGER NOT NULL,
    row_number INTEGER NOT NULL,
    la_code VARCHAR NOT NULL,
    cassr_code VARCHAR NOT NULL,
    reporting_period_start_date DATE,
    reporting_period_end_date DATE,
    nhs_number_pseudo VARCHAR,
    la_person_pseudo VARCHAR,
    person_id VARCHAR NOT NULL,
    birth_year INTEGER,
    birth_month INTEGER,
    date_of_death DATE,
    postcode_district VARCHAR,
    gp_practice_code VARCHAR,
    gender VARCHAR,
    ethnicity VARCHAR,
    client_type VARCHAR,
    primary_support_reason VARCHAR,
    accommodation_status VARCHAR,
    employment_status VARCHAR,
    has_unpaid_carer VARCHAR,
    autism_spectrum_disorder_asd VARCHAR,
    visual_impairment VARCHAR,
    hearing_impairment VARCHAR,
    dementia VARCHAR,
    client_funding_status VARCHAR,
    event_type VARCHAR,
    event_start_date DATE,
    event_end_date DATE,
    event_outcome VARCHAR,
    request_route_of_access VARCHAR,
    assessment_type VARCHAR,
    eligible_needs_identified VARCHAR,
    method_of_assessment VARCHAR,
    total_hrs_caring_per_week VARCHAR,
    no_of_adults_being_cared_for INTEGER,
    adult_1_linked_person_pseudo VARCHAR,
    adult_2_linked_person_pseudo VARCHAR,
    adult_3_linked_person_pseudo VARCHAR,
    service_type VARCHAR,
    service_component VARCHAR,
    delivery_mechanism VARCHAR,
    provider_cqc_location_id VARCHAR,
    review_reason VARCHAR,
    review_outcomes_achieved VARCHAR,
    method_of_review VARCHAR,
    unit_cost DECIMAL(18, 2),
    cost_frequency_unit_type VARCHAR,
    planned_units_per_week DECIMAL(18, 2),
    is_conversation BOOLEAN,
    -- the row's field profile (DHSC's data-quality page): fields whose value failed as
    -- invalid, fields given a Release 1 value, and which fields not kept as submitted
    -- (LA_Code, dropped free text) were blank; NULL for rows loaded before layout 4
    dq_invalid VARCHAR[],
    dq_release_1 VARCHAR[],
    dq_blank VARCHAR[]
);

-- group: cases
CREATE TABLE IF NOT EXISTS case_files (
    load_id INTEGER NOT NULL,
    kind VARCHAR NOT NULL,
    la_code VARCHAR NOT NULL,
    cassr_code VARCHAR NOT NULL,
    source_name VARCHAR NOT NULL,
    file_sha256 VARCHAR NOT NULL,
    rows_in INTEGER NOT NULL,
    rows_loaded INTEGER NOT NULL,
    rows_quarantined INTEGER NOT NULL,
    rows_replaced INTEGER NOT NULL,
    run_id VARCHAR NOT NULL,
    loaded_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS safeguarding_concerns (
    load_id INTEGER NOT NULL,
    row_number INTEGER NOT NULL,
    la_code VARCHAR NOT NULL,
    cassr_code VARCHAR NOT NULL,
    concern_id VARCHAR NOT NULL,
    person_id VARCHAR NOT NULL,
    la_person_pseudo VARCHAR,
    nhs_number_pseudo VARCHAR,
    birth_year INTEGER,
    birth_month INTEGER,
    gender VARCHAR,
    sex VARCHAR,
    ethnicity VARCHAR,
    ethnicity_group VARCHAR,
    primary_support_reason VARCHAR,
    psr_group VARCHAR,
    concern_received_date DATE NOT NULL,
    enquiry_type VARCHAR NOT NULL,
    enquiry_start_date DATE,
    enquiry_conclusion_date DATE,
    location_of_risk VARCHAR,
    risk_assessment_outcome VARCHAR,
    risk_outcome VARCHAR,
    msp_desired_outcomes_asked VARCHAR,
    msp_outcomes_achieved VARCHAR,
    lacked_capacity VARCHAR,
    advocacy_support VARCHAR
);
CREATE TABLE IF NOT EXISTS safeguarding_risk_types (
    la_code VARCHAR NOT NULL,
    concern_id VARCHAR NOT NULL,
    risk_type VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS safeguarding_risk_sources (
    la_code VARCHAR NOT NULL,
    concern_id VARCHAR NOT NULL,
    source_of_risk VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS dols_applications (
    load_id INTEGER NOT NULL,
    row_number INTEGER NOT NULL,
    la_code VARCHAR NOT NULL,
    cassr_code VARCHAR NOT NULL,
    application_id VARCHAR NOT NULL,
    person_id VARCHAR NOT NULL,
    la_person_pseudo VARCHAR,
    nhs_number_pseudo VARCHAR,
    birth_year INTEGER,
    birth_month INTEGER,
    gender VARCHAR,
    sex VARCHAR,
    ethnicity VARCHAR,
    ethnicity_group VARCHAR,
    primary_support_reason VARCHAR,
    psr_group VARCHAR,
    received_date DATE NOT NULL,
    application_type VARCHAR NOT NULL,
    priority VARCHAR,
    setting VARCHAR,
    cqc_location_id VARCHAR,
    sign_off_date DATE,
    application_status VARCHAR NOT NULL,
    reason_not_granted VARCHAR,
    authorisation_start_date DATE,
    authorisation_end_date DATE
);

-- group: comparators
CREATE TABLE IF NOT EXISTS comparator_values (
    family VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    la_code VARCHAR NOT NULL,
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    breakdown VARCHAR NOT NULL DEFAULT '',
    numerator DOUBLE,
    denominator DOUBLE,
    value DOUBLE,
    unit VARCHAR NOT NULL,
    margin_of_error DOUBLE,
    source_name VARCHAR,
    file_sha256 VARCHAR,
    run_id VARCHAR,
    PRIMARY KEY (family, code, la_code, period_start, period_end, breakdown)
);
